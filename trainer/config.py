"""Configuration from environment variables, with safe defaults for development.

Production (``TRAINER_ENV=production``) refuses to start without a real secret key:
sessions and CSRF tokens signed with a guessable key can be forged.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app may start with."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    ENV_NAME = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled by from_env (instance folder by default)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # UI languages offered: English is the source; adding one means dropping in a catalog and listing it here.
    LANGUAGES = ("en", "mn", "ru")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ulaanbaatar"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGE_COOKIE = "lang"
    TEMPLATES_FOLDER = str(ROOT / "templates")
    CONTENT_FOLDER = str(ROOT / "quizzes")
    CONTENT_TRANSLATIONS = str(ROOT / "translations")  # content.mo per language, beside the UI catalogs
    CONTENT_AUTO_RELOAD = True  # development: pick up edited content files without a restart
    # A module is offered in a language once its content catalog covers it completely; list module ids with
    # languages here to offer them earlier anyway (an administrator's override), e.g. {"border-indicators": ["mn"]}.
    # From the environment: MODULE_LANGUAGES='{"border-indicators": ["mn"]}'.
    MODULE_LANGUAGES: dict = {}
    # Certificates: where verifiers reach us (printed in the QR code), who issues, and the signing keys. In
    # development the key is generated into CERTIFICATE_KEY_FOLDER (default: the instance folder) on first use;
    # in production CERTIFICATE_SIGNING_KEY (an Ed25519 private key, PEM) is required, and
    # CERTIFICATE_PUBLIC_KEYS (a JSON list of PEM public keys) keeps earlier keys valid after a rotation.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    CERTIFICATE_ISSUER_NAME = "Border Officer Training"
    CERTIFICATE_KEY_FOLDER: str | None = None
    CERTIFICATE_SIGNING_KEY = ""
    CERTIFICATE_PUBLIC_KEYS: list = []
    VERIFY_LIMIT = "30 per minute"

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: officers leave forms open for a long time
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Static files change only with a release (their URLs carry ASSET_VERSION), so posts may keep them a day.
    SEND_FILE_MAX_AGE_DEFAULT = 86400
    ASSET_VERSION = "0.1.0"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_SAMESITE = "Lax"

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_LIMIT_PER_ADDRESS = "20 per 10 minutes"
    LOGIN_LIMIT_PER_USERNAME = "5 per 10 minutes"
    JOIN_LIMIT = "10 per 10 minutes"

    # argon2id (RFC 9106); the defaults of argon2-cffi follow its "low memory" recommendation.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536
    PASSWORD_HASH_PARALLELISM = 4
    PASSWORD_MIN_LENGTH = 10

    USERS_PER_PAGE = 25
    TRUSTED_PROXY_HOPS = 0

    @classmethod
    def from_env(cls, instance_path: str) -> dict:
        """Return this class's settings, overridden by the environment."""
        settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        settings["SECRET_KEY"] = os.environ.get("SECRET_KEY", settings["SECRET_KEY"])
        settings["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or settings[
            "SQLALCHEMY_DATABASE_URI"
        ] or f"sqlite:///{Path(instance_path) / 'trainer.sqlite'}"
        settings["CONTENT_FOLDER"] = os.environ.get("CONTENT_FOLDER", settings["CONTENT_FOLDER"])
        for name in ("PUBLIC_BASE_URL", "CERTIFICATE_ISSUER_NAME", "CERTIFICATE_KEY_FOLDER", "CERTIFICATE_SIGNING_KEY"):
            if os.environ.get(name):
                settings[name] = os.environ[name]
        if os.environ.get("CERTIFICATE_PUBLIC_KEYS"):
            try:
                settings["CERTIFICATE_PUBLIC_KEYS"] = json.loads(os.environ["CERTIFICATE_PUBLIC_KEYS"])
            except ValueError as error:
                raise ConfigError(f"CERTIFICATE_PUBLIC_KEYS is not valid JSON: {error}") from error
        if os.environ.get("MODULE_LANGUAGES"):
            try:
                settings["MODULE_LANGUAGES"] = json.loads(os.environ["MODULE_LANGUAGES"])
            except ValueError as error:
                raise ConfigError(f"MODULE_LANGUAGES is not valid JSON: {error}") from error
        settings["RATELIMIT_STORAGE_URI"] = os.environ.get(
            "RATELIMIT_STORAGE_URI", settings["RATELIMIT_STORAGE_URI"]
        )
        settings["TRUSTED_PROXY_HOPS"] = int(os.environ.get("TRUSTED_PROXY_HOPS", settings["TRUSTED_PROXY_HOPS"]))
        settings["SESSION_COOKIE_SECURE"] = _env_bool("SESSION_COOKIE_SECURE", settings["SESSION_COOKIE_SECURE"])
        settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
        return settings

    @classmethod
    def check(cls, settings: dict) -> None:
        """Refuse settings that are unsafe for this environment."""


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    CONTENT_AUTO_RELOAD = False  # content changes with a deploy; restart to load it
    SECRET_KEY = ""
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def check(cls, settings: dict) -> None:
        key = settings.get("SECRET_KEY") or ""
        if not key or key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                "TRAINER_ENV=production needs SECRET_KEY set to a random value of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not os.environ.get("DATABASE_URL"):
            raise ConfigError("TRAINER_ENV=production needs DATABASE_URL (PostgreSQL).")
        if not settings.get("CERTIFICATE_SIGNING_KEY"):
            raise ConfigError("TRAINER_ENV=production needs CERTIFICATE_SIGNING_KEY: an Ed25519 private key in PEM "
                              "(flask certificates new-key prints one).")


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-123456"
    # Cheap hashing keeps the suite fast; the algorithm is the same argon2id.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    PASSWORD_HASH_PARALLELISM = 1
    SERVER_NAME = None
    CONTENT_AUTO_RELOAD = False


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestConfig}


def load(instance_path: str, config: type[Config] | dict | None = None) -> dict:
    """Settings for the factory: a test passes a dict or class, everyone else uses ``TRAINER_ENV``."""
    if isinstance(config, dict):
        base = CONFIGS[config.get("ENV_NAME", "testing")] if "ENV_NAME" in config else TestConfig
        settings = base.from_env(instance_path)
        settings.update(config)
        base.check(settings)
        return settings
    if config is None:
        name = os.environ.get("TRAINER_ENV", "development")
        if name not in CONFIGS:
            raise ConfigError(f"TRAINER_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
        config = CONFIGS[name]
    settings = config.from_env(instance_path)
    config.check(settings)
    return settings
