"""SQLite connection settings, applied to every SQLite engine the app or its tests create.

pysqlite opens transactions lazily and ignores SAVEPOINT semantics; taking over BEGIN gives real transactions
(needed for all-or-nothing use-cases and for tests that roll back per test). Foreign keys are off in SQLite
unless asked for. See SQLAlchemy's "Serializable isolation / Savepoints / Transactional DDL" notes for pysqlite.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
    # IMMEDIATE takes the write lock up front: two deferred transactions that both read and then write would
    # deadlock, and SQLite answers that with "database is locked" at once instead of waiting busy_timeout.
    # So transactions on one SQLite file run one at a time: fine for development and demos; production
    # runs on PostgreSQL.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
