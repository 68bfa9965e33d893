"""Topics, search and the topic questions on a real published PDF of ../shared/corpus-real:
杭州市司法局 2026 部门预算 (40 pages). Values read by hand from its pages."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.graph.queries import bind, get_query, run
from budgetkg.graph.search import search
from tests.conftest import ROOT

HANGZHOU = ROOT.parent / "shared" / "corpus-real" / "calinchow-del+renwu" / "008_杭州" / "2026年杭州市司法局部门预算.pdf"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    from budgetkg.graph.build import build
    if not HANGZHOU.is_file():
        pytest.skip("corpus-real not found beside the repository")
    path = tmp_path_factory.mktemp("hangzhou")
    assert all(r.ok for r in build([HANGZHOU], path))
    return path


def answer(kg: Path, name, **params):
    from budgetkg.graph.store import open_store
    q = get_query(name)
    res = run(open_store(kg, read_only=True), q.text, bind(q, params))
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def test_legal_aid_project_by_topic_with_its_money(kg):
    # page 38, 表10 2026年市级部门项目支出预算表 (单位：万元): 杭州市法律援助中心 | 法律援助 | 总计 317.82
    rows = [r for r in answer(kg, "topic_projects", topic="司法行政") if r["project"] == "法律援助"]
    assert [(r["figure"], r["phase"], Decimal(r["amount"]), r["unit"], r["page"]) for r in rows] == [
        ("年初预算数", "approved", Decimal("3178200"), "元", "38")]
    assert rows[0]["city"] == "杭州市" and "法律援助" in rows[0]["words"].split()


def test_legal_aid_duty_by_topic(kg):
    # page 3: 9.负责拟订全市公共法律服务体系建设规划并指导实施。指导监督全市律师、法律援助、司法鉴定、公证、仲…
    rows = answer(kg, "topic_duties", topic="司法行政")
    duty = [r for r in rows if "法律援助" in r["duty"]]
    assert [(r["number"], r["page"]) for r in duty] == [("9", "3")]
    assert {"法律援助", "公证"} <= set(duty[0]["words"].split())


def test_search_finds_the_project_and_the_duty(kg):
    hits = search(kg, "法律援助")
    project = next(h for h in hits if h.kind == "project")
    assert (project.name, project.page, project.source) == ("法律援助", 38, HANGZHOU.name)
    assert any(h.kind == "duty" and h.page == 3 for h in hits)
