"""Browser layer: the real app served over HTTP on its own database, driven by Debian's Chromium.

Every test here carries the ``browser`` marker (``pytestmark`` in each module), so the root conftest does not wrap
it in a rolled-back transaction: the live server commits for real, to a database of its own (a SQLite file in a
temporary folder, or ``<name>_browser`` beside TEST_DATABASE_URL on PostgreSQL), never the main suite's.

Playwright's own browser download cannot work here; ``/usr/bin/chromium`` (``apt-get install chromium``) is used.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, ROLES, WITHOUT_JAVASCRIPT
from trainer import MIGRATIONS, create_app
from trainer.content.loader import ContentSet, load_content
from trainer.extensions import db
from trainer.models import Agency, DutyStation, Province, User
from trainer.services import demo
from trainer.services import users as user_service

# --- the database and the live server -------------------------------------------------------------------------

def _postgres_sibling(main_url: str):
    """Create (afresh) the database ``<name>_browser`` on the main suite's server; return its URL and a dropper."""
    main = make_url(main_url)
    url = main.set(database=f"{main.database}_browser")
    admin_engine = create_engine(main.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def recreate(create: bool) -> None:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            if create:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))

    recreate(create=True)

    def drop() -> None:
        recreate(create=False)
        admin_engine.dispose()

    return url.render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """An app of its own (not the root ``app``, which is bound to per-test transactions), migrated and seeded."""
    main_url = os.environ.get("TEST_DATABASE_URL")
    if main_url:
        url, drop = _postgres_sibling(main_url)
    else:
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'live.sqlite'}", None
    # Certificates are signed with a key of the session's own, never one left in the instance folder.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": "memory://",
                      "CERTIFICATE_KEY_FOLDER": str(tmp_path_factory.mktemp("certificate-keys"))})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        demo.seed_demo(db.session)
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        if drop is not None:
            drop()


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    """Serve the app with werkzeug on a free port in a daemon thread; yield its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in failure reports
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def ids(live_app) -> dict[str, int]:
    """Ids of rows the edit pages need: each demo account, one agency, station and province."""
    with live_app.app_context():
        found = {name: db.session.scalar(select(User.id).where(User.username == name)) for name in ROLES}
        found["agency"] = db.session.scalar(select(Agency.id).where(Agency.code == "GABP"))
        found["station"] = db.session.scalar(select(DutyStation.id).order_by(DutyStation.id))
        found["province"] = db.session.scalar(select(Province.id).order_by(Province.id))
        db.session.remove()
    return found


@pytest.fixture(scope="session")
def content(live_app) -> ContentSet:
    """The content the live server serves, read from the same folder: answer keys, scenario graphs, labels."""
    return load_content(Path(live_app.config["CONTENT_FOLDER"]))


@pytest.fixture
def learner(live_app) -> tuple[str, str]:
    """A trainee account of this test's own (username, password): no attempts, runs or lessons read."""
    username, password = f"learner-{uuid.uuid4().hex[:8]}", f"browser-learner-{uuid.uuid4().hex[:8]}"
    with live_app.app_context():
        user_service.create_user(db.session, None, user_service.UserData(username=username,
                                                                          full_name="Browser Learner"),
                                 password=password)
        db.session.remove()
    return username, password


@pytest.fixture
def reset_languages(live_app):
    """Switching language while signed in saves it to the account: put the demo accounts back afterwards."""
    yield
    with live_app.app_context():
        for user in db.session.scalars(select(User).where(User.username.in_(ROLES))):
            user.preferred_language = None
        db.session.commit()
        db.session.remove()


# --- the browser ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; the browser tests need Debian's Chromium: apt-get install chromium",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Open fresh browser contexts (no shared cookies) on the live server; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def open_context(**kwargs) -> BrowserContext:
        # A fixed locale makes Accept-Language English, whatever the machine's own locale says.
        kwargs.setdefault("locale", "en-GB")
        context = browser.new_context(base_url=live_server, **kwargs)
        if kwargs.get("java_script_enabled") is False:
            WITHOUT_JAVASCRIPT.add(context)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    """A page in a fresh browser context per test, so cookies never leak from one test to another."""
    return new_context().new_page()
