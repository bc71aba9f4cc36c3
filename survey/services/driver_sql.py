"""Core statements compiled once per database dialect and run straight on the driver's cursor.

For the rater form's hot path (`services.open_links`, `responses.store_submission`): the link
look-up that every rater page view and submission runs, and the writes of a submission.
SQLAlchemy still writes the SQL, for whichever database is configured, and still converts each
value by its column's own type (an enum member, an aware UTC datetime, a bool), both ways; what
is skipped is the per-execution machinery around the cursor (execution context, result object),
which cost 3-4 times the statement itself (issue 8's benchmark: the look-up took ~130 µs of
~180 µs inside a request, against ~30 µs on the cursor).

What this gives up: connection events (`before_cursor_execute`) do not see these statements,
SQLAlchemy's transaction bookkeeping does not know about them (a caller that writes must have
begun the connection's transaction, `Connection.begin()` or the ORM session's, so that its
commit reaches the driver). Driver errors are wrapped as SQLAlchemy wraps them
(`sqlalchemy.exc.OperationalError`, `IntegrityError`, …, parameters hidden: they can hold a
link's hash), so the app's error pages and the callers' handlers see the same exceptions as
from any other query; a lost connection is invalidated as SQLAlchemy would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

_Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class DriverStatement:
    """One statement in one dialect's SQL, and how to pass its parameters.

    `names` are the parameter names in placeholder order (positional paramstyles such as
    SQLite's `?`; for a named paramstyle such as psycopg's `%(name)s`, `named` is True);
    `constants` are the statement's own fixed values and `converters` each run-time
    parameter's type conversion (only those that have one), both for this dialect's driver.
    """

    sql: str
    names: tuple[str, ...]
    named: bool
    constants: Mapping[str, Any]
    converters: Mapping[str, _Processor]

    def bind(self, parameters: Mapping[str, Any]) -> Any:
        """The driver's parameters for `parameters` (by bindparam name); KeyError if one is
        missing."""
        if not (self.constants or self.converters or self.named):  # e.g. the answer rows
            return tuple(map(parameters.__getitem__, self.names))
        values = []
        for name in self.names:
            if name in self.constants:
                values.append(self.constants[name])
                continue
            value = parameters[name]
            convert = self.converters.get(name)
            values.append(value if convert is None or value is None else convert(value))
        return dict(zip(self.names, values, strict=True)) if self.named else tuple(values)

    def execute(self, connection: Connection, parameters: Mapping[str, Any]) -> int:
        """Run once; returns the driver's row count (rows written, -1 for a SELECT)."""
        bound = self.bind(parameters)
        with _cursor(connection, self.sql) as cursor:
            cursor.execute(self.sql, bound)
            return int(cursor.rowcount)

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per row of `rows` (the driver's `executemany`)."""
        bound = [self.bind(row) for row in rows]
        with _cursor(connection, self.sql) as cursor:
            cursor.executemany(self.sql, bound)


@dataclass(frozen=True)
class DriverQuery(DriverStatement):
    """A SELECT: a `DriverStatement` plus each result column's label and type converter."""

    fields: tuple[str, ...]
    processors: tuple[_Processor | None, ...]

    def first(self, connection: Connection, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first result row as `{label: value}` (values converted by their column types),
        or None. A missing parameter raises KeyError."""
        bound = self.bind(parameters)
        with _cursor(connection, self.sql) as cursor:
            cursor.execute(self.sql, bound)
            row = cursor.fetchone()
        if row is None:
            return None
        return {
            field: value if process is None else process(value)
            for field, value, process in zip(self.fields, row, self.processors, strict=True)
        }


def compile_statement(statement: ClauseElement, dialect: Dialect) -> DriverStatement:
    """Compile an INSERT, UPDATE or DELETE for `dialect` once (`compile_query` for a SELECT).

    Run-time parameters are `bindparam(name)`s (or an insert's column names); values fixed in
    the statement (e.g. an enum compared against) are converted here. Raises ValueError for an
    expanding parameter (an IN list), whose SQL text changes with its values.
    """
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)  # a DML or SELECT statement's compiler
    constants: dict[str, Any] = {}
    converters: dict[str, _Processor] = {}
    for bind, name in compiled.bind_names.items():
        if bind.expanding:
            raise ValueError(f"parameter {name!r} is an expanding IN list")
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if bind.callable is None and bind.value is not None:
            constants[name] = process(bind.value) if process else bind.value
        elif process is not None:
            converters[name] = process
    positional = compiled.positiontup or ()
    return DriverStatement(
        sql=compiled.string,
        names=tuple(positional) if compiled.positional else tuple(compiled.bind_names.values()),
        named=not compiled.positional,
        constants=constants,
        converters=converters,
    )


def compile_query(statement: Select[Any, *tuple[Any, ...]], dialect: Dialect) -> DriverQuery:
    """Compile a SELECT for `dialect` once (as `compile_statement`), with its result columns'
    type converters."""
    base = compile_statement(statement, dialect)
    columns = list(statement.selected_columns)
    return DriverQuery(
        sql=base.sql,
        names=base.names,
        named=base.named,
        constants=base.constants,
        converters=base.converters,
        fields=tuple(str(column.key) for column in columns),
        processors=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in columns
        ),
    )


@contextmanager
def _cursor(connection: Connection, sql: str) -> Iterator[Any]:
    """A driver cursor of `connection`, closed after use; driver errors wrapped as SQLAlchemy's
    (`DBAPIError.instance`), a lost connection invalidated first."""
    dialect = connection.dialect
    driver_error = dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        yield cursor
    except driver_error as error:
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql, None, error, driver_error, hide_parameters=True, connection_invalidated=lost,
            dialect=dialect,
        ) from error
    finally:
        with suppress(driver_error):  # its connection may be gone already
            cursor.close()
