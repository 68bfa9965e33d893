"""The lexicon is where the interpreters' words live: none is written in extract/tables/*.py,
and an entry of the lexicon is what recognises a phrasing."""
import ast
import re
from pathlib import Path

import budgetkg.extract.tables as tables
from budgetkg.extract import lexicon as lx
from budgetkg.extract.model import Cell, Row, Table
from budgetkg.extract.tables import base, line_items, performance, projects, three_public, totals

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
TABLES = Path(tables.__file__).parent


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def chinese_literals(path: Path) -> list[str]:
    """String constants (f-string parts included) holding a CJK character; docstrings excepted,
    comments never reach the tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and CJK.search(node.value)]


def test_interpreters_hold_no_chinese_literal():
    files = sorted(TABLES.glob("*.py"))
    assert len(files) >= 7
    found = [hit for f in files for hit in chinese_literals(f)]
    assert not found, "Chinese words belong in extract/lexicon.py:\n" + "\n".join(found)


def test_the_walk_sees_literals_and_spares_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""合计 in a docstring."""\n# 合计 in a comment\n'
                      'def f(x):\n    """总计."""\n    return x == "合计" or f"{x}年"\n', encoding="utf-8")
    assert [h.split(": ", 1)[1] for h in chinese_literals(sample)] == ["'合计'", "'年'"]


def test_lexicon_names_are_bound_once():
    """A second binding of a name silently replaces the first (a header word by a regex)."""
    tree = ast.parse((TABLES.parent / "lexicon.py").read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    seen[n.id] = seen.get(n.id, 0) + 1
    assert [k for k, v in seen.items() if v > 1] == []


def _table(title: str, *header: list[str]) -> Table:
    return Table(title=title, header=[Row([Cell(t) for t in cells]) for cells in header])


def test_table_kinds_are_recognised_by_their_lexicon_words():
    assert three_public.recognise(_table("2024年“三公”经费支出预算表")) == "three-public"
    assert totals.recognise(_table("部门收支总表")) == "totals"
    assert projects.recognise(_table("项目支出表", ["单位名称", "项目名称", "金额"])) == "projects"
    assert performance.recognise(_table("项目支出绩效目标表")) == "performance"
    assert line_items.recognise(_table("政府采购预算表")) == "procurement"
    assert line_items.recognise(_table("政府采购项目绩效目标表")) is None     # a 绩效 table is never an item table
    assert set(lx.TABLE_KINDS) >= {"performance", "three-public", "projects", "totals", "procurement", "classified"}


def test_a_new_title_phrasing_is_one_lexicon_entry(monkeypatch):
    title = "2024年公务费支出预算表"
    assert three_public.recognise(_table(title)) is None
    monkeypatch.setattr(lx, "THREE_PUBLIC_KIND", lx.TableKind("three-public", title=lx.any_of(("三公", "公务费"))))
    assert three_public.recognise(_table(title)) == "three-public"


def test_a_new_item_kind_is_one_lexicon_entry(monkeypatch):
    title = "国有资产出租出借情况表"
    assert line_items.recognise(_table(title)) is None
    monkeypatch.setattr(lx, "ITEM_KINDS", lx.ITEM_KINDS + (lx.TableKind("leases", title=re.compile("出租出借")),))
    assert line_items.recognise(_table(title)) == "leases"


def test_a_new_measure_word_is_one_lexicon_entry(monkeypatch):
    assert base.measure_of("支出/工资福利支出") == "other"
    monkeypatch.setitem(lx.MEASURES, "工资福利", "personnel")
    assert base.measure_of("支出/工资福利支出") == "personnel"


def test_measures_phases_and_totals_come_from_the_lexicon():
    for word, measure in lx.MEASURES.items():
        assert base.measure_of(f"本年预算/{word}") == measure
    for word in lx.GROUP_TOTAL_LEAVES:
        assert base.measure_of(f"基本支出/{word}") == "basic"
    for word in lx.TOTAL_WORDS:
        assert base.measure_of(word) == "total"
    assert base.phase_of("2024年决算数") == "executed"
    assert base.phase_of("年初预算数") == "approved"
    assert all(lx.GRAND_TOTAL_RE.fullmatch(w) for w in lx.GRAND_TOTAL_WORDS)
    assert three_public.category_of("因公出国(境)费") == lx.THREE_PUBLIC_PARTS["因公出国(境)费"]
    assert {three_public.category_of(w) for w in lx.THREE_PUBLIC_PARTS} == set(lx.THREE_PUBLIC_PARTS.values())
