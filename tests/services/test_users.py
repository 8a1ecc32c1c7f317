"""Account use-cases on their own, without the web layer."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from trainer import passwords
from trainer.errors import Conflict, InvalidInput
from trainer.extensions import db
from trainer.models import AuditEntry, Role, User
from trainer.services import users as user_service
from trainer.services.accounts import authenticate, temporary_password


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_failing_use_case_writes_nothing_not_even_its_audit_entry(users, monkeypatch):
    before_users, before_audit = count(User), count(AuditEntry)

    def broken_record(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(user_service.audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        user_service.create_user(db.session, users["admin"], user_service.UserData("x.y", "X Y"))
    assert (count(User), count(AuditEntry)) == (before_users, before_audit)


def test_usernames_and_emails_are_unique_ignoring_case():
    user_service.create_user(db.session, None, user_service.UserData("saraa", "Saraa B", email="Saraa@Example.org"),
                      password="a fine passphrase")
    with pytest.raises(Conflict):
        user_service.create_user(db.session, None, user_service.UserData("SARAA", "Other"),
                                 password="a fine passphrase")
    with pytest.raises(Conflict):
        user_service.create_user(db.session, None, user_service.UserData("other", "Other", email="saraa@example.ORG"),
                          password="a fine passphrase")


def test_names_are_tidied_and_roles_required():
    user, _ = user_service.create_user(db.session, None, user_service.UserData(" Nomin ", "  Nomin   Erdene "),
                                password="a fine passphrase")
    assert (user.username, user.full_name) == ("nomin", "Nomin Erdene")
    with pytest.raises(InvalidInput) as error:
        user_service.create_user(db.session, None, user_service.UserData("nomin2", "N", roles=set()))
    assert error.value.field == "roles"


def test_passwords_are_argon2id_hashes_and_verify():
    user, password = user_service.create_user(db.session, None, user_service.UserData("hash.check", "Hash Check"))
    assert user.password_hash.startswith("$argon2id$")
    assert passwords.verify_password(user.password_hash, password)
    assert not passwords.verify_password(user.password_hash, password.lower())
    assert authenticate(db.session, "hash.check", password).id == user.id


def test_temporary_passwords_are_readable_and_random():
    samples = {temporary_password() for _ in range(200)}
    assert len(samples) == 200
    assert all(len(p) == 14 and not set(p) & set("01ILO") for p in samples)


def test_roles_can_be_combined():
    user, _ = user_service.create_user(db.session, None, user_service.UserData("multi", "Multi Role",
                                                                  roles={Role.TRAINER, Role.TRAINEE}))
    assert user.has_role(Role.TRAINER) and user.has_role(Role.TRAINEE) and not user.has_role(Role.ADMIN)
