"""The full-text index (SQLite FTS5 over jieba's words) built beside the store by every build,
rebuildable from the store, answering `budgetkg search` and GET /search ranked, each hit linked
to its IRI and its document, page, table, row (hits checked against ../shared/corpus by hand)."""
from __future__ import annotations

import shutil

import httpx
import pytest
from typer.testing import CliRunner

from budgetkg.cli import app
from budgetkg.graph.search import index_path, question_to_match, search


def test_a_build_writes_the_index_beside_the_store(corpus_store):
    assert index_path(corpus_store).is_file()


def test_zhuanjingtexin_ranked_and_linked(corpus_store):
    hits = search(corpus_store, "专精特新", limit=50)
    names = [h.name for h in hits]
    # 001 line 1661: 获评“专精特新”企业奖励及评审项目 (绩效自评表); line 1669: 国家专精特新小巨人企业数量
    assert "获评“专精特新”企业奖励及评审项目" in names and "国家专精特新小巨人企业数量" in names
    # line 1240: 专精特新中小企业高质量发展专项 — jieba keeps 专精特新中小企业 whole; the label inside it is indexed too
    assert "专精特新中小企业高质量发展专项" in names
    h = next(h for h in hits if h.name == "国家专精特新小巨人企业数量")
    assert (h.kind, h.source, h.line, h.row) == ("indicator", "001_6367db88f3b3f512.txt", 1669, 5)
    assert h.iri.startswith(h.document + "/indicator/")
    assert [x.score for x in hits] == sorted((x.score for x in hits), reverse=True)
    # every word required: 民爆 and 监督管理 together only in 003's duty (二十一), line 2011
    duty = search(corpus_store, "民爆 监督管理", kind="duty")
    assert [(d.source, d.line) for d in duty] == [("003_e7a88fea2aca4f01.txt", 2011)]


def test_the_question_is_words_never_syntax():
    assert question_to_match('专精特新" OR x') == '"专精特新" AND "OR" AND "x"'
    assert question_to_match("，。") is None


def test_rebuild_from_the_store_and_the_cli(corpus_store, tmp_path):
    copy = tmp_path / "kg"
    shutil.copytree(corpus_store, copy)
    index_path(copy).unlink()
    r = CliRunner().invoke(app, ["search", "专精特新", "--store", str(copy)])
    assert r.exit_code == 1 and "no search index here" in r.output
    r = CliRunner().invoke(app, ["search", "--rebuild", "--store", str(copy)])
    assert r.exit_code == 0 and index_path(copy).is_file()
    r = CliRunner().invoke(app, ["search", "贷款贴息", "--store", str(copy), "-n", "3"])
    assert r.exit_code == 0 and "3 hit(s)" in r.output and "https://w3id.org/budgetkg/id/document/" in r.output


@pytest.fixture(scope="module")
def client(corpus_store):
    from fastapi.testclient import TestClient
    from budgetkg.graph.server import create_app
    with TestClient(create_app(corpus_store)) as c:
        yield c


def test_search_route_json_and_html(client):
    r = client.get("/search", params={"q": "专精特新", "limit": 5})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    hits = r.json()["hits"]
    assert len(hits) == 5 and all(h["iri"] and h["document"] and h["source"] for h in hits)
    r = client.get("/search", params={"q": "专精特新"}, headers={"accept": "text/html"})
    assert r.status_code == 200 and "<h1>Search: 专精特新</h1>" in r.text and 'href="/id/document/' in r.text
    r = client.get("/search", params={"q": "<script>"}, headers={"accept": "text/html"})
    assert "<script>" not in r.text
    r = client.get("/search")
    assert r.status_code == 400 and r.text.startswith("Error: missing 'q' parameter")


# --- the index follows the store: written per document by the build, never re-read whole ---

def _sample_folder(tmp_path):
    from tests.conftest import SAMPLES
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("dalian_digital_2024_budget.txt", "dalian_digital_2023_final.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def _ranges(kg) -> dict[str, tuple[int, int]]:
    import sqlite3
    db = sqlite3.connect(index_path(kg))
    try:
        return {g: (lo, hi) for g, lo, hi in db.execute("SELECT graph, lo, hi FROM documents")}
    finally:
        db.close()


def test_a_changed_document_replaces_its_hits_and_leaves_the_others(tmp_path):
    from budgetkg.graph.build import build
    docs, kg = _sample_folder(tmp_path), tmp_path / "kg"
    build([docs], kg)
    before = _ranges(kg)
    assert len(before) == 2
    # the budget's project line 55 (数字化转型诊断服务) renamed: the new name is found, the old is gone
    budget = docs / "dalian_digital_2024_budget.txt"
    budget.write_text(budget.read_text(encoding="utf-8").replace("数字化转型诊断服务", "工业互联网标识解析服务"),
                      encoding="utf-8")
    build([docs], kg)
    after = _ranges(kg)
    hits = search(kg, "标识解析", kind="project")
    assert [(h.name, h.source, h.line) for h in hits] == [
        ("工业互联网标识解析服务", "dalian_digital_2024_budget.txt", 55)]
    assert "数字化转型诊断服务" not in [h.name for h in search(kg, "转型诊断", kind="project")]
    # the unchanged 决算 keeps its rows as they were (not segmented again); the budget's old graph is gone
    final = [g for g in before if g in after]
    assert len(final) == 1 and after[final[0]] == before[final[0]]
    assert len(after) == 2 and set(after) - set(before)
    hits = search(kg, "拟订全市数字经济发展规划", kind="duty")
    assert sorted(h.source for h in hits) == ["dalian_digital_2023_final.txt", "dalian_digital_2024_budget.txt"]


def test_a_build_makes_the_index_a_store_lacks_or_that_other_code_made(tmp_path):
    from budgetkg.graph.build import build
    docs, kg = _sample_folder(tmp_path), tmp_path / "kg"
    build([docs], kg)
    want = [(h.iri, h.line) for h in search(kg, "数字", limit=50)]
    assert len(want) == 3
    # no index (a store written before the index existed; a build killed after its commit):
    # the next build, every document unchanged, reads the rows from the store
    index_path(kg).unlink()
    reports = build([docs], kg)
    assert all(r.skipped for r in reports)
    assert [(h.iri, h.line) for h in search(kg, "数字", limit=50)] == want
    # an index made by other code (no version of ours) is made again, not mixed with
    import sqlite3
    index_path(kg).unlink()
    db = sqlite3.connect(index_path(kg))
    db.execute("CREATE VIRTUAL TABLE items USING fts5(name_words, text_words, iri UNINDEXED)")
    db.execute("INSERT INTO items VALUES ('数字', '', 'urn:stale')")
    db.commit()
    db.close()
    build([docs], kg)
    assert [(h.iri, h.line) for h in search(kg, "数字", limit=50)] == want


def test_a_build_removes_working_copies_of_builds_that_are_gone(tmp_path):
    """A killed build leaves its working copy of the index (`.budgetkg-search.sqlite.<pid>`); the
    next build removes it, but never the copy of a build still running."""
    import subprocess
    import sys
    from budgetkg.graph.build import build
    docs, kg = _sample_folder(tmp_path), tmp_path / "kg"
    build([docs], kg)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        final = index_path(kg)
        left = final.with_name(f".{final.name}.{gone}")
        alive = final.with_name(f".{final.name}.{running.pid}")
        for copy in (left, alive):
            shutil.copyfile(final, copy)
        build([docs], kg)
        assert not left.exists() and alive.exists()
        assert len(search(kg, "数字", limit=50)) == 3
    finally:
        running.kill()
        running.wait()


def test_a_documents_rows_from_its_quads_are_those_the_store_gives(corpus_store):
    """The workers make a document's index rows from its own quads (filtered to the predicates
    the items query names); rebuilding the index from the store gives the same rows for it."""
    import pyoxigraph as ox
    from budgetkg.graph.search import document_rows, store_to_rows
    from budgetkg.graph.store import current_snapshot
    store = ox.Store.read_only(str(current_snapshot(corpus_store)))
    documents = [r["g"].value for r in store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?g a <https://w3id.org/budgetkg/ontology#BudgetDocument> } }")]
    assert len(documents) >= 4
    for g in documents:
        own = list(store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        rows = document_rows(own)
        assert len(rows) > 50
        assert sorted(rows, key=repr) == sorted(store_to_rows(store, document=g), key=repr)
