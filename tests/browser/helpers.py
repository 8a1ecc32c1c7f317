"""Helpers for the browser tests: signing in through the form, switching language, axe-core checks."""
from __future__ import annotations

import weakref
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from trainer.services import demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORDS = {account.username: account.password for account in demo.DEMO_ACCOUNTS}
FULL_NAMES = {account.username: account.full_name for account in demo.DEMO_ACCOUNTS}
ROLES = ["trainee", "trainer", "coordinator", "admin"]
# The terminology given to the translators: the login page's heading and the header's sign-out button.
SIGN_IN = {"en": "Sign in", "mn": "Нэвтрэх", "ru": "Войти"}
SIGN_OUT = {"en": "Sign out", "mn": "Гарах", "ru": "Выйти"}
# axe-core impacts that fail a page; "minor" and "moderate" findings are left to review.
BLOCKING_IMPACTS = {"serious", "critical"}


def login(page: Page, base: str, username: str, password: str | None = None) -> None:
    """Sign in through the real login form and wait for the home page."""
    page.goto(f"{base}/auth/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password if password is not None else PASSWORDS[username])
    # The form holding the password field, found by structure so it works in every language.
    page.locator("form").filter(has=page.locator("#password")).locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("form.logout button")).to_be_visible()


def switch_language(page: Page, lang: str) -> None:
    """Click the header's button for ``lang`` (a plain form post) and wait for the page to come back in it."""
    page.locator(f"form.lang-switch button[value='{lang}']").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(f"form.lang-switch button[value='{lang}']")).to_have_attribute("aria-current", "true")


_axe = Axe()
# Contexts opened with java_script_enabled=False (the new_context fixture adds them). axe-core cannot run there:
# page timers never fire without JavaScript, so axe.run's promise never settles and page.evaluate waits forever.
WITHOUT_JAVASCRIPT: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def accessibility_problems(page: Page, max_targets: int = 3) -> list[str]:
    """Run axe-core on the page; describe each serious or critical violation: rule, impact, help, targets."""
    if page.context in WITHOUT_JAVASCRIPT:
        pytest.fail(f"axe-core needs JavaScript, which this page's context has turned off ({page.url}); check the "
                    "page in a context with JavaScript instead", pytrace=False)
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return []
    lang = page.locator("html").get_attribute("lang")
    lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url} (html lang={lang!r}):"]
    for violation in blocking:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" (+{len(targets) - max_targets} more)" if len(targets) > max_targets else ""
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}: "
                     f"{', '.join(targets[:max_targets])}{more}")
        lines.append(f"  {violation['helpUrl']}")
        summary = (violation["nodes"][0].get("failureSummary") or "").splitlines()
        if summary:  # "Fix any of the following:" and the first few ways to fix it
            lines += ["  " + line for line in summary[:4]]
    return lines


def check_accessibility(page: Page) -> None:
    """Fail the test on any serious or critical axe-core violation on the page, saying which and where."""
    problems = accessibility_problems(page)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- accounts and data of a test's own (cohorts, certificates, the cascade) -------------------------------------

def make_account(live_app, prefix: str, full_name: str, roles: set | None = None, agency: str | None = None,
                 station: str | None = None, language: str | None = None) -> tuple[str, str, int]:
    """A fresh account (username, password, id) with the given roles (default: trainee), made through the
    users service as an administrator's form would, with a password its owner chose (no change forced)."""
    import uuid

    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Agency, DutyStation, Role
    from trainer.services import users as user_service

    username, password = f"{prefix}-{uuid.uuid4().hex[:8]}", f"browser-{prefix}-{uuid.uuid4().hex[:8]}"
    with live_app.app_context():
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == agency)) if agency else None
        station_id = db.session.scalar(select(DutyStation.id).where(DutyStation.name == station)) if station else None
        user, _ = user_service.create_user(db.session, None, user_service.UserData(
            username=username, full_name=full_name, roles=set(roles or {Role.TRAINEE}), agency_id=agency_id,
            duty_station_id=station_id, preferred_language=language), password=password)
        user_id = user.id
        db.session.remove()
    return username, password, user_id


def complete_modules(live_app, user_id: int, module_ids: list[str]) -> None:
    """Record ``module_ids`` as completed by the person (as passing their quizzes would) and let the completion
    service re-check each of their cohorts, inside a request context, as the app does after a quiz: completions,
    certificates and the cascade's figures follow from it exactly as in use."""
    from trainer.extensions import db
    from trainer.models import ModuleCompletion
    from trainer.models.base import utcnow
    from trainer.services import completion

    with live_app.test_request_context():
        for module_id in module_ids:
            db.session.add(ModuleCompletion(user_id=user_id, module_id=module_id, module_version=1,
                                            completed_at=utcnow()))
        db.session.flush()
        completion.refresh_for_user(db.session, user_id, utcnow().date())
        db.session.commit()
        db.session.remove()


def expect_flash(page: Page, text: str) -> None:
    expect(page.locator(".flashes")).to_contain_text(text)


def submit_form_with(page: Page, field_selector: str) -> None:
    """Click the submit button of the form that holds ``field_selector`` (pages hold several forms)."""
    page.locator("form").filter(has=page.locator(field_selector)).locator("button[type=submit]").click()


def make_cohort(live_app, trainer_id: int, name: str, kind: str = "course", modules: dict | None = None,
                min_attendance: int = 0, certificate_mode: str = "automatic", agency: str = "GABP",
                station: str | None = "Zamiin-Uud road crossing") -> int:
    """A cohort made through the cohorts service as the trainer's form would, with ``modules`` (id -> due date
    or None) assigned; returns its id. For tests whose subject comes after the cohort's creation."""
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Agency, CertificateMode, CohortKind, CohortStatus, DutyStation, User
    from trainer.services import cohorts

    with live_app.app_context():
        trainer = db.session.get(User, trainer_id)
        cohort = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
            kind=CohortKind(kind), name=name, status=CohortStatus.ACTIVE, min_attendance=min_attendance,
            certificate_mode=CertificateMode(certificate_mode),
            agency_id=db.session.scalar(select(Agency.id).where(Agency.code == agency)),
            duty_station_id=db.session.scalar(select(DutyStation.id).where(DutyStation.name == station))
            if station else None))
        cohort_id = cohort.id
        for module_id, due in (modules or {}).items():
            cohorts.assign_module(db.session, trainer, cohort_id, module_id, due, {module_id})
        db.session.remove()
    return cohort_id


def enrol(live_app, trainer_id: int, cohort_id: int, usernames: list[str]) -> None:
    """Enrol existing accounts as the cohort page's "Add a trainee by username" does."""
    from trainer.extensions import db
    from trainer.models import User
    from trainer.services import enrolment

    with live_app.test_request_context():
        trainer = db.session.get(User, trainer_id)
        for username in usernames:
            enrolment.add_by_username(db.session, trainer, cohort_id, username)
        db.session.remove()


def import_roster(live_app, trainer_id: int, cohort_id: int, data: bytes) -> None:
    """Import a roster file through the same service the roster page's "Import now" uses."""
    from trainer.extensions import db
    from trainer.models import User
    from trainer.services import enrolment

    with live_app.test_request_context():
        trainer = db.session.get(User, trainer_id)
        enrolment.import_roster(db.session, trainer, cohort_id, data, tuple(live_app.config["LANGUAGES"]))
        db.session.remove()
