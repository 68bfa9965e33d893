"""A 决算's 年初预算数, line by line, against the 预算 document of the same department and year
(graph/across.py, extract/rules_across.py), run by `budgetkg build` itself.

No real pair is in the corpora: the one real 决算 of corpus-real (佛山市轨道交通局 2019) and the
corpus 决算 (沈阳 工信局 2024) print no 年初预算数 per code and have no 预算 document of their
year. So the 预算 side is real — 江苏省政协办公厅's 2019 预算公开表 (corpus-real), whose 公开07表
一般公共预算支出预算表（功能科目） on page 7 prints, read on the page image: 合计 13,297.11,
2010204 政协会议 1,282.56, 2210202 提租补贴 1,754.17 (万元) — and the 决算 is a fragment written
here with those 年初预算数, then one figure changed."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUDGET_PDF = ROOT.parent / "shared" / "corpus-real" / "ae86jack+open-budget" / "江苏省政协办公厅2019年预算公开表.pdf"

# (code, name, 年初预算数 in 万元) as printed on page 7 of the 预算 document
PAGE_7 = [("", "合计", "13,297.11"), ("201", "一般公共服务支出", "10,191.56"), ("20102", "政协事务", "10,191.56"),
          ("2010201", "行政运行", "5,223.22"), ("2010202", "一般行政管理事务", "3,159.78"),
          ("2010204", "政协会议", "1,282.56"), ("2010205", "委员视察", "426.00"),
          ("2010299", "其他政协事务支出", "100.00"), ("208", "社会保障和就业支出", "858.51"),
          ("20805", "行政事业单位离退休", "858.51"), ("2080504", "未归口管理的行政单位离退休", "277.05"),
          ("2080505", "机关事业单位基本养老保险缴费支出", "415.33"),
          ("2080506", "机关事业单位职业年金缴费支出", "166.13"), ("221", "住房保障支出", "2,247.04"),
          ("22102", "住房改革支出", "2,247.04"), ("2210201", "住房公积金", "492.87"),
          ("2210202", "提租补贴", "1,754.17")]


def _yuan(printed: str) -> str:
    """万元 as printed → the same figure in 元, printed with two decimals."""
    from decimal import Decimal
    return f"{Decimal(printed.replace(',', '')) * 10000:,.2f}"


def final_text(changed: dict[str, str] | None = None, *, in_yuan: bool = False, prose: str = "",
               note: str = "") -> str:
    """The 决算 fragment: its 一般公共预算财政拨款支出决算表 with 年初预算数 | 决算数 per code."""
    rows = []
    for code, name, v in PAGE_7:
        v = (changed or {}).get(code or "合计", v)
        shown = _yuan(v) if in_yuan else v
        rows.append(f"{code}\t{name}\t{shown}\t{shown}")
    return "\n\n".join(["江苏省政协办公厅", "2019 年度部门决算", *([prose] if prose else []),
                        "一般公共预算财政拨款支出决算表", "部门：江苏省政协办公厅",
                        f"金额单位：{'元' if in_yuan else '万元'}",
                        "功能分类科目编码\t科目名称\t年初预算数\t决算数\n" + "\n".join(rows),
                        *([note] if note else [])]) + "\n"


def _build(tmp_path: Path, text: str):
    from budgetkg.graph.build import build
    docs = tmp_path / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "budget.pdf").write_bytes(BUDGET_PDF.read_bytes())
    (docs / "final.txt").write_text(text, encoding="utf-8")
    kg = tmp_path / "kg"
    assert all(r.ok for r in build([docs], kg))
    return kg


def _found(kg: Path, rule: str = "final-budget-lines-equal-budget-document"):
    from budgetkg.graph.findings import stored_findings
    from budgetkg.graph.store import open_store
    return [f for f in stored_findings(open_store(kg, read_only=True), min_severity="info") if f.rule == rule]


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The pair as published (the 决算 prints the 预算 document's figures): built once."""
    return _build(tmp_path_factory.mktemp("clean"), final_text())


def test_the_same_figures_give_no_finding(clean):
    assert _found(clean) == []


@pytest.mark.parametrize("line, printed, changed, name", [
    ("2010204", "1,282.56", "1,228.56", "科目 2010204"),      # a 项: two digits swapped
    ("合计", "13,297.11", "13,297.71", "合计"),               # the table's 合计
])
def test_one_changed_figure_gives_one_finding_naming_it(tmp_path, clean, line, printed, changed, name):
    """Mutation: one 年初预算数 of the 决算 changed; `budgetkg build` alone (no `check`) writes
    exactly one new finding across the documents, naming the line, both figures and the page."""
    before = _found(clean)
    kg = _build(tmp_path, final_text({line: changed}))
    found = _found(kg)
    assert len(found) == len(before) + 1
    f = found[0]
    assert f.severity == "warning" and f.source == "final.txt"
    assert f.message.startswith(f"{name}（一般公共预算） 2019")
    sides = {s.label.split(":")[0]: s for s in f.sides}
    final, budget = sides["final.txt 2019 决算"], sides["budget.pdf 2019 预算"]
    assert final.printed == changed and final.table == "一般公共预算财政拨款支出决算表"
    assert (budget.printed, budget.page, budget.table) == (printed, 7, "一般公共预算支出预算表（功能科目）")


def test_a_final_account_printed_in_yuan_against_a_budget_in_wanyuan(tmp_path):
    """Units: the 决算 in 元 (12,825,600.00 for the 1,282.56 万元 of page 7) is the same figure."""
    kg = _build(tmp_path, final_text(in_yuan=True))
    assert _found(kg) == []
    kg2 = _build(tmp_path / "changed", final_text({"2210202": "1,745.17"}, in_yuan=True))
    found = _found(kg2)
    assert [f.message.split("（")[0] for f in found] == ["科目 2210202"]
    assert sorted(s.printed for s in found[0].sides) == ["1,754.17", "17,451,700.00"]


def test_findings_across_documents_live_in_their_own_graph(clean):
    """One fact once: the findings across documents are in the findings graph, not in a
    document's graph, and `budgetkg check` (which runs the checks again) leaves one copy."""
    from typer.testing import CliRunner

    from budgetkg.cli import app
    from budgetkg.graph.across import ACROSS_GRAPH
    from budgetkg.graph.store import open_store
    kg = clean
    res = CliRunner().invoke(app, ["check", str(kg), "--severity", "info"])
    assert res.exit_code == 0, res.output
    st = open_store(kg, read_only=True)
    q = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d <https://w3id.org/budgetkg/ontology#finding> ?f }
           FILTER(CONTAINS(STR(?f), "/finding/across/")) } GROUP BY ?g"""
    graphs = {r["g"].value for r in st.query(q)}
    assert graphs <= {ACROSS_GRAPH}


def test_a_side_that_is_no_money_has_no_amount(tmp_path):
    """Empty is not zero: the sides of a placeholder finding (a name) and of a year mismatch
    (years) carry their text (and a year its number as rdf:value), never obeu amount 0."""
    from budgetkg.graph.store import open_store
    kg = _build(tmp_path, final_text(prose="截至2018年12月31日，本部门共有车辆2辆。",
                                     note="本表由XX局填报。"))
    st = open_store(kg, read_only=True)
    q = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
    SELECT ?rule ?printed ?amount ?value ?unit WHERE {
      ?f bkg:rule ?rule ; bkg:compares ?s . ?s bkg:printedAmount ?printed .
      OPTIONAL { ?s <http://data.openbudgets.eu/ontology/dsd/measure/amount> ?amount }
      OPTIONAL { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?value }
      OPTIONAL { ?s bkg:printedUnit ?unit }
      FILTER(?rule = "template-placeholder" || CONTAINS(?rule, "year"))
    }"""
    rows = [{k: (r[k].value if r[k] is not None else None) for k in ("rule", "printed", "amount", "value", "unit")}
            for r in st.query(q, use_default_graph_as_union=True)]
    placeholder = [r for r in rows if r["rule"] == "template-placeholder"]
    assert placeholder and all(r["amount"] is None and r["value"] is None for r in placeholder)
    assert {"江苏省政协办公厅"} <= {r["printed"] for r in placeholder}
    years = [r for r in rows if "year" in r["rule"]]
    assert years and all(r["amount"] is None for r in years)
    assert {(r["value"], r["unit"]) for r in years} >= {("2018", "年"), ("2019", "年")}


# ------------------------------------------------------------------ 机关运行经费 from its own table

def test_office_running_read_from_its_own_table():
    """江苏省政协办公厅 2019 prints a 一般公共预算机关运行经费支出预算表 (公开11表, page 11: 合计
    1,130.74) and a 基本支出表 by economic class only (公开08表, page 8: 302 商品和服务支出 1,130.74,
    beside 301 and 303, the 人员经费), read on the pages. The rule takes the table's 合计 (no text
    states it in this document) against the 公用经费 classes: equal, no finding; the 合计 changed
    to 1,310.74 gives exactly one, naming both figures and their pages."""
    from dataclasses import replace

    from budgetkg.extract.model import Amount, ItemLine
    from budgetkg.extract.pipeline import extract_path
    from budgetkg.extract.rules_tables import check_office_running
    ex = extract_path(BUDGET_PDF, checks=True)
    assert check_office_running([], ex.records, "预算") == []
    total = next(r for r in ex.records if isinstance(r, ItemLine) and r.kind == "office-running" and r.item == "合计")
    assert (total.amount.printed, total.prov.page) == ("1,130.74", 11)
    changed = [replace(r, amount=Amount(printed="1,310.74", value=Decimal("1310.74"), unit_mult=4)) if r is total else r
               for r in ex.records]
    found = check_office_running([], changed, "预算")
    assert len(found) == 1 and found[0].severity == "warning"
    assert sorted((s.printed, s.prov.page) for s in found[0].sides) == [("1,130.74", 8), ("1,310.74", 11)]


def test_office_running_of_a_wider_scope_is_not_compared():
    """江苏省委办公厅 2017 (公开表格): its 机关运行经费 table (page 10, 合计 10,101.76) counts 会议费
    933.50 where the 基本支出表 (page 9) has 50.00, and 310 其他资本性支出 90.00 the 基本支出 never
    had — it counts 项目支出 too, so it is no part of the 基本支出's 公用经费 (302: 2,144.60)."""
    from budgetkg.extract.pipeline import extract_path
    from budgetkg.extract.rules_tables import check_office_running
    pdf = BUDGET_PDF.parent / "江苏省委办公厅2017年预算公开表格.pdf"
    ex = extract_path(pdf, checks=True)
    assert check_office_running([], ex.records, "预算") == []
