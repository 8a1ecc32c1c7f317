"""One use-case, one transaction: it all happens, or nothing does."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, scoped_session

from trainer.db_events import write_intent

T = TypeVar("T")


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """A writing use-case's transaction. On SQLite, a read transaction still open is ended first, so the
    write starts a fresh one that holds the write lock from its first statement (see db_events)."""
    current = session.registry() if isinstance(session, scoped_session) else session
    if (current.in_transaction() and not current.in_nested_transaction() and not current.new
            and not current.dirty and not current.deleted and current.get_bind().dialect.name == "sqlite"):
        current.commit()
    with write_intent():
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, query: Select, page: int, per_page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)
