"""Build orchestration: a folder of documents into the store, one report per document.
A file that fails is reported and skipped; its previous graph stays in the store.

A document is its content (the graph IRI carries its sha256) at its path in the folder tree
(its `dct:identifier`, beside the bare file name in `dct:source`): rebuilding a path replaces the graph
built before from that path, and two files of the same name in two folders are two documents."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable


import pyoxigraph as ox

from ..extract.errors import BudgetKGError, InputError
from ..extract.model import DocumentProfile
from ..extract.pipeline import document_to_extraction, extract_path
from ..extract.readers import SUFFIXES, read_bytes, sha256_of
from ..extract.topics import TOPICS_GRAPH, scheme_quads
from ..extract.vocab import DEFAULT_BASE
from .across import write_across
from .project_links import link_projects
from .store import DCT_IDENTIFIER, ONTOLOGY_GRAPH, ontology_quads

#: files larger than this are refused before they are read (env BUDGETKG_MAX_FILE_MB)
DEFAULT_MAX_FILE_MB = 64.0
_IDENTIFIER = ox.NamedNode(DCT_IDENTIFIER)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def max_file_bytes() -> int:
    try:
        return int(float(os.environ.get("BUDGETKG_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)) * 1024 * 1024)
    except ValueError:
        return int(DEFAULT_MAX_FILE_MB * 1024 * 1024)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n:,} bytes"


def source_key(path: Path) -> str:
    """A file's name within its folder tree: the path as given, without leading `./` or `../`
    (a bare name gets the name of the folder it sits in)."""
    parts = [p for p in path.as_posix().split("/") if p not in ("", ".", "..")]
    if path.is_absolute():
        return "/" + "/".join(parts)
    if len(parts) == 1:
        parts.insert(0, Path.cwd().name)
    return "/".join(parts)


def _same_path(a: str, b: str) -> bool:
    """Two recorded paths name the same file when one ends with the other (at least folder and
    name), e.g. `../shared/corpus/x.txt` and `corpus/x.txt`."""
    if a == b:
        return True
    short, long_ = sorted((a.strip("/"), b.strip("/")), key=len)
    return short.count("/") >= 1 and long_.endswith("/" + short)


def older_versions(sources: dict[str, set[str]], key: str) -> list[str]:
    """Graphs built before from the file at `key`. Graphs from before paths were recorded
    (only a bare file name) match by name."""
    name = key.rsplit("/", 1)[-1]
    out = []
    for graph, values in sources.items():
        paths = {v for v in values if "/" in v}
        if any(_same_path(p, key) for p in paths) or (not paths and name in values):
            out.append(graph)
    return sorted(out)


def wide_codec(head: bytes) -> str | None:
    """The codec of UTF-16/UTF-32 text, told by its byte-order mark, or (UTF-16 without one) by
    zero bytes that fall (nearly all) on one side of each code unit, as ASCII characters' do;
    the decoding then checks it."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    sample = head[:len(head) // 2 * 2]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd >= 16 and odd > 10 * even:
        return "utf-16-le"
    if even >= 16 and even > 10 * odd:
        return "utf-16-be"
    return None


def decode_wide(data: bytes, codec: str) -> bytes:
    """UTF-16/32 text re-encoded as UTF-8 for the text readers; InputError when it is not text."""
    try:
        text = data.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputError(f"undecodable bytes: not {codec.upper()} text") from None
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(text[:4096]) * 0.01:
        raise InputError("binary file (control bytes), not a text document")
    return text.encode("utf-8")




@dataclass
class DocumentReport:
    source: str
    ok: bool
    error: str | None = None
    graph: str | None = None
    profile: DocumentProfile | None = None
    tables: dict[str, int] = field(default_factory=dict)
    facts: int = 0
    quads: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    violations: list[str] = field(default_factory=list)
    findings: str = ""          # e.g. "0 error, 1 warning, 12 info"
    figures: tuple[int, int, int, int] = (0, 0, 0, 0)   # printed, made facts, explained skips, unaccounted
    skipped: bool = False       # unchanged since the last build (content and code): not rebuilt


def find_documents(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                              and (f.suffix.lower() in SUFFIXES or f.suffix == "")))
        else:
            out.append(p)
    return out


def _extract(path: Path, checks: bool, workers: int, slim: bool = False, max_bytes: int | None = None):
    """An extraction, or the library error that explains why there is none (picklable both).
    A file over the size limit is refused before it is read. `slim` drops the document's
    blocks, which nothing after extraction reads, before the result crosses back from a
    worker process."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            return InputError(f"file too large: {_size(size)}, the limit is {_size(limit)} (BUDGETKG_MAX_FILE_MB)",
                              source=str(path))
        with open(path, "rb") as fh:
            head = fh.read(4096)
        codec = wide_codec(head)
        if codec is not None:
            data = path.read_bytes()
            try:
                text = decode_wide(data, codec)
            except InputError as exc:
                return InputError(exc.message, source=str(path))
            doc = read_bytes(text, source=str(path))
            doc.sha256 = sha256_of(data)
            ex = document_to_extraction(doc, checks=checks)
        else:
            ex = extract_path(path, checks=checks, workers=workers)
    except BudgetKGError as exc:
        return exc
    except OSError as exc:
        return InputError(f"cannot read file ({exc.strerror})", source=str(path))
    if slim:
        ex.document.blocks = []
    return ex


def build(paths: Iterable[str | Path], store_path: str | Path, *, base: str = DEFAULT_BASE,
          progress: Callable[[Path], None] | None = None, validate: bool = True,
          checks: bool = True, workers: int = 1, force: bool = False, engine: str = "local",
          scheduler: str | None = None, shard_dir: str | Path | None = None) -> list[DocumentReport]:
    """Build `paths` into the store: documents made in `workers` processes (or Dask tasks with
    `engine="dask"`), written in bulk, each committed in one transaction with its older
    versions dropped; documents unchanged since the last build skipped unless `force`."""
    files = find_documents(paths)
    from .engine import run     # the engine imports this module

    def prelude(store) -> None:
        """The graphs every build writes besides the documents'."""
        store.replace_graph(ONTOLOGY_GRAPH, ontology_quads())
        store.replace_graph(TOPICS_GRAPH, scheme_quads(base))  # the topic scheme, reference data, under the base

    def postlude(store, changes) -> None:
        """The graphs made over the whole store once its documents are in, before the snapshot:
        for the departments the build changed, or for all (`changes` None)."""
        departments = None if changes is None else changes.departments
        write_across(store, departments, changes.gone if changes else set())  # the checks across documents
        link_projects(store, base, departments)                                 # the same project across years

    reports = run(files, store_path, base=base, progress=progress, validate=validate, checks=checks,
                  workers=workers, force=force, prelude=prelude, engine=engine, scheduler=scheduler,
                  shard_dir=shard_dir, postlude=postlude)
    return reports
