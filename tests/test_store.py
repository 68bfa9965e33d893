"""The store never loses a document: replacing a document's graph is one transaction (a kill -9
loop over a real build checks every graph after each kill), a document is its content and its
path (two files of one name in two folders are two documents), one build at a time, files over
the size limit refused before they are read, UTF-16/UTF-32 text read, and `serve` sees a
finished build without a restart."""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from budgetkg.graph.build import build
from budgetkg.graph.store import BuildLock, open_store
from tests.conftest import SAMPLES

EXE = str(Path(sys.executable).parent / "budgetkg")
DOC = "https://w3id.org/budgetkg/ontology#BudgetDocument"
IDENT = "http://purl.org/dc/terms/identifier"
BUDGET = "dalian_digital_2024_budget.txt"
FINAL = "dalian_digital_2023_final.txt"


def documents(kg: Path) -> dict[str, tuple[str, int]]:
    """path → (graph, quads in it) for every document graph, checking each path has one graph."""
    st = open_store(kg, read_only=True)
    out: dict[str, tuple[str, int]] = {}
    for sol in st.query(f"SELECT ?g ?path WHERE {{ GRAPH ?g {{ ?g a <{DOC}> ; <{IDENT}> ?path }} }}"):
        g, path = sol["g"].value, sol["path"].value
        assert path not in out, f"{path} is in two graphs: {out.get(path)} and {g}"
        out[path] = (g, sum(1 for _ in st.quads_for_pattern(None, None, None, ox.NamedNode(g))))
    del st
    return out


def test_kill_9_at_any_moment_leaves_old_or_new(tmp_path):
    folder = tmp_path / "samples"
    folder.mkdir()
    versions = {}
    for name in (BUDGET, FINAL):
        shutil.copy(SAMPLES / name, folder / name)
    # two contents of the budget: the sample, and the sample with an extra trailing line
    text = (SAMPLES / BUDGET).read_bytes()
    variants = [text, text + b"\n\n"]
    for i, data in enumerate(variants):
        (folder / BUDGET).write_bytes(data)
        ref = tmp_path / f"ref{i}"
        assert all(r.ok for r in build([folder], ref, validate=False))
        versions[i] = documents(ref)
    good = {path: {versions[0][path], versions[1][path]} for path in versions[0]}
    assert versions[0].keys() == versions[1].keys() and len(good) == 2
    kg = tmp_path / "kg"
    (folder / BUDGET).write_bytes(variants[0])
    command = [EXE, "build", str(folder), "--store", str(kg), "--no-validate"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    whole = time.monotonic() - started          # kills spread over the second half of a build's life
    rng = random.Random(10)
    killed_mid_write = 0
    for i in range(8):
        (folder / BUDGET).write_bytes(variants[i % 2])
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.0) * whole)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_mid_write += not finished
        docs = documents(kg)
        assert docs.keys() == good.keys(), f"kill {i}: documents {sorted(docs)}"       # never neither
        for path, found in docs.items():
            assert found in good[path], f"kill {i}: {path} has {found[1]} quads"        # never both, never half
    assert killed_mid_write >= 3


def test_same_name_in_two_folders_is_two_documents(tmp_path, monkeypatch):
    for folder, name in (("a", BUDGET), ("b", FINAL)):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLES / name, tmp_path / folder / "report.txt")
    kg = tmp_path / "kg"
    monkeypatch.chdir(tmp_path)
    assert all(r.ok for r in build([Path("a"), Path("b")], kg, validate=False))
    docs = documents(kg)
    assert set(docs) == {"a/report.txt", "b/report.txt"}
    # a's file changes: its old graph goes, b's stays
    shutil.copy(SAMPLES / FINAL, tmp_path / "a" / "report.txt")
    (tmp_path / "a" / "report.txt").write_bytes((SAMPLES / FINAL).read_bytes() + b"\n")
    assert all(r.ok for r in build([Path("a")], kg, validate=False))
    after = documents(kg)
    assert set(after) == {"a/report.txt", "b/report.txt"} and after["b/report.txt"] == docs["b/report.txt"]
    assert after["a/report.txt"][0] != docs["a/report.txt"][0]
    # the same file named from elsewhere (a longer path) is the same document, not a third
    assert all(r.ok for r in build([tmp_path / "a"], kg, validate=False))
    assert len(documents(kg)) == 2


def test_a_second_build_exits_with_one_line(tmp_path):
    kg = tmp_path / "kg"
    with BuildLock(kg):
        r = subprocess.run([EXE, "build", str(SAMPLES), "--store", str(kg)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr + r.stdout
    assert r.stderr.strip() == f"Error: {kg}: another build is writing to this store; wait for it to finish"


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETKG_MAX_FILE_MB", "0.001")
    reports = build([SAMPLES / BUDGET], tmp_path / "kg", validate=False)
    size = (SAMPLES / BUDGET).stat().st_size
    assert not reports[0].ok
    assert reports[0].error == f"file too large: {size:,} bytes, the limit is 1,048 bytes (BUDGETKG_MAX_FILE_MB)"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                       ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-16-le", b"")])
def test_utf16_and_utf32_text_is_read(tmp_path, codec, bom):
    text = (SAMPLES / BUDGET).read_text(encoding="utf-8")
    ascii_heavy = "\n" * 300 + text if not bom else text      # no BOM: told by its zero bytes
    (tmp_path / "wide.txt").write_bytes(bom + ascii_heavy.encode(codec))
    wide = build([tmp_path / "wide.txt"], tmp_path / "kg", validate=False)[0]
    plain = build([SAMPLES / BUDGET], tmp_path / "kg2", validate=False)[0]
    assert wide.ok, wide.error
    assert wide.facts == plain.facts and wide.profile.department == "大连市数字经济促进局"


def test_serve_sees_a_finished_build_without_restart(tmp_path):
    import asyncio

    from budgetkg.graph.server import ServerSettings, create_app
    kg = tmp_path / "kg"
    assert all(r.ok for r in build([SAMPLES / BUDGET], kg, validate=False))
    app = create_app(kg, ServerSettings(max_running=1))
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d a <{DOC}> }}"

    async def count() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            return int((await c.get("/sparql", params={"query": q})).json()["results"]["bindings"][0]["n"]["value"])
    try:
        assert asyncio.run(count()) == 1
        assert all(r.ok for r in build([SAMPLES / FINAL], kg, validate=False))
        time.sleep(1.1)
        assert asyncio.run(count()) == 2
    finally:
        app.state.pool.close()


def test_a_reference_graph_is_brought_to_its_new_quads_by_difference(tmp_path, monkeypatch):
    """The project links are made over the whole store at every build; they are written by their
    difference (a few changed documents change a few links), and rewritten whole when most go."""
    from budgetkg.graph import store as store_module
    from budgetkg.graph.store import LocalStore
    g, other = ox.NamedNode("urn:ref"), ox.NamedNode("urn:doc")
    links = [ox.Quad(ox.NamedNode(f"urn:link/{i}"), ox.NamedNode("urn:score"), ox.Literal(str(i)), g)
             for i in range(10)]
    st = LocalStore(tmp_path / "kg")
    st.store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("kept"), other))
    assert st.write_reference_graph("urn:ref", links) == 10
    changed = links[:8] + [ox.Quad(ox.NamedNode("urn:link/8"), ox.NamedNode("urn:score"), ox.Literal("80"), g)]
    st.write_reference_graph("urn:ref", changed)
    assert set(st.store.quads_for_pattern(None, None, None, g)) == set(changed)
    # most lost: the graph rewritten whole, nothing of it left behind
    monkeypatch.setattr(store_module, "LOST_ONE_BY_ONE", 0)
    fresh = [ox.Quad(ox.NamedNode("urn:link/new"), ox.NamedNode("urn:score"), ox.Literal("1"), g)]
    st.write_reference_graph("urn:ref", fresh)
    assert list(st.store.quads_for_pattern(None, None, None, g)) == fresh
    assert len(list(st.store.quads_for_pattern(None, None, None, other))) == 1     # other graphs untouched
    st.write_reference_graph("urn:ref", [])
    assert list(st.store.quads_for_pattern(None, None, None, g)) == []


def test_a_reference_graph_of_numbers_written_again_unchanged_is_left_alone(tmp_path):
    """The store keeps numbers in canonical form (a link score "100.00" is read back "100"): the
    same links made again are the same quads, so a build that changed nothing writes nothing
    (compared by their printed form, every build rewrote every link of the store)."""
    from budgetkg.graph.store import LocalStore
    g = ox.NamedNode("urn:ref")
    dec = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    links = [ox.Quad(ox.NamedNode(f"urn:link/{i}"), ox.NamedNode("urn:score"), ox.Literal(v, datatype=dec), g)
             for i, v in enumerate(("100.00", "85.70", "78.00"))]
    st = LocalStore(tmp_path / "kg")
    st.write_reference_graph("urn:ref", links)
    assert sorted(q.object.value for q in st.store.quads_for_pattern(None, None, None, g)) == ["100", "78", "85.7"]
    st.written = False
    removed = []
    st.store = _Recording(st.store, removed)
    st.write_reference_graph("urn:ref", links)
    assert removed == [] and st.written is False
    # a score that did change is rewritten
    changed = links[:2] + [ox.Quad(links[2].subject, links[2].predicate, ox.Literal("79.00", datatype=dec), g)]
    st.write_reference_graph("urn:ref", changed)
    assert [q.object.value for q in removed] == ["78"] and st.written is True


class _Recording:
    """A pyoxigraph Store whose removals are recorded (everything else passed through)."""

    def __init__(self, store: ox.Store, removed: list) -> None:
        self._store, self._removed = store, removed

    def remove(self, quad: ox.Quad) -> None:
        self._removed.append(quad)
        self._store.remove(quad)

    def __getattr__(self, name: str):
        return getattr(self._store, name)
