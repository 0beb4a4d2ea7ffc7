"""Count the SQL statements a request issues (SQLAlchemy's ``before_cursor_execute`` event)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Transaction bookkeeping a driver may send as statements: not the page's queries.
_BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class Statements(list[str]):
    """The statements seen, in order; ``str()`` lists them, one a line (for a failing assert)."""

    def __str__(self) -> str:
        return "\n".join(f"{i:3}. {' '.join(s.split())[:160]}" for i, s in enumerate(self, 1))


@contextmanager
def count_statements(engine: Engine) -> Iterator[Statements]:
    """Record every statement `engine` sends while the block runs."""
    seen = Statements()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(_BOOKKEEPING):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
