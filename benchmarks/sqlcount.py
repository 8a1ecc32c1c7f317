"""Counting the SQL statements an engine sends, for the benchmarks' "statements per request" column."""
from __future__ import annotations

from sqlalchemy import event


class Counter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self.count += 1
