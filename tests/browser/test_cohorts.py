"""A trainer runs a cohort in a real browser: creates it, assigns modules, imports a roster (a broken one first),
hands out sign-in slips, takes attendance on a phone, gives out a join code and follows progress; another
trainer cannot see it.

Every account here is made by the test itself (``make_account``), so the demo accounts and the other browser
tests see nothing of it.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.browser.helpers import (
    SIGN_OUT,
    check_accessibility,
    complete_modules,
    expect_flash,
    import_roster,
    login,
    make_account,
    make_cohort,
    submit_form_with,
)
from trainer.extensions import db
from trainer.models import Cohort, Enrolment, Role, User
from trainer.models.base import utcnow

pytestmark = pytest.mark.browser

TODAY = utcnow().date()  # the app's "today" (UTC), not the machine's local date
MODULES = {"trafficking-basics": TODAY + timedelta(days=14), "border-indicators": TODAY + timedelta(days=30)}
SLIP_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
PHONE = {"width": 390, "height": 844}


def medium(day) -> str:
    """A date as the English pages print it (Babel's medium format, as the templates' dateformat filter)."""
    return format_date(day, "medium", locale="en")


def roster_file(name: str, lines: list[str]) -> dict:
    """An upload for set_input_files: UTF-8 with a BOM, as Excel's "CSV UTF-8" saves."""
    text = "full name,username,email,agency,duty station,language\r\n" + "".join(line + "\r\n" for line in lines)
    return {"name": name, "mimeType": "text/csv", "buffer": ("\ufeff" + text).encode("utf-8")}


def create_cohort(page: Page, name: str) -> int:
    page.goto("/cohorts/")
    page.get_by_role("link", name="New cohort", exact=True).click()
    expect(page.locator("h1")).to_have_text("New cohort")
    page.locator("#name").fill(name)
    page.locator("#kind").select_option("course")
    page.locator("#agency_id").select_option(label="General Authority for Border Protection")
    page.locator("#duty_station_id").select_option(label="Zamiin-Uud road crossing")
    page.locator("#start_on").fill(TODAY.isoformat())
    page.locator("#end_on").fill((TODAY + timedelta(days=45)).isoformat())
    page.locator("#status").select_option("active")
    page.locator("#min_attendance").fill("50")
    page.locator("#certificate_mode").select_option("automatic")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cohorts/(\d+)$"))
    expect_flash(page, "Cohort created. Now assign modules and enrol trainees.")
    expect(page.locator("h1")).to_have_text(name)
    return int(re.search(r"/cohorts/(\d+)$", page.url)[1])


def expect_fact(page: Page, term: str, value: str) -> None:
    expect(page.locator(f"dl.facts dt:text-is('{term}') + dd")).to_have_text(value)


def test_trainer_creates_a_cohort_and_imports_a_roster(new_context, live_server, live_app, content):
    suffix = uuid.uuid4().hex[:6]
    trainer, trainer_password, _ = make_account(live_app, "trainer", f"Tuul Trainer {suffix}", {Role.TRAINER},
                                                agency="GABP", station="Zamiin-Uud road crossing")
    page = new_context().new_page()
    login(page, live_server, trainer, trainer_password)

    # 1. The cohort: a course, at least half the sessions attended.
    name = f"Zamiin-Uud course {suffix}"
    cohort_id = create_cohort(page, name)
    expect_fact(page, "Kind", "Course for officers")
    expect_fact(page, "Status", "Active")
    expect_fact(page, "Place", "Zamiin-Uud road crossing")
    expect_fact(page, "Minimum attendance", "50%")
    expect(page.locator("#progress")).to_contain_text("No modules assigned yet.")

    # 2. Two modules, each with a due date.
    for module_id, due in MODULES.items():
        page.locator("#module_id").select_option(module_id)
        page.locator("#due_on").fill(due.isoformat())
        page.locator("#assignments").get_by_role("button", name="Assign", exact=True).click()
        expect_flash(page, "Module assigned.")
    assigned = page.locator("#assignments ul > li")
    expect(assigned).to_have_count(2)
    expect(assigned).to_contain_text([f"{content.modules[m].title} — due {medium(due)}" for m, due in MODULES.items()])
    expect(page.locator("#progress")).to_contain_text("No trainees enrolled yet.")

    # 3. A broken roster: every problem with its line and column, and nothing imported.
    page.get_by_role("link", name="Import a roster", exact=True).click()
    expect(page).to_have_url(f"{live_server}/cohorts/{cohort_id}/roster")
    broken = [f"Bold Baatar,bold-{suffix},,FBI,Zamiin-Uud road crossing,en",
              f"=1+1,formula-{suffix},,GABP,Altanbulag crossing,mn",
              f",nameless-{suffix},,IAM,Altanbulag crossing,ru",
              f"Good Row,good-{suffix},,GABP,Altanbulag crossing,en"]
    page.locator("#file").set_input_files(roster_file("broken.csv", broken))
    page.get_by_role("button", name="Check the file", exact=True).click()
    problems = page.locator("section[role=alert]")
    expect(problems.locator("h2")).to_have_text(
        "Nothing was imported: fix these problems and upload the file again")
    expect(problems.locator("li")).to_have_text([
        re.compile(r"^Line 2, column “agency”: unknown agency 'FBI'.*\(“FBI”\)$"),
        re.compile(r"^Line 3, column “full name”: cells must not start with =.*\(“=1\+1”\)$"),
        re.compile(r"^Line 4, column “full name”: the full name is empty$"),
    ])
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    check_accessibility(page)
    with live_app.app_context():
        written = db.session.scalar(select(func.count()).select_from(User).where(User.username.like(f"%-{suffix}")))
        enrolled = db.session.scalar(select(func.count()).select_from(Enrolment)
                                     .where(Enrolment.cohort_id == cohort_id))
        db.session.remove()
    assert (written, enrolled) == (0, 0), "a broken roster must change nothing, not even its good rows"

    # 4. A good roster, with a name in Cyrillic: a preview first, then the import.
    cyrillic, sarnai = "Батбаярын Энхтуяа", f"Sarnai Ganbold {suffix}"
    officer, second_officer = f"enkhtuya-{suffix}", f"sarnai-{suffix}"
    good = [f"{cyrillic},{officer},,GABP,Zamiin-Uud road crossing,mn",
            f"{sarnai},{second_officer},,IAM,Altanbulag crossing,en"]
    page.locator("#file").set_input_files(roster_file("roster.csv", good))
    page.get_by_role("button", name="Check the file", exact=True).click()
    expect(page.locator("#preview-heading")).to_have_text("Check before importing")
    expect(page.locator("ul.stats li").first).to_have_text(
        "2 new accounts will be created, each with a one-time sign-in code")
    preview = page.locator("#preview-heading + ul + div table tbody tr")
    expect(preview).to_have_count(2)
    expect(preview.nth(0)).to_contain_text(cyrillic)
    expect(preview.nth(0)).to_contain_text("Create an account and enrol")
    check_accessibility(page)
    page.get_by_role("button", name="Import now", exact=True).click()

    # 5. The slips page: one one-time code per new account.
    expect(page).to_have_url(f"{live_server}/cohorts/{cohort_id}/slips")
    expect_flash(page, "Roster imported: 2 accounts created, 0 existing accounts enrolled, 0 already in the cohort.")
    slips = page.locator("li.slip")
    expect(slips).to_have_count(2)
    slip = slips.filter(has_text=cyrillic)
    expect(slip.locator(".code").first).to_have_text(officer)
    code = slip.locator(".code").nth(1).inner_text().strip()
    assert SLIP_CODE.match(code), code

    # 6. The officer signs in with the slip and must choose a password before anything else; the roster said
    # Mongolian, so the pages speak it from the first sign-in.
    officer_page = new_context().new_page()
    officer_page.goto("/auth/login")
    officer_page.locator("#username").fill(officer)
    officer_page.locator("#password").fill(code.lower().replace("-", " "))  # as typed off paper
    officer_page.get_by_role("button", name="Sign in", exact=True).click()
    expect(officer_page).to_have_url(f"{live_server}/auth/password")
    expect(officer_page.locator("html")).to_have_attribute("lang", "mn")
    expect(officer_page.locator(".flash--info")).to_have_count(1)
    officer_page.goto("/learn/")  # nothing else opens until then
    expect(officer_page).to_have_url(f"{live_server}/auth/password")
    officer_password = f"steppe horses {suffix}"
    officer_page.locator("#current_password").fill(code)
    officer_page.locator("#new_password").fill(officer_password)
    officer_page.locator("#confirm").fill(officer_password)
    submit_form_with(officer_page, "#new_password")
    expect(officer_page).to_have_url(f"{live_server}/")
    expect(officer_page.locator(".flash--success")).to_have_count(1)
    expect(officer_page.locator("form.logout button")).to_have_text(SIGN_OUT["mn"])
    officer_page.goto("/learn/")
    expect(officer_page.locator("#cohorts-heading + h3")).to_have_text(name)
    page.reload()  # the code is used up: only the other officer's slip is left
    expect(slips).to_have_count(1)
    expect(slips).to_contain_text(sarnai)


@pytest.fixture
def running_cohort(live_app):
    """What the test above does in the browser, done through the same services: a course cohort (at least half
    the sessions attended) with two modules due, and two officers imported from a roster (one in Cyrillic)."""
    suffix = uuid.uuid4().hex[:6]
    trainer = make_account(live_app, "trainer", f"Tuul Trainer {suffix}", {Role.TRAINER}, agency="GABP")
    name = f"Zamiin-Uud course {suffix}"
    cohort_id = make_cohort(live_app, trainer[2], name, "course", MODULES, min_attendance=50)
    people = {"cyrillic": "Батбаярын Энхтуяа", "sarnai": f"Sarnai Ganbold {suffix}"}
    officer = f"enkhtuya-{suffix}"
    import_roster(live_app, trainer[2], cohort_id, roster_file("roster.csv", [
        f"{people['cyrillic']},{officer},,GABP,Zamiin-Uud road crossing,mn",
        f"{people['sarnai']},sarnai-{suffix},,IAM,Altanbulag crossing,en"])["buffer"])
    with live_app.app_context():
        officer_id = db.session.scalar(select(User.id).where(User.username == officer))
        db.session.remove()
    return SimpleNamespace(id=cohort_id, name=name, suffix=suffix, trainer=trainer, officer=officer,
                           officer_id=officer_id, **people)


def test_trainer_takes_attendance_gives_a_join_code_and_follows_progress(new_context, live_server, live_app,
                                                                         content, running_cohort):
    cohort, cyrillic, sarnai, suffix = running_cohort, running_cohort.cyrillic, running_cohort.sarnai, \
        running_cohort.suffix
    cohort_id, name, officer = cohort.id, cohort.name, cohort.officer
    trainer, trainer_password, _ = cohort.trainer
    page = new_context().new_page()
    login(page, live_server, trainer, trainer_password)

    # 7. A session today, its attendance taken on a phone.
    page.goto(f"/cohorts/{cohort_id}")
    page.get_by_role("link", name="Sessions and attendance", exact=True).click()
    expect(page.locator("main")).to_contain_text("No sessions planned yet.")
    topic = "Indicators at the road crossing"
    page.locator("#held_on").fill(TODAY.isoformat())
    page.locator("#topic").fill(topic)
    page.locator("#place").fill("Training room, Zamiin-Uud")
    page.get_by_role("button", name="Add session", exact=True).click()
    expect_flash(page, "Session added.")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text("Not taken")
    session_url = page.get_by_role("link", name=topic, exact=True).get_attribute("href")

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(phone, live_server, trainer, trainer_password)
    phone.goto(session_url)
    expect(phone.locator("h1")).to_have_text(topic)
    sheet = phone.locator("ul.attendance > li")
    expect(sheet).to_have_count(2)
    expect(sheet.locator("legend")).to_have_text(sorted([cyrillic, sarnai]))
    radios = phone.locator("ul.attendance input[type=radio]")
    expect(radios).to_have_count(6)
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        "the attendance sheet scrolls sideways on a 390 px wide phone"
    for radio in radios.all():  # every choice can be tapped without scrolling sideways
        box = radio.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    check_accessibility(phone)
    sheet.filter(has_text=cyrillic).get_by_label("Present").check()
    sheet.filter(has_text=sarnai).get_by_label("Absent").check()
    phone.get_by_role("button", name="Save attendance", exact=True).click()
    expect_flash(phone, "Attendance saved.")
    expect(phone.locator("main tbody tr")).to_contain_text("1 / 2")
    phone.goto(session_url)  # the marks are kept on the sheet
    expect(sheet.filter(has_text=cyrillic).get_by_label("Present")).to_be_checked()
    expect(sheet.filter(has_text=sarnai).get_by_label("Absent")).to_be_checked()

    # 8. A join code; an officer who already has an account joins with it.
    page.goto(f"/cohorts/{cohort_id}")
    expect(page.locator("#enrolment")).to_contain_text("Joining by code is off.")
    page.get_by_role("button", name="Create a join code", exact=True).click()
    join_code = page.locator("#enrolment strong.code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", join_code), join_code
    expect_flash(page, f"New join code: {join_code}. The old code no longer works.")
    joiner, joiner_password, _ = make_account(live_app, "joiner", f"Ariunaa Joiner {suffix}")
    joiner_page = new_context().new_page()
    login(joiner_page, live_server, joiner, joiner_password)
    joiner_page.goto("/learn/")
    expect(joiner_page.locator("#cohorts-heading ~ p").first).to_have_text("You are not in a cohort yet.")
    joiner_page.get_by_role("link", name="Join a cohort with a code", exact=True).click()
    expect(joiner_page.locator("h1")).to_have_text("Join a cohort")
    joiner_page.locator("#code").fill(f"{join_code[:4].lower()}-{join_code[4:].lower()}")
    joiner_page.get_by_role("button", name="Join", exact=True).click()
    expect(joiner_page).to_have_url(f"{live_server}/learn/")
    expect_flash(joiner_page, f"Welcome to {name}. Your assigned modules are listed below.")
    mine = joiner_page.locator("section[aria-labelledby=cohorts-heading]")
    expect(mine.locator("h3")).to_have_text(name)
    expect(mine).to_contain_text(f"Trainers: Tuul Trainer {suffix}")
    expect(mine.locator("ul > li")).to_have_text(
        [f"{content.modules[m].title} — due {medium(due)}" for m, due in MODULES.items()])

    # 9. Progress: the first officer has finished the first module (as passing its quiz would record it).
    complete_modules(live_app, cohort.officer_id, ["trafficking-basics"])
    page.reload()
    matrix = page.locator("table.matrix")
    expect(matrix.locator("thead th")).to_have_text(
        ["Trainee"] + [content.modules[m].title for m in MODULES] + ["Attendance", "Cohort"])
    rows = matrix.locator("tbody tr")
    people = sorted([cyrillic, sarnai, f"Ariunaa Joiner {suffix}"])
    expect(rows.locator("th")).to_have_text(people)
    first = rows.filter(has_text=cyrillic).locator("td")
    expect(first.nth(0)).to_have_text("Passed")
    expect(first.nth(1)).to_have_text("Not started")
    expect(first.nth(2)).to_have_text("100%")
    expect(first.nth(3)).to_have_text("Not yet")
    expect(rows.filter(has_text=sarnai).locator("td").nth(2)).to_have_text("0%")
    expect(matrix.locator("tfoot td")).to_have_text(["1 / 3", "0 / 3", "", "0 / 3"])
    expect_fact(page, "Completed", "0 of 3 trainees")

    # 10. The matrix as CSV: the same figures, one line per trainee.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download progress (CSV)", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"cohort-{cohort_id}-progress-{TODAY.isoformat()}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["full name"] for row in table] == people
    by_name = {row["full name"]: row for row in table}
    assert csv.reader(io.StringIO(text)).__next__() == [
        "full name", "username", "agency", "duty station",
        "trafficking-basics status", "trafficking-basics best %", "trafficking-basics overdue",
        "border-indicators status", "border-indicators best %", "border-indicators overdue",
        "attendance %", "sessions present", "sessions counted", "cohort completed", "completed on"]
    assert {k: by_name[cyrillic][k] for k in ("username", "agency", "duty station", "trafficking-basics status",
                                              "border-indicators status", "trafficking-basics overdue",
                                              "attendance %", "sessions present", "sessions counted",
                                              "cohort completed")} == {
        "username": officer, "agency": "GABP", "duty station": "Zamiin-Uud road crossing",
        "trafficking-basics status": "completed", "border-indicators status": "not started",
        "trafficking-basics overdue": "no", "attendance %": "100.0", "sessions present": "1",
        "sessions counted": "1", "cohort completed": "no"}
    assert (by_name[sarnai]["agency"], by_name[sarnai]["duty station"], by_name[sarnai]["attendance %"]) == (
        "IAM", "Altanbulag crossing", "0.0")

    # 11. The cohorts list counts them (the cohort was made without dates).
    page.goto("/cohorts/")
    row = page.locator("main tbody tr").filter(has_text=name)
    expect(row.locator("td")).to_have_text([name, "Course for officers", "Active", "Zamiin-Uud road crossing",
                                            "",
                                            f"Tuul Trainer {suffix}", "3", "0"])


def test_another_trainer_cannot_see_the_cohort(new_context, live_server, live_app):
    """A cohort is found only by its own trainers: any other trainer gets "Page not found", exports included."""
    owner, owner_password, _ = make_account(live_app, "owner", "Owner Trainer", {Role.TRAINER}, agency="IAM")
    other, other_password, _ = make_account(live_app, "other", "Other Trainer", {Role.TRAINER}, agency="IAM")
    page = new_context().new_page()
    login(page, live_server, owner, owner_password)
    name = f"Altanbulag course {uuid.uuid4().hex[:6]}"
    cohort_id = create_cohort(page, name)
    page.get_by_role("button", name="Create a join code", exact=True).click()
    expect(page.locator("#enrolment strong.code")).to_have_count(1)

    intruder = new_context().new_page()
    login(intruder, live_server, other, other_password)
    for path in [f"/cohorts/{cohort_id}", f"/cohorts/{cohort_id}/progress.csv", f"/cohorts/{cohort_id}/roster",
                 f"/cohorts/{cohort_id}/slips", f"/cohorts/{cohort_id}/sessions", f"/cohorts/{cohort_id}/edit"]:
        response = intruder.request.get(f"{live_server}{path}") if path.endswith(".csv") else intruder.goto(path)
        assert response.status == 404, f"{path} as another trainer: HTTP {response.status}"
        if not path.endswith(".csv"):
            expect(intruder.locator("h1")).to_have_text("Page not found")
            expect(intruder.locator("main")).not_to_contain_text(name)
    intruder.goto("/cohorts/")
    expect(intruder.locator("main")).not_to_contain_text(name)
    with live_app.app_context():
        assert db.session.get(Cohort, cohort_id).name == name
        db.session.remove()
