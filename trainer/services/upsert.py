"""Adding to stored totals: one upsert statement, executed for many rows at once."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

CHUNK = 5000


def add_to(executor: Session | Connection, model: type, rows: list[dict], amounts: Iterable[str],
           chunk: int = CHUNK) -> int:
    """Upsert ``rows`` so that their ``amounts`` add to what is stored under the same key (or start it):
    ``INSERT ... ON CONFLICT (key) DO UPDATE SET n = n + excluded.n``. One statement, executed for many rows."""
    if not rows:
        return 0
    dialect = executor.dialect if isinstance(executor, Connection) else executor.get_bind().dialect
    table = model.__table__
    statement = (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + statement.excluded[name] for name in amounts})
    for start in range(0, len(rows), chunk):
        executor.execute(statement, rows[start:start + chunk])
    return len(rows)
