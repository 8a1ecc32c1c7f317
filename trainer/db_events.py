"""SQLite connection settings, applied to every SQLite engine the app or its tests create.

pysqlite opens transactions lazily and ignores SAVEPOINT semantics; taking over BEGIN gives real transactions
(needed for all-or-nothing use-cases and for tests that roll back per test). Foreign keys are off in SQLite
unless asked for. See SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" notes for pysqlite.

Reads run in deferred transactions, which in WAL mode block nobody. A use-case that writes declares it
(``write_intent``), and its transaction starts with BEGIN IMMEDIATE: it takes the write lock up front and
waits its turn (busy_timeout), where a deferred transaction that read and then tried to write would fail at
once with "database is locked" if another writer had committed meanwhile. PostgreSQL needs none of this.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_write_intent: ContextVar[bool] = ContextVar("sqlite_write_intent", default=False)


@contextmanager
def write_intent() -> Iterator[None]:
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (demo server, gunicorn)
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")
