"""Two requests at once, committing for real from two threads (SQLite and PostgreSQL): a join code enrols a person
once, and completing a cohort issues one certificate."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from tests.services.test_concurrency import run_together
from trainer.errors import Conflict
from trainer.extensions import db
from trainer.models import (
    AuditEntry,
    Certificate,
    Cohort,
    CohortKind,
    CohortTrainer,
    Enrolment,
    ModuleCompletion,
    User,
    UserRole,
)
from trainer.models.base import utcnow
from trainer.services import certificates, cohorts, enrolment
from trainer.services import users as user_service
from trainer.services.tx import transaction
from trainer.web.certificates.common import issuer

pytestmark = pytest.mark.commits


@pytest.fixture
def setup(app):
    with app.app_context():
        last_audit = db.session.scalar(select(func.max(AuditEntry.id))) or 0
        trainer = db.session.scalar(select(User).where(User.username == "trainer"))
        cohort = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
            kind=CohortKind.COURSE, name="Race cohort", agency_id=trainer.agency_id))
        cohorts.assign_module(db.session, trainer, cohort.id, "basics", None, {"basics"})
        code = cohorts.rotate_join_code(db.session, trainer, cohort.id)
        racer, _ = user_service.create_user(db.session, None, user_service.UserData("racer2", "Race Two"),
                                            password="a long enough passphrase")
        ids = {"cohort": cohort.id, "user": racer.id, "code": code}
        db.session.remove()
    yield ids
    with app.app_context():
        db.session.execute(delete(Certificate).where(Certificate.cohort_id == ids["cohort"]))
        db.session.execute(delete(Enrolment).where(Enrolment.cohort_id == ids["cohort"]))
        db.session.execute(delete(CohortTrainer).where(CohortTrainer.cohort_id == ids["cohort"]))
        db.session.execute(delete(ModuleCompletion).where(ModuleCompletion.user_id == ids["user"]))
        db.session.execute(delete(Cohort).where(Cohort.id == ids["cohort"]))
        db.session.execute(delete(AuditEntry).where(AuditEntry.id > last_audit))  # only what this test wrote
        db.session.execute(delete(UserRole).where(UserRole.user_id == ids["user"]))
        db.session.execute(delete(User).where(User.id == ids["user"]))
        db.session.commit()


def test_two_joins_with_the_same_code_enrol_once(app, setup):
    def join():
        person = db.session.get(User, setup["user"])
        return enrolment.join_by_code(db.session, person, setup["code"]).id

    results = run_together(app, join)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"], results
    assert any(isinstance(r, Conflict) for r in results)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.cohort_id == setup["cohort"])) == 1


def test_two_completions_at_once_issue_one_certificate(app, setup):
    with app.app_context():
        person = db.session.get(User, setup["user"])
        enrolment.join_by_code(db.session, person, setup["code"])
        row = db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == setup["cohort"]))
        row.completed_at = utcnow()
        db.session.commit()
        enrolment_id = row.id

    def issue():
        with app.test_request_context():
            with transaction(db.session):  # as every caller does: the completing use-case's transaction
                row = db.session.get(Enrolment, enrolment_id)
                serial = certificates.issue(db.session, issuer(), row).serial
            return serial

    results = run_together(app, issue)
    assert all(isinstance(r, str) for r in results), results
    assert results[0] == results[1]  # the loser returns the winner's certificate
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.enrolment_id == enrolment_id)) == 1
