"""Cohorts, enrolment, attendance, completion and the cascade, through the services on the real database."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from trainer.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.extensions import db
from trainer.models import (
    Agency,
    AttendanceStatus,
    AuditEntry,
    CohortKind,
    Enrolment,
    ModuleCompletion,
    PendingActivation,
    QuizAttempt,
    Role,
    User,
)
from trainer.models.base import utcnow
from trainer.services import (
    accounts,
    activation,
    attempts,
    attendance,
    cascade,
    cohort_reports,
    cohorts,
    completion,
    enrolment,
    progress,
    scenario_runs,
)
from trainer.services import users as user_service

SECRET = "test-secret-key-that-is-long-enough-123456"
LANGS = ("en", "mn", "ru")
TODAY = date(2026, 11, 22)


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def make_user(username: str, *roles: Role) -> User:
    data = user_service.UserData(username=username, full_name=username.replace("-", " ").title(),
                                 roles=set(roles) or {Role.TRAINEE})
    user_service.create_user(db.session, None, data, password="a long enough password")
    return user(username)


def agency_id() -> int:
    return db.session.scalar(select(Agency.id).where(Agency.code == "GABP"))


def make_cohort(trainer: User, kind: CohortKind = CohortKind.COURSE, name: str = "Zamiin-Uud course",
                min_attendance: int = 0):
    return cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=kind, name=name, agency_id=agency_id(), start_on=TODAY - timedelta(days=30),
        min_attendance=min_attendance))


def complete_module(user_id: int, module_id: str) -> None:
    db.session.add(ModuleCompletion(user_id=user_id, module_id=module_id, module_version=1, completed_at=utcnow()))
    db.session.flush()


# --- cohorts and access -----------------------------------------------------------------------------------------


def test_a_trainer_creates_a_cohort_and_leads_it():
    trainer = user("trainer")
    cohort = make_cohort(trainer)
    assert cohort.trainers == [trainer]
    assert cohort.parent_id is None  # the demo trainer has no ToT lineage: a master trainer
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cohort.create",
                                                      AuditEntry.target_id == cohort.id)) is not None


def test_only_trainers_create_cohorts():
    with pytest.raises(PermissionDenied):
        make_cohort(user("trainee"))


def test_cohort_settings_are_checked():
    with pytest.raises(InvalidInput) as error:
        cohorts.create_cohort(db.session, user("trainer"), cohorts.CohortData(
            kind=CohortKind.COURSE, name="X", agency_id=agency_id(), start_on=TODAY, end_on=TODAY - timedelta(1)))
    assert error.value.field == "end_on"
    with pytest.raises(InvalidInput):
        cohorts.create_cohort(db.session, user("trainer"), cohorts.CohortData(
            kind=CohortKind.COURSE, name="  ", agency_id=agency_id()))
    with pytest.raises(InvalidInput):
        cohorts.create_cohort(db.session, user("trainer"), cohorts.CohortData(
            kind=CohortKind.COURSE, name="X", agency_id=agency_id(), min_attendance=101))


def test_another_trainer_cannot_see_or_change_the_cohort_but_a_coordinator_can_see_it():
    cohort = make_cohort(user("trainer"))
    other = make_user("other-trainer", Role.TRAINER)
    with pytest.raises(NotFound):
        cohorts.get_cohort(db.session, other, cohort.id)
    with pytest.raises(NotFound):
        cohorts.rotate_join_code(db.session, other, cohort.id)
    assert cohort not in cohorts.visible_cohorts(db.session, other)
    coordinator = user("coordinator")
    assert cohorts.get_cohort(db.session, coordinator, cohort.id) is cohort
    with pytest.raises(PermissionDenied):
        cohorts.get_cohort(db.session, coordinator, cohort.id, write=True)


def test_assignments_take_known_modules_and_due_dates():
    cohort = make_cohort(user("trainer"))
    cohorts.assign_module(db.session, user("trainer"), cohort.id, "basics", TODAY, {"basics", "timed"})
    cohorts.assign_module(db.session, user("trainer"), cohort.id, "basics", TODAY + timedelta(3), {"basics"})
    assert [(a.module_id, a.due_on) for a in cohort.assignments] == [("basics", TODAY + timedelta(3))]
    with pytest.raises(InvalidInput):
        cohorts.assign_module(db.session, user("trainer"), cohort.id, "nope", None, {"basics"})


def test_the_lead_trainer_stays_and_co_trainers_come_and_go():
    cohort = make_cohort(user("trainer"))
    co = make_user("co-trainer", Role.TRAINER)
    cohorts.add_trainer(db.session, user("trainer"), cohort.id, "co-trainer")
    assert cohorts.get_cohort(db.session, co, cohort.id, write=True) is cohort
    with pytest.raises(Conflict):
        cohorts.remove_trainer(db.session, co, cohort.id, user("trainer").id)
    with pytest.raises(InvalidInput):
        cohorts.add_trainer(db.session, user("trainer"), cohort.id, "trainee")  # not a trainer
    cohorts.remove_trainer(db.session, user("trainer"), cohort.id, co.id)
    assert cohort.trainers == [user("trainer")]


# --- roster import ------------------------------------------------------------------------------------------------

GOOD = ("full name,username,email,agency,duty station,language\n"
        "Батбаярын Энхтуяа,enkhtuya.b,,GABP,Zamiin-Uud road crossing,mn\n"
        "Ivan Petrov,,ivan.petrov@example.org,IAM,Altanbulag crossing,ru\n"
        "Bat-Erdene Dorj,trainee,,GABP,Zamiin-Uud road crossing,mn\n").encode("utf-8-sig")


def test_a_good_roster_previews_then_creates_accounts_with_codes_and_enrols_everyone():
    cohort = make_cohort(user("trainer"))
    plan = enrolment.plan_roster(db.session, cohort, GOOD, LANGS)
    assert plan.ok
    assert [(r.username, r.action) for r in plan.rows] == [
        ("enkhtuya.b", "create"), ("ivan.petrov", "create"), ("trainee", "enrol")]
    assert user("enkhtuya.b") is None  # the preview writes nothing
    outcome = enrolment.import_roster(db.session, user("trainer"), cohort.id, GOOD, LANGS, plan.digest)
    assert (outcome.created, outcome.enrolled, outcome.already) == (2, 1, 0)
    new = user("enkhtuya.b")
    assert new.full_name == "Батбаярын Энхтуяа" and new.preferred_language == "mn" and new.must_change_password
    slips = dict((u.username, code) for u, code in activation.slips(db.session, SECRET, cohort.id))
    assert set(slips) == {"enkhtuya.b", "ivan.petrov"}
    # The code signs the person in once; choosing a password kills it.
    assert accounts.authenticate(db.session, "enkhtuya.b", slips["enkhtuya.b"].lower(), SECRET) == new
    accounts.change_password(db.session, new, slips["enkhtuya.b"], "a brand new passphrase", SECRET)
    assert db.session.get(PendingActivation, new.id) is None
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(db.session, "enkhtuya.b", slips["enkhtuya.b"], SECRET)
    again = enrolment.plan_roster(db.session, cohort, GOOD, LANGS)
    assert {r.action for r in again.rows} == {"already"}


def test_a_bad_roster_changes_nothing_and_names_each_problem():
    cohort = make_cohort(user("trainer"))
    bad = GOOD + "=HYPERLINK(\"x\"),x1,,GABP,Zamiin-Uud road crossing,mn\nSomeone,s2,,NOPE,Nowhere,mn\n".encode()
    before = db.session.scalar(select(func.count()).select_from(User))
    plan = enrolment.plan_roster(db.session, cohort, bad, LANGS)
    assert not plan.ok
    lines = {p.line for p in plan.result.problems}
    assert {5, 6} <= lines
    with pytest.raises(InvalidInput):
        enrolment.import_roster(db.session, user("trainer"), cohort.id, bad, LANGS)
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == cohort.id)) == 0


def test_a_roster_whose_email_belongs_to_someone_else_is_refused():
    cohort = make_cohort(user("trainer"))
    other = make_user("someone")
    other.email = "taken@example.org"
    db.session.flush()
    data = b"full name,username,email,agency,duty station,language\nNew Person,new.person,taken@example.org,GABP,,en\n"
    plan = enrolment.plan_roster(db.session, cohort, data, LANGS)
    assert not plan.ok and plan.problems[0].line == 2 and "someone" in plan.problems[0].message


def test_the_confirmation_must_match_the_previewed_file():
    cohort = make_cohort(user("trainer"))
    with pytest.raises(Conflict):
        enrolment.import_roster(db.session, user("trainer"), cohort.id, GOOD, LANGS, "0" * 64)


def test_an_expired_code_no_longer_signs_in():
    cohort = make_cohort(user("trainer"))
    enrolment.import_roster(db.session, user("trainer"), cohort.id, GOOD, LANGS)
    new = user("enkhtuya.b")
    code = activation.code_for(SECRET, new.id, db.session.get(PendingActivation, new.id).nonce)
    db.session.get(PendingActivation, new.id).issued_at = utcnow() - activation.VALID_FOR - timedelta(1)
    db.session.flush()
    assert not activation.matches(db.session, SECRET, new, code)


# --- join codes, by hand, moving ---------------------------------------------------------------------------------


def test_join_codes_enrol_once_and_can_be_rotated_or_disabled():
    cohort = make_cohort(user("trainer"))
    code = cohorts.rotate_join_code(db.session, user("trainer"), cohort.id)
    joined = enrolment.join_by_code(db.session, user("trainee"), code.lower()[:4] + "-" + code[4:])
    assert joined is cohort
    with pytest.raises(Conflict):
        enrolment.join_by_code(db.session, user("trainee"), code)
    newer = cohorts.rotate_join_code(db.session, user("trainer"), cohort.id)
    coordinator_as_trainee = make_user("late-trainee")
    with pytest.raises(InvalidInput):
        enrolment.join_by_code(db.session, coordinator_as_trainee, code)  # the old code is dead
    cohorts.disable_join_code(db.session, user("trainer"), cohort.id)
    with pytest.raises(InvalidInput):
        enrolment.join_by_code(db.session, coordinator_as_trainee, newer)


def test_moving_a_trainee_keeps_their_attempts(app):
    trainer = user("trainer")
    first, second = make_cohort(trainer, name="First"), make_cohort(trainer, name="Second")
    trainee = user("trainee")
    enrolment.add_by_username(db.session, trainer, first.id, "trainee")
    attempt = attempts.start(db.session, app.extensions["content"].get(), trainee.id, "basics-quiz", "en")
    enrolment.move(db.session, trainer, first.id, trainee.id, second.id, TODAY)
    assert db.session.get(QuizAttempt, attempt.id) is not None
    assert [e.cohort_id for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == trainee.id))] \
        == [second.id]
    other = make_user("third-trainer", Role.TRAINER)
    third = make_cohort(other, name="Not mine")
    with pytest.raises(NotFound):
        enrolment.move(db.session, trainer, second.id, trainee.id, third.id, TODAY)


# --- completion and attendance ------------------------------------------------------------------------------------


def test_completion_needs_every_module_and_the_minimum_attendance():
    trainer = user("trainer")
    cohort = make_cohort(trainer, min_attendance=50)
    for module_id in ("basics", "timed"):
        cohorts.assign_module(db.session, trainer, cohort.id, module_id, TODAY - timedelta(1), {"basics", "timed"})
    trainee = user("trainee")
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    grid = completion.matrix(db.session, cohort, TODAY)
    row = grid.rows[0]
    assert [c.status for c in row.cells.values()] == ["not_started", "not_started"]
    assert row.overdue == 2 and not row.complete
    complete_module(trainee.id, "basics")
    complete_module(trainee.id, "timed")
    row = completion.matrix(db.session, cohort, TODAY).rows[0]
    assert row.modules_done == 2 and row.overdue == 0
    assert not row.complete  # attendance required but no session taken yet
    one = attendance.plan_session(db.session, trainer, cohort.id, TODAY - timedelta(2), "Indicators", "Zamiin-Uud")
    two = attendance.plan_session(db.session, trainer, cohort.id, TODAY - timedelta(1), "Documents", "")
    attendance.record(db.session, trainer, cohort.id, one.id, {trainee.id: AttendanceStatus.ABSENT}, TODAY)
    row = completion.matrix(db.session, cohort, TODAY).rows[0]
    assert (row.attendance.present, row.attendance.counted, row.complete) == (0, 1, False)
    attendance.record(db.session, trainer, cohort.id, two.id, {trainee.id: AttendanceStatus.PRESENT}, TODAY)
    enrolled = db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id))
    assert enrolled.completed_at is not None  # 1 of 2 = 50%: recorded by the attendance save
    # An excused absence leaves the session out of the rate.
    attendance.record(db.session, trainer, cohort.id, one.id, {trainee.id: AttendanceStatus.EXCUSED}, TODAY)
    row = completion.matrix(db.session, cohort, TODAY).rows[0]
    assert (row.attendance.present, row.attendance.counted, row.attendance.percent) == (1, 1, 100)


def test_the_attendance_sheet_must_mark_everyone_and_not_the_future():
    trainer = user("trainer")
    cohort = make_cohort(trainer)
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    later = attendance.plan_session(db.session, trainer, cohort.id, TODAY + timedelta(5), "Later", "")
    today = attendance.plan_session(db.session, trainer, cohort.id, TODAY, "Today", "")
    with pytest.raises(InvalidInput):
        attendance.record(db.session, trainer, cohort.id, today.id, {}, TODAY)
    with pytest.raises(InvalidInput):
        attendance.record(db.session, trainer, cohort.id, today.id, {user("admin").id: AttendanceStatus.PRESENT},
                          TODAY)
    with pytest.raises(InvalidInput):
        attendance.record(db.session, trainer, cohort.id, later.id, {user("trainee").id: AttendanceStatus.PRESENT},
                          TODAY)


def test_finishing_a_module_completes_the_cohort_at_once(app):
    trainer = user("trainer")
    cohort = make_cohort(trainer)
    cohorts.assign_module(db.session, trainer, cohort.id, "interview", None, {"interview"})
    trainee = user("trainee")
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    content = app.extensions["content"].get()
    progress.mark_lesson_read(db.session, content, trainee.id, "interview", "principles")
    run = scenario_runs.start(db.session, content, trainee.id, "airport-companion", "en")
    for step, choice in enumerate(["separate", "open", "refer"], start=1):
        run = scenario_runs.choose(db.session, content, trainee.id, run.id, choice, step)
    assert run.passed
    assert db.session.scalar(select(Enrolment.completed_at).where(Enrolment.cohort_id == cohort.id)) is not None


def test_weak_indicators_and_the_csv_export_read_the_same_matrix():
    trainer = user("trainer")
    cohort = make_cohort(trainer)
    cohorts.assign_module(db.session, trainer, cohort.id, "basics", TODAY - timedelta(1), {"basics"})
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    grid = completion.matrix(db.session, cohort, TODAY)
    text = cohort_reports.matrix_csv(grid).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("full name,username,agency,duty station,basics status")
    assert row.startswith("Bat-Erdene Dorj,trainee,GABP,") and ",not started,,yes," in row


# --- the cascade --------------------------------------------------------------------------------------------------


def test_a_tot_graduate_is_promoted_and_their_cohort_hangs_below_the_tot_cohort():
    master = user("trainer")
    tot = make_cohort(master, kind=CohortKind.TOT, name="National ToT")
    cohorts.assign_module(db.session, master, tot.id, "basics", None, {"basics"})
    graduate = make_user("new-trainer")
    enrolment.add_by_username(db.session, master, tot.id, "new-trainer")
    enrolment.add_by_username(db.session, master, tot.id, "trainee")
    complete_module(graduate.id, "basics")
    completion.refresh(db.session, tot, TODAY)
    assert [g.user for g in cascade.graduates(db.session)] == [graduate]
    with pytest.raises(PermissionDenied):
        cascade.promote(db.session, master, graduate.id, tot.id)
    with pytest.raises(InvalidInput):  # has not completed
        cascade.promote(db.session, user("coordinator"), user("trainee").id, tot.id)
    cascade.promote(db.session, user("coordinator"), graduate.id, tot.id)
    graduate = user("new-trainer")
    assert graduate.has_role(Role.TRAINER)
    course = make_cohort(graduate, name="Altanbulag course")
    assert course.parent_id == tot.id
    cohorts.assign_module(db.session, graduate, course.id, "basics", None, {"basics"})
    officer = make_user("officer-one")
    enrolment.add_by_username(db.session, graduate, course.id, "officer-one")
    enrolment.add_by_username(db.session, graduate, course.id, "trainee")
    complete_module(officer.id, "basics")
    completion.refresh(db.session, course, TODAY)
    tree = cascade.build(db.session, user("coordinator"))
    root = next(n for n in tree.roots if n.cohort.id == tot.id)
    assert [c.cohort.id for c in root.children] == [course.id]
    assert (root.enrolled, root.completed, root.children[0].enrolled, root.children[0].completed) == (2, 1, 2, 1)
    reach = next(r for r in tree.reach if r.trainer.id == master.id)
    assert (reach.trained_directly, reach.trainers_produced, reach.downstream) == (1, 1, 1)
    # The new trainer sees their own subtree only.
    theirs = cascade.build(db.session, graduate)
    assert [n.cohort.id for n in theirs.roots] == [course.id]
    # A cycle is refused: the ToT cohort cannot hang below a ToT cohort run further down its own tree.
    second_tot = make_cohort(graduate, kind=CohortKind.TOT, name="Second-generation ToT")
    assert second_tot.parent_id == tot.id
    with pytest.raises(Conflict):
        cohorts.set_parent(db.session, tot, second_tot.id)


def test_a_session_taken_before_someone_joined_does_not_count_against_them():
    trainer = user("trainer")
    cohort = make_cohort(trainer, min_attendance=50)
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    held = attendance.plan_session(db.session, trainer, cohort.id, TODAY, "Indicators", "")
    attendance.record(db.session, trainer, cohort.id, held.id, {user("trainee").id: AttendanceStatus.PRESENT}, TODAY)
    make_user("late-joiner")
    enrolment.add_by_username(db.session, trainer, cohort.id, "late-joiner")
    rows = {row.user.username: row.attendance for row in completion.matrix(db.session, cohort, TODAY).rows}
    assert (rows["trainee"].present, rows["trainee"].counted) == (1, 1)
    assert (rows["late-joiner"].present, rows["late-joiner"].counted, rows["late-joiner"].percent) == (0, 0, None)
