"""Matching a value read by hand from a real page against what budgetkg extracted.

The hand-read files (tests/real/values_*.toml) give page, table, row, column and the value as
printed; a value is found when a fact of the right kind on that page carries it, for that row
(its code or its printed name) and that column (its header path). Nothing here knows a file.
"""
from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"
VALUES = Path(__file__).resolve().parent / "real"


def squash(text: str | None) -> str:
    """Compare printed words without spaces, quotes, colons or full/half-width brackets."""
    t = re.sub(r"[\s“”\"'：:　]", "", text or "")
    return t.replace("（", "(").replace("）", ")").replace("≦", "≤").replace("≧", "≥")


def number(text: str) -> Decimal | None:
    t = re.sub(r"[,，\s]", "", text or "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


_CACHE: dict[str, object] = {}


def extraction(file: str):
    """The extraction of a corpus-real file, once per test session (an error is kept and re-raised)."""
    from budgetkg.extract.pipeline import extract_path
    if file not in _CACHE:
        try:
            _CACHE[file] = extract_path(REAL / file)
        except Exception as exc:  # noqa: BLE001 - the test decides what an error means
            _CACHE[file] = exc
    got = _CACHE[file]
    if isinstance(got, Exception):
        raise got
    return got


def load_values() -> list[tuple[str, int, dict]]:
    out = []
    for f in sorted(VALUES.glob("values_*.toml")):
        for doc in tomllib.loads(f.read_text(encoding="utf-8")).get("doc", []):
            for i, v in enumerate(doc.get("value", [])):
                out.append((doc["file"], i, v))
    return out


THREE_PUBLIC_NAMES = {
    "total": ("合计", "“三公”经费", "“三公”经费合计", "小计"),
    "abroad": ("因公出国（境）费", "因公出国(境)费"),
    "reception": ("公务接待费",),
    "vehicle": ("公务用车购置及运行费", "公务用车购置及运行维护费"),
    "vehicle-purchase": ("公务用车购置费", "公务用车购置及运行费", "公务用车购置及运行维护费"),
    "vehicle-operation": ("公务用车运行维护费", "公务用车运行费", "公务用车购置及运行费", "公务用车购置及运行维护费"),
}
"""The printed names of a “三公” category (a hand-read row names the part, the fact its category)."""


def _row_matches(row: str, code: str | None, texts: list[str]) -> bool:
    r = squash(row)
    if code and r == code:
        return True
    return any(r and r in squash(t) for t in texts if t)


def _column_matches(column: str, label: str) -> bool:
    c = squash(column)
    return not c or c in squash(label)


def find(ex, v: dict) -> tuple[bool, str]:
    """(found, what was seen on the page instead) for one hand-read value."""
    from budgetkg.extract.model import (BudgetLine, Indicator, ItemLine, PerformanceProject, Project,
                                        Responsibility, ThreePublicLine, TotalLine)
    kind, page, want = v["kind"], v["page"], v["value"]
    seen: list[str] = []
    if kind == "duty":
        head = squash(want)
        for r in ex.records:
            if isinstance(r, Responsibility):
                if squash(r.text).startswith(head[:6]) or head[:6] in squash(r.text)[:12]:
                    return True, ""
                seen.append(r.text[:10])
        return False, f"duties: {seen[:6]}"
    if kind == "indicator":
        for r in ex.records:
            if isinstance(r, Indicator) and (r.prov is None or r.prov.page == page):
                if squash(v["row"]) in squash(r.name) and squash(want) in squash(r.target):
                    return True, ""
                seen.append(f"{r.name}={r.target}")
        return False, f"indicators on page: {seen[:6]}"
    n = number(want)
    if kind == "stated":
        for s in ex.statements:
            if s.prov is not None and s.prov.page is not None and abs(s.prov.page - page) <= 1:
                vals = [s.amount] + [a for a in (s.budget, s.change) if a is not None]
                if any(number(a.printed) == n for a in vals):
                    return True, ""
                seen.append(f"{s.subject}={s.amount.printed}")
        return False, f"statements on page: {seen[:8]}"
    for r in ex.records:
        prov = getattr(r, "prov", None)
        if prov is None or prov.page != page:
            continue
        if isinstance(r, (BudgetLine, TotalLine, ItemLine, ThreePublicLine)):
            if number(r.amount.printed) != n:
                continue
            code = getattr(r, "code", None) or next(iter(getattr(r, "codes", []) or []), None)
            names = [prov.raw, getattr(r, "label", None), getattr(r, "item", None), getattr(r, "category", None)]
            if isinstance(r, ThreePublicLine):
                names.append(r.column.label)
                names.extend(THREE_PUBLIC_NAMES.get(r.category, ()))
            heading = r.column.label + prov.raw
            if isinstance(r, ThreePublicLine):     # the deepest header of a part's column is its name
                heading += "".join(THREE_PUBLIC_NAMES.get(r.category, ()))
            if _row_matches(v["row"], code, names) and _column_matches(v.get("column", ""), heading):
                return True, ""
            seen.append(f"{code or ''}{r.column.label}={r.amount.printed}")
        elif isinstance(r, Project):
            for col, amt in r.amounts:
                if number(amt.printed) == n and _row_matches(v["row"], None, [r.name, prov.raw]):
                    return True, ""
        elif isinstance(r, PerformanceProject):
            for amt in (r.budget, r.executed):
                if amt is not None and number(amt.printed) == n and _row_matches(v["row"], None, [r.name, prov.raw]):
                    return True, ""
    if kind == "project" and re.fullmatch(r"(合计|总计)[:：]?", squash(v["row"])):
        # a projects table's printed 合计 row is kept as the table's total
        for t in getattr(ex, "tables", []):
            tp = getattr(t, "total_prov", None)
            if t.total is not None and tp is not None and tp.page == page and number(t.total.printed) == n:
                return True, ""
    return False, f"facts of value {want} on the page: {seen[:6]}"
