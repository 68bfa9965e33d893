"""“三公”经费 tables as real documents print them: one unlabelled row under a 2–3 level header,
会议费/培训费/机关运行经费 beside the parts, year or phase groups side by side, a row per unit.
Invented tables through the whole pipeline, and real pages with values read by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkg.extract.model import ItemLine, ThreePublicLine
from budgetkg.extract.tables.three_public import category_of
from tests.conftest import extract_text
from tests.real_values import REAL

HEAD = "测试市测试局\n2026 年部门预算\n\n"


def three(ex) -> dict:
    return {(r.year, r.column.phase, r.category): r.amount.value for r in ex.records if isinstance(r, ThreePublicLine)}


def items(ex) -> dict:
    return {(r.item, r.column.label): r.amount.value for r in ex.records
            if isinstance(r, ItemLine) and r.kind == "three-public"}


def test_meeting_and_training_beside_the_parts_keep_their_own_names():
    text = HEAD + ("“三公”经费、会议费、培训费支出预算表\n单位：万元\n"
                   "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费\n"
                   "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\n"
                   "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\n"
                   "100.00\t60.00\t10.00\t30.00\t\t30.00\t20.00\t25.00\t15.00\n")
    ex = extract_text(text, "3p.txt")
    got = three(ex)
    assert got[(2026, None, "total")] == Decimal("60.00")          # the 三公 subtotal, not the grand 合计
    assert got[(2026, None, "abroad")] == Decimal("10.00")
    assert got[(2026, None, "vehicle")] == Decimal("30.00")
    assert got[(2026, None, "vehicle-operation")] == Decimal("30.00")
    assert got[(2026, None, "reception")] == Decimal("20.00")
    assert (2026, None, "vehicle-purchase") not in got             # an empty cell is no fact
    beside = {item: v for (item, _), v in items(ex).items()}
    assert beside == {"合计": Decimal("100.00"), "会议费": Decimal("25.00"), "培训费": Decimal("15.00")}


def test_a_total_that_holds_meetings_without_a_three_public_subtotal():
    text = HEAD + ("“三公”经费及会议费支出预算表\n单位：万元\n"
                   "合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费\t会议费\n"
                   "50.00\t10.00\t20.00\t5.00\t15.00\n")
    ex = extract_text(text, "3p.txt")
    got = three(ex)
    assert "total" not in {c for _, _, c in got}                   # 50 = 35 + 会议费 15: not the 三公 total
    assert got[(2026, None, "abroad")] == Decimal("10.00")
    assert {item for item, _ in items(ex)} == {"合计", "会议费"}


def test_office_running_funds_are_no_vehicle_running():
    assert category_of("机关运行经费预算数") is None
    assert category_of("公务用车运行费") == "vehicle-operation"
    text = HEAD + ("2026年单位“三公”经费和机关运行经费预算表\n单位：万元\n"
                   "“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数\n"
                   "合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\n"
                   "\t\t\t小计\t购置费\t运行费\n"
                   "44.10\t12.00\t2.50\t29.60\t20.00\t9.60\t300.00\n")
    ex = extract_text(text, "3p.txt")
    got = {c: v for (_, _, c), v in three(ex).items()}
    assert got == {"total": Decimal("44.10"), "abroad": Decimal("12.00"), "reception": Decimal("2.50"),
                   "vehicle": Decimal("29.60"), "vehicle-purchase": Decimal("20.00"),
                   "vehicle-operation": Decimal("9.60")}
    assert [v for (item, _), v in items(ex).items()] == [Decimal("300.00")]


def test_a_final_account_with_budget_and_executed_groups():
    text = ("测试市测试局\n2025 年度部门决算\n\n一般公共预算财政拨款“三公”经费支出决算表\n单位：万元\n"
            "预算数\t\t\t\t\t\t决算数\n"
            "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
            "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\n"
            "8.00\t3.00\t4.00\t0\t4.00\t1.00\t6.50\t2.00\t4.00\t0\t4.00\t0.50\n")
    got = three(extract_text(text, "3p.txt"))
    assert got[(2025, "approved", "total")] == Decimal("8.00")      # 预算数 stays approved in a 决算 table
    assert got[(2025, "executed", "total")] == Decimal("6.50")
    assert got[(2025, "approved", "vehicle-purchase")] == Decimal("0")   # printed 0 is a fact
    assert got[(2025, "executed", "reception")] == Decimal("0.50")


def test_two_years_side_by_side_with_the_year_headings_apart():
    text = HEAD + ("一般公共预算“三公”经费支出情况表\n单位：万元\n2025年预算数\t2026年预算数\n"
                   "合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）经费\t公务用车购置及运行维护费\t\t\t公务接待费\n"
                   "\t\t小计\t公务用车购置经费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置经费\t公务用车运行维护费\n"
                   "10.40\t\t5.40\t\t5.40\t5.00\t23.40\t13.00\t5.40\t\t5.40\t5.00\n")
    got = three(extract_text(text, "3p.txt"))
    assert got[(2025, "approved", "total")] == Decimal("10.40")
    assert got[(2026, "approved", "total")] == Decimal("23.40")
    assert got[(2026, "approved", "abroad")] == Decimal("13.00")
    assert (2025, "approved", "abroad") not in got


def test_a_row_per_unit_the_total_row_is_the_department():
    text = HEAD + ("2026年部门一般公共预算“三公”经费预算表\n单位：万元\n"
                   "单位名称\t“三公”经费合计\t因公出国(境)费用\t公务用车购置及运行费\t\t\t公务接待费\n"
                   "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\n"
                   "合计\t30.00\t\t20.00\t5.00\t15.00\t10.00\n"
                   "测试局本级\t12.00\t\t8.00\t5.00\t3.00\t4.00\n"
                   "测试中心\t18.00\t\t12.00\t\t12.00\t6.00\n")
    ex = extract_text(text, "3p.txt")
    got = {c: v for (_, _, c), v in three(ex).items()}
    assert got["total"] == Decimal("30.00") and got["vehicle-purchase"] == Decimal("5.00")
    assert len([r for r in ex.records if isinstance(r, ThreePublicLine)]) == 5
    units = items(ex)
    assert units[("测试中心", "公务用车购置及运行费/公务用车运行维护费")] == Decimal("12.00")
    assert units[("测试局本级", "“三公”经费合计")] == Decimal("12.00")


# ------------------------------------------------------------------ real pages, values read by hand

def _real(name: str):
    from budgetkg.extract.pipeline import extract_path
    path = next(iter(REAL.rglob(name)), None)
    if path is None:
        pytest.skip(f"{name} not in corpus-real")
    return extract_path(path)


def _on_page(ex, page: int) -> dict:
    return {(r.column.label, r.category): r.amount.printed for r in ex.records
            if isinstance(r, ThreePublicLine) and r.prov.page == page}


def test_real_meeting_and_training_beside_the_three_public():
    # 江苏省政协办公厅 2018, p9: 合计 1,656.86 = “三公” 675.10 + 会议费 884.16 + 培训费 97.60
    ex = _real("江苏省政协办公厅2018度部门预算公开表.pdf")
    got = {c: v for (_, c), v in _on_page(ex, 9).items()}
    assert got == {"total": "675.10", "abroad": "106.00", "vehicle": "156.60", "vehicle-operation": "156.60",
                   "reception": "412.50"}
    beside = {r.item: r.amount.printed for r in ex.records
              if isinstance(r, ItemLine) and r.kind == "three-public" and r.prov.page == 9}
    assert beside == {"合计": "1,656.86", "会议费": "884.16", "培训费": "97.60"}


def test_real_two_years_side_by_side():
    # 烟台市财政局 2026, p21: 2025年预算数 10.40 (no 出国), 2026年预算数 23.40 with 出国 13.00
    ex = _real("2026年烟台市财政局部门预算.pdf")
    got = {(r.year, r.category): r.amount.printed for r in ex.records
           if isinstance(r, ThreePublicLine) and r.prov.page == 21}
    assert got[(2025, "total")] == "10.40" and got[(2026, "total")] == "23.40"
    assert got[(2026, "abroad")] == "13.00" and (2025, "abroad") not in got
    assert got[(2026, "vehicle-operation")] == "5.40" and got[(2026, "reception")] == "5.00"


def test_real_final_account_budget_and_executed():
    # 佛山市交通运输局, p21: 预算数 all 0.00; 决算数 合计 0.16 = 公务接待费 0.16
    ex = _real("2026年佛山市交通运输局部门预算.pdf")
    got = {(r.column.phase, r.category): r.amount.printed for r in ex.records
           if isinstance(r, ThreePublicLine) and r.prov.page == 21}
    assert got[("approved", "total")] == "0.00"
    assert got[("executed", "total")] == "0.16" and got[("executed", "reception")] == "0.16"
    assert got[("executed", "abroad")] == "0.00"


def test_real_single_row_with_an_empty_purchase_cell():
    # 武汉市信访局 2026, p16: 112.61 | 68.50 | 38.60 (购置 empty, 运行 38.60) | 5.51; the page number 15 is no figure
    ex = _real("2026年武汉市信访局部门预算.pdf")
    got = {c: v for (_, c), v in _on_page(ex, 16).items()}
    assert got == {"total": "112.61", "abroad": "68.50", "vehicle": "38.60", "vehicle-operation": "38.60",
                   "reception": "5.51"}
