"""One model of a project's money: whatever table or text a figure comes from (项目支出表,
绩效目标表, 绩效自评表, the self-evaluation summary), it is a bkg:ProjectAmount with its figure
(年初预算数 / 全年预算数 / 全年执行数), phase, amount in 元, source (table or text) and provenance;
a stated figure that disagrees with its table is a finding. Values read by hand from
../shared/corpus/001 (沈阳 2024 决算)."""
from __future__ import annotations

from decimal import Decimal

from budgetkg.extract.project_text import stated_project_money
from budgetkg.graph.queries import run

Q = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX d: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX m: <http://data.openbudgets.eu/ontology/dsd/measure/>
SELECT ?figure ?source ?phase ?amount ?line WHERE {
  ?p a bkg:Project ; rdfs:label ?name . FILTER(STR(?name) = "获评“专精特新”企业奖励及评审项目")
  ?o d:project ?p ; bkg:figure ?f ; bkg:figureSource ?s ; m:amount ?amount ; d:budgetPhase ?ph ; bkg:sourceLine ?line .
  ?f skos:prefLabel ?figure . FILTER(LANG(?figure) = "zh")
  ?s skos:prefLabel ?source . FILTER(LANG(?source) = "zh")
  BIND(STRAFTER(STR(?ph), "/budget-phase/") AS ?phase)
}"""


def test_summary_figures_read_from_the_text(extractions):
    got = {s.name: s for s in stated_project_money(extractions["001"].document)}
    # (71) 获评“专精特新”企业奖励及评审项目自评综述：…全年预算数为 31.01 万元，执行数为 31.01 万元，执行率 100%
    s = got["获评“专精特新”企业奖励及评审项目"]
    assert (s.budget.value, s.executed.value, s.rate) == (Decimal("31.01"), Decimal("31.01"), Decimal("100"))
    # (40) …贷款贴息项目自评综述: 全年预算数为 650.5 万元, 拟执行数为 894.37 万元 — a plan, not an execution
    s = got["专精特新中小企业、新增升规工业中小企业贷款贴息项目"]
    assert s.budget.value == Decimal("650.5") and s.executed is None
    # (28) …(市本级)项目自评综述: 项目全年预算 4680 万元, 实际执行 4670 万元, 预算执行率 99.8%
    s = got["2024 年数字辽宁智造强省专项资金(市本级)项目"]
    assert (s.budget.value, s.executed.value, s.rate) == (Decimal("4680"), Decimal("4670"), Decimal("99.8"))


def test_tabulated_and_stated_figures_told_apart(store):
    got = {(r["figure"].value, r["source"].value, r["phase"].value, r["amount"].value, r["line"].value)
           for r in run(store, Q)}
    assert got == {("全年预算数", "表中数", "approved", "310100", "1661"),     # 绩效自评表 项目预算金额 31.01
                   ("全年执行数", "表中数", "executed", "310100", "1661"),     # 全年执行数 31.01
                   ("全年预算数", "文中数", "approved", "310100", "524"),      # the summary's 31.01 万元
                   ("全年执行数", "文中数", "executed", "310100", "524")}


def test_stated_budget_against_its_self_evaluation_is_a_finding(store):
    q = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?message ?label ?printed WHERE { ?f bkg:rule "project-stated-equals-table" ; bkg:message ?message ;
      bkg:compares ?s . ?s rdfs:label ?label ; bkg:printedAmount ?printed .
      FILTER(CONTAINS(?message, "贷款贴息")) }"""
    rows = {(r["label"].value, r["printed"].value) for r in run(store, q)}
    # text (line 438): 全年预算数为 650.5 万元; 绩效自评表 (line 1890): 项目预算金额 98.5
    assert rows == {("专精特新中小企业、新增升规工业中小企业贷款贴息项目 全年预算数（说明）", "650.5"),
                    ("专精特新中小企业、新增升规工业中小企业贷款贴息项目 全年预算数（表）", "98.5")}
