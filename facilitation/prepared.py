"""Statements compiled once per dialect and run on the driver's own cursor.

The vote path (services/voting.py, services/sequence.py) runs a few statements per vote,
hundreds of times a second. SQLAlchemy's execution layer costs several times what the
driver does for such a statement: an execution context, parameters built again from the
compiled form, a result object. A `Prepared` statement keeps what SQLAlchemy works out per
dialect (the SQL text, the order of its parameters, the types' bind and result processors)
and runs it on the cursor of the session's connection, in the session's transaction.

What stays as with `Connection.execute`: the column types' conversions (dates and booleans
on SQLite), the engine's `before_cursor_execute` and `after_cursor_execute` events (the
statement counts of the tests), driver errors raised as SQLAlchemy's `DBAPIError`s (the
unit of work waits out SQLite's write lock, group commit retries PostgreSQL's conflicts),
and a connection lost is invalidated. Statements with values expanded at execution (`IN`
lists) are refused when compiled.
"""

from collections import namedtuple

from sqlalchemy.exc import DBAPIError


class Prepared:
    """A Core statement; `rows` and `count` run it on a connection of the session's
    transaction (`db.session.connection()`, looked up once by a caller running several).
    Parameters with a value in the statement (a LIMIT) may be left out."""

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect = {}

    def rows(self, connection, params):
        """The rows, as named tuples of the selected columns, converted by their types."""
        compiled, cursor = self._run(connection, params)
        try:
            return [compiled.row(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def count(self, connection, params):
        """How many rows the statement changed."""
        _compiled, cursor = self._run(connection, params)
        changed = cursor.rowcount
        cursor.close()
        return changed

    def _run(self, connection, params):
        dialect = connection.dialect
        key = (dialect.name, dialect.driver, dialect.server_version_info)
        compiled = self._by_dialect.get(key)
        if compiled is None:
            compiled = self._by_dialect[key] = _Compiled(self.statement, dialect)
        arguments = compiled.arguments(params)
        dbapi_connection = connection.connection
        cursor = dbapi_connection.cursor()
        dispatch = connection.dispatch
        for listener in dispatch.before_cursor_execute:
            listener(connection, cursor, compiled.sql, arguments, None, False)
        try:
            cursor.execute(compiled.sql, arguments)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            lost = dialect.is_disconnect(error, dbapi_connection, cursor)
            if lost:
                connection.invalidate(error)
            raise DBAPIError.instance(
                compiled.sql,
                arguments,
                error,
                dialect.loaded_dbapi.Error,
                dialect=dialect,
                connection_invalidated=lost,
            ) from error
        for listener in dispatch.after_cursor_execute:
            listener(connection, cursor, compiled.sql, arguments, None, False)
        return compiled, cursor


class _Compiled:
    """One statement for one dialect: its SQL, how to build its parameters, how to read
    its rows."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        if any(bind.expanding or bind.literal_execute for bind in binds.values()):
            raise ValueError("a statement with values expanded at execution")
        self.sql = compiled.string
        self.defaults = {name: bind.value for name, bind in binds.items() if not bind.required}
        self.processors = {
            name: processor
            for name, bind in binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
        }
        self.positional = compiled.positional
        self.names = list(compiled.positiontup) if compiled.positional else list(binds)
        columns = list(getattr(statement, "selected_columns", ()))
        self.row_type = namedtuple("Row", [c.key for c in columns], rename=True)
        readers = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.readers = [(i, reader) for i, reader in enumerate(readers) if reader]
        if not self.readers:  # nothing to convert: the driver's rows as they come
            self.row = self.row_type._make

    def arguments(self, params):
        """The driver's parameters; KeyError for one without a value."""
        values = {**self.defaults, **params}
        for name, processor in self.processors.items():
            values[name] = processor(values[name])
        if self.positional:
            return tuple(values[name] for name in self.names)
        return {name: values[name] for name in self.names}

    def row(self, raw):
        values = list(raw)
        for i, reader in self.readers:
            values[i] = reader(values[i])
        return self.row_type._make(values)
