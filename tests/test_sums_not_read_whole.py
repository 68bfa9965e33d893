"""A sum over a table the reader did not read whole (a row with figures made no fact) cannot be
checked: its failure is info, not an error the source would be blamed for. The same table read
whole still gives the error (corpus 000, a tabbed 一般公共预算支出表)."""
from decimal import Decimal

from tests.test_checks import extract_mutated

ROW = "2080501\t行政单位离退休\t875.59\t875.59"


def _hierarchy(ex, severity):
    return [f for f in ex.findings if f.rule == "parent-equals-children" and f.severity == severity
            and f.sides[0].label.startswith("20805")]


def test_a_lost_child_row_makes_the_sum_info():
    # the code of 2080501 (875.59) unreadable: the row is skipped, 20805 1,146.58 ≠ 2080505 271.00 alone
    ex = extract_mutated("000", ROW, "\t行政单位离退休\t875.59\t875.59")
    assert _hierarchy(ex, "error") == []
    # its table, both columns (合计, 基本支出): the children read are 2080505 alone
    infos = [f for f in _hierarchy(ex, "info") if len(f.sides) == 2]
    assert len(infos) == 2 and all("table not read whole" in f.message for f in infos)
    assert {(s.label, s.printed) for s in infos[0].sides} == {("20805 行政事业单位养老支出", "1,146.58"),
                                                             ("2080505 机关事业单位基本养老保险缴费支出", "271.00")}


def test_a_table_read_whole_keeps_the_error():
    ex = extract_mutated("000", ROW, "2080501\t行政单位离退休\t885.59\t875.59")
    errs = _hierarchy(ex, "error")
    assert len(errs) == 1 and errs[0].difference == Decimal("-100100")
    assert "not read whole" not in errs[0].message
