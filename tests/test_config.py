"""Configuration: safe development defaults; production refuses to start without real secrets."""
from __future__ import annotations

import pytest

from trainer import create_app
from trainer.certificates.signing import generate_private_pem
from trainer.config import ConfigError


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("TRAINER_ENV", "SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "SESSION_COOKIE_SECURE",
                 "CERTIFICATE_SIGNING_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_development_defaults_to_sqlite_in_the_instance_folder(clean_env):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/trainer.sqlite"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert not app.config["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize("key", [None, "", "dev-only-insecure-key-change-me", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(clean_env, key):
    clean_env.setenv("TRAINER_ENV", "production")
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    if key is not None:
        clean_env.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_needs_a_database_url(clean_env):
    clean_env.setenv("TRAINER_ENV", "production")
    clean_env.setenv("SECRET_KEY", "s" * 64)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()


def test_production_needs_a_certificate_signing_key(clean_env):
    clean_env.setenv("TRAINER_ENV", "production")
    clean_env.setenv("SECRET_KEY", "s" * 64)
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    with pytest.raises(ConfigError, match="CERTIFICATE_SIGNING_KEY"):
        create_app()


def test_production_with_real_settings_starts(clean_env):
    clean_env.setenv("TRAINER_ENV", "production")
    clean_env.setenv("CERTIFICATE_SIGNING_KEY", generate_private_pem())
    clean_env.setenv("SECRET_KEY", "s" * 64)
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/x")
    clean_env.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    app = create_app()
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert app.config["SESSION_COOKIE_SECURE"]


def test_unknown_environment_name_is_refused(clean_env):
    clean_env.setenv("TRAINER_ENV", "staging")
    with pytest.raises(ConfigError, match="TRAINER_ENV"):
        create_app()
