"""The trainer's cohort pages as a user sees them: forms, previews, downloads, and other trainers kept out."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token, post_form, sign_in, text_of
from trainer.extensions import db
from trainer.models import Agency, Cohort, CohortKind, Enrolment, Role, User
from trainer.models.base import utcnow
from trainer.services import attendance, cohorts, enrolment
from trainer.services import users as user_service

TODAY = utcnow().date()


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_user(username: str, *roles: Role) -> User:
    data = user_service.UserData(username=username, full_name=username.title(), roles=set(roles) or {Role.TRAINEE})
    user_service.create_user(db.session, None, data, password="a long enough password")
    return user(username)


@pytest.fixture
def cohort(app):
    trainer = user("trainer")
    made = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.COURSE, name="Zamiin-Uud spring course", agency_id=trainer.agency_id,
        start_on=TODAY - timedelta(days=10)))
    cohorts.assign_module(db.session, trainer, made.id, "basics", TODAY - timedelta(days=1), {"basics"})
    enrolment.add_by_username(db.session, trainer, made.id, "trainee")
    return made


def test_a_trainer_creates_a_cohort_through_the_form(client):
    sign_in(client, "trainer")
    agency = db.session.scalar(select(Agency.id).where(Agency.code == "GABP"))
    response = post_form(client, "/cohorts/new", {
        "name": "Altanbulag autumn course", "kind": "course", "agency_id": agency, "duty_station_id": "",
        "start_on": "2026-09-01", "end_on": "2026-08-01", "status": "planned", "min_attendance": "80",
        "certificate_mode": "automatic"})
    assert response.status_code == 200 and "The end date cannot be before the start date." in text_of(response)
    response = post_form(client, "/cohorts/new", {
        "name": "Altanbulag autumn course", "kind": "course", "agency_id": agency, "duty_station_id": "",
        "start_on": "2026-09-01", "end_on": "2026-10-01", "status": "active", "min_attendance": "80",
        "certificate_mode": "approval"})
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Altanbulag autumn course" in page and "No modules assigned yet." in page


def test_the_detail_page_shows_the_matrix_with_overdue_and_the_csv_matches(client, cohort):
    sign_in(client, "trainer")
    page = text_of(client.get(f"/cohorts/{cohort.id}"))
    assert "Bat-Erdene Dorj" in page and "Overdue" in page and "Not started" in page
    response = client.get(f"/cohorts/{cohort.id}/progress.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = response.get_data().decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith("Bat-Erdene Dorj,trainee,GABP,") and ",not started,,yes," in rows[1]


def test_a_coordinator_sees_the_cohort_but_has_no_editing_controls(client, cohort):
    sign_in(client, "coordinator")
    page = text_of(client.get(f"/cohorts/{cohort.id}"))
    assert "Zamiin-Uud spring course" in page and "Edit settings" not in page and "Import a roster" not in page
    assert client.get(f"/cohorts/{cohort.id}/edit").status_code == 403


OTHER_TRAINER_PAGES = [
    ("GET", "/cohorts/{c}"), ("GET", "/cohorts/{c}/edit"), ("GET", "/cohorts/{c}/progress.csv"),
    ("GET", "/cohorts/{c}/roster"), ("GET", "/cohorts/{c}/slips"), ("GET", "/cohorts/{c}/slips.csv"),
    ("GET", "/cohorts/{c}/sessions"), ("GET", "/cohorts/{c}/trainees/{t}"), ("POST", "/cohorts/{c}/join-code"),
    ("POST", "/cohorts/{c}/trainees/{t}/remove"), ("POST", "/cohorts/{c}/assignments"),
    ("POST", "/cohorts/{c}/roster/confirm"),
]


@pytest.mark.parametrize("method,path", OTHER_TRAINER_PAGES)
def test_another_trainer_gets_404_for_the_cohort_and_its_trainees(client, cohort, method, path):
    make_user("other-trainer", Role.TRAINER)
    sign_in(client, "other-trainer")
    url = path.format(c=cohort.id, t=user("trainee").id)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token(client, "/cohorts/")})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == cohort.id)) == 1


def test_a_trainee_of_another_cohort_is_not_found_in_this_one(client, cohort):
    outsider = make_user("outsider")
    sign_in(client, "trainer")
    assert client.get(f"/cohorts/{cohort.id}/trainees/{outsider.id}").status_code == 404


ROSTER = ("full name,username,email,agency,duty station,language\n"
          "Батбаярын Энхтуяа,enkhtuya.b,,GABP,Zamiin-Uud road crossing,mn\n"
          "Иван Петров,ivan.p,,IAM,Altanbulag crossing,ru\n")


def upload(client, cohort_id: int, data: bytes, name: str = "roster.csv"):
    token = csrf_token(client, f"/cohorts/{cohort_id}/roster")
    return client.post(f"/cohorts/{cohort_id}/roster", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_broken_roster_lists_every_problem_and_imports_nothing(client, cohort):
    sign_in(client, "trainer")
    broken = (ROSTER + "=cmd|' /C calc'!A0,bad1,,GABP,,mn\nSomeone,ok.one,,NOPE,,mn\n").encode("utf-8")
    page = text_of(upload(client, cohort.id, broken))
    assert "Nothing was imported" in page
    assert "Line 4" in page and "Line 5" in page and "column" in page
    assert user("enkhtuya.b") is None


def test_a_roster_in_the_wrong_encoding_is_refused_clearly(client, cohort):
    sign_in(client, "trainer")
    page = text_of(upload(client, cohort.id, ROSTER.encode("cp1251")))
    assert "Nothing was imported" in page and "UTF-8" in page


def test_a_good_roster_is_previewed_then_imported_and_slips_are_ready(client, cohort):
    sign_in(client, "trainer")
    page = text_of(upload(client, cohort.id, ROSTER.encode("utf-8-sig")))
    assert "Check before importing" in page and "Create an account and enrol" in page
    assert user("enkhtuya.b") is None
    data = re.search(r'name="roster" type="hidden" value="([^"]+)"', page).group(1)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', page).group(1)
    response = post_form(client, f"/cohorts/{cohort.id}/roster/confirm", {"roster": data, "digest": digest},
                         token_from=f"/cohorts/{cohort.id}/roster")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cohorts/{cohort.id}/slips")
    slips = text_of(client.get(f"/cohorts/{cohort.id}/slips"))
    assert "Батбаярын Энхтуяа" in slips and "enkhtuya.b" in slips
    code = re.search(r"enkhtuya\.b</span><br>\s*[^:]+: <span class=\"code\">([A-Z0-9-]+)</span>", slips).group(1)
    csv_text = client.get(f"/cohorts/{cohort.id}/slips.csv").get_data().decode("utf-8-sig")
    assert f"enkhtuya.b,{code}" in csv_text
    # The new officer signs in with the code and must choose a password at once.
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    response = post_form(client, "/auth/login", {"username": "enkhtuya.b", "password": code})
    assert response.status_code == 302
    assert client.get("/learn/").headers["Location"].endswith("/auth/password")


def test_attendance_is_taken_on_a_sheet_of_radio_buttons(client, cohort):
    planned = attendance.plan_session(db.session, user("trainer"), cohort.id, TODAY, "Indicators", "Zamiin-Uud")
    sign_in(client, "trainer")
    url = f"/cohorts/{cohort.id}/sessions/{planned.id}"
    page = text_of(client.get(url))
    trainee = user("trainee")
    assert f'name="mark-{trainee.id}"' in page and 'type="radio"' in page
    page = text_of(post_form(client, url, {}, follow_redirects=True))
    assert "Mark every trainee" in page
    response = post_form(client, url, {f"mark-{trainee.id}": "present"})
    assert response.status_code == 302
    assert "1 / 1" in text_of(client.get(f"/cohorts/{cohort.id}/sessions"))
    response = post_form(client, url, {f"mark-{trainee.id}": "maybe"}, follow_redirects=True)
    assert "Mark every trainee" in text_of(response)


def test_a_trainee_joins_by_code_and_sees_the_assignment_and_due_date(client, cohort):
    code = cohorts.rotate_join_code(db.session, user("trainer"), cohort.id)
    newcomer = make_user("newcomer")
    sign_in(client, "newcomer")
    page = text_of(post_form(client, "/learn/join", {"code": "WRONG123"}))
    assert "That code does not open any cohort" in page
    response = post_form(client, "/learn/join", {"code": code[:4] + " " + code[4:].lower()})
    assert response.status_code == 302
    page = text_of(client.get("/learn/"))
    assert "Zamiin-Uud spring course" in page and "Overdue" in page
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == newcomer.id)) is not None


def test_the_join_form_is_rate_limited(client, cohort):
    make_user("guesser")
    sign_in(client, "guesser")
    statuses = [post_form(client, "/learn/join", {"code": f"GUESS{i:03d}"}).status_code for i in range(12)]
    assert statuses[-1] == 429


def test_the_cascade_page_shows_generations_and_reach(client, cohort):
    sign_in(client, "coordinator")
    page = text_of(client.get("/cohorts/cascade"))
    assert "Zamiin-Uud spring course" in page and "By generation" in page and "Oyunchimeg Gantulga" in page


def test_promotion_from_the_graduates_page(client, app):
    trainer = user("trainer")
    tot = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.TOT, name="National ToT", agency_id=trainer.agency_id))
    graduate = make_user("graduate")
    enrolment.add_by_username(db.session, trainer, tot.id, "graduate")
    db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == tot.id)).completed_at = utcnow()
    db.session.commit()
    sign_in(client, "coordinator")
    page = text_of(client.get("/cohorts/graduates"))
    assert "Graduate" in page and "Promote to trainer" in page
    response = post_form(client, f"/cohorts/graduates/{graduate.id}/promote", {"cohort_id": tot.id},
                         token_from="/cohorts/graduates")
    assert response.status_code == 302
    db.session.expire_all()
    assert user("graduate").has_role(Role.TRAINER)
    assert db.session.scalar(select(Cohort).where(Cohort.name == "National ToT")) is not None


def test_bad_dates_and_unknown_ids_never_answer_500(client, cohort):
    sign_in(client, "trainer")
    assert client.get("/cohorts/999999").status_code == 404
    assert client.get(f"/cohorts/{cohort.id}/sessions/999999").status_code == 404
    response = post_form(client, f"/cohorts/{cohort.id}/sessions", {"held_on": "31/31/2026", "topic": "x"})
    assert response.status_code == 200 and "Not a valid date value." in text_of(response)
    response = post_form(client, f"/cohorts/{cohort.id}/trainees/{user('trainee').id}/move", {"target": "abc"})
    assert response.status_code in (302, 400)
    assert date.today()  # the clock is real: due dates above are relative to it
