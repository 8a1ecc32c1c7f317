"""The command line: create-user and seed-demo call the same services as the pages."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Agency, AuditEntry, Certificate, Cohort, DutyStation, User


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
    users = db.session.scalar(select(func.count(User.id)))
    created = re.search(r"Demo cascade: (\d+) cohorts", result.output)
    assert created and int(created.group(1)) == db.session.scalar(select(func.count(Cohort.id))) >= 5
    assert db.session.scalar(select(func.count(Certificate.id))) > 0  # the cascade's graduates hold certificates
    names = set(db.session.scalars(select(DutyStation.name)))
    assert {"Zamiin-Uud railway crossing", "Altanbulag crossing", "Chinggis Khaan International Airport"} <= names
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Demo cascade" not in again.output
    assert db.session.scalar(select(func.count(User.id))) == users


def test_import_roster_from_the_command_line(runner, tmp_path):
    from trainer.models import CohortKind
    from trainer.services import cohorts

    trainer = db.session.scalar(select(User).where(User.username == "trainer"))
    cohort = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.COURSE, name="CLI cohort", agency_id=trainer.agency_id))
    bad = tmp_path / "bad.csv"
    bad.write_text("full name,username,agency,duty station,language\nA Person,a.person,NOPE,,mn\n", encoding="utf-8")
    result = runner.invoke(args=["cohorts", "import-roster", str(cohort.id), str(bad)])
    assert result.exit_code != 0 and "line 2" in result.output and "nothing was imported" in result.output
    good = tmp_path / "good.csv"
    good.write_text("full name,username,agency,duty station,language\nДоржийн Сарнай,sarnai.d,GABP,,mn\n",
                    encoding="utf-8-sig")
    result = runner.invoke(args=["cohorts", "import-roster", str(cohort.id), str(good), "--dry-run"])
    assert result.exit_code == 0 and "1 new accounts" in result.output
    assert db.session.scalar(select(User).where(User.username == "sarnai.d")) is None
    codes = tmp_path / "codes.csv"
    result = runner.invoke(args=["cohorts", "import-roster", str(cohort.id), str(good), "--codes", str(codes)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "sarnai.d")).full_name == "Доржийн Сарнай"
    assert "sarnai.d," in codes.read_text(encoding="utf-8-sig")


def test_stats_rebuild_reports_what_it_read(runner):
    result = runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0 and "Report totals rebuilt from" in result.output and "attempts" in result.output
