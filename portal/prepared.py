"""Querysets built and compiled once, run many times with new values: the hot API paths.

Building a queryset (``filter``, ``annotate``, ``Exists``) and compiling it to SQL costs the ORM more
CPU than the database spends answering it: on the queue's availability request the four lookups
(token, person and X-8, referral and Q-9) spent about 6 ms of Python per request before a single
row was read. A ``PreparedQuery`` builds its queryset once per process, from the same selectors and
expressions the rest of the code uses (a rule stays written once), compiles it once per database,
and on each call runs that SQL with the call's values in place of the sample values it was built
with; on PostgreSQL as a prepared statement, planned once per connection (``_cursor``). Rows come
back through Django's own iterables: model instances with their ``select_related`` objects and
annotations, or ``values()`` dicts, exactly as the queryset would give them::

    TOKEN = PreparedQuery(
        lambda key_hash: ApiToken.objects.select_related("integrator__user").filter(key_hash=key_hash),
        key_hash="sample-key-hash-7f3a",
    )
    token = TOKEN.first(key_hash=ApiToken.hash_key(key))

The rules for ``build``:

- each argument is a value the SQL takes as a parameter (``filter(x=arg)``, an ``Exists`` over it);
  its sample must be unusual enough to appear nowhere else among the query's parameters (a random
  UUID, a string no row holds, a large integer, a datetime with odd microseconds), and never ``None``
  or a bool (``filter(x=None)`` compiles to other SQL);
- whatever the queryset reads at build time besides its arguments is frozen into the SQL: the clock
  (``timezone.now()``, ``localdate()``) must be an argument, never read inside ``build``. Settings are
  safe: the compiled queries are dropped whenever a setting changes (tests override them);
- an argument must reach the SQL as one parameter, unchanged or converted by its field for the
  database (a UUID as hex on SQLite, a datetime as text): ``__in`` over a list, ``icontains`` and other
  lookups that rewrite the value are refused when compiling (``ImproperlyConfigured``).
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

_ALL: list[PreparedQuery] = []


def _forms(sample: Any, ops: Any) -> list[tuple[Any, Callable[[Any], Any]]]:
    """The ways a sample may appear among the compiled parameters, each with how to convert a value."""
    if isinstance(sample, bool) or sample is None:
        raise ImproperlyConfigured("A prepared query's sample may not be None or a bool.")
    if isinstance(sample, uuid.UUID):
        return [(sample, lambda v: v), (sample.hex, lambda v: v.hex), (str(sample), str)]
    if isinstance(sample, dt.datetime):
        return [(sample, lambda v: v), (ops.adapt_datetimefield_value(sample), ops.adapt_datetimefield_value)]
    if isinstance(sample, dt.date):
        return [(sample, lambda v: v), (ops.adapt_datefield_value(sample), ops.adapt_datefield_value)]
    return [(sample, lambda v: v)]


class _Compiled:
    """One database's SQL, the parameters' slots and the compiler that reads the rows back."""

    def __init__(self, prepared: PreparedQuery, using: str):
        queryset = prepared.build(**prepared.samples).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        ops = connections[using].ops
        slots: dict[int, tuple[str, Callable[[Any], Any]]] = {}
        for name, sample in prepared.samples.items():
            forms = _forms(sample, ops)
            found = False
            for index, param in enumerate(params):
                for form, convert in forms:
                    if type(param) is type(form) and param == form:
                        slots[index] = (name, convert)
                        found = True
                        break
            if not found:
                raise ImproperlyConfigured(
                    f"The sample of {name!r} is not among the compiled parameters: it is rewritten by its "
                    "lookup or not used."
                )
        self.queryset = queryset
        self.compiler = compiler
        # what turns each column's value into Python: the same on every run, so worked out once
        # (Django asks every expression of the select again on every run)
        self.converters = compiler.get_converters([col[0] for col in compiler.select[0 : compiler.col_count]])
        self.sql = sql
        self.params = list(params)
        self.slots = slots

    def bound(self, values: dict[str, Any], using: str) -> SQLCompiler:
        """A copy of the compiler that runs the SQL with ``values`` (Django's iterables call its
        ``execute_sql`` and read the rows back through it, converters included)."""
        params = list(self.params)
        for index, (name, convert) in self.slots.items():
            params[index] = convert(values[name])
        sql, bound_params = self.sql, tuple(params)
        trim = self.compiler.col_count if self.compiler.has_extra_select else None

        def execute_sql(*args: Any, **kwargs: Any) -> list[list[Any]]:
            with _cursor(connections[using]) as cursor:
                cursor.execute(sql, bound_params)
                rows = cursor.fetchall()
            return [[row[:trim] for row in rows] if trim is not None else rows]

        converters = self.converters
        compiler = copy.copy(self.compiler)
        compiler.execute_sql = execute_sql  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]
        return compiler


def _cursor(connection: Any) -> Any:
    """A cursor of ``connection``: on PostgreSQL one with server-side binding, so that psycopg
    prepares a statement run again and again on this connection (from its 5th run, psycopg's
    ``prepare_threshold``) and PostgreSQL plans it once instead of on every request. Django's own
    cursors bind on the client and are never prepared. The cursor is wrapped as Django wraps its own
    (health check, error translation, query logging and execute wrappers)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(psycopg.Cursor(connection.connection))


class _BoundQuery:
    """What Django's iterables read of a query, answering with the bound compiler."""

    def __init__(self, query: Any, compiler: SQLCompiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True) -> SQLCompiler:
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


class _BoundQuerySet:
    """What Django's iterables read of a queryset: its model, database, fields and the bound query."""

    def __init__(self, queryset: QuerySet[Any], compiler: SQLCompiler):
        self.query = _BoundQuery(queryset.query, compiler)
        self.db = queryset.db
        self.model = queryset.model
        self._fields = getattr(queryset, "_fields", None)
        self._known_related_objects: dict[Any, Any] = {}


class PreparedQuery:
    """A queryset built by ``build(**samples)`` once, compiled once per database, run with new values."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **samples: Any):
        self.build = build
        self.samples = samples
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def _for(self, using: str) -> _Compiled:
        key = (using, connections[using].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or _Compiled(self, using)
                self._compiled[key] = compiled
        return compiled

    def all(self, using: str = "default", **values: Any) -> list[Any]:
        """Every row, as the queryset would give them (instances, dicts or tuples)."""
        if set(values) != set(self.samples):
            raise TypeError(f"expected the values of {sorted(self.samples)}, got {sorted(values)}")
        compiled = self._for(using)
        bound = _BoundQuerySet(compiled.queryset, compiled.bound(values, using))
        rows = compiled.queryset._iterable_class(bound)  # type: ignore[arg-type]
        return list(rows)  # type: ignore[call-overload]  # Django's iterables are iterable; stubs say otherwise

    def first(self, using: str = "default", **values: Any) -> Any:
        """The first row, or ``None``: ``build`` orders and slices (``[:1]``) as ``first()`` would."""
        rows = self.all(using, **values)
        return rows[0] if rows else None

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()


def _settings_changed(**kwargs: Any) -> None:
    for prepared in _ALL:
        prepared.clear()


setting_changed.connect(_settings_changed, dispatch_uid="portal.prepared.settings_changed")


_INSERTS: dict[tuple[str, str, str], tuple[str, list[Any]]] = {}


def insert_one(obj: Any, using: str = "default") -> None:
    """INSERT one new model instance with a statement built once per model and database (prepared on
    PostgreSQL): what ``obj.save(force_insert=True)`` writes, without the ORM building the statement
    on every call. For append-only rows written on hot paths (the X-9 access log): no signals are
    sent (no receiver may rely on them for such a model) and the new primary key is not read back."""
    connection = connections[using]
    meta = obj._meta
    key = (meta.label_lower, using, connection.vendor)
    built = _INSERTS.get(key)
    if built is None:
        fields = [f for f in meta.concrete_fields if not f.primary_key or not f.db_returning]
        qn = connection.ops.quote_name
        # names from the model's own meta, quoted; the values go as parameters
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        built = _INSERTS[key] = (sql, fields)
    sql, fields = built
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
    obj._state.adding = False
    obj._state.db = using
