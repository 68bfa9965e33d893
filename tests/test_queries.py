"""The researchers' questions answered on the corpus, checked against values read by hand."""
from decimal import Decimal

from budgetkg.graph.queries import bind, get_query, named_queries, run


def answer(store, name, **params):
    q = get_query(name)
    res = run(store, q.text, bind(q, params))
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def test_every_query_has_a_header():
    for q in named_queries().values():
        assert q.title and q.question, q.name


def test_one_department_across_years(store):
    rows = answer(store, "totals")
    shenyang = [r for r in rows if r["department"] == "沈阳市工业和信息化局"]
    assert sorted(r["year"] for r in shenyang) == ["2020", "2024"]


def test_totals_per_document(store):
    got = {(r["department"], r["year"]): (r["total"], r["basic"], r["project"]) for r in answer(store, "totals")}
    assert got[("沈阳市工业和信息化局", "2020")] == ("345854100", "41412400", "304441700")    # 34,585.41 万元
    assert got[("沈阳市工业和信息化局", "2024")] == ("656695400", "91457000", "565238400")    # 决算 65,669.54
    assert got[("抚顺市工业和信息化局", "2025")] == ("14254000", "12072800", "2181200")
    assert got[("山海关区科技和工信部门", "2023")] == ("9987700", "2588800", "7398900")


def test_subject_2150805(store):
    rows = answer(store, "subject", code="2150805")
    assert {(r["department"], r["year"], r["phase"], r["amount"]) for r in rows} == {
        ("沈阳市工业和信息化局", "2024", "executed", "387400")}


def test_subject_parameter_is_bound(store):
    rows = answer(store, "subject", code="2080501")
    assert {(r["department"], r["year"]) for r in rows} >= {
        ("沈阳市工业和信息化局", "2020"), ("沈阳市工业和信息化局", "2024"),
        ("抚顺市工业和信息化局", "2025"), ("山海关区科技和工信部门", "2023")}
    assert all(r["code"] == "2080501" for r in rows)


def test_zhuanjingtexin(store):
    rows = answer(store, "zhuanjingtexin")
    got = {(r["city"], r["year"], r["project"], r["figure"], r["phase"], r["amount"], r["unit"]) for r in rows}
    assert got == {
        # 抚顺 2025: 项目支出表 and 绩效目标表 both print 197.50 万元 — counted once; its 说明 names 专精特新
        ("抚顺市", "2025", "市升规入库企业奖励资金", "年初预算数", "approved", "1975000", "元"),
        # 沈阳 2024 决算: four projects known only from their 绩效自评表 (项目预算金额 / 全年执行数, 万元)
        ("沈阳市", "2024", "获评“专精特新”企业奖励及评审项目", "全年预算数", "approved", "310100", "元"),
        ("沈阳市", "2024", "获评“专精特新”企业奖励及评审项目", "全年执行数", "executed", "310100", "元"),
        ("沈阳市", "2024", "专精特新中小企业高质量发展专项", "全年预算数", "approved", "3000000", "元"),
        ("沈阳市", "2024", "专精特新中小企业高质量发展专项", "全年执行数", "executed", "3000000", "元"),
        ("沈阳市", "2024", "“专精特新”中小企业奖励项目", "全年预算数", "approved", "0", "元"),
        ("沈阳市", "2024", "“专精特新”中小企业奖励项目", "全年执行数", "executed", "0", "元"),
        ("沈阳市", "2024", "专精特新中小企业、新增升规工业中小企业贷款贴息", "全年预算数", "approved", "985000", "元"),
        ("沈阳市", "2024", "专精特新中小企业、新增升规工业中小企业贷款贴息", "全年执行数", "executed", "0", "元")}
    assert len(rows) == len(got)
    # every row links to its source: document, table and line
    assert all(r["document"] and r["table"] and r["line"] for r in rows)


def test_three_public(store):
    rows = answer(store, "three_public")
    got = {(r["department"], r["year"], r["phase"], r["category"]): Decimal(r["amount"]) for r in rows}
    assert got[("沈阳市工业和信息化局", "2020", "approved", "“三公”经费合计")] == Decimal("1228500")
    assert got[("沈阳市工业和信息化局", "2019", "approved", "“三公”经费合计")] == Decimal("1646900")
    assert got[("沈阳市工业和信息化局", "2024", "executed", "“三公”经费合计")] == Decimal("100000")
    assert got[("山海关区科技和工信部门", "2023", "approved", "公务用车运行维护费")] == Decimal("10000")


def test_parameter_cannot_inject_syntax(store):
    # a value with quotes and braces stays one literal: no rows, no syntax error, no extra pattern
    rows = answer(store, "subject", code='2150805" } ?s ?p ?o { "')
    assert rows == []


def test_below_half(store):
    rows = answer(store, "below_half")
    got = {r["project"]: (Decimal(r["budget"]), Decimal(r["executed"])) for r in rows}
    # 2024 年数字辽宁智造强省专项资金（2536 万）: executed 1091.12 of 2536 万元 (43.03 %)
    assert got["2024年数字辽宁智造强省专项资金（2536万）"] == (Decimal("25360000"), Decimal("10911200"))
    assert all(Decimal(r["ratio"]) < Decimal("0.5") for r in rows)
    assert "法律顾问费" not in got                       # executed 4.5 of 4.5


def test_responsibilities_on_electricity(store):
    rows = answer(store, "responsibilities", word="电力")
    assert {(r["department"], r["year"], r["number"]) for r in rows} >= {
        ("沈阳市工业和信息化局", "2020", "9"), ("沈阳市工业和信息化局", "2024", "9")}


def test_project_share(store):
    got = {(r["department"], r["year"]): Decimal(r["share"]) for r in answer(store, "project_share")}
    assert got[("沈阳市工业和信息化局", "2020")] == Decimal("88.03")     # 30,444.17 / 34,585.41
    assert got[("山海关区科技和工信部门", "2023")] == Decimal("74.08")   # 739.89 / 998.77


def test_three_public_change(store):
    rows = answer(store, "three_public_change")
    r = next(r for r in rows if r["year"] == "2020" and r["department"] == "沈阳市工业和信息化局")
    assert (r["total"], r["previous"], r["change"]) == ("1228500", "1646900", "-418400")   # −41.84 万元, as the text says


def test_no_converter_debris_in_the_graph(store):
    # 001 prints stray <td> tags; 000 has full-width punctuation and thousands separators
    q = """SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . FILTER(isLiteral(?o) && (CONTAINS(STR(?o), "<td") ||
           CONTAINS(STR(?o), "</td>") || CONTAINS(STR(?o), "\\\\geq"))) }"""
    assert int(next(iter(run(store, q)))["n"].value) == 0
    q = """PREFIX m: <http://data.openbudgets.eu/ontology/dsd/measure/>
           SELECT (COUNT(*) AS ?n) WHERE { ?s m:amount ?a . FILTER(CONTAINS(STR(?a), ",") || CONTAINS(STR(?a), " ")) }"""
    assert int(next(iter(run(store, q)))["n"].value) == 0


def test_subject_includes_its_children_once_per_document(store):
    rows = answer(store, "subject", code="21508")
    got = [(r["department"], r["year"], r["notation"], r["amount"]) for r in rows]
    # 000 lines 182-183: 21508 5.80 / 2150802 5.80 万元 (printed in three tables, counted once);
    # 001 支出决算表: 21508 / 2150805 中小企业发展专项 38.74 万元
    assert ("沈阳市工业和信息化局", "2020", "21508", "58000") in got
    assert ("沈阳市工业和信息化局", "2020", "2150802", "58000") in got
    assert ("沈阳市工业和信息化局", "2024", "2150805", "387400") in got
    assert len(got) == len(set((d, y, n) for d, y, n, _ in got))        # one figure per document and code


def test_three_public_change_ranks_each_documents_own_year(store):
    rows = answer(store, "three_public_change")
    assert "2019" not in {r["year"] for r in rows}          # 000's previous-year column is no year of its own
    assert {(r["department"], r["year"]) for r in rows} >= {("沈阳市工业和信息化局", "2020"), ("抚顺市工业和信息化局", "2025")}


def test_satisfaction_names_projects_and_indicators(store):
    rows = answer(store, "satisfaction")
    assert rows and not any(r["indicator"] in (">=", "<=", "=", "≥", "≤") for r in rows)
    assert not any(r["project"] in ("预算项目(政策)", "项目(政策)") for r in rows)


def test_a_parameter_seeds_every_group_that_names_it():
    """A VALUES outside a subquery never reaches into it: the parameter is bound in the outer
    WHERE and in each subquery's WHERE that names its variable, so a grouping over the whole
    store is seeded by it — and a value is still a term, never query syntax."""
    import pyoxigraph as ox
    from budgetkg.graph.queries import with_values
    text = ('SELECT ?x ?n WHERE { { SELECT ?code (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?code } GROUP BY ?code } '
            '{ SELECT ?other WHERE { ?other <urn:q> "#{" } } ?x <urn:r> ?code }')
    evil = ox.Literal('1" } } DROP ALL { "')
    bound = with_values(text, {ox.Variable("code"): evil})
    assert bound.count("VALUES (?code)") == 2          # the outer group and the subquery that names ?code
    store = ox.Store()
    g = ox.DefaultGraph()
    store.extend([ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), evil, g),
                  ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("2"), g),
                  ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:r"), evil, g),
                  ox.Quad(ox.NamedNode("urn:o"), ox.NamedNode("urn:q"), ox.Literal("#{"), g)])
    rows = list(store.query(bound))
    assert [(r["x"].value, r["n"].value) for r in rows] == [("urn:x", "1")]
