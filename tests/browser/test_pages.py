"""Every page each role may see, in a real browser, passes axe-core with no serious or critical violation."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import (
    FULL_NAMES,
    ROLES,
    SIGN_OUT,
    accessibility_problems,
    check_accessibility,
    complete_modules,
    enrol,
    import_roster,
    login,
    make_account,
    make_cohort,
    switch_language,
)
from trainer.extensions import db
from trainer.models import Certificate, Role, TrainingSession, User
from trainer.models.base import utcnow
from trainer.services import attendance

pytestmark = pytest.mark.browser

SIGNED_IN_PAGES = ["/", "/profile", "/auth/password", "/tools/mrz"]
# "{name}" is filled from the ``ids`` fixture: edit pages of rows the demo data creates.
ADMIN_PAGES = [
    "/admin/users", "/admin/users/new", "/admin/users/{trainee}",
    "/admin/agencies", "/admin/agencies/new", "/admin/agencies/{agency}",
    "/admin/stations", "/admin/stations/new", "/admin/stations/{station}",
    "/admin/provinces", "/admin/provinces/new", "/admin/provinces/{province}",
]
# The trainee's path; the demo trainer holds the trainee role too. Quiz and attempt pages: test_learning.py;
# scenario runs, MRZ results and practice sessions: test_scenarios_and_tools.py.
LEARNING_PAGES = [
    "/learn/", "/learn/history", "/learn/modules/border-indicators",
    "/learn/modules/border-indicators/lessons/why-combinations",
    "/learn/practice/documents", "/learn/scenarios/airport-escort",
]
LEARNERS = {"trainee", "trainer"}
# The coordinators' reports (test_reports.py checks them again on a large seeded data set). A trainer sees the
# completion dashboard of their own cascade only.
REPORT_PAGES = [
    "/coordinate/", "/coordinate/?from=2026-01-01&by=province", "/coordinate/?by=month", "/coordinate/?by=module",
    "/coordinate/items", "/coordinate/items?quiz=border-indicators-quiz",
    "/coordinate/scenarios", "/coordinate/scenarios?scenario=airport-escort&place=station",
    "/coordinate/indicators", "/coordinate/indicators?by=station&indicator=documents-held-by-other",
    "/coordinate/audit", "/coordinate/audit?action=user.create",
]
NATIONAL = {"coordinator", "admin"}
TRAINER_REPORT_PAGES = ["/coordinate/", "/coordinate/?by=cohort"]
NATIONAL_ONLY = ["/coordinate/items", "/coordinate/scenarios", "/coordinate/indicators", "/coordinate/audit"]
PAGES_BY_ROLE = {role: SIGNED_IN_PAGES + (LEARNING_PAGES if role in LEARNERS else [])
                 + (ADMIN_PAGES if role == "admin" else [])
                 + (REPORT_PAGES if role in NATIONAL else TRAINER_REPORT_PAGES if role == "trainer" else [])
                 for role in ROLES}
FORBIDDEN_BY_ROLE = {role: ([] if role in LEARNERS else ["/learn/", "/learn/practice/documents",
                                                          "/learn/scenarios/airport-escort"])
                     + ({"trainee": ["/coordinate/", *NATIONAL_ONLY], "trainer": NATIONAL_ONLY}.get(role, []))
                     for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_each_role_is_accessible(page, live_server, ids, role):
    """Sign in through the form, then open each page the role may see; report every page's violations at once."""
    login(page, live_server, role)
    expect(page.locator("h1")).to_have_text(f"Welcome, {FULL_NAMES[role]}")
    users_link = page.locator("nav.main-nav").get_by_role("link", name="Users", exact=True)
    expect(users_link).to_have_count(1 if role == "admin" else 0)
    training_link = page.locator("nav.main-nav").get_by_role("link", name="My training", exact=True)
    expect(training_link).to_have_count(1 if role in LEARNERS else 0)
    mrz_link = page.locator("nav.main-nav").get_by_role("link", name="MRZ checker", exact=True)
    expect(mrz_link).to_have_count(1)

    problems: list[str] = []
    for path in PAGES_BY_ROLE[role]:
        response = page.goto(path.format(**ids))
        assert response is not None and response.status == 200, f"{path} as {role}: HTTP {response and response.status}"
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("form.logout button")).to_have_text(SIGN_OUT["en"])
        problems += accessibility_problems(page)
    for path in FORBIDDEN_BY_ROLE[role]:
        response = page.goto(path)
        assert response is not None and response.status == 403, f"{path} as {role}: HTTP {response and response.status}"
        expect(page.locator("h1")).to_have_text("Access denied")
    assert not problems, "\n".join(problems)


def test_login_page_is_accessible(page):
    response = page.goto("/auth/login")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Sign in")
    check_accessibility(page)


def test_login_errors_are_accessible(page):
    """A rejected form shows its errors tied to the fields; that state must pass axe too."""
    page.goto("/auth/login")
    page.locator("#username").fill("nobody-" + uuid.uuid4().hex[:8])
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)


def test_not_found_page_is_accessible(page):
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    check_accessibility(page)


def test_trainee_gets_the_403_page_on_admin_pages(page, live_server):
    login(page, live_server, "trainee")
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Access denied")
    check_accessibility(page)


@pytest.mark.parametrize("role", ROLES)
def test_home_page_in_each_language(page, live_server, reset_languages, role):
    """Switch with the header's buttons (English last, as the account started) and check each rendering."""
    login(page, live_server, role)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    problems: list[str] = []
    for lang in ["mn", "ru", "en"]:
        switch_language(page, lang)
        expect(page).to_have_url(f"{live_server}/")
        expect(page.locator("form.logout button"), f"sign-out button in {lang}").to_have_text(SIGN_OUT[lang])
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)


def test_admin_adds_a_user(page, live_server):
    """The add-user form with its errors, then the one-time password page, as an administrator sees them."""
    login(page, live_server, "admin")
    page.goto("/admin/users/new")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#full_name")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)

    username = "browser-" + uuid.uuid4().hex[:8]
    page.locator("#full_name").fill("Browser Test Person")
    page.locator("#username").fill(username)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("h1")).to_have_text("Account created")
    expect(page.locator(".credentials")).to_contain_text(username)
    check_accessibility(page)


# --- cohorts, the cascade and certificates ---------------------------------------------------------------------
# "{name}" is filled from the ``cohort_pages`` fixture below: a cohort with a roster, a session, a graduate.
COHORT_PAGES_BY_ROLE = {
    "trainer": ["/cohorts/", "/cohorts/new", "/cohorts/{cohort}", "/cohorts/{cohort}/edit", "/cohorts/{cohort}/roster",
                "/cohorts/{cohort}/slips", "/cohorts/{cohort}/sessions", "/cohorts/{cohort}/sessions/{session}",
                "/cohorts/{cohort}/trainees/{trainee}", "/cohorts/cascade"],
    "coordinator": ["/cohorts/", "/cohorts/{cohort}", "/cohorts/{cohort}/sessions/{session}", "/cohorts/cascade",
                    "/cohorts/graduates", "/certificates/registry", "/certificates/registry?q={serial}"],
    "trainee": ["/learn/", "/learn/join", "/certificates/"],
    "admin": ["/admin/translations"],
}
PUBLIC_PAGES = ["/verify/", "/verify/{serial}", "/verify/?serial={serial}", "/verify/AAAAAAAAAAA"]


@pytest.fixture
def cohort_pages(live_app) -> dict:
    """Accounts of their own and the rows the pages need: a course cohort (a roster officer still to sign in, a
    trainee who completed it and holds a certificate, a session held today) and a ToT cohort with a graduate."""
    suffix = uuid.uuid4().hex[:6]
    trainer = make_account(live_app, "trainer", f"Pages Trainer {suffix}", {Role.TRAINER}, agency="GABP")
    trainee = make_account(live_app, "trainee", f"Pages Trainee {suffix}", agency="GABP")
    graduate = make_account(live_app, "graduate", f"Pages Graduate {suffix}", agency="GABP")
    cohort = make_cohort(live_app, trainer[2], f"Pages course {suffix}", "course",
                         {"trafficking-basics": utcnow().date() + timedelta(days=7), "border-indicators": None})
    import_roster(live_app, trainer[2], cohort, (
        "full name,username,email,agency,duty station,language\n"
        f"Батбаярын Энхтуяа,slip-{suffix},,GABP,Zamiin-Uud road crossing,mn\n").encode("utf-8"))
    enrol(live_app, trainer[2], cohort, [trainee[0]])
    complete_modules(live_app, trainee[2], ["trafficking-basics", "border-indicators"])
    tot = make_cohort(live_app, trainer[2], f"Pages ToT {suffix}", "tot", {"training-of-trainers": None})
    enrol(live_app, trainer[2], tot, [graduate[0]])
    complete_modules(live_app, graduate[2], ["training-of-trainers"])
    with live_app.app_context():
        attendance.plan_session(db.session, db.session.get(User, trainer[2]), cohort, utcnow().date(),
                                "Document checks", "Training room")
        found = {"cohort": cohort, "trainee": trainee[2],
                 "session": db.session.scalar(select(TrainingSession.id).where(TrainingSession.cohort_id == cohort)),
                 "serial": db.session.scalar(select(Certificate.serial).where(Certificate.user_id == trainee[2]))}
        db.session.remove()
    assert found["serial"], "completing the automatic cohort issued no certificate"
    return {**found, "accounts": {"trainer": trainer, "trainee": trainee}}


@pytest.mark.parametrize("role", list(COHORT_PAGES_BY_ROLE))
def test_cohort_and_certificate_pages_are_accessible(new_context, live_server, cohort_pages, role):
    page = new_context().new_page()
    account = cohort_pages["accounts"].get(role)
    login(page, live_server, *(account[:2] if account else (role,)))
    problems: list[str] = []
    for path in COHORT_PAGES_BY_ROLE[role]:
        url = path.format(**cohort_pages)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url} as {role}: HTTP {response and response.status}"
        expect(page.locator("h1")).to_have_count(1)
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)


def test_public_verification_pages_are_accessible(page, cohort_pages):
    problems: list[str] = []
    for path in PUBLIC_PAGES:
        url = path.format(**cohort_pages)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
        expect(page.locator("h1")).to_have_text("Verify a certificate")
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)
