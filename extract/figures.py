"""Every number printed in a document, accounted for: made into a fact, or explained (a year,
a code, a row number, a zero, a skipped row with its reason), or reported as unaccounted.

Tables are counted cell by cell (a row's figures against the facts made of that row), the
text figure by figure (against the statements read from its sentence). Nothing here decides
what a figure means; it only checks that every one went somewhere.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .model import Document, Record, Table
from .numbers import clean_text, is_amount
from .statements import Statement, sentences

_NUMBER = re.compile(r"(?<![\dA-Za-z.])\d[\d,]*(?:\.\d+)?(?![\dA-Za-z])")
_PROSE_REASONS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\s*(年|年度|年初|年末|年底|-\d{4}\s*年)"), "a year"),
    (re.compile(r"^\s*(月|日|号|时|分)"), "a date or time"),
    (re.compile(r"^\s*[.．、)）]"), "a list number"),
    (re.compile(r"^\s*(〕|］|\]|号文)"), "a reference number"),
    (re.compile(r"^\s*(次会议|届|次全体|条|款|章|部分)"), "an ordinal"),
    (re.compile(r"^\s*(岁|周岁|层|楼|路|栋)"), "an address or age"),
]
_CODE = re.compile(r"^\d{3}(\d{2}){1,2}$")


@dataclass
class Unaccounted:
    page: int | None
    line: int | None
    figure: str
    context: str


@dataclass
class FigureAccount:
    """Per document: figures printed, made facts, explained (by reason), unaccounted."""
    printed: int = 0
    facts: int = 0
    explained: Counter = field(default_factory=Counter)
    unaccounted: list[Unaccounted] = field(default_factory=list)

    @property
    def explained_total(self) -> int:
        return sum(self.explained.values())

    def add(self, other: "FigureAccount") -> None:
        self.printed += other.printed
        self.facts += other.facts
        self.explained.update(other.explained)
        self.unaccounted.extend(other.unaccounted)


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def _printed_values(rec: Record) -> list[Decimal]:
    out = []
    for a in (getattr(rec, "amount", None), getattr(rec, "budget", None), getattr(rec, "executed", None)):
        if a is not None and (v := _dec(a.printed)) is not None:
            out.append(v)
    for _, a in getattr(rec, "amounts", []) or []:
        if (v := _dec(a.printed)) is not None:
            out.append(v)
    for t in (getattr(rec, "target", None), getattr(rec, "actual", None), getattr(rec, "rate", None),
              getattr(rec, "weight", None), getattr(rec, "score", None)):
        if t is not None:
            out.extend(v for x in _NUMBER.findall(str(t)) if (v := _dec(x)) is not None)
    return out


def _table_account(table: Table, by_row: dict[int, list[Decimal]], skipped: dict[int, str],
                   table_facts: list[Decimal]) -> FigureAccount:
    acc = FigureAccount()
    pooled = Counter(table_facts)            # facts whose row is not known (a form's project, its indicators)
    in_table = {v for vals in by_row.values() for v in vals} | set(table_facts)
    for i, row in enumerate(table.body):
        made = Counter(by_row.get(i, []))
        lead = next((k for k, c in enumerate(row.cells) if re.search(r"[\u4e00-\u9fff]", c.text)), len(row.cells))
        for k, cell in enumerate(row.cells):
            text = cell.text.strip()
            for fig in (_NUMBER.findall(text) if not is_amount(text) else [text]):
                v = _dec(fig)
                compact = fig.replace(" ", "")
                if v is None:
                    continue
                acc.printed += 1
                if made[v] > 0:
                    made[v] -= 1
                    acc.facts += 1
                elif pooled[v] > 0:
                    pooled[v] -= 1
                    acc.facts += 1
                elif re.search(r"[\u4e00-\u9fff]", text) and not (k < lead and re.fullmatch(r"\d{2,7}", compact)):
                    acc.explained["a number inside a text cell (the text is kept whole)"] += 1
                elif re.fullmatch(r"-?[\d,.]+\s*[%％]", text):
                    acc.explained["a rate column (percentage)"] += 1
                elif v in in_table and "." in compact:
                    acc.explained["a figure printed again (a continued row repeats it)"] += 1
                elif (_CODE.match(compact) or re.fullmatch(r"\d{6,}", compact)
                      or (k < lead and re.fullmatch(r"\d{3}|\d{2}", compact))):   # 类 | 款 | 项 before the name
                    acc.explained["a classification or unit code"] += 1
                elif v == 0:
                    acc.explained["a printed zero (no amount)"] += 1
                elif i in skipped:
                    acc.explained[f"row skipped: {skipped[i]}"] += 1
                elif table.kind is None:
                    acc.explained["table not recognised as a known kind"] += 1
                elif "." not in compact and "," not in compact and v < 1000 and not is_amount(text):
                    acc.explained["a number inside a text cell"] += 1
                elif "." not in compact and "," not in compact and v < 100:
                    acc.explained["a row or column number"] += 1
                else:
                    acc.unaccounted.append(Unaccounted(row.page, row.line, fig, row.raw[:120]))
    return acc


def _prose_account(doc: Document, statements: list[Statement], records: list[Record]) -> FigureAccount:
    acc = FigureAccount()
    stated: dict[tuple, Counter] = {}
    for st in statements:
        if st.prov is None:
            continue
        c = stated.setdefault((st.prov.page, st.prov.line), Counter())
        for a in (st.amount, st.budget, st.change):
            if a is not None and (v := _dec(a.printed)) is not None:
                c[abs(v)] += 1
        if st.rate is not None:
            c[st.rate] += 1
    duty_nums = Counter((r.prov.page, r.prov.line) for r in records
                        if type(r).__name__ == "Responsibility" and r.prov is not None)
    for text, para in sentences(doc):
        flat = re.sub(r"\s+", " ", clean_text(text))
        made = stated.get((para.page, para.line), Counter())
        toc = bool(re.search(r"[.…·]{4,}\s*\d+\s*$", flat)) or flat.startswith("目录")
        for m in _NUMBER.finditer(flat):
            fig = m.group(0)
            v = _dec(fig)
            if v is None:
                continue
            acc.printed += 1
            after, before = flat[m.end():m.end() + 6], flat[max(0, m.start() - 3):m.start()]
            if made[v] > 0:
                made[v] -= 1
                acc.facts += 1
                continue
            if toc:
                acc.explained["a table-of-contents page number"] += 1
                continue
            for pat, why in _PROSE_REASONS:
                if pat.search(after):
                    acc.explained[why] += 1
                    break
            else:
                if re.search(r"第\s*$|〔\s*$|\[\s*$", before):
                    acc.explained["an ordinal or reference number"] += 1
                elif re.fullmatch(r"(19|20)\d\d", fig):
                    acc.explained["a year"] += 1
                elif _CODE.match(fig) or len(fig) >= 8 and fig.isdigit():
                    acc.explained["a classification code or identifier"] += 1
                elif m.start() < 3 and (para.page, para.line) in duty_nums:
                    acc.explained["a list number"] += 1
                elif re.search(r"[A-Za-z]", flat[max(0, m.start() - 2):m.end() + 2]):
                    acc.explained["part of a name or model (PM2.5, 5G …)"] += 1
                elif "." not in fig and v < 100 and not re.match(r"\s*(万元|元|亿元|%|％)", after):
                    acc.explained["a small count or number in a name (no unit)"] += 1
                else:
                    acc.unaccounted.append(Unaccounted(para.page, para.line, fig, flat[max(0, m.start() - 30):m.end() + 12]))
    return acc


def account(doc: Document, records: list[Record], statements: list[Statement],
            skipped: list[tuple[int, int, str, str]]) -> FigureAccount:
    """Every number printed in the document's tables and text, accounted for."""
    by_table: dict[int, dict[int, list[Decimal]]] = {}
    table_facts: dict[int, list[Decimal]] = {}
    for r in records:
        prov = getattr(r, "prov", None)
        if prov is None or prov.table is None:
            continue
        vals = _printed_values(r)
        if prov.row is None:
            table_facts.setdefault(prov.table, []).extend(vals)
        else:
            by_table.setdefault(prov.table, {}).setdefault(prov.row, []).extend(vals)
    reasons: dict[int, dict[int, str]] = {}
    for t, i, _, why in skipped:
        reasons.setdefault(t, {}).setdefault(i, why)
    total = FigureAccount()
    for table in doc.tables:
        total.add(_table_account(table, by_table.get(table.index, {}), reasons.get(table.index, {}),
                                 table_facts.get(table.index, [])))
    total.add(_prose_account(doc, statements, records))
    return total
