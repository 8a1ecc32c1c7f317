"""Switching the interface language in a real browser: by cookie before sign-in, by profile after, without JS."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SIGN_IN, SIGN_OUT, login, switch_language

pytestmark = pytest.mark.browser


def expect_language(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(f"form.lang-switch button[value='{lang}']")).to_have_attribute("aria-current", "true")
    expect(page.locator("form.lang-switch button[aria-current]")).to_have_count(1)


def sign_out(page: Page, live_server: str) -> None:
    page.locator("form.logout button").click()
    expect(page).to_have_url(f"{live_server}/auth/login")
    expect(page.locator("form.logout")).to_have_count(0)


@pytest.mark.parametrize("lang", ["mn", "ru"])
def test_visitor_switches_language_on_the_login_page_and_keeps_it_after_signing_in(page, live_server,
                                                                                  reset_languages, lang):
    page.goto("/auth/login")
    expect_language(page, "en")
    expect(page.locator("h1")).to_have_text(SIGN_IN["en"])

    switch_language(page, lang)
    expect(page).to_have_url(f"{live_server}/auth/login")  # back where the visitor was
    expect_language(page, lang)
    expect(page.locator("h1")).to_have_text(SIGN_IN[lang])

    login(page, live_server, "trainee")
    expect_language(page, lang)
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT[lang])

    switch_language(page, "en")  # and back, from a signed-in page
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["en"])


def test_signed_in_choice_is_saved_to_the_profile(new_context, live_server, reset_languages):
    page = new_context().new_page()
    login(page, live_server, "trainer")
    switch_language(page, "ru")
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["ru"])
    page.goto("/profile")
    expect_language(page, "ru")
    expect(page.locator("#preferred_language")).to_have_value("ru")
    sign_out(page, live_server)

    # A different device: no language cookie, an English browser; the account's setting wins once signed in.
    other = new_context().new_page()
    other.goto("/auth/login")
    expect_language(other, "en")
    login(other, live_server, "trainer")
    expect_language(other, "ru")
    expect(other.locator("form.logout button")).to_have_text(SIGN_OUT["ru"])


def test_sign_in_and_switch_language_without_javascript(new_context, live_server, reset_languages):
    """Every step is a plain form post, so the pages work with JavaScript switched off."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/auth/login")
    switch_language(page, "mn")
    expect(page.locator("h1")).to_have_text(SIGN_IN["mn"])

    login(page, live_server, "coordinator")
    expect_language(page, "mn")
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["mn"])

    page.goto("/profile")
    switch_language(page, "ru")
    expect(page).to_have_url(f"{live_server}/profile")
    expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["ru"])

    sign_out(page, live_server)
    expect_language(page, "ru")  # the cookie still speaks for the signed-out visitor
    expect(page.locator("h1")).to_have_text(SIGN_IN["ru"])
