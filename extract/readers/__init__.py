"""Readers: one per input format, each returning the same `Document` model."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import BinaryFileError, EmptyFileError, InputError
from ..model import Document

#: suffixes the folder walk picks up
SUFFIXES = (".txt", ".md", ".text", ".tsv", ".html", ".htm", ".pdf", ".xlsx", ".xls")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_path(path: str | Path, *, pdf_settings=None) -> Document:
    """Read any supported file into a Document; InputError (with the file) when it cannot be."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", source=str(path)) from exc
    return read_bytes(data, source=str(path), pdf_settings=pdf_settings)


def read_bytes(data: bytes, *, source: str, pdf_settings=None) -> Document:
    if not data.strip():
        raise EmptyFileError("empty file", source=source)
    if data.lstrip()[:5] == b"%PDF-":
        from .blocks import rows_to_blocks
        from .pdf import read_pdf_rows
        rows, _ = read_pdf_rows(data, source=source, settings=pdf_settings)
        return Document(source=source, sha256=sha256_of(data), blocks=rows_to_blocks(rows, layout="pdf"),
                        layout="pdf", media_type="application/pdf")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        from .blocks import rows_to_blocks
        from .sheet import read_xls_rows, read_xlsx_rows
        if data.startswith(b"PK") and b"xl/" not in data[:4096] and b"[Content_Types]" not in data[:4096]:
            raise InputError("a zip archive that is not an xlsx workbook", source=source)
        rows = read_xlsx_rows(data, source=source) if data.startswith(b"PK") else read_xls_rows(data, source=source)
        return Document(source=source, sha256=sha256_of(data), blocks=rows_to_blocks(rows, layout="sheet"),
                        layout="sheet", media_type="application/vnd.ms-excel")
    from .text import read_text, decode
    text = decode(data, source=source)
    return read_text(text, source=source, sha256=sha256_of(data))


__all__ = ["read_path", "read_bytes", "SUFFIXES", "BinaryFileError"]
