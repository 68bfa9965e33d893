"""Checks across documents (`budgetkg check` runs them over the store after a build): a 决算's
“三公” 预算数 against the 预算 document of the same department and year, and year on year. The
pair is invented from the corpus: 000 (沈阳市工业和信息化局 2020 预算, “三公”经费支出表 合计 122.85)
moved to 2024 and 2023 beside 001 (the same department's 2024 决算, whose 财政拨款“三公”经费支出决算表
prints 预算数 合计 86.35 on line 2544)."""
from __future__ import annotations

import shutil

from typer.testing import CliRunner

from budgetkg.cli import app
from tests.conftest import corpus_file


def _moved(src, dst, year: int) -> None:
    text = src.read_text(encoding="utf-8")
    dst.write_text(text.replace("2020", str(year)).replace("2019", str(year - 1)), encoding="utf-8")


def test_final_account_against_the_budget_of_its_year_and_year_on_year(tmp_path):
    from budgetkg.graph.build import build
    from budgetkg.graph.findings import stored_findings
    from budgetkg.graph.store import open_store
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(corpus_file("001"), docs / "final-2024.txt")
    _moved(corpus_file("000"), docs / "budget-2024.txt", 2024)
    _moved(corpus_file("000"), docs / "budget-2023.txt", 2023)
    kg = tmp_path / "kg"
    assert all(r.ok for r in build([docs], kg))
    res = CliRunner().invoke(app, ["check", str(kg), "--severity", "info"])
    assert "[final-budget-equals-budget-document]" in res.output, res.output
    again = CliRunner().invoke(app, ["check", str(kg), "--severity", "info"])      # run twice: written once
    assert again.output == res.output
    found = stored_findings(open_store(kg, read_only=True), min_severity="info")
    across = [f for f in found if f.rule == "final-budget-equals-budget-document"]
    total = [f for f in across if f.message.startswith("“三公”经费合计")]
    assert len(total) == 1 and total[0].severity == "warning" and total[0].source == "final-2024.txt"
    sides = sorted((s.label.split(":")[0], s.printed, s.line) for s in total[0].sides)
    assert sides == [("budget-2024.txt 2024 预算", "122.85", sides[0][2]), ("final-2024.txt 2024 决算", "86.35", 2544)]
    assert all(s.table for s in total[0].sides)          # each side names its own document's table
    yoy = [f for f in found if f.rule == "year-on-year-change" and f.source == "budget-2024.txt"]
    assert {f.message.split(" ")[0] for f in yoy} >= {"“三公”经费合计"}
    assert all(f.severity == "info" for f in yoy)
    assert any("change 0 元" in f.message for f in yoy)
    # the 决算 and the 预算 documents themselves: no finding across the store when only one is there
    res = CliRunner().invoke(app, ["check", str(kg), "--no-across", "--severity", "info"])
    assert "[final-budget-equals-budget-document]" in res.output       # written, still there


def test_rules_across_on_invented_facts():
    from decimal import Decimal

    from budgetkg.extract.rules_across import DocFacts, Figure, check_across
    fig = lambda v, p: Figure(Decimal(v), p, 4, page=3)
    a = DocFacts("g1", "a.pdf", "d", "局", 2023, "预算", three={("total", "approved"): fig("1000000", "100.00")})
    b = DocFacts("g2", "b.pdf", "d", "局", 2024, "预算", three={("total", "approved"): fig("1100000", "110.00")})
    c = DocFacts("g3", "c.pdf", "d", "局", 2024, "决算", three={("total", "approved"): fig("1100049", "110.0049")})
    got = [(d.source, f.rule, f.severity) for d, f in check_across([a, b, c])]
    assert got == [("c.pdf", "final-budget-equals-budget-document", "info"), ("b.pdf", "year-on-year-change", "info")]
