"""Shared fixtures: one migrated, seeded database per run; every test runs in a transaction rolled back after it.

The database is SQLite in a temporary folder, or TEST_DATABASE_URL (PostgreSQL in CI) when set.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, select

from tests.helpers import sign_in
from trainer import MIGRATIONS, create_app
from trainer.extensions import db, limiter
from trainer.models import User
from trainer.services import demo

ROLES = ["trainee", "trainer", "coordinator", "admin"]


def fresh_schema(url: str) -> None:
    """Drop whatever an earlier run left, so migrations start from an empty database."""
    engine = create_engine(url)
    with engine.begin() as conn:
        meta = MetaData()
        meta.reflect(conn)
        meta.drop_all(conn)
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        fresh_schema(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production; otherwise requests would reuse the test's
    context and share ``g`` (Flask-Login caches the signed-in user there) and one ORM session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def content_translations(tmp_path_factory) -> Path:
    """The fixture content catalogs, compiled the way `flask translate compile` would."""
    folder = tmp_path_factory.mktemp("translations")
    for po_path in (FIXTURES / "translations").glob("*/LC_MESSAGES/content.po"):
        target = folder / po_path.relative_to(FIXTURES / "translations")
        target.parent.mkdir(parents=True)
        with open(po_path, "rb") as source, open(target.with_suffix(".mo"), "wb") as compiled:
            write_mo(compiled, read_po(source))
    return folder


@pytest.fixture(scope="session")
def app(database_url, content_translations, tmp_path_factory):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "memory://",
                      "CONTENT_FOLDER": str(FIXTURES / "content"), "CONTENT_TRANSLATIONS": str(content_translations),
                      # The fixture catalogs are partial on purpose (to show fallbacks): offer them anyway.
                      "MODULE_LANGUAGES": {m: ["mn", "ru"] for m in ("basics", "timed", "interview")},
                      "CERTIFICATE_KEY_FOLDER": str(tmp_path_factory.mktemp("certificate-keys"))})
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        demo.seed_demo(db.session)
        db.session.remove()
    yield app
    with app.app_context():  # close pooled connections before the interpreter does (ResourceWarning)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(autouse=True)
def _rolled_back(request, app):
    """Bind the app's session to one outer transaction; service commits become savepoints."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("commits"):
        yield
        return
    with app.app_context():
        # Flask-SQLAlchemy 3 picks the bind from db.engines, so the connection stands in for the engine.
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        original = db.session
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            engines[None] = engine


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app) -> dict[str, int]:
    """Ids of the demo account of each role (the trainer is also a trainee)."""
    return {role: db.session.scalar(select(User.id).where(User.username == role)) for role in ROLES}


@pytest.fixture
def as_role(client):
    def signed_in(role: str):
        sign_in(client, role)
        return client

    return signed_in
