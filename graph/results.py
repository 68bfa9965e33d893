"""SPARQL results → table rows and the standard serialisations (JSON, CSV, TSV)."""
from __future__ import annotations

import pyoxigraph as ox


def serialize(result, fmt: str) -> bytes:
    formats = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
               "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}
    return result.serialize(format=formats[fmt])

