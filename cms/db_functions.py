"""Database functions Django does not ship, written per database vendor we run on.

Django's own date arithmetic (``F("end") - F("start")``) is portable, but on SQLite it
calls a Python function for every row (``django_timestamp_diff``), which is what a
report over tens of thousands of rows must avoid. These functions stay in SQL on both
SQLite and PostgreSQL, and refuse any other database rather than guess.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import NotSupportedError
from django.db.models import Aggregate, BigIntegerField, Func, TextField

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_microseconds(value: datetime) -> int:
    """An aware datetime as :class:`EpochMicroseconds` reads one from the database."""
    return (value - EPOCH) // timedelta(microseconds=1)


class EpochMicroseconds(Func):
    """A datetime as whole microseconds since 1970-01-01 UTC, exactly (an integer, no rounding).

    Differences of two are exact durations in microseconds, so sums, counts and
    orderings of durations can all be done by the database.
    See https://docs.djangoproject.com/en/5.2/ref/models/expressions/#func-expressions
    """

    arity = 1
    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(
            f"EpochMicroseconds is written for SQLite and PostgreSQL, not {connection.vendor}."
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores an SQLite datetime as UTC text, "YYYY-MM-DD HH:MM:SS" then, if any,
        # "." and up to six digits (Now() writes three). The whole seconds are read from
        # the first 19 characters alone (SQLite rounds a fraction to milliseconds, so
        # ".999999" would carry into the next second), with unixepoch() from SQLite 3.38,
        # several times faster than strftime('%s'); the fraction is the text after
        # character 20, padded to six digits. ("%%": the query goes through parameter
        # substitution.)
        sql, params = compiler.compile(self.source_expressions[0])
        whole = f"substr({sql}, 1, 19)"
        if connection.Database.sqlite_version_info >= (3, 38):
            seconds = f"unixepoch({whole})"
        else:
            seconds = f"CAST(strftime('%%s', {whole}) AS INTEGER)"
        return (
            f"({seconds} * 1000000 + CAST(substr(substr({sql}, 21) || '000000', 1, 6) AS INTEGER))",
            (*params, *params),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        # EXTRACT gives numeric (exact) from PostgreSQL 14; before that a double, still exact
        # to the microsecond for any date this century once rounded by the cast.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(EXTRACT(EPOCH FROM {sql}) * 1000000 AS BIGINT)", params


def integer_list_sql(connection, column: str) -> str:
    """SQL aggregating an integer ``column`` of a GROUP BY into one comma-separated text, in no order.

    For sending many numbers to Python as one value per group (cheap to split) rather
    than one row each (costly to build).
    """
    if connection.vendor == "sqlite":
        return f"group_concat({column}, ',')"
    if connection.vendor == "postgresql":
        return f"string_agg(CAST({column} AS TEXT), ',')"
    raise NotSupportedError(
        f"integer_list_sql is written for SQLite and PostgreSQL, not {connection.vendor}."
    )


class IntegerList(Aggregate):
    """An integer expression's values in each group as one comma-separated text: :func:`integer_list_sql`."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return integer_list_sql(connection, sql), params
