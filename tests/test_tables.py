"""Each table kind interpreted, with values read by hand from the corpus."""
from decimal import Decimal

from budgetkg.extract.model import BudgetLine, Project, Responsibility, ThreePublicLine, TotalLine
from budgetkg.extract.tables.base import align
from tests.conftest import extract_text


def lines(ex, code, table_title=None):
    return {(r.column.measure, r.column.label): r.amount.value for r in ex.records
            if isinstance(r, BudgetLine) and r.code == code
            and (table_title is None or r.prov.table_title == table_title)}


def test_arithmetic_places_figures_of_an_unaligned_row():
    # 合计, 基本支出, 人员经费, 公用经费, 项目支出 with the 项目支出 cell empty
    vals = [Decimal("336.42"), Decimal("336.42"), Decimal("295.42"), Decimal("41.00")]
    slots, certain = align(vals, 5, [(0, (1, 4)), (1, (2, 3))])
    assert slots == [Decimal("336.42"), Decimal("336.42"), Decimal("295.42"), Decimal("41.00"), None]
    assert certain == {0, 1, 2, 3, 4}


def test_ambiguous_placement_is_not_guessed(extractions):
    ex = extractions["002"]
    # 84.73 84.73 84.73: 人员经费 or 公用经费 cannot be told apart
    got = lines(ex, "2080505", "支出预算总表")
    assert got[("total", "合计")] == Decimal("84.73")
    assert ("personnel", "基本支出/人员经费") not in got and ("office", "基本支出/公用经费") not in got
    assert any(t == 2 and "ambiguous" in why for t, _, _, why in ex.skipped) or \
        any("ambiguous" in why for _, _, _, why in ex.skipped)


def test_unaligned_row_resolved_by_sums(extractions):
    got = lines(extractions["002"], "2080501", "支出预算总表")
    assert got[("personnel", "基本支出/人员经费")] == Decimal("295.42")
    assert got[("office", "基本支出/公用经费")] == Decimal("41.00")


def test_functional_lines_of_a_budget(extractions):
    got = lines(extractions["000"], "2150802", "一般公共预算支出表")
    assert got == {("total", "2020年预算数/合计"): Decimal("5.80"),
                   ("project", "2020年预算数/项目支出"): Decimal("5.80")}   # empty 基本支出 is no fact


def test_final_account_columns(extractions):
    got = lines(extractions["001"], "2150805", "支出决算表")
    assert got[("total", "本年支出合计")] == Decimal("38.74")
    assert got[("project", "项目支出")] == Decimal("38.74")


def test_economic_lines_of_a_three_group_table(extractions):
    ex = extractions["001"]
    got = {r.code: (r.column.label, r.amount.value) for r in ex.records
           if isinstance(r, BudgetLine) and r.prov.table_title == "一般公共预算财政拨款基本支出决算表"}
    assert got["30101"] == ("人员经费/决算数", Decimal("1264.61"))
    assert got["30231"] == ("公用经费/决算数", Decimal("10.00"))


def test_cell_per_line_functional_table(extractions):
    got = lines(extractions["003"], "2150517")
    assert got[("total", "合计")] == Decimal("497.00")
    assert got[("project", "项目支出")] == Decimal("497.00")


def test_three_public_two_years_side_by_side(extractions):
    got = {(r.year, r.category): r.amount.value for r in extractions["000"].records
           if isinstance(r, ThreePublicLine)}
    assert got[(2019, "total")] == Decimal("164.69")
    assert got[(2020, "total")] == Decimal("122.85")
    assert got[(2020, "abroad")] == Decimal("82.87")
    assert got[(2020, "reception")] == Decimal("5.26")
    assert got[(2020, "vehicle")] == Decimal("34.72")


def test_three_public_budget_and_execution(extractions):
    got = {(r.column.phase, r.category): r.amount.value for r in extractions["001"].records
           if isinstance(r, ThreePublicLine)}
    assert got[("approved", "total")] == Decimal("86.35")
    assert got[("executed", "total")] == Decimal("10.00")
    assert got[("executed", "abroad")] == Decimal("0")


def test_projects_with_wrapped_description(extractions):
    ps = {p.name: p for p in extractions["000"].records if isinstance(p, Project)}
    p = ps["中小企业专项统计经费"]
    assert p.unit == "沈阳市工业和信息化局本级"
    assert p.description.endswith("其他费用8000元。合计25000元。")   # continued on the next page
    p = ps["技术创新项目验收经费"]
    assert [(c.measure, a.value) for c, a in p.amounts][0] == ("total", Decimal("7.50"))


def test_projects_in_spaced_layout(extractions):
    ps = {p.name: p for p in extractions["002"].records if isinstance(p, Project)}
    p = ps["市升规入库企业奖励资金"]
    assert "专精特新" in p.description
    assert p.amounts[0][1].value == Decimal("197.50")
    assert p.unit == "抚顺市工业和信息化局本级"


def test_totals_both_sides(extractions):
    got = {(r.side, r.item): r.amount.value for r in extractions["003"].records if isinstance(r, TotalLine)}
    assert got[("revenue", "收入总计")] == Decimal("998.77")
    assert got[("expenditure", "支出总计")] == Decimal("998.77")
    assert got[("expenditure", "六、科学技术支出")] == Decimal("317.61")


def test_responsibilities_numbered(extractions):
    duties = [r for r in extractions["003"].records if isinstance(r, Responsibility)]
    assert len(duties) == 26 and duties[-1].number == 26
    assert duties[0].text.startswith("贯彻落实创新驱动发展战略方针")


def test_purchased_services_with_category_codes(extractions):
    from budgetkg.extract.model import ItemLine
    items = [r for r in extractions["000"].records if isinstance(r, ItemLine) and r.kind == "purchased-services"]
    training = next(r for r in items if "558E0902" in r.codes and r.column.measure == "total")
    assert training.amount.value == Decimal("400.00") and "215" in training.codes
    assert "精益管理培训服务" in training.item


def test_fixed_assets_counts_are_not_money(extractions):
    from budgetkg.extract.model import ItemLine
    items = [r for r in extractions["003"].records if isinstance(r, ItemLine) and r.kind == "fixed-assets"]
    assert {(r.item, r.amount.value) for r in items} >= {("资产总额", Decimal("856766.73")),
                                                        ("2、车辆（台、辆）", Decimal("392854.27"))}
    assert not any(r.amount.value == Decimal("6") for r in items)      # 6 vehicles is a count


def test_line_numbers_of_a_spaced_totals_table_are_not_amounts():
    from budgetkg.extract.model import TotalLine
    text = ("大连市数字经济促进局\n\n2024 年度部门决算\n\n收入支出决算总表\n\n单位：万元\n\n项目 行次 金额 项目 行次 金额\n\n"
            "一、一般公共预算财政拨款收入 1 59,324.54 一、一般公共服务支出 32 814.80\n\n"
            "收入总计 31 65,669.54 支出总计 62 65,669.54\n")
    ex = extract_text(text, "spaced.txt")
    got = {(r.side, r.item): r.amount.value for r in ex.records if isinstance(r, TotalLine)}
    assert got[("revenue", "一、一般公共预算财政拨款收入")] == Decimal("59324.54")
    assert got[("expenditure", "一、一般公共服务支出")] == Decimal("814.80")
    assert got[("revenue", "收入总计")] == Decimal("65669.54")


def test_spaced_final_account_with_budget_and_final_columns():
    text = ("大连市数字经济促进局\n\n2024 年度部门决算\n\n一般公共预算财政拨款支出决算表\n\n单位：万元\n\n"
            "科目编码 科目名称 年初预算数 决算数 完成率\n\n"
            "2150805 中小企业发展专项 40.00 38.74 96.85%\n\n"
            "2150501 行政运行 12.00\n")
    ex = extract_text(text, "spaced.txt")
    got = {(r.code, r.column.label, r.column.phase): r.amount.value for r in ex.records if isinstance(r, BudgetLine)}
    assert got[("2150805", "年初预算数", "approved")] == Decimal("40.00")
    assert got[("2150805", "决算数", "executed")] == Decimal("38.74")
    assert not any(code == "2150501" for code, _, _ in got)          # one figure of two: not guessed
    assert any("2150501" in raw for _, _, raw, _ in ex.skipped)


def test_three_public_rows_with_a_column_per_year():
    text = ("大连市数字经济促进局\n2024 年部门预算\n\n“三公”经费支出预算表\n单位：万元\n"
            "项目\t上年预算数\t本年预算数\n合计\t7.00\t5.00\n1、因公出国（境）费\t0.00\t0.00\n2、公务接待费\t1.00\t0.00\n"
            "3、公务用车购置及运行费\t6.00\t5.00\n")
    ex = extract_text(text, "3p.txt")
    got = {(r.year, r.category): r.amount.value for r in ex.records if isinstance(r, ThreePublicLine)}
    assert got[(2023, "total")] == Decimal("7.00") and got[(2024, "total")] == Decimal("5.00")
    assert got[(2023, "reception")] == Decimal("1.00")


def test_completion_rate_goes_with_the_executed_figure():
    tabbed = ("大连市数字经济促进局\n2024 年度部门决算\n\n一般公共预算财政拨款支出决算表\n单位：万元\n"
              "科目编码\t科目名称\t年初预算数\t决算数\t完成率（%）\n2150805\t中小企业发展专项\t40.00\t38.74\t96.85\n")
    spaced = tabbed.replace("\t", " ").replace("96.85\n", "96.85%\n").replace("\n", "\n\n")
    for text, name in ((tabbed, "t.txt"), (spaced, "s.txt")):
        ex = extract_text(text, name)
        got = {(r.column.phase, r.amount.value, r.rate) for r in ex.records if isinstance(r, BudgetLine) and r.code}
        assert got == {("approved", Decimal("40.00"), None), ("executed", Decimal("38.74"), Decimal("96.85"))}, name
