"""The command line: create-user and seed-demo call the same services as the pages."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Agency, AuditEntry, DutyStation, User


def test_create_user_with_one_time_password(runner):
    result = runner.invoke(args=["create-user", "b.altan", "--full-name", "Altan Bat", "--role", "trainer",
                                 "--role", "trainee", "--agency", "gabp", "--station", "Altanbulag crossing",
                                 "--language", "ru"])
    assert result.exit_code == 0, result.output
    assert "Created b.altan (trainee, trainer)." in result.output
    assert re.search(r"One-time password \(must be changed at first login\): \S{14}", result.output)
    user = db.session.scalar(select(User).where(User.username == "b.altan"))
    assert user.must_change_password and user.agency.code == "GABP" and user.preferred_language == "ru"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_id == user.id))
    assert entry.action == "user.create" and entry.actor_id is None


def test_create_user_with_chosen_password_needs_no_change(runner):
    result = runner.invoke(args=["create-user", "ops", "--full-name", "Ops Person", "--role", "admin",
                                 "--password", "a long admin passphrase"])
    assert result.exit_code == 0, result.output
    assert not db.session.scalar(select(User).where(User.username == "ops")).must_change_password


def test_create_user_bad_input_fails_clearly_and_creates_nothing(runner):
    before = db.session.scalar(select(func.count(User.id)))
    taken = runner.invoke(args=["create-user", "trainee", "--full-name", "Someone"])
    assert taken.exit_code != 0 and "already taken" in taken.output
    bad_name = runner.invoke(args=["create-user", "no spaces allowed", "--full-name", "X"])
    assert bad_name.exit_code != 0 and "username" in bad_name.output.lower()
    no_agency = runner.invoke(args=["create-user", "x.y", "--full-name", "X", "--agency", "NOPE"])
    assert no_agency.exit_code != 0 and "no agency with code" in no_agency.output
    weak = runner.invoke(args=["create-user", "x.z", "--full-name", "X", "--password", "short"])
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    assert db.session.scalar(select(func.count(User.id))) == before


def test_seed_demo_is_idempotent_and_prints_credentials(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    for username, password in [("trainee", "demo-trainee-2026"), ("admin", "demo-admin-2026")]:
        assert re.search(rf"{username}\s+{password}", result.output)
    assert db.session.scalar(select(func.count(Agency.id))) == 2
    assert db.session.scalar(select(func.count(DutyStation.id))) == 6
    assert db.session.scalar(select(func.count(User.id))) == 4
    names = set(db.session.scalars(select(DutyStation.name)))
    assert {"Zamiin-Uud railway crossing", "Altanbulag crossing", "Chinggis Khaan International Airport"} <= names
