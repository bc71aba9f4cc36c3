"""A Core SELECT compiled once per database dialect and run straight on the driver's cursor.

For the rater form's one hot read (`services.open_links`), which every rater page view and
every submission runs. SQLAlchemy still writes the SQL, for whichever database is configured,
and still converts each value by its column's own type (an enum member, an aware UTC datetime,
a bool); what is skipped is the per-execution machinery around the cursor (execution context,
result object), which cost 3-4 times the query itself (issue 8's benchmark: ~130 µs of a ~180 µs
look-up inside a request, against ~30 µs on the cursor).

What this gives up, and why it is fine for a read: connection events (`before_cursor_execute`)
do not see the statement, and SQLAlchemy's own transaction bookkeeping does not know about it,
so the caller's connection must be one it closes or commits/rolls back itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

_Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class DriverQuery:
    """One SELECT in one dialect's SQL: its text, how to pass parameters, how to read a row.

    `names` are the parameter names in placeholder order (positional paramstyles such as
    SQLite's `?`), or in any order for a named paramstyle (psycopg's `%(name)s`, `named` True);
    `constants` are the
    statement's own fixed values, already converted for the driver; `fields` and `processors`
    give each result column's label and its type's converter (None: as the driver returns it).
    """

    sql: str
    names: tuple[str, ...]
    named: bool
    constants: Mapping[str, Any]
    fields: tuple[str, ...]
    processors: tuple[_Processor, ...]

    def first(self, connection: Connection, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first result row as `{label: value}` (values converted by their column types),
        or None. `parameters` are the statement's `bindparam` values, by name; a missing one
        raises KeyError. Driver errors propagate as the driver's own exceptions."""
        values = {**self.constants, **parameters}
        ordered = tuple(values[name] for name in self.names)
        bound: Any = dict(zip(self.names, ordered, strict=True)) if self.named else ordered
        cursor = connection.connection.cursor()
        try:
            cursor.execute(self.sql, bound)
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        return {
            field: value if process is None else process(value)
            for field, value, process in zip(self.fields, row, self.processors, strict=True)
        }


def compile_query(statement: Select[Any, *tuple[Any, ...]], dialect: Dialect) -> DriverQuery:
    """Compile `statement` for `dialect` once. Its parameters must be `bindparam(name)` with
    plain int/str values at run time; values fixed in the statement (e.g. an enum compared
    against) are converted here by their types. Raises ValueError for an expanding parameter
    (an IN list), whose SQL text changes with its values."""
    compiled = statement.compile(dialect=dialect)
    constants: dict[str, Any] = {}
    for name, bind in compiled.binds.items():
        if bind.expanding:
            raise ValueError(f"parameter {name!r} is an expanding IN list")
        if bind.callable is None and bind.value is not None:
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            constants[name] = process(bind.value) if process else bind.value
    columns = list(statement.selected_columns)
    return DriverQuery(
        sql=compiled.string,
        names=tuple(compiled.positiontup or compiled.binds),
        named=not compiled.positional,
        constants=constants,
        fields=tuple(str(column.key) for column in columns),
        processors=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in columns
        ),
    )
