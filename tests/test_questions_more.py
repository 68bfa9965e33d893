"""Five more questions of the library (project_execution, topic_by_place, economic_code, income_sources,
stated_counts) and department_years with stated totals. Every expected value was read by hand — from
../shared/corpus (file and line, as printed in the text dump) and from pages of ../shared/corpus-real
(pdfplumber page text; "page" is the PDF's page, the printed folio in brackets where it differs) — never
copied from budgetkg's output. Each question also gives the same rows as written and made DISTINCT on the
union default graph, and where it aggregates, its sum is the hand-read figure.

corpus-real files read here:

* 佛山市轨道交通局 2019 部门决算 (022_佛山/2026年佛山市交通运输局部门预算.pdf — misnamed by its crawler):
  p5–7 收入支出决算总表 (万元): 一、一般公共预算财政拨款收入 1668.14, 二、政府性基金… 0.00, 三、上级补助收入 0.00,
  四、事业收入 0.00, 五、经营收入 0.00, 六、附属单位上缴收入 0.00, 七、其他收入 0.01 (p5); 本年收入合计 1668.14
  (p6); 用事业基金弥补收支差额 0.00, 年初结转和结余 0.00, 总计 1668.14 (p7, whose note warns of rounding tails).
  p17–18 一般公共预算财政拨款基本支出决算表, 公用经费: 302 商品和服务支出 94.65, 30201 办公费 13.80, 30202 印刷费
  2.64, 30203 咨询费 2.00, 30204 手续费 0.04, 30205 水费 0.46, 30206 电费 11.22, 30207 邮电费 1.74, 30208 0.00,
  30209 物业管理费 0.27, 30211 差旅费 23.94, 30212 0.00, 30213 维修(护)费 7.14, 30214 0.00 (p17); 30215 0.00,
  30216 培训费 0.94, 30217 公务接待费 0.16, 30218/30224/30225 0.00, 30226 劳务费 0.78, 30227 委托业务费 6.80,
  30228 工会经费 6.18, 30229/30231 0.00, 30239 其他交通费用 16.19, 30240 0.00, 30299 其他商品和服务支出 0.36
  (p18) — the 27 款 add up to 94.66 by hand, a tail of 0.01 over the printed 94.65.
  p28: "截至2019年12月31日，本部门共有车辆0辆，其中，岗位保障用车0辆、机要通信用车0辆 …"; p27: "2019年公务用车
  购置数 0辆".
* 杭州市司法局 2026 部门预算 (008_杭州/2026年杭州市司法局部门预算.pdf):
  p23 [22] 表1 收支预算总表 (万元): 一、财政拨款 91,495.48, under it 一般公共预算 91,495.48; 七、其他收入 7,387.66;
  本年收入合计 98,883.14; p24 [23]: 上年结转结余 347.32, 收入总计 99,230.46.
  p38 [37] 项目支出预算表: 杭州市法律援助中心 法律援助 317.82 万元.
  p15 [14]: "截至2025年12月31日，本部门共有车辆56辆，其中，一般公务用车0辆、执法执勤用车35辆、特种专业技术用车
  21辆、其他用车0辆 … 2026年部门预算安排购置车辆6辆，其中，一般公务用车0辆、执法执勤用车4辆、特种专业技术用车
  2辆".
* 北京市审计局 2026 explanation p7: "2026 年支出预算 32852.05 万元"; 江苏省委办公厅 explanations: 2017 (p6)
  支出预算总计 20849.45 万元, 2018 (p6) "支出预算总计24458.43万元", 2019 (p7) "支出预算总计27664.22万元"."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg.extract.to_rdf import Minter
from budgetkg.graph.queries import bind, get_query, named_queries, run
from tests.real_store import REAL, real_store

NEW = ("project_execution", "topic_by_place", "economic_code", "income_sources", "stated_counts")
FOSHAN = "calinchow-del+renwu/022_佛山/2026年佛山市交通运输局部门预算.pdf"
HANGZHOU = "calinchow-del+renwu/008_杭州/2026年杭州市司法局部门预算.pdf"
W = Decimal(10000)   # 万元 → 元


def wan(printed: str) -> Decimal:
    return Decimal(printed.replace(",", "")) * W


def answer(store, name, **params):
    q = get_query(name)
    res = run(store, q.text, bind(q, params))
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def plain_and_distinct(store, name, **params) -> tuple[Counter, Counter]:
    """The question's rows as written (any top-level DISTINCT taken out) and made DISTINCT: equal when no
    triple is counted twice through the union default graph."""
    q = get_query(name)
    plain = re.sub(r"^SELECT\s+DISTINCT\b", "SELECT", q.text, count=1, flags=re.M)
    distinct = re.sub(r"^SELECT\b", "SELECT DISTINCT", plain, count=1, flags=re.M)
    assert distinct != plain
    rows = lambda text: Counter(tuple(v.value if v is not None else None for v in s)   # noqa: E731
                                for s in run(store, text, bind(q, params)))
    return rows(plain), rows(distinct)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """佛山 2019 决算 and 杭州司法局 2026 预算 from ../shared/corpus-real, built into a store of this module."""
    from budgetkg.graph.build import build
    from budgetkg.graph.store import open_store
    files = [REAL / FOSHAN, REAL / HANGZHOU]
    if not all(f.is_file() for f in files):
        pytest.skip("../shared/corpus-real not found")
    path: Path = tmp_path_factory.mktemp("kg-more")
    reports = build(files, path, validate=False)
    assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]
    return open_store(path, read_only=True)


def of(rows, department):
    return [r for r in rows if r["department"] == department]


def test_new_questions_have_both_languages_and_typed_params_with_defaults():
    for name in NEW + ("department_years",):
        q = named_queries()[name]
        assert q.title and q.question and q.title_zh and q.question_zh, name
        assert q.params and all(p.datatype in ("xsd:string", "xsd:decimal", "iri") and p.default for p in q.params), name


@pytest.mark.parametrize("name", NEW + ("department_years",))
def test_rows_carry_unit_and_source_and_do_not_repeat(store, real, name):
    # on the two corpus-real files, parameters that give them rows
    on_real = {"topic_by_place": {"topic": "司法行政"},
               "department_years": {"department": Minter().department("330100", "司法局")}}
    for st, params in ((store, {}), (real, on_real.get(name, {}))):
        plain, distinct = plain_and_distinct(st, name, **params)
        assert plain == distinct and sum(plain.values()) > 0, name
    for r in answer(store, name):
        assert r["document"] if "document" in r else r["documents"]
        assert r["unit"], name
        if name != "department_years":
            assert r.get("line") or r.get("page") or r.get("sources"), (name, r)


# ---- project_execution ---------------------------------------------------------------------------------

def test_project_execution_budget_execution_and_rate(store):
    rows = {r["project"]: r for r in of(answer(store, "project_execution"), "沈阳市工业和信息化局") if r["year"] == "2024"}
    # 001 (沈阳 2024 决算) 绩效自评表 (万元): line 1661 获评“专精特新”企业奖励及评审项目, line 1664 项目预算金额 31.01,
    # 全年执行数 31.01, 执行率 100%
    r = rows["获评“专精特新”企业奖励及评审项目"]
    assert (r["adjusted"], r["executed"], Decimal(r["rate"]), r["unit"], r["source"], r["line"]) == (
        "310100", "310100", Decimal(100), "元", "tabulated", "1661")
    # line 1354 2023年重点企业稳增长（129号）, line 1357: 710 / 710, 100%
    r = rows["2023年重点企业稳增长（129号）"]
    assert (r["adjusted"], r["executed"], Decimal(r["rate"])) == ("7100000", "7100000", Decimal(100))
    # line 823 沈阳市软件和信息技术服务业统计工作经费: 项目预算金额 18, 全年执行数 0, 执行率 0.0% (line 826); the text
    # (lines 320–323) says 全年预算数为 15 万元 and gives an execution of its own: the table's figures win, the text's
    # are not added to them
    r = rows["沈阳市软件和信息技术服务业统计工作经费"]
    assert (r["adjusted"], r["executed"], Decimal(r["rate"]), r["source"], r["line"]) == (
        "180000", "0", Decimal(0), "tabulated", "823")
    # line 1890: 专精特新中小企业、新增升规工业中小企业贷款贴息 98.5 / 0 → 0 %
    r = rows["专精特新中小企业、新增升规工业中小企业贷款贴息"]
    assert (r["adjusted"], r["executed"], Decimal(r["rate"])) == ("985000", "0", Decimal(0))
    # line 1552: “专精特新”中小企业奖励项目 0 / 0 — no rate (nothing budgeted), but the row is kept
    r = rows["“专精特新”中小企业奖励项目"]
    assert (r["adjusted"], r["executed"], r["rate"]) == ("0", "0", None)
    # 000 (沈阳 2020 预算) line 390: 节能宣传培训经费 7.00 万元 in the 项目支出预算表 (and 70,000.00 元 again in the
    # 绩效目标表, line 624): one row, its 年初预算数 once, no execution in a budget
    [r] = [r for r in of(answer(store, "project_execution"), "沈阳市工业和信息化局")
           if r["year"] == "2020" and r["project"] == "节能宣传培训经费"]
    assert (r["initial"], r["adjusted"], r["executed"], r["rate"], r["table"]) == ("70000", None, None, None, "项目支出预算表")


def test_project_execution_threshold_and_sum(store):
    # the four 专精特新 projects of 001 (lines 1661, 1240, 1552, 1890): 全年执行数 31.01 + 300 + 0 + 0 = 331.01 万元
    names = {"获评“专精特新”企业奖励及评审项目", "专精特新中小企业高质量发展专项", "“专精特新”中小企业奖励项目",
             "专精特新中小企业、新增升规工业中小企业贷款贴息"}
    rows = [r for r in answer(store, "project_execution") if r["project"] in names and r["year"] == "2024"]
    assert len(rows) == 4
    assert sum(Decimal(r["executed"]) for r in rows) == wan("331.01")
    assert sum(Decimal(r["adjusted"]) for r in rows) == wan("429.51")
    # at least 100 万元: 300 and the 710 of line 1354 stay, 31.01 and 98.5 go
    big = {r["project"] for r in answer(store, "project_execution", least="1000000")}
    assert {"专精特新中小企业高质量发展专项", "2023年重点企业稳增长（129号）"} <= big
    assert not big & {"获评“专精特新”企业奖励及评审项目", "专精特新中小企业、新增升规工业中小企业贷款贴息"}


def test_project_execution_real(real):
    # 杭州市司法局 2026, p38 [37]: 杭州市法律援助中心 法律援助 317.82 万元 — a budget: no execution, no rate
    [r] = [r for r in of(answer(real, "project_execution"), "杭州市司法局") if r["project"] == "法律援助"]
    assert (r["initial"], r["executed"], r["rate"], r["unit"], r["page"], r["source"]) == (
        "3178200", None, None, "元", "38", "tabulated")


# ---- topic_by_place ------------------------------------------------------------------------------------

def test_topic_by_place_sums_each_project_figure_once(store):
    rows = {(r["city"], r["year"], r["figure"]): r for r in answer(store, "topic_by_place", topic="专精特新")}
    # 001 (沈阳 2024): 全年执行数 31.01 (line 1664) + 300 (1243) + 0 (1555) + 0 (1893) = 331.01 万元;
    # 项目预算金额 31.01 + 300 + 0 + 98.5 = 429.51 万元 — four projects, one document
    sy = rows[("沈阳市", "2024", "全年执行数")]
    assert (Decimal(sy["total"]), sy["projects"], sy["phase"], sy["division"], sy["unit"]) == (
        wan("331.01"), "4", "executed", "210100", "元")
    assert Decimal(rows[("沈阳市", "2024", "全年预算数")]["total"]) == wan("429.51")
    assert "专精特新中小企业高质量发展专项 300" in sy["sources"]
    # 002 (抚顺 2025) line 1821–1825: 市升规入库企业奖励资金, 预算资金情况 197.50 (its goal names 专精特新 “小巨人”)
    fs = rows[("抚顺市", "2025", "年初预算数")]
    assert (Decimal(fs["total"]), fs["projects"], fs["province"]) == (wan("197.50"), "1", "辽宁省")
    assert set(rows) == {("沈阳市", "2024", "全年执行数"), ("沈阳市", "2024", "全年预算数"), ("抚顺市", "2025", "年初预算数")}


def test_topic_by_place_total_is_the_sum_of_the_project_figures(store):
    # the aggregate equals the sum over project_execution's rows of the same projects (no figure counted twice)
    [sy] = [r for r in answer(store, "topic_by_place") if r["city"] == "沈阳市" and r["figure"] == "全年执行数"]
    names = set(re.findall(r"(?:^|; )(.+?) [\d.]+ \(", sy["sources"]))
    per_project = [r for r in answer(store, "project_execution") if r["project"] in names and r["year"] == "2024"]
    assert len(names) == 4 and sum(Decimal(r["executed"]) for r in per_project) == Decimal(sy["total"]) == wan("331.01")


def test_topic_by_place_real(real):
    # 杭州市司法局 2026 p38 [37]: 法律援助 317.82 万元, the one project on 司法行政
    [r] = answer(real, "topic_by_place", topic="司法行政")
    assert (r["city"], r["year"], r["figure"], Decimal(r["total"]), r["projects"], r["unit"]) == (
        "杭州市", "2026", "年初预算数", wan("317.82"), "1", "元")
    assert "page 38" in r["sources"]


# ---- economic_code ---------------------------------------------------------------------------------------

def test_economic_code_across_departments_and_years(store):
    rows = {(r["department"], r["year"]): r for r in answer(store, "economic_code")}
    # 30201 办公费 (万元): 000 line 220 "30201 办公费 25.53 25.53" (2020 基本支出表); 001 line 2450 … "30201 办公费
    # 36.73" (2024 基本支出决算表, executed); 002 lines 350 and 1078 "30201 办公费 21.22" (printed in two tables: once);
    # 003 lines 1727–1731 "30201 / 办公费 / 1.00"
    got = {k: (Decimal(r["amount"]), r["phase"], r["unit"]) for k, r in rows.items()}
    assert got == {("沈阳市工业和信息化局", "2020"): (wan("25.53"), "approved", "元"),
                   ("沈阳市工业和信息化局", "2024"): (wan("36.73"), "executed", "元"),
                   ("抚顺市工业和信息化局", "2025"): (wan("21.22"), "approved", "元"),
                   ("山海关区科技和工信部门", "2023"): (wan("1.00"), "approved", "元")}
    assert rows[("沈阳市工业和信息化局", "2024")]["line"] == "2450"
    assert sum(Decimal(r["amount"]) for r in rows.values()) == wan("84.48")   # 25.53 + 36.73 + 21.22 + 1.00


def test_economic_code_widest_table(store):
    # 002 prints 302 商品和服务支出 as 144.90 in its 基本支出表 (line 348) and 157.89 in its 经济分类表 (line 1076,
    # basic and project expenditure): the wider table's figure
    [r] = [r for r in answer(store, "economic_code", code="302") if r["notation"] == "302" and r["year"] == "2025"]
    assert (Decimal(r["amount"]), r["line"]) == (wan("157.89"), "1076")


def test_economic_code_real_class_and_its_parts(real):
    rows = {r["notation"]: r for r in answer(real, "economic_code", code="302")}
    # 佛山 2019 决算 p17: 302 商品和服务支出 94.65, 30201 办公费 13.80
    assert (Decimal(rows["302"]["amount"]), rows["302"]["page"], rows["302"]["phase"]) == (wan("94.65"), "17", "executed")
    assert (Decimal(rows["30201"]["amount"]), rows["30201"]["page"]) == (wan("13.80"), "17")
    assert (Decimal(rows["30217"]["amount"]), rows["30217"]["page"]) == (wan("0.16"), "18")
    # the 27 款 of p17–18 add up by hand to 94.66 万元, 0.01 over the printed 类 (the note's rounding tail)
    parts = [r for n, r in rows.items() if n != "302"]
    assert len(parts) == 27
    assert sum(Decimal(r["amount"]) for r in parts) == wan("94.66")


# ---- income_sources ------------------------------------------------------------------------------------

def test_income_sources_corpus(store):
    rows = answer(store, "income_sources")
    # 001 (沈阳 2024 决算) lines 2160–2161: 一、一般公共预算财政拨款收入 59,324.54; 二、政府性基金预算财政拨款收入
    # 6,345.00; 三 … 八 printed empty (no row: empty is not zero); line 2186 本年收入合计 65,669.54; line 2190 总计
    sy = [(r["item"], r["role"], Decimal(r["amount"]), r["line"]) for r in rows if r["year"] == "2024"]
    assert sy == [("一、一般公共预算财政拨款收入", "source", wan("59324.54"), "2160"),
                  ("二、政府性基金预算财政拨款收入", "source", wan("6345.00"), "2161"),
                  ("本年收入合计", "total", wan("65669.54"), "2186"), ("总计", "total", wan("65669.54"), "2190")]
    # 000 (沈阳 2020) line 120–121: 一、本年收入 34,585.41 heads (一) 一般公共预算拨款 34,585.41; 收入总计 34,585.41
    sy20 = [(r["item"], r["role"]) for r in rows if r["year"] == "2020"]
    assert ("一、本年收入", "total") in sy20 and ("(一)一般公共预算拨款", "source") in sy20
    # 003 (山海关区 2023) line 22: 一、一般公共预算拨款收入 998.77; line 222 收入总计 998.77
    for year, total in (("2024", "65669.54"), ("2020", "34585.41"), ("2023", "998.77")):
        doc = [r for r in rows if r["year"] == year]
        assert sum(Decimal(r["amount"]) for r in doc if r["role"] == "source") == wan(total), year
        assert all(r["unit"] == "元" and r["table"] and r["line"] for r in doc)


def test_income_sources_real(real):
    rows = answer(real, "income_sources")
    # 杭州 p23 [22]: 一、财政拨款 91,495.48 with 一般公共预算 91,495.48 under it (a part, not a second source);
    # 七、其他收入 7,387.66; 本年收入合计 98,883.14; p24 [23] 上年结转结余 347.32, 收入总计 99,230.46
    hz = [(r["item"], r["role"], Decimal(r["amount"]), r["page"]) for r in of(rows, "杭州市司法局")]
    assert hz == [("一、财政拨款", "source", wan("91495.48"), "23"), ("一般公共预算", "part", wan("91495.48"), "23"),
                  ("七、其他收入", "source", wan("7387.66"), "23"), ("本年收入合计", "total", wan("98883.14"), "23"),
                  ("上年结转结余", "source", wan("347.32"), "24"), ("收入总计", "total", wan("99230.46"), "24")]
    assert sum(v for _, role, v, _ in hz if role == "source") == wan("99230.46")
    # 佛山 2019 决算 p5: 一、一般公共预算财政拨款收入 1668.14 … 四、事业收入 0.00 … 七、其他收入 0.01 (printed 0.00 is a
    # figure: a row); p7 总计 1668.14 — the sources come to 1668.15, the rounding tail the page's note warns of
    fs = {r["item"]: (r["role"], Decimal(r["amount"]), r["page"]) for r in of(rows, "佛山市轨道交通局")}
    assert fs["一、一般公共预算财政拨款收入"] == ("source", wan("1668.14"), "5")
    assert fs["四、事业收入"] == ("source", Decimal(0), "5")
    assert fs["七、其他收入"] == ("source", wan("0.01"), "5")
    assert fs["年初结转和结余"] == ("source", Decimal(0), "7")
    assert fs["总计"] == ("total", wan("1668.14"), "7")
    assert sum(v for role, v, _ in fs.values() if role == "source") == wan("1668.15")


# ---- stated_counts ---------------------------------------------------------------------------------------

def test_stated_counts_vehicles_corpus(store):
    rows = answer(store, "stated_counts")
    # 001 line 284: 截至 2024 年 12 月 31 日，共有车辆 14 辆，其中 … 机要通信用车 2 辆 … 其他用车 12 辆
    l284 = {r["about"]: Decimal(r["value"]) for r in rows if r["line"] == "284"}
    assert l284["机要通信用车"] == 2 and l284["其他用车"] == 12 and any(v == 14 and "车辆" in a for a, v in l284.items())
    assert sum(v for a, v in l284.items() if a.endswith("用车")) == 14
    # 000 line 851: 共有车辆 7 辆，其中：一般公务用车 7 辆
    l851 = {r["about"]: Decimal(r["value"]) for r in rows if r["line"] == "851"}
    assert l851["一般公务用车"] == 7
    assert all(r["unit"] == "辆" and r["kind"] and r["sentence"] for r in rows)


def test_stated_counts_real(real):
    rows = answer(real, "stated_counts")
    hz = [(r["about"], Decimal(r["value"]), r["page"]) for r in of(rows, "杭州市司法局")]
    # p15 [14]: 共有车辆 56 辆 = 一般公务用车 0 + 执法执勤用车 35 + 特种专业技术用车 21 + 其他用车 0;
    # 购置车辆 6 辆 = 0 + 4 + 2 (+ 0)
    p15 = Counter((a, v) for a, v, page in hz if page == "15")
    assert p15[("本部门共有车辆", 56)] == 1 and p15[("部门预算安排购置车辆", 6)] == 1
    # each use twice on the page (held, then bought): 0 + 35 + 21 + 0 = 56 and 0 + 4 + 2 + 0 = 6
    for use, held, bought in (("一般公务用车", 0, 0), ("执法执勤用车", 35, 4), ("特种专业技术用车", 21, 2)):
        assert (p15[(use, held)], p15[(use, bought)]) == ((2, 2) if held == bought else (1, 1)), use
    assert p15[("其他用车", 0)] == 2
    # 佛山 p28: 本部门共有车辆 0 辆 (and each use 0); p27: 公务用车购置数 0 辆
    fs = {(r["about"], r["page"]): Decimal(r["value"]) for r in of(rows, "佛山市轨道交通局")}
    assert fs[("本部门共有车辆", "28")] == 0 and fs[("公务用车购置数", "27")] == 0
    assert fs[("机要通信用车", "28")] == 0


# ---- department_years ------------------------------------------------------------------------------------

def test_department_years_keeps_documents_with_stated_totals():
    store, docs = real_store()
    q = get_query("department_years")

    def years(department):
        res = run(store, q.text, bind(q, {"department": department}))
        return {s["document"].value: (s["year"].value, s["total"].value, s["source"].value, s["unit"].value)
                for s in res}

    # 北京市审计局 2026: the explanation states 32852.05 万元 (p7); its 报表 beside it is tabulated
    bj = years(Minter().department("110000", "审计局"))
    assert bj[docs["bj-text"]] == ("2026", str(int(wan("32852.05"))), "stated", "元")
    assert bj[docs["bj-tables"]][2] == "tabulated"
    # 江苏省委办公厅: the three explanations (2017 p6, 2018 p6, 2019 p7) beside the three table documents
    js = years(Minter().department("320000", "省委办公厅"))
    assert len(js) == 6
    for key, year, printed in (("js2017-text", "2017", "20849.45"), ("js2018-text", "2018", "24458.43"),
                               ("js2019-text", "2019", "27664.22")):
        assert js[docs[key]] == (year, str(int(wan(printed))), "stated", "元"), key
    assert {js[docs[k]][2] for k in ("js2017-tables", "js2018-tables", "js2019-tables")} == {"tabulated"}


def test_department_years_change_between_stated_years(tmp_path_factory):
    """A department known only from its explanations: the change is read between the totals they state."""
    from budgetkg.graph.build import build
    from budgetkg.graph.store import open_store
    from tests.real_store import FILES
    files = [REAL / FILES[k] for k in ("js2017-text", "js2018-text", "js2019-text")]
    if not all(f.is_file() for f in files):
        pytest.skip("../shared/corpus-real not found")
    path = tmp_path_factory.mktemp("kg-stated")
    assert all(r.ok for r in build(files, path, validate=False))
    store = open_store(path, read_only=True)
    rows = answer(store, "department_years", department=Minter().department("320000", "省委办公厅"))
    # 20849.45 → 24458.43 (+3608.98) → 27664.22 (+3205.79) 万元
    assert [(r["year"], r["total"], r["previous"], r["change"], r["source"]) for r in rows] == [
        ("2017", "208494500", None, None, "stated"),
        ("2018", "244584300", "208494500", "36089800", "stated"),
        ("2019", "276642200", "244584300", "32057900", "stated")]
    plain, distinct = plain_and_distinct(store, "department_years",
                                         department=Minter().department("320000", "省委办公厅"))
    assert plain == distinct
