"""The coordinators' reports as a coordinator (and a trainer) uses them: filters, tables, charts and downloads."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.helpers import sign_in, text_of
from trainer.extensions import db
from trainer.models import CohortKind, DutyStation, Enrolment, ModuleCompletion, Role, User
from trainer.models.base import utcnow
from trainer.services import attempts, cohorts, completion, enrolment, rollups, scenario_runs
from trainer.services import users as user_service

TODAY = utcnow().date()


def make_user(username: str, full_name: str, station: str, *roles: Role) -> User:
    station_row = db.session.scalar(select(DutyStation).where(DutyStation.name == station))
    data = user_service.UserData(username=username, full_name=full_name, roles=set(roles) or {Role.TRAINEE},
                                 agency_id=db.session.scalar(select(User.agency_id).where(User.username == "trainee")),
                                 duty_station_id=station_row.id)
    user_service.create_user(db.session, None, data, password="a long enough password")
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def data(app):
    """Two cohorts; trainees at two posts answering the basics quiz; one played scenario."""
    rollups.rebuild(db.session)
    content = app.extensions["content"].get()
    trainer = db.session.scalar(select(User).where(User.username == "trainer"))
    made = []
    for name in ("Zamiin-Uud course", "Altanbulag course"):
        cohort = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
            kind=CohortKind.COURSE, name=name, agency_id=trainer.agency_id, start_on=TODAY - timedelta(days=20)))
        cohorts.assign_module(db.session, trainer, cohort.id, "basics", None, {"basics"})
        made.append(cohort)
    people = [make_user(f"officer{i}", f"=Officer {i}", station, Role.TRAINEE)
              for i, station in enumerate(["Zamiin-Uud road crossing"] * 3 + ["Altanbulag crossing"] * 3)]
    for index, person in enumerate(people):
        enrolment.add_by_username(db.session, trainer, made[index // 3].id, person.username)
        attempt = attempts.start(db.session, content, person.id, "basics-quiz", "ru" if index % 2 else "en")
        for item in attempts.drawn(attempt):
            if item.question.type == "single_choice":
                pick = next(o.id for o in item.question.options if o.correct == (index < 3))
                attempts.save_answer(db.session, content, person.id, attempt.id, item.position, {"answer": [pick]})
        attempts.submit(db.session, content, person.id, attempt.id)
    for person in people[:2]:
        db.session.add(ModuleCompletion(user_id=person.id, module_id="basics", module_version=1,
                                        completed_at=utcnow()))
    db.session.flush()
    completion.refresh(db.session, made[0], TODAY)
    run = scenario_runs.start(db.session, content, people[0].id, "airport-companion", "en")
    for step, choice in enumerate(["separate", "open", "refer"], start=1):
        run = scenario_runs.choose(db.session, content, people[0].id, run.id, choice, step)
    return made, people


def test_completion_by_station_with_the_numbers_in_a_table_and_a_chart(client, data):
    sign_in(client, "coordinator")
    page = text_of(client.get("/coordinate/?by=station"))
    assert "Completion and pass rates" in page and "Zamiin-Uud road crossing" in page
    assert "66.7%" in page or "67%" in page  # 2 of the 3 Zamiin-Uud officers completed
    svg = client.get("/coordinate/charts/completion.svg?by=station")
    assert svg.mimetype == "image/svg+xml" and "'unsafe-inline'" in svg.headers["Content-Security-Policy"]
    root = ElementTree.fromstring(svg.get_data())
    assert not [el for el in root.iter() if el.tag.endswith("script")]


def test_downloads_have_the_same_rows_as_the_page_and_are_safe(client, data):
    sign_in(client, "coordinator")
    response = client.get("/coordinate/export/completion.csv?by=cohort")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].split('filename="')[1].startswith("completion-by-cohort-")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Cohort", "Enrolled", "Completed"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Zamiin-Uud course"][1:3] == ["3", "2"] and by_name["All"][1:3] == ["6", "2"]
    workbook = load_workbook(io.BytesIO(client.get("/coordinate/export/completion.xlsx?by=cohort").get_data()))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0]
    zamiin = next(row for row in values if row[0] == "Zamiin-Uud course")
    assert zamiin[1] == 3 and isinstance(zamiin[3], float)  # numbers stay numbers
    audit_csv = client.get("/coordinate/export/mastery.csv").get_data().decode("utf-8-sig")
    assert audit_csv.startswith("Indicator,")


def test_formula_cells_are_neutralised_in_both_formats(client, data):
    sign_in(client, "coordinator")
    text = client.get("/coordinate/export/completion.csv?by=cohort").get_data().decode("utf-8-sig")
    assert "\n=" not in text and ",=" not in text
    made, people = data
    cohort = made[0]
    cohort.name = "=HYPERLINK(\"http://x\")"
    db.session.flush()
    text = client.get("/coordinate/export/completion.csv?by=cohort").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(client.get("/coordinate/export/completion.xlsx?by=cohort").get_data())).active
    cell = next(row[0] for row in sheet.iter_rows() if str(row[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # stored as text, never run as a formula


@pytest.mark.parametrize("query,message", [
    ("from=2026-13-40", "is not a date"), ("agency=999999", "There is no such agency"),
    ("province=abc", "is not a valid choice"), ("from=2026-05-01&to=2026-01-01", "before the start date"),
    ("kind=weekly", "is not a valid choice"), ("by=colour", "is not a valid choice")])
def test_bad_filters_get_a_clear_message_not_a_500(client, data, query, message):
    sign_in(client, "coordinator")
    response = client.get(f"/coordinate/?{query}")
    assert response.status_code == 400 and message in text_of(response)
    assert client.get(f"/coordinate/export/completion.csv?{query}").status_code == 400


def test_item_analysis_shows_facility_discrimination_choice_rates_and_languages(client, data):
    sign_in(client, "coordinator")
    page = text_of(client.get("/coordinate/items?quiz=basics-quiz"))
    assert "Facility (ru)" in page and "Choice rates" in page and "Discrimination" in page
    assert client.get("/coordinate/items?quiz=nope").status_code == 404
    rows = list(csv.reader(io.StringIO(client.get("/coordinate/export/items.csv?quiz=basics-quiz")
                                       .get_data().decode("utf-8-sig"))))
    counterfeit = next(row for row in rows if row[0].startswith("counterfeit:"))
    assert counterfeit[2] == "6"  # six officers answered it


def test_scenario_analytics_count_the_choices_at_each_node(client, data):
    sign_in(client, "coordinator")
    page = text_of(client.get("/coordinate/scenarios?scenario=airport-companion"))
    assert "Choices at each node" in page and "Competency averages" in page
    rows = list(csv.reader(io.StringIO(client.get("/coordinate/export/scenario.csv?scenario=airport-companion")
                                       .get_data().decode("utf-8-sig"))))
    separated = [row for row in rows if row[0].startswith("desk:") and row[3] == "1"]
    assert separated and separated[0][4] == "1.0"


def test_indicator_mastery_by_station_weakest_first(client, data):
    sign_in(client, "coordinator")
    page = text_of(client.get("/coordinate/indicators?by=station&indicator=false-documents"))
    assert "Altanbulag crossing" in page
    assert client.get("/coordinate/indicators?indicator=made-up").status_code == 400


def test_audit_log_filters_by_actor_action_and_date(client, data):
    sign_in(client, "admin")
    page = text_of(client.get("/coordinate/audit?action=cohort.create"))
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Created a cohort" in table and "Oyunchimeg Gantulga" in table and "Enrolled a trainee" not in table
    assert "2 entries" in page
    assert client.get("/coordinate/audit?from=yesterday").status_code == 400


def test_a_trainer_sees_only_their_subtree_and_no_national_reports(client, data):
    other = make_user("other-trainer", "Other Trainer", "Altanbulag crossing", Role.TRAINER)
    cohort = cohorts.create_cohort(db.session, other, cohorts.CohortData(
        kind=CohortKind.COURSE, name="Someone else's course", agency_id=other.agency_id))
    enrolment.add_by_username(db.session, other, cohort.id, "officer0")
    sign_in(client, "other-trainer")
    page = text_of(client.get("/coordinate/?by=cohort"))
    assert "Someone else&#39;s course" in page and "Zamiin-Uud course" not in page
    assert client.get("/coordinate/items?quiz=basics-quiz").status_code == 403
    assert client.get("/coordinate/export/items.csv?quiz=basics-quiz").status_code == 403
    rows = client.get("/coordinate/export/completion.csv?by=cohort").get_data().decode("utf-8-sig")
    assert "Zamiin-Uud course" not in rows
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == cohort.id)) is not None


@pytest.mark.parametrize("by", ["province", "station", "agency", "module", "month"])
def test_rows_add_up_to_all_even_for_people_without_a_station(app, client, data, by):
    content = app.extensions["content"].get()
    data_ = user_service.UserData(username="nowhere", full_name="No Station", roles={Role.TRAINEE})
    user_service.create_user(db.session, None, data_, password="a long enough password")
    person = db.session.scalar(select(User).where(User.username == "nowhere"))
    attempt = attempts.start(db.session, content, person.id, "basics-quiz", "en")
    attempts.submit(db.session, content, person.id, attempt.id)
    sign_in(client, "coordinator")
    rows = list(csv.reader(io.StringIO(client.get(f"/coordinate/export/completion.csv?by={by}")
                                       .get_data().decode("utf-8-sig"))))[1:]
    total = next(row for row in rows if row[0] == "All")
    listed = [row for row in rows if row[0] != "All"]
    # a module's row counts the trainees it is assigned to, so only attempts add up across modules
    for column in (4, 5) if by == "module" else (1, 2, 4, 5):  # enrolled, completed, attempts, passed
        assert sum(int(row[column] or 0) for row in listed) == int(total[column] or 0), (by, column)
