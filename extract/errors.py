"""budgetkg's own exceptions, one tree; context is keyword-only.

    BudgetKGError
    ├── InputError                 a file cannot be read as a budget document  (400)
    │   ├── EmptyFileError         zero bytes or only whitespace
    │   ├── BinaryFileError        not text, not a format we read
    │   └── NotABudgetDocument     text, but no budget table or profile found
    ├── ExtractionError            a table could not be interpreted           (422)
    ├── StoreError                 the on-disk store cannot be used           (500)
    ├── QueryError                 a SPARQL query is malformed or refused      (400)
    │   └── QueryNotFound          no named query of that name                 (404)
    └── ServiceBusy                every query slot of the endpoint is taken    (503)

The library raises; only the CLI and the server catch and render them.
Data-quality problems are not exceptions: they are warnings in the build report.
"""
from __future__ import annotations


class BudgetKGError(Exception):
    status = 500

    def __init__(self, message: str, *, source: str | None = None, page: int | None = None,
                 table: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.page = page
        self.table = table
        self.line = line

    def __reduce__(self):
        """Picklable with its context, so a worker process can raise it to the parent."""
        return (_rebuild, (type(self), self.message, self.source, self.page, self.table, self.line))

    def where(self) -> str:
        parts = [p for p in (
            self.source,
            f"page {self.page}" if self.page is not None else None,
            f"table {self.table!r}" if self.table else None,
            f"line {self.line}" if self.line is not None else None,
        ) if p]
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(BudgetKGError):
    status = 400


class EmptyFileError(InputError):
    pass


class BinaryFileError(InputError):
    pass


class NotABudgetDocument(InputError):
    pass


class ExtractionError(BudgetKGError):
    status = 422


class StoreError(BudgetKGError):
    status = 500


class QueryError(BudgetKGError):
    status = 400


class QueryNotFound(QueryError):
    status = 404


class ServiceBusy(BudgetKGError):
    status = 503


def _rebuild(cls, message, source, page, table, line):
    return cls(message, source=source, page=page, table=table, line=line)
