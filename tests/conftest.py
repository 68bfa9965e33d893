"""Shared fixtures: the real corpus (../shared/corpus, never copied here) built once per session."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"


def corpus_file(prefix: str) -> Path:
    """A corpus document by its listing prefix (tests may name fixtures; the code never does)."""
    matches = sorted(CORPUS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"corpus document {prefix} not found beside the repository")
    return matches[0]


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory):
    from budgetkg.graph.build import build
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus not found")
    path = tmp_path_factory.mktemp("kg")
    reports = build([CORPUS], path)
    assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]
    return path


@pytest.fixture(scope="session")
def store(corpus_store):
    from budgetkg.graph.store import open_store
    return open_store(corpus_store, read_only=True)


@pytest.fixture(scope="session")
def extractions():
    from budgetkg.extract.pipeline import extract_path
    return {p: extract_path(corpus_file(p)) for p in ("000", "001", "002", "003")}


def extract_text(text: str, source: str = "doc.txt"):
    """The extraction of a document given as text (invented test documents)."""
    from budgetkg.extract.pipeline import document_to_extraction
    from budgetkg.extract.readers import read_bytes
    return document_to_extraction(read_bytes(text.encode(), source=source))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, probe: str, proc) -> None:
    """Wait for a server the test started; fail (and stop it) if it never answers."""
    import httpx
    for _ in range(150):
        try:
            httpx.get(url + probe, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"server at {url} did not start")


@contextmanager
def serving(kg: Path):
    """`budgetkg serve` on a free port over the store `kg`, up before the block, stopped after it."""
    exe = str(Path(sys.executable).parent / "budgetkg")
    proc = subprocess.Popen([exe, "serve", str(kg), "--port", str(free_port())], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    port = proc.args[-1]
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, "/queries", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def oxigraph_server(location: Path):
    """A real Oxigraph server (pip `oxigraph`) on a free port over `location`, stopped after the block."""
    import shutil
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        pytest.fail("the oxigraph server (pip package `oxigraph`) is not installed")
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, "/query?query=ASK%20%7B%7D", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
