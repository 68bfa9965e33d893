"""Values read by hand from the pages of real published documents (../shared/corpus-real),
one test each: page, table, row, column and the printed figure (tests/real/values_*.toml).

A value we do not read right yet is listed in tests/real/known_misses.txt and expected to
fail (strict: once it is read right the list must lose it), so the list is the measure of
what is left, not a way to hide it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.real_values import REAL, VALUES, extraction, find, load_values

ALL = load_values()
KNOWN = {ln.strip() for ln in (VALUES / "known_misses.txt").read_text(encoding="utf-8").splitlines()
         if ln.strip() and not ln.startswith("#")} if (VALUES / "known_misses.txt").exists() else set()


def value_id(file: str, i: int, v: dict) -> str:
    return f"{Path(file).stem[:24]}#{i}:{v['kind']}:p{v['page']}:{v['row'][:12]}={v['value'][:16]}"


@pytest.mark.parametrize("file,i,v", [
    pytest.param(f, i, v, id=value_id(f, i, v),
                 marks=[pytest.mark.xfail(strict=True, reason="known miss")] if value_id(f, i, v) in KNOWN else [])
    for f, i, v in ALL])
def test_value_read_by_hand(file, i, v):
    if not (REAL / file).exists():
        pytest.skip(f"{file} not found beside the repository")
    ex = extraction(file)
    found, seen = find(ex, v)
    assert found, f"{v['table']} / {v['row']} / {v.get('column')} = {v['value']} {v.get('unit')} (page {v['page']}); {seen}"


def test_enough_documents_and_values():
    files = {f for f, _, _ in ALL}
    assert len(files) >= 15
    per = {f: sum(1 for g, _, _ in ALL if g == f) for f in files}
    assert min(per.values()) >= 15, per
