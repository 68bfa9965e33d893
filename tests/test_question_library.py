"""The question library: topic questions by the topic links (no text scan), indicators by level
and target, a document's findings; `budgetkg ask` lists and runs them. Expected rows read by
hand from ../shared/corpus (file, line); never copied from budgetkg's own output."""
from __future__ import annotations

from decimal import Decimal

from typer.testing import CliRunner

from budgetkg.cli import app
from budgetkg.graph.queries import bind, get_query, named_queries, run

NEW = ("topic_projects", "topic_duties", "topic_indicators", "indicators_by_level", "findings_by_document")


def answer(store, name, **params):
    q = get_query(name)
    res = run(store, q.text, bind(q, params))
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def test_every_new_question_has_title_question_in_two_languages_and_typed_params():
    for name in NEW:
        q = named_queries()[name]
        assert q.title and q.question and q.title_zh and q.question_zh, name
        assert all(p.datatype in ("xsd:string", "xsd:decimal", "iri") and p.default for p in q.params), name
        assert "CONTAINS" not in q.text or not name.startswith("topic_"), name


def test_every_question_of_the_library_has_title_and_question_in_english_and_chinese():
    """`budgetkg ask` and the endpoint page show both: a question without its Chinese is half-asked."""
    library = named_queries()
    assert len(library) >= 20
    for name, q in library.items():
        assert q.title and q.question, f"{name}: English title or question missing"
        assert q.title_zh and q.question_zh, f"{name}: # title@zh: or # question@zh: missing"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q.title_zh + q.question_zh), name


def test_topic_projects_by_place_with_amounts(store):
    rows = answer(store, "topic_projects", topic="专精特新")
    assert all(r["unit"] == "元" and r["document"] for r in rows)
    # 001 (沈阳 2024 决算) 绩效自评表, 全年预算数 / 全年执行数 (万元): 获评“专精特新”企业奖励及评审项目 31.01 / 31.01
    # (line 524, table at 1661), 专精特新中小企业高质量发展专项 300 / 300 (line 1240), “专精特新”中小企业奖励项目 0 / 0
    # (line 1552), 专精特新中小企业、新增升规工业中小企业贷款贴息 98.5 / 0
    sy = {(r["project"], r["figure"]): Decimal(r["amount"]) for r in rows if r["city"] == "沈阳市" and r["year"] == "2024"}
    assert sy[("获评“专精特新”企业奖励及评审项目", "全年执行数")] == Decimal("310100")
    assert sy[("专精特新中小企业高质量发展专项", "全年预算数")] == Decimal("3000000")
    assert sy[("“专精特新”中小企业奖励项目", "全年执行数")] == 0
    assert sy[("专精特新中小企业、新增升规工业中小企业贷款贴息", "全年预算数")] == Decimal("985000")
    assert sum(v for (p, f), v in sy.items() if f == "全年执行数") == Decimal("3310100")
    # 002 (抚顺 2025 预算批复) line 1821: 市升规入库企业奖励资金, 预算资金情况 197.50 万元; its goal names 专精特新 “小巨人”
    fs = [r for r in rows if r["city"] == "抚顺市"]
    assert [(r["project"], r["figure"], r["phase"], r["amount"], r["printed"]) for r in fs] == [
        ("市升规入库企业奖励资金", "年初预算数", "approved", "1975000", "197.50")]
    assert "小巨人" in fs[0]["words"].split()


def test_topic_duties(store):
    # 003 (山海关区 2023) line 2011: （二十一）…负责民爆行业生产流通的监督管理和安全生产工作。承担盐业行业管理工作。
    rows = answer(store, "topic_duties", topic="民爆")
    assert [(r["department"], r["year"], r["number"], r["words"], r["line"]) for r in rows] == [
        ("山海关区科技和工信部门", "2023", "21", "民爆", "2011")]
    assert [r["number"] for r in answer(store, "topic_duties", topic="盐业")] == ["21"]


def test_topic_indicators(store):
    rows = answer(store, "topic_indicators", topic="专精特新")
    got = {(r["indicator"], r["operator"], r["target"], r["unit"], r["line"]) for r in rows}
    # 001 lines 1669, 1687, 1689: 国家专精特新小巨人企业数量 >= 10 个; 支持“专精特新”技术改造项目数量 >= 50 个;
    # “专精特新”技术改造项目评审通过率 >= 60 %
    assert ("国家专精特新小巨人企业数量", "≥", "10", "个", "1669") in got
    assert ("支持“专精特新”技术改造项目数量", "≥", "50", "个", "1687") in got
    assert ("“专精特新”技术改造项目评审通过率", "≥", "60", "%", "1689") in got
    # 支持技术改造项目数量 (line 1688) names no 专精特新
    assert not any(r["indicator"] == "支持技术改造项目数量" for r in rows)


def test_indicators_by_level_and_target(store):
    rows = answer(store, "indicators_by_level", level="满意度指标", least="95", measure="%")
    got = {(r["project"], r["indicator"], r["target"], r["line"]) for r in rows}
    # 003 line 2296: 3、专项补助经费绩效目标表 — 满意度指标 | 服务对象满意度指标 | 职工满意度 | ≥95%
    assert ("专项补助经费", "职工满意度", "≥95%", "2296") in got
    # 003: 保安公司扶持资金 职工满意度 ≥90% is below the asked 95
    assert not any(r["project"] == "保安公司扶持资金" for r in rows)
    assert all(r["unit"] == "%" for r in rows)


def test_findings_by_document(store):
    # 001 line 2544–2547, 财政拨款“三公”经费支出决算表 (万元), 预算数: 合计 86.35; 因公出国（境）费 75.15,
    # 公务接待费 0.20, 公务用车购置及运行费 10.00 → parts 85.35
    rows = [r for r in answer(store, "findings_by_document", source="001_6367db88f3b3f512.txt")
            if r["severity"] == "error"]
    assert [(r["label"], r["printed"], r["line"]) for r in rows] == [
        ("“三公”经费合计", "86.35", "2544"), ("因公出国（境）费", "75.15", "2545"), ("公务接待费", "0.20", "2546"),
        ("公务用车购置及运行费", "10.00", "2547")]


def test_ask_lists_and_runs(corpus_store):
    r = CliRunner().invoke(app, ["ask"])
    assert r.exit_code == 0
    assert "topic_projects: Projects on a topic by place, with their money / 某政策主题的项目（按地区），含金额与阶段" in r.output
    assert '-p topic=<xsd:string> = "专精特新"' in r.output
    r = CliRunner().invoke(app, ["ask", "topic_duties", "-p", "topic=民爆", "--store", str(corpus_store), "-f", "csv"])
    assert r.exit_code == 0 and "山海关区科技和工信部门,2023,21," in r.output
    r = CliRunner().invoke(app, ["ask", "no_such_question"])
    assert r.exit_code == 1 and "no named query 'no_such_question'" in r.output


# ---------------------------------------------------------------- every answer row: its unit and its source

#: a question that sums figures over several documents lists them and the source of every figure summed, in one
#: column each, instead of one document and one position
AGGREGATES = {"topic_by_place": ("documents", ("sources",))}
#: the corpus's own department and division, where a question's default names one the corpus lacks (the default
#: is the samples' 大连): so that every question with money answers rows to check
SHENYANG_IIT = ("https://w3id.org/budgetkg/id/department/210100/"
                "%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E5%B1%80")
CORPUS_PARAMS = {"department_documents": {"department": SHENYANG_IIT},
                 "division_documents": {"division": "https://w3id.org/budgetkg/id/division/210000"}}


def money_columns(name: str, variables: list[str]) -> list[str]:
    """The columns of a question that hold an amount in 元 (by graph/pages.py's unit tables)."""
    from budgetkg.graph.pages import MONEY, column_unit
    return [v for v in variables if column_unit(v, name) == MONEY]


def test_every_question_with_amounts_gives_their_unit_document_and_position(store):
    """A researcher checks a figure against the page it is printed on: every row holding an amount names its unit,
    its document and where in it (page or line), on every row where the amount is given — not only in the header.
    Money columns are read from the header, so a question that answers nothing still has to declare them."""
    import pyoxigraph as ox
    checked = []
    for name, q in named_queries().items():
        res = run(store, q.text, bind(q, CORPUS_PARAMS.get(name, {})))
        if not isinstance(res, ox.QuerySolutions):
            continue
        variables = [v.value for v in res.variables]
        money = money_columns(name, variables)
        if not money:
            continue
        document, positions = AGGREGATES.get(name, ("document", ("page", "line")))
        assert "unit" in variables, f"{name}: amounts {money} without ?unit"
        assert document in variables, f"{name}: amounts {money} without ?{document}"
        assert any(p in variables for p in positions), f"{name}: amounts {money} without {positions}"
        rows = 0
        for s in res:
            if all(s[m] is None for m in money):
                continue
            rows += 1
            assert s["unit"] is not None, (name, [str(s[v]) for v in variables])
            assert s[document] is not None, (name, [str(s[v]) for v in variables])
            assert any(s[p] is not None for p in positions if p in variables), (name, [str(s[v]) for v in variables])
        assert rows, f"{name}: no row with an amount on the corpus, nothing checked"
        checked.append(name)
    # the questions of the library that hold money: none may drop out of the check unnoticed
    assert {"totals", "project_share", "department_documents", "division_documents", "department_years",
            "subject", "subject_amounts", "economic_code", "three_public", "three_public_change", "below_half",
            "project_execution", "project_years", "topic_projects", "topic_by_place", "zhuanjingtexin",
            "income_sources"} <= set(checked)


def test_sources_read_by_hand(store):
    """The positions the questions give, read by hand from ../shared/corpus."""
    # 000 (沈阳 2020 预算) line 166, 一般公共预算支出表 (万元): 合计 34,585.41 | 4,141.24 | 30,444.17 — the first table
    # that prints the largest 合计 (部门支出总表 repeats it at line 350); 001 (沈阳 2024 决算) line 2272, 支出决算表:
    # 合计 65,669.54
    got = {(r["year"], r["total"], r["unit"], r["table"], r["line"]) for r in answer(store, "totals")}
    assert ("2020", "345854100", "元", "一般公共预算支出表", "166") in got
    assert ("2024", "656695400", "元", "支出决算表", "2272") in got
    rows = answer(store, "department_documents", department=SHENYANG_IIT)
    assert {(r["year"], r["total"], r["unit"], r["line"]) for r in rows} == {
        ("2020", "345854100", "元", "166"), ("2024", "656695400", "元", "2272")}
    # 001 line 1979: 项目(政策)名称 2024年中小企业公共服务示范平台建设项目, line 1981: 项目预算金额 789 万元, 全年执行数 0
    r = next(r for r in answer(store, "below_half") if r["project"] == "2024年中小企业公共服务示范平台建设项目")
    assert (r["budget"], r["executed"], r["unit"], r["line"]) == ("7890000", "0", "元", "1979")
    # 001 line 2305: 2150805 中小企业发展专项 38.74 (支出决算表, 万元)
    r, = answer(store, "subject_amounts")
    assert (r["amount"], r["unit"], r["table"], r["line"]) == ("387400", "元", "支出决算表", "2305")
    # 000 line 73: （九）负责全市（含农村）电力行政管理…
    rows = answer(store, "responsibilities", word="电力")
    assert {(r["year"], r["number"], r["line"]) for r in rows} >= {("2020", "9", "73")}
