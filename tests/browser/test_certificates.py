"""Certificates as people meet them in a real browser: issued on completing a cohort, downloaded (PDF, Open
Badge), checked on the public verification page, revoked by a coordinator, and then reported revoked.

Completing the cohort's module is prepared through the completion service (``complete_modules``), as passing the
quiz would record it; the certificate then comes from the app's own completion hook.
"""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from babel.dates import format_date
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import complete_modules, enrol, expect_flash, login, make_account, make_cohort
from trainer.extensions import db
from trainer.models import Certificate, Role
from trainer.models.base import utcnow

pytestmark = pytest.mark.browser

MODULE = "trafficking-basics"
SERIAL = re.compile(r"^[0-9A-Z*~$=-]{11,14}$")  # the check symbol may be one of Crockford's * ~ $ = U


def test_a_completed_cohort_gives_a_certificate_anyone_can_check_until_it_is_revoked(new_context, live_server,
                                                                                   live_app):
    suffix = uuid.uuid4().hex[:6]
    recipient = f"Энхтуяа Батбаяр {suffix}"
    trainer = make_account(live_app, "trainer", f"Certificate Trainer {suffix}", {Role.TRAINER}, agency="GABP")
    trainee = make_account(live_app, "graduate", recipient, agency="GABP", station="Zamiin-Uud road crossing")
    course = f"Zamiin-Uud counter-trafficking course {suffix}"
    cohort_id = make_cohort(live_app, trainer[2], course, "course", {MODULE: None}, certificate_mode="automatic")
    enrol(live_app, trainer[2], cohort_id, [trainee[0]])

    page = new_context().new_page()
    login(page, live_server, trainee[0], trainee[1])
    page.goto("/certificates/")
    expect(page.locator("main")).to_contain_text("You have no certificates yet.")

    complete_modules(live_app, trainee[2], [MODULE])  # the trainee completes the cohort: a certificate follows
    page.goto("/learn/")
    page.get_by_role("link", name="My certificates", exact=True).click()
    expect(page.locator("h1")).to_have_text("My certificates")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    serial = rows.locator(".code").inner_text().strip()
    assert SERIAL.match(serial), serial
    today = utcnow().date()
    expect(rows.locator("td")).to_have_text([course, serial, format_date(today, "medium", locale="en"), "Valid",
                                             "PDF · Open Badge (JSON)"])

    with page.expect_download() as pdf_download:
        rows.get_by_role("link", name="PDF", exact=True).click()
    assert pdf_download.value.suggested_filename == f"certificate-{serial}.pdf"
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    with page.expect_download() as badge_download:
        rows.get_by_role("link", name="Open Badge (JSON)", exact=True).click()
    badge = json.loads(Path(badge_download.value.path()).read_text(encoding="utf-8"))
    assert "OpenBadgeCredential" in badge["type"]
    assert recipient in json.dumps(badge, ensure_ascii=False)

    # Anyone, signed in or not, checks the serial.
    public = new_context().new_page()
    response = public.goto(f"/verify/{serial}")
    assert response is not None and response.status == 200
    verdict = public.locator("section.result")
    expect(verdict.locator("h2")).to_have_text("Valid")
    expect(verdict.locator("dl.facts dt:text-is('Full name') + dd")).to_have_text(recipient)
    expect(verdict.locator("dl.facts dt:text-is('Course') + dd")).to_have_text(course)
    expect(verdict.locator("dl.facts dt")).to_have_text(["Full name", "Course", "Hours of study", "Completed on",
                                                          "Issued on"])  # nothing more about the person
    expect(verdict).not_to_contain_text(trainee[0])
    public.goto("/verify/")  # typed in by hand, in lower case, on the form
    public.locator("#serial").fill(serial.lower())
    public.get_by_role("button", name="Verify", exact=True).click()
    expect(public).to_have_url(re.compile(r"/verify/\?serial="))
    expect(verdict.locator("h2")).to_have_text("Valid")

    # The coordinator finds it in the registry and revokes it, with a reason.
    coordinator = new_context().new_page()
    login(coordinator, live_server, "coordinator")
    coordinator.goto("/certificates/registry")
    coordinator.locator("#q").fill(suffix)
    coordinator.get_by_role("button", name="Search", exact=True).click()
    expect(coordinator.locator("main p[aria-live]")).to_have_text("1 certificate found")
    found = coordinator.locator("main tbody tr")
    expect(found.locator("td").nth(0)).to_have_text(recipient)
    expect(found.locator("td").nth(2)).to_have_text(serial)
    expect(found.locator("td").nth(4)).to_have_text("Valid")
    reason = "Issued to the wrong officer: enrolment error"
    found.get_by_label("Reason for revoking").fill(reason)
    found.get_by_role("button", name="Revoke", exact=True).click()
    expect_flash(coordinator, f"Certificate {serial} revoked.")
    expect(found.locator("td").nth(4)).to_have_text(
        f"Revoked on {format_date(today, 'medium', locale='en')}: {reason}")
    expect(found.get_by_role("button", name="Revoke")).to_have_count(0)

    public.goto(f"/verify/{serial}")
    expect(verdict.locator("h2")).to_have_text(f"Revoked on {format_date(today, 'long', locale='en')}")
    expect(verdict).to_have_class(re.compile(r"\bresult--fail\b"))
    page.reload()
    expect(rows.locator("td").nth(3)).to_have_text("Revoked")
    with live_app.app_context():
        stored = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
        assert (stored.revoked_reason, stored.user_id) == (reason, trainee[2])
        db.session.remove()


def test_an_approval_cohort_issues_the_certificate_when_the_trainer_approves(new_context, live_server, live_app):
    suffix = uuid.uuid4().hex[:6]
    trainer = make_account(live_app, "trainer", f"Approving Trainer {suffix}", {Role.TRAINER}, agency="IAM")
    trainee = make_account(live_app, "graduate", f"Sarnai Approved {suffix}", agency="IAM")
    cohort_id = make_cohort(live_app, trainer[2], f"Airport course {suffix}", "course", {MODULE: None},
                            certificate_mode="approval", agency="IAM", station="Chinggis Khaan International Airport")
    enrol(live_app, trainer[2], cohort_id, [trainee[0]])
    complete_modules(live_app, trainee[2], [MODULE])

    page = new_context().new_page()
    login(page, live_server, trainer[0], trainer[1])
    page.goto(f"/cohorts/{cohort_id}")
    page.locator("table.matrix").get_by_role("link", name=f"Sarnai Approved {suffix}", exact=True).click()
    expect(page).to_have_url(f"{live_server}/cohorts/{cohort_id}/trainees/{trainee[2]}")
    certificate = page.locator("dl.facts dt:text-is('Certificate') + dd")
    page.get_by_role("button", name="Approve and issue the certificate", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text(re.compile(r"^Certificate [0-9A-Z*~$=-]+ issued\.$"))
    serial = certificate.locator("a.code").inner_text().strip()
    expect(page.locator(".flash--success")).to_have_text(f"Certificate {serial} issued.")
    expect(page.get_by_role("button", name="Approve and issue the certificate")).to_have_count(0)

    public = new_context().new_page()
    public.goto(f"/verify/?serial={serial}")
    expect(public.locator("section.result h2")).to_have_text("Valid")
    expect(public.locator("section.result dl.facts dt:text-is('Full name') + dd")).to_have_text(
        f"Sarnai Approved {suffix}")
