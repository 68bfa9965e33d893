"""The fast write path: documents made in worker processes, bulk-loaded and committed per batch.
A graph bulk-loaded but never committed is rolled back by the next build; the store on disk
stays close to one `bulk_load` of the same quads; the graphs are those a per-document write
gives."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg.extract.errors import StoreError
from budgetkg.graph.build import build
from budgetkg.graph.store import DCT_IDENTIFIER, Commit, LocalStore, open_store
from budgetkg.graph.shards import make_shard, read_shard
from tests.conftest import SAMPLES

BUDGET = SAMPLES / "dalian_digital_2024_budget.txt"
FINAL = SAMPLES / "dalian_digital_2023_final.txt"


def graphs(kg: Path) -> dict[str, int]:
    st = open_store(kg, read_only=True)
    out = {g.value: sum(1 for _ in st.quads_for_pattern(None, None, None, g)) for g in st.named_graphs()}
    del st
    return out


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and "snapshots" not in f.parts)


def test_a_commit_that_never_happened_is_rolled_back(tmp_path, monkeypatch):
    kg = tmp_path / "kg"
    assert all(r.ok for r in build([BUDGET], kg, validate=False))
    before = graphs(kg)
    variant = tmp_path / "x" / BUDGET.name
    variant.parent.mkdir()
    variant.write_bytes(BUDGET.read_bytes() + b"\n\n")
    shard = make_shard(variant, validate=False)
    store = LocalStore(kg)

    def killed(text: str) -> None:      # the process dies between the bulk load and the commit
        raise OSError("killed")
    real = store.store
    monkeypatch.setattr(store, "store", type("S", (), {"__getattr__": lambda s, n: getattr(real, n),
                                                       "update": staticmethod(killed)})())
    with pytest.raises(StoreError):
        store.write_documents([Commit(shard.report.graph, read_shard(shard), ["x/" + BUDGET.name])])
    assert real.contains_named_graph(ox.NamedNode(shard.report.graph))      # loaded, not committed
    monkeypatch.undo()
    assert store.recover() == [shard.report.graph]
    store.flush()
    del store, real
    assert graphs(kg) == before


def test_bulk_written_store_is_close_to_bulk_load_and_holds_the_same_quads(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (BUDGET, FINAL):
        shutil.copy(name, folder / name.name)
    kg = tmp_path / "kg"
    assert all(r.ok for r in build([folder], kg, validate=False, workers=2))
    st = open_store(kg, read_only=True)
    dump = st.dump(format=ox.RdfFormat.N_QUADS)
    del st
    ref = tmp_path / "ref"
    st = ox.Store(str(ref))
    st.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
    st.flush()
    st.optimize()
    del st
    assert folder_size(kg) <= 1.5 * folder_size(ref) + 2_000_000
    # every document graph holds its path identifier: committed
    st = open_store(kg, read_only=True)
    docs = list(st.query(f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ ?g <{DCT_IDENTIFIER}> ?p }} }}"))
    assert sorted(s["p"].value.rsplit("/", 1)[-1] for s in docs) == sorted([BUDGET.name, FINAL.name])


def test_one_and_two_workers_build_the_same_graphs(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    assert all(r.ok for r in build([SAMPLES], one, validate=False, workers=1))
    assert all(r.ok for r in build([SAMPLES], two, validate=False, workers=2))
    assert graphs(one) == graphs(two)
