"""Amounts are exact: Decimal, never float; an empty cell is None, not zero."""
from decimal import Decimal

import pytest

from budgetkg.extract.numbers import clean_text, parse_amount, to_yuan, unit_of


@pytest.mark.parametrize("printed, value", [
    ("34,585.41", Decimal("34585.41")),
    ("0.00", Decimal("0.00")),
    ("３４５．６", Decimal("345.6")),         # full-width digits and point
    ("1 425.40", Decimal("1425.40")),          # stray space inside a number
    ("<td>7.50</td>", Decimal("7.50")),        # converter debris
    ("-12.5", Decimal("-12.5")),
])
def test_amounts_are_decimal(printed, value):
    assert parse_amount(printed) == value
    assert isinstance(parse_amount(printed), Decimal)


@pytest.mark.parametrize("printed", ["", "  ", "-", "—", "/"])
def test_empty_is_not_zero(printed):
    assert parse_amount(printed) is None


def test_text_is_refused():
    with pytest.raises(ValueError):
        parse_amount("行政运行")


def test_wan_yuan_normalised_exactly():
    assert to_yuan(Decimal("30444.17"), 4) == Decimal("304441700")
    assert unit_of("单位：万元") == 4 and unit_of("金额单位：元") == 0


def test_latex_operators_cleaned():
    assert clean_text(r"$\geq 90\%$") == "≥90%"


def test_digits_a_space_apart_are_two_figures_unless_grouped():
    from budgetkg.extract.tables.base import amount
    assert amount("100 200", 4) is None                       # never 100200
    assert amount("1 425.40", 4).value == Decimal("1425.40")  # a thousands grouping with decimals
    assert amount("1,2.3.4", 4) is None


def test_a_cell_with_its_own_unit_keeps_it():
    from budgetkg.extract.tables.base import amount
    a = amount("12.5万", 0)                                   # in a 元 table, the cell says 万
    assert (a.value, a.unit_mult, a.yuan) == (Decimal("12.5"), 4, Decimal("125000"))
