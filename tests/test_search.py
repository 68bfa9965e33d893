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
