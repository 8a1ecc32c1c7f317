"""Every route, for anonymous visitors and each role: the expected answer. A route with no entry fails."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token, sign_in
from trainer.extensions import db
from trainer.models import Certificate, CohortKind, Enrolment, User
from trainer.models.base import utcnow
from trainer.services import attempts, attendance, certificates, cohorts, enrolment, scenario_runs
from trainer.web.access import PUBLIC, SIGNED_IN
from trainer.web.certificates.common import issuer

ANON, TRAINEE, TRAINER, COORDINATOR, ADMIN = "anonymous", "trainee", "trainer", "coordinator", "admin"
WHO = [ANON, TRAINEE, TRAINER, COORDINATOR, ADMIN]
OK, LOGIN, DENIED = "ok", "login", 403
EVERYONE = {who: OK for who in WHO}
SIGNED_IN_ONLY = {ANON: LOGIN, TRAINEE: OK, TRAINER: OK, COORDINATOR: OK, ADMIN: OK}
ADMIN_ONLY = {ANON: LOGIN, TRAINEE: DENIED, TRAINER: DENIED, COORDINATOR: DENIED, ADMIN: OK}
TRAINEES = {ANON: LOGIN, TRAINEE: OK, TRAINER: OK, COORDINATOR: DENIED, ADMIN: DENIED}
# An attempt belongs to the trainee; the trainer is a trainee too, but of their own attempts only.
OWN_ATTEMPT = {ANON: LOGIN, TRAINEE: OK, TRAINER: 404, COORDINATOR: DENIED, ADMIN: DENIED}

STAFF = {ANON: LOGIN, TRAINEE: DENIED, TRAINER: OK, COORDINATOR: OK, ADMIN: OK}
TRAINER_ONLY = {ANON: LOGIN, TRAINEE: DENIED, TRAINER: OK, COORDINATOR: DENIED, ADMIN: DENIED}
COORDINATORS = {ANON: LOGIN, TRAINEE: DENIED, TRAINER: DENIED, COORDINATOR: OK, ADMIN: OK}
# The holder, the cohort's trainer and coordinators; anyone else signed in is told there is no such certificate.
HOLDER_TRAINER_COORDINATOR = {ANON: LOGIN, TRAINEE: OK, TRAINER: OK, COORDINATOR: OK, ADMIN: OK}

# endpoint -> (method, path with {trainee} for the trainee's id, expected per visitor)
MATRIX = {
    "main.home": ("GET", "/", SIGNED_IN_ONLY),
    "main.profile": ("GET", "/profile", SIGNED_IN_ONLY),
    "main.set_language": ("POST", "/language", EVERYONE),
    "main.healthz": ("GET", "/healthz", EVERYONE),
    "auth.login": ("GET", "/auth/login", EVERYONE),
    "auth.logout": ("POST", "/auth/logout", SIGNED_IN_ONLY),
    "auth.change_password": ("GET", "/auth/password", SIGNED_IN_ONLY),
    "admin.user_list": ("GET", "/admin/users", ADMIN_ONLY),
    "admin.user_new": ("GET", "/admin/users/new", ADMIN_ONLY),
    "admin.user_edit": ("GET", "/admin/users/{trainee}", ADMIN_ONLY),
    "admin.user_set_active": ("POST", "/admin/users/{trainee}/active", ADMIN_ONLY),
    "admin.user_reset_password": ("POST", "/admin/users/{trainee}/reset-password", ADMIN_ONLY),
    "admin.named_list": ("GET", "/admin/agencies", ADMIN_ONLY),
    "admin.named_edit": ("GET", "/admin/stations/new", ADMIN_ONLY),
    "admin.named_delete": ("POST", "/admin/provinces/999999/delete", ADMIN_ONLY),
    "learn.my_training": ("GET", "/learn/", TRAINEES),
    "learn.module": ("GET", "/learn/modules/basics", TRAINEES),
    "learn.lesson": ("GET", "/learn/modules/basics/lessons/kinds", TRAINEES),
    "learn.media": ("GET", "/learn/media/basics/specimen.svg", TRAINEES),
    "learn.quiz": ("GET", "/learn/quizzes/basics-quiz", TRAINEES),
    "learn.start": ("POST", "/learn/quizzes/basics-quiz/start", TRAINEES),
    "learn.history": ("GET", "/learn/history", TRAINEES),
    "learn.question": ("GET", "/learn/attempts/{attempt}/questions/1", OWN_ATTEMPT),
    "learn.autosave": ("POST", "/learn/attempts/{attempt}/autosave/1", OWN_ATTEMPT),
    "learn.submit": ("GET", "/learn/attempts/{attempt}/submit", OWN_ATTEMPT),
    "learn.result": ("GET", "/learn/attempts/{attempt}", OWN_ATTEMPT),
    "learn.practice_documents": ("GET", "/learn/practice/documents", TRAINEES),
    "tools.mrz_checker": ("GET", "/tools/mrz", SIGNED_IN_ONLY),
    "learn.scenario": ("GET", "/learn/scenarios/airport-companion", TRAINEES),
    "learn.scenario_start": ("POST", "/learn/scenarios/airport-companion/start", TRAINEES),
    "learn.run": ("GET", "/learn/runs/{run}", OWN_ATTEMPT),
    "learn.debrief": ("GET", "/learn/runs/{run}/debrief", OWN_ATTEMPT),
    "learn.join": ("GET", "/learn/join", SIGNED_IN_ONLY),
    "admin.translations": ("GET", "/admin/translations", ADMIN_ONLY),
    "certificates.mine": ("GET", "/certificates/", SIGNED_IN_ONLY),
    "certificates.pdf": ("GET", "/certificates/{certificate}.pdf", HOLDER_TRAINER_COORDINATOR),
    "certificates.open_badge": ("GET", "/certificates/{certificate}.json", HOLDER_TRAINER_COORDINATOR),
    "certificates.cohort_zip": ("GET", "/certificates/cohort/{cohort}.zip", STAFF),
    "certificates.approve": ("POST", "/certificates/cohort/{cohort}/approve/{trainee}", TRAINER_ONLY),
    "certificates.registry": ("GET", "/certificates/registry", COORDINATORS),
    "certificates.revoke": ("POST", "/certificates/{certificate}/revoke", COORDINATORS),
    "verify.check": ("GET", "/verify/{serial}", EVERYONE),
    "verify.keys": ("GET", "/verify/keys.json", EVERYONE),
    "verify.revocations": ("GET", "/verify/revocations.json", EVERYONE),
    "verify.issuer_profile": ("GET", "/verify/issuer.json", EVERYONE),
    "coordinate.dashboard": ("GET", "/coordinate/", STAFF),
    "coordinate.items": ("GET", "/coordinate/items?quiz=basics-quiz", COORDINATORS),
    "coordinate.scenarios": ("GET", "/coordinate/scenarios?scenario=airport-companion", COORDINATORS),
    "coordinate.indicators": ("GET", "/coordinate/indicators", COORDINATORS),
    "coordinate.audit": ("GET", "/coordinate/audit", COORDINATORS),
    "coordinate.export": ("GET", "/coordinate/export/completion.xlsx?by=agency", STAFF),
    "coordinate.chart": ("GET", "/coordinate/charts/completion.svg", STAFF),
    "cohorts.cohort_list": ("GET", "/cohorts/", STAFF),
    "cohorts.cohort_new": ("GET", "/cohorts/new", TRAINER_ONLY),
    "cohorts.cohort_edit": ("GET", "/cohorts/{cohort}/edit", TRAINER_ONLY),
    "cohorts.cohort_detail": ("GET", "/cohorts/{cohort}", STAFF),
    "cohorts.progress_csv": ("GET", "/cohorts/{cohort}/progress.csv", STAFF),
    "cohorts.assign": ("POST", "/cohorts/{cohort}/assignments", TRAINER_ONLY),
    "cohorts.unassign": ("POST", "/cohorts/{cohort}/assignments/{assignment}/delete", TRAINER_ONLY),
    "cohorts.add_trainer": ("POST", "/cohorts/{cohort}/trainers", TRAINER_ONLY),
    "cohorts.remove_trainer": ("POST", "/cohorts/{cohort}/trainers/{trainee}/remove", TRAINER_ONLY),
    "cohorts.join_code": ("POST", "/cohorts/{cohort}/join-code", TRAINER_ONLY),
    "cohorts.add_trainee": ("POST", "/cohorts/{cohort}/trainees", TRAINER_ONLY),
    "cohorts.trainee": ("GET", "/cohorts/{cohort}/trainees/{trainee}", STAFF),
    "cohorts.remove_trainee": ("POST", "/cohorts/{cohort}/trainees/{trainee}/remove", TRAINER_ONLY),
    "cohorts.move_trainee": ("POST", "/cohorts/{cohort}/trainees/{trainee}/move", TRAINER_ONLY),
    "cohorts.roster_template": ("GET", "/cohorts/roster-template.csv", TRAINER_ONLY),
    "cohorts.roster": ("GET", "/cohorts/{cohort}/roster", TRAINER_ONLY),
    "cohorts.roster_confirm": ("POST", "/cohorts/{cohort}/roster/confirm", TRAINER_ONLY),
    "cohorts.slips": ("GET", "/cohorts/{cohort}/slips", TRAINER_ONLY),
    "cohorts.slips_csv": ("GET", "/cohorts/{cohort}/slips.csv", TRAINER_ONLY),
    "cohorts.session_list": ("GET", "/cohorts/{cohort}/sessions", STAFF),
    "cohorts.session_delete": ("POST", "/cohorts/{cohort}/sessions/{session}/delete", TRAINER_ONLY),
    "cohorts.attendance_sheet": ("GET", "/cohorts/{cohort}/sessions/{session}", STAFF),
    "cohorts.cascade_tree": ("GET", "/cohorts/cascade", STAFF),
    "cohorts.graduates": ("GET", "/cohorts/graduates", COORDINATORS),
    "cohorts.promote": ("POST", "/cohorts/graduates/{trainee}/promote", COORDINATORS),
}
NOT_GUARDED = {"static"}  # Flask's static files: public by nature


def demo_cohort(users):
    """A cohort of the demo trainer with the demo trainee, one module and one session."""
    trainer = db.session.get(User, users[TRAINER])
    cohort = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.COURSE, name="Access check", agency_id=trainer.agency_id))
    cohorts.assign_module(db.session, trainer, cohort.id, "basics", None, {"basics"})
    enrolment.add_by_username(db.session, trainer, cohort.id, "trainee")
    planned = attendance.plan_session(db.session, trainer, cohort.id, date(2026, 1, 5), "Indicators", "")
    return cohort, planned


def demo_certificate(app, cohort) -> Certificate:
    """The demo trainee's certificate for the cohort (completion recorded directly, then issued)."""
    with app.test_request_context():
        enrolled = db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id))
        enrolled.completed_at = utcnow()
        return certificates.issue(db.session, issuer(), enrolled)


def test_every_route_has_an_entry_and_a_declared_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_GUARDED
    assert endpoints - MATRIX.keys() == set(), "add the new routes to MATRIX"
    assert MATRIX.keys() - endpoints == set(), "MATRIX names routes that no longer exist"
    for endpoint in endpoints:
        access = getattr(app.view_functions[endpoint], "access", None)
        assert access is not None, f"{endpoint} declares no access rule (use a guard from trainer.web.access)"
        assert access in (PUBLIC, SIGNED_IN) or isinstance(access, frozenset)


def outcome(response) -> str | int:
    if response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]:
        return LOGIN
    if response.status_code < 400:
        return OK
    return response.status_code


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, client, users, endpoint, who):
    method, path, expected = MATRIX[endpoint]
    content = app.extensions["content"].get()
    attempt = attempts.start(db.session, content, users[TRAINEE], "basics-quiz", "en")
    run = scenario_runs.start(db.session, content, users[TRAINEE], "airport-companion", "en")
    cohort, planned = demo_cohort(users)
    certificate = demo_certificate(app, cohort)
    path = path.format(trainee=users[TRAINEE], attempt=attempt.id, run=run.id, cohort=cohort.id,
                       session=planned.id, assignment=cohort.assignments[0].id, certificate=certificate.id,
                       serial=certificate.serial)
    if who != ANON:
        sign_in(client, who)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": csrf_token(client, "/auth/login")})
    response.close()
    want = expected[who]
    if endpoint == "admin.named_delete" and who == ADMIN:
        want = 404  # the guard lets the admin through; the row does not exist
    if endpoint == "cohorts.remove_trainer" and who == TRAINER:
        want = OK  # the guard lets the trainer through; the trainee does not train this cohort (a message)
    assert outcome(response) == want, f"{method} {path} as {who}: {response.status_code}"
