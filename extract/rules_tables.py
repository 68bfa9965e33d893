"""What a 财政 reviewer checks of the tables as a set and against the text that states them:
the “三公” parts against their 合计 in each column, the tables the 目录 lists present (or
declared empty), a figure the text states where the table leaves the cell blank, and a 万元
figure printed with 元 in the text.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from .checks import Finding, Side, _compare, _half_unit
from .model import (Amount, BudgetLine, Document, ItemLine, Paragraph, Provenance, Record, Table, ThreePublicLine,
                    TotalLine)

# ------------------------------------------------------------------ 三公: parts against 合计

_PARTS = ("abroad", "reception", "vehicle")
_CN = {"total": "“三公”经费合计", "abroad": "因公出国（境）费", "reception": "公务接待费",
       "vehicle": "公务用车购置及运行费", "vehicle-purchase": "公务用车购置费", "vehicle-operation": "公务用车运行维护费"}


def check_three_public_parts(records: list[Record]) -> list[Finding]:
    """合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费, and 公务用车购置及运行费 = 购置费 +
    运行维护费, in each column (a wide table: one row, a column per part) or each row (a long one)."""
    out: list[Finding] = []
    lines = [r for r in records if isinstance(r, ThreePublicLine) and r.prov.table is not None]
    groups: dict[tuple, dict[str, ThreePublicLine]] = defaultdict(dict)
    for r in lines:
        wide = (r.prov.table, "row", r.prov.row, r.year, r.column.phase, r.column.measure)
        long = (r.prov.table, "column", r.year, r.column.label)
        for key in (wide, long):
            groups[key].setdefault(r.category, r)
    done: set[frozenset] = set()
    for key, cats in groups.items():
        ids = frozenset(id(r) for r in cats.values())
        if len(cats) < 2 or ids in done:
            continue
        done.add(ids)
        where = cats[next(iter(cats))].prov.table_title or "“三公”经费表"
        col = key[3] if key[1] == "column" else (key[5] if key[5] != "total" else "")
        what = f"{where} [{col or cats[next(iter(cats))].column.label}]"
        if "total" in cats:
            parts = {c: cats[c] for c in _PARTS if c in cats}
            if "vehicle" not in parts:
                for c in ("vehicle-purchase", "vehicle-operation"):
                    if c in cats:
                        parts[c] = cats[c]
            if parts and len(parts) < len(cats):
                whole_parts = [(_CN[c], r) for c, r in parts.items()]
                complete = all(c in cats for c in _PARTS)
                _compare("three-public-total-equals-parts", (_CN["total"], cats["total"]), whole_parts, what, out,
                         relation="eq" if complete else "le")
        if "vehicle" in cats and ("vehicle-purchase" in cats or "vehicle-operation" in cats):
            sub = [(_CN[c], cats[c]) for c in ("vehicle-purchase", "vehicle-operation") if c in cats]
            complete = len(sub) == 2
            _compare("three-public-vehicle-equals-parts", (_CN["vehicle"], cats["vehicle"]), sub, what, out,
                     relation="eq" if complete else "le")
    return out


# ------------------------------------------------------------------ 目录: every table listed present

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_LEADERS = re.compile(r"[….·\-_]{2,}\s*\d*$|\s\d{1,3}$")
_EMPTY = re.compile(r"空表|无数据|没有数据|无此|无相关|未安排|没有安排|无(?:政府性基金|国有资本)|没有(?:政府性基金|国有资本)|不涉及|为零|为0|为空")


def _norm(text: str) -> str:
    t = _SPACE.sub("", text)
    t = _LEADERS.sub("", t)
    t = _NUMBERING.sub("", t)
    t = re.sub(r"(?:19|20)\d\d年度?|[“”\"'‘’《》（）()]", "", t)
    return t


def toc_entries(doc: Document) -> list[tuple[str, Paragraph]]:
    """The tables a 目录 lists: its lines ending in 表 (wrapped lines joined), until the 目录's first
    heading is printed again or a table begins."""
    blocks = doc.blocks
    start = next((i for i, b in enumerate(blocks) if isinstance(b, Paragraph)
                  and _SPACE.sub("", b.text) in ("目录", "目次")), None)
    if start is None:
        return []
    entries: list[list] = []
    first = None
    for b in blocks[start + 1:start + 80]:
        if isinstance(b, Table):
            break
        t = _SPACE.sub("", b.text)
        if not t:
            continue
        key = _NUMBERING.sub("", _LEADERS.sub("", t))
        if first is None:
            first = key
        elif key == first:
            break                   # the document itself begins
        if entries and not _NUMBERING.match(t) and not entries[-1][0].endswith(("表", "说明", "概况", "解释", "情况")) \
                and len(t) <= 12:
            entries[-1][0] += t     # an entry wrapped onto the next line
            continue
        if len(t) > 60 or re.search(r"[，。；]", t):
            break                   # prose: the 目录 has ended
        entries.append([t, b])
    return [(_norm(t), b) for t, b in entries if _norm(t).endswith("表") and len(_norm(t)) >= 4]


# words titles add or drop between the 目录 and the page (政府采购支出预算表 / 政府采购预算表,
# 一般公共预算“三公”经费…表 / “三公”经费…表): compared without them
_FILLER = re.compile(r"情况|明细|公开|部门|单位|市级|本级|年度|一览|支出(?=预算表|决算表)|一般公共预算|财政拨款")
_FAMILY = re.compile(r"收支|收入|支出|三公|采购|购买服务|绩效|基金|国有资本|项目|结转")


@lru_cache(maxsize=8192)
def _unfilled(text: str) -> tuple[str, Counter]:
    """A text without `_FILLER`, and its characters counted (every 目录 entry meets every text)."""
    text = _FILLER.sub("", text)
    return text, Counter(text)


def _similar(core: str, text: str) -> bool:
    if core in text:
        return True
    (core, core_chars), (text, text_chars) = _unfilled(core), _unfilled(text)
    if (core_chars & text_chars).total() < 0.85 * len(core):
        return False    # the characters both hold bound the matching blocks: most texts stop here
    m = SequenceMatcher(None, core, text, autojunk=False)
    return sum(b.size for b in m.get_matching_blocks()) >= 0.85 * len(core)


def check_toc(doc: Document) -> list[Finding]:
    entries = [(c, p) for c, p in toc_entries(doc) if _FAMILY.search(c)]
    if not entries or not any(t.kind for t in doc.tables):
        # no table at all: an explanation whose tables are published in another file
        return []
    last_toc = entries[-1][1]
    after = doc.blocks[doc.blocks.index(last_toc) + 1:]
    units: list[tuple[bool, list[str]]] = []      # (a table?, its normalised texts), in printed order
    for b in after:
        if isinstance(b, Table):
            rows = list(b.header) + list(b.body)[:3] + list(b.body)[-3:]
            units.append((True, [_norm(b.title or "")] + [_norm(m) for m in b.meta]
                          + [_norm("".join(r.nonempty())) for r in rows]))
        else:
            units.append((False, [_norm(b.text)]))
    def match(core: str, start: int) -> int | None:
        return next((i for i in range(start, len(units)) if any(t and _similar(core, t) for t in units[i][1])), None)

    found: list[int | None] = []
    at = 0
    for core, _ in entries:            # in the 目录's order, each after the one before when it can be
        i = match(core, at)
        i = i if i is not None else match(core, 0)
        found.append(i)
        if i is not None and i >= at:
            at = i + 1
    prose = [_SPACE.sub("", b.text) for b in after if isinstance(b, Paragraph)]
    notes = [n for b in after if isinstance(b, Table) for n in b.notes]
    out: list[Finding] = []
    for k, (core, para) in enumerate(entries):
        if found[k] is not None:
            continue
        before = next((found[j] for j in range(k - 1, -1, -1) if found[j] is not None), None)
        nxt = next((found[j] for j in range(k + 1, len(entries)) if found[j] is not None), None)
        if before is not None and nxt is not None and any(
                units[i][0] and (not units[i][1][0] or core.endswith(units[i][1][0]))
                for i in range(before + 1, nxt) if i not in found):
            continue                 # a table printed where the 目录 puts it, its title lost by the reader
        stem = re.sub(r"(?:预算|决算|支出|收入|财政拨款|表)+$", "", core)[-8:]
        if any(stem and stem in p and _EMPTY.search(p) for p in prose + notes):
            continue                 # declared empty in the text
        out.append(Finding(rule="toc-table-present", severity="warning",
                           message=f"the 目录 lists {core}, which the document does not print (nor declare empty)",
                           sides=[Side("目录", Decimal(0), core,
                                       Provenance(table=None, table_title=None, row=None, raw=para.text,
                                                  line=para.line, page=para.page), kind="text"),
                                  Side("document: tables printed", Decimal(0), "(absent)", None, kind="text")]))
    return out


# ------------------------------------------------------------------ the text against a blank cell

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_THREE_BUDGET = re.compile(r"三公”?\s*经费[^。；]{0,30}?(?:年初)?预算(?:数)?(?:为|是)?\s*" + _NUM + r"\s*万元")


def check_three_public_budget_stated(doc_sentences, records: list[Record], tables: list[Table],
                                     kind: str | None, year: int | None) -> list[Finding]:
    """In a 决算, the “三公” 年初预算 the text states against the table's 预算数 合计 — and against a
    blank cell when the table prints a 预算数 column and leaves it empty."""
    if kind != "决算":
        return []
    three = [t for t in tables if t.kind == "three-public"]
    if not three:
        return []
    approved = [r for r in records if isinstance(r, ThreePublicLine) and r.category == "total"
                and r.column.phase == "approved" and r.year in (year, None)]
    has_budget_column = any("预算" in t.header_text() for t in three)
    out: list[Finding] = []
    for text, para in doc_sentences:
        flat = _SPACE.sub("", text)
        m = _THREE_BUDGET.search(flat)
        if not m or "上年" in flat[max(0, m.start() - 10):m.end()]:
            continue
        stated = Amount(printed=m.group(1), value=Decimal(m.group(1).replace(",", "")), unit_mult=4)
        prov = Provenance(table=None, table_title=None, row=None, raw=text[:500], line=para.line, page=para.page)
        if approved:
            rec = approved[0]
            d = stated.yuan - rec.amount.yuan
            tol = Decimal(5).scaleb(int(stated.value.as_tuple().exponent) - 1 + 4) + \
                Decimal(5).scaleb(int(rec.amount.value.as_tuple().exponent) - 1 + rec.amount.unit_mult)
            if d != 0:
                sev = "info" if abs(d) <= tol else "error"
                out.append(Finding(rule="statement-equals-table", severity=sev,
                                   message=f"“三公”经费 年初预算: the text states {stated.printed} 万元, the table prints "
                                           f"{rec.amount.printed}; difference {d:f} 元",
                                   sides=[Side("text: “三公”经费 年初预算", stated.yuan, stated.printed, prov),
                                          Side(f"table: {rec.prov.table_title} 预算数 合计", rec.amount.yuan,
                                               rec.amount.printed, rec.prov)], difference=d))
        elif has_budget_column and stated.value != 0:
            t = three[0]
            out.append(Finding(rule="statement-cell-blank", severity="error",
                               message=f"“三公”经费 年初预算: the text states {stated.printed} 万元, the table's 预算数 "
                                       f"合计 cell is blank",
                               sides=[Side("text: “三公”经费 年初预算", stated.yuan, stated.printed, prov),
                                      Side(f"table: {t.title} 预算数 合计", Decimal(0), "(blank)",
                                           Provenance(table=t.index, table_title=t.title, row=None, raw="",
                                                      line=t.line, page=t.page))],
                               difference=stated.yuan))
        break
    return out


# ------------------------------------------------------------------ 万元 printed as 元

_LABEL_CLEAN = re.compile(r"[\s“”\"（）()、:：]")


_YUAN = re.compile(r"(?<![\d.,])(\d[\d,]*\.\d{1,2})\s*元")


def check_unit_slips(doc_sentences, records: list[Record]) -> list[Finding]:
    """A figure the text prints in 元 that is, digit for digit, the 万元 figure of the line the same
    words name in a table (住房公积金 3.58元 where the table prints 3.58 万元)."""
    by_value: dict[Decimal, list] = defaultdict(list)
    for r in records:
        if isinstance(r, (BudgetLine, TotalLine, ThreePublicLine)) and r.amount.unit_mult == 4 and r.amount.value:
            by_value[r.amount.value].append(r)
    out: list[Finding] = []
    seen: set[tuple] = set()
    for text, para in doc_sentences:
        flat = _SPACE.sub("", text)
        for m in _YUAN.finditer(flat):
            if flat[m.end() - 2:m.end() - 1] in ("万", "亿"):
                continue
            value = Decimal(m.group(1).replace(",", ""))
            if value >= 100000 or not value:
                continue
            head = _LABEL_CLEAN.sub("", flat[max(0, m.start() - 24):m.start()])
            for r in by_value.get(value, ()):
                name = r.label if isinstance(r, BudgetLine) else (r.item if isinstance(r, TotalLine) else _CN[r.category])
                name = _LABEL_CLEAN.sub("", name)
                if len(name) < 3 or name not in head or (m.group(1), name) in seen:
                    continue
                seen.add((m.group(1), name))
                prov = Provenance(table=None, table_title=None, row=None, raw=text[:500], line=para.line, page=para.page)
                a = Amount(printed=m.group(1), value=value, unit_mult=0)
                out.append(Finding(rule="statement-unit-matches-table", severity="error",
                                   message=f"{name}: the text prints {a.printed} 元, the table {r.amount.printed} 万元 "
                                           f"(a 万元 figure printed with 元?)",
                                   sides=[Side(f"text: {name}", a.yuan, f"{a.printed} 元", prov),
                                          Side(f"table: {r.prov.table_title}", r.amount.yuan, f"{r.amount.printed} 万元",
                                               r.prov)],
                                   difference=a.yuan - r.amount.yuan))
                break
    return out


# ------------------------------------------------------------------ two sums of printed figures

def _identity(rule: str, left: list[tuple[str, object]], right: list[tuple[str, object]], what: str,
              relation: str = "eq", worst: str = "error") -> Finding | None:
    """Σ left = Σ right (or Σ left ≥ Σ right), in 元, within the rounding of every figure printed;
    each figure a side of its own, left ones first."""
    from .checks import _half_unit
    lsum = sum((r.amount.yuan for _, r in left), Decimal(0))
    rsum = sum((r.amount.yuan for _, r in right), Decimal(0))
    diff = lsum - rsum
    tol = _half_unit([r.amount for _, r in left + right])
    if diff == 0 or (relation == "le" and diff >= -tol):
        return None
    severity = "info" if abs(diff) <= tol else worst
    sign = "≥" if relation == "le" else "="
    msg = (f"{what}: {' + '.join(r.amount.printed for _, r in left)} {sign} "
           f"{' + '.join(r.amount.printed for _, r in right)} expected; difference {diff:f} 元"
           + (" (within rounding)" if severity == "info" else ""))
    return Finding(rule=rule, severity=severity, message=msg,
                   sides=[Side(l, r.amount.yuan, r.amount.printed, r.prov) for l, r in left + right], difference=diff)


# ------------------------------------------------------------------ 机关运行经费 within 公用经费

def _office_total(records: list[Record], phase: str) -> list[tuple[str, BudgetLine]]:
    """The 公用经费 of the 一般公共预算（财政拨款）基本支出表: its 合计 row's 公用经费 cell, or the 类 rows
    of its 公用经费 column. Only the document's own phase (a 决算 prints 年初预算数 too)."""
    lines = [r for r in records if isinstance(r, BudgetLine) and r.scheme.startswith("economic")
             and (r.column.measure == "office" or r.column.label.startswith("公用经费"))
             and (r.column.phase or phase) == phase
             and "一般公共预算" in (r.prov.table_title or "") and "基本支出" in (r.prov.table_title or "")]
    if not lines:
        return []
    table = lines[0].prov.table
    lines = [l for l in lines if l.prov.table == table]
    total = next((l for l in lines if l.code is None and ("合计" in l.label or "总计" in l.label)), None)
    if total is not None:
        return [(f"{total.prov.table_title} 合计 公用经费", total)]
    seen: set[str] = set()
    return [(f"{l.prov.table_title} {l.code} {l.label} 公用经费", l) for l in lines
            if l.code and len(l.code) == 3 and not (l.code in seen or seen.add(l.code))]


def _office_from_classes(records: list[Record], phase: str) -> list[tuple[str, BudgetLine]]:
    """The 公用经费 of a 一般公共预算 基本支出表 printed by economic class only (one 金额 column, no
    人员经费 | 公用经费 columns): its 类 rows other than 301 工资福利支出 and 303 对个人和家庭的补助,
    which are the 人员经费 (商品和服务支出, 资本性支出 … are the 公用经费)."""
    lines = [r for r in records if isinstance(r, BudgetLine) and r.scheme.startswith("economic")
             and r.column.measure == "total" and (r.column.phase or phase) == phase
             and "一般公共预算" in (r.prov.table_title or "") and "基本支出" in (r.prov.table_title or "")]
    if not lines:
        return []
    table = lines[0].prov.table
    seen: set[str] = set()
    return [(f"{l.prov.table_title} {l.code} {l.label}", l) for l in lines
            if l.prov.table == table and l.code and len(l.code) == 3 and l.code not in ("301", "303")
            and not (l.code in seen or seen.add(l.code))]


def _office_running_table(records: list[Record], phase: str) -> tuple[str, ItemLine] | None:
    """The 合计 of the 机关运行经费 table a document prints (一般公共预算机关运行经费支出预算表), in
    the document's own phase: the figure itself, where the text may only repeat it."""
    for r in records:
        if (isinstance(r, ItemLine) and r.kind == "office-running" and (r.column.phase or phase) == phase
                and _SPACE.sub("", r.item) in ("合计", "总计") and not _OTHER_YEAR_COLUMN.search(r.column.label)):
            return (f"table: {r.prov.table_title} 合计", r) if _within_basic(records, r, phase) else None
    return None


def _within_basic(records: list[Record], total: ItemLine, phase: str) -> bool:
    """Whether the 机关运行经费 table is of the 基本支出 at all: each economic code it prints is
    printed in the 一般公共预算 基本支出表 with at least its amount. Some documents' 机关运行经费 also
    counts 项目支出 (会议费 above the 基本支出's, 310 资本性支出 the 基本支出 never had): then the two
    are no part and whole, and nothing is compared."""
    basic: dict[str, Decimal] = {}
    for r in records:
        if (isinstance(r, BudgetLine) and r.scheme.startswith("economic") and r.code
                and (r.column.phase or phase) == phase and r.column.measure in ("total", "office")
                and "一般公共预算" in (r.prov.table_title or "") and "基本支出" in (r.prov.table_title or "")):
            basic[r.code] = max(basic.get(r.code, Decimal(0)), r.amount.yuan)
    rows = [r for r in records if isinstance(r, ItemLine) and r.prov.table == total.prov.table
            and r.column.label == total.column.label and r.codes]
    tol = _half_unit([total.amount])
    return bool(basic) and all(r.codes[0] in basic and r.amount.yuan <= basic[r.codes[0]] + 2 * tol for r in rows)


_OTHER_YEAR = re.compile(r"(?:上年|上一年|同期)[^，。；]{0,6}$")
_OTHER_YEAR_COLUMN = re.compile(r"上年|上一年|同期|增减|变动|比上年")


def check_office_running(stated: list, records: list[Record], kind: str | None) -> list[Finding]:
    """The 机关运行经费 the text states (行政单位和参照公务员法管理事业单位 一般公共预算财政拨款 基本支出中的
    公用经费) is part of the 公用经费 the 基本支出表 prints for all the department's units: it must not
    exceed it. A warning, not an error: the two are the same money only when every unit is a
    行政单位, and a document may state a 本级 figure."""
    phase = "executed" if kind == "决算" else "approved"
    office = _office_total(records, phase) or _office_from_classes(records, phase)
    if not office:
        return []
    printed = _office_running_table(records, phase)
    if printed is not None:         # the table's own figure; the text's, if any, is checked against it elsewhere
        found = _identity("office-running-within-office-expenditure", office, [printed],
                          "机关运行经费 ≤ 基本支出中的公用经费", relation="le", worst="warning")
        return [found] if found else []
    for st in stated:
        if st.kind != "office-running" or st.prov is None:
            continue
        raw = _SPACE.sub("", st.prov.raw)
        at = raw.find("机关运行经费")
        if at < 0 or _OTHER_YEAR.search(raw[max(0, at - 12):at]):
            continue            # last year's figure
        found = _identity("office-running-within-office-expenditure", office,
                          [("text: 机关运行经费", st)], "机关运行经费 ≤ 基本支出中的公用经费", relation="le",
                          worst="warning")
        return [found] if found else []
    return []


# ------------------------------------------------------------------ carry-over: 年初 + 收入 = 支出 + 年末

_CARRY_IN = ("本年收入合计", "使用非财政拨款结余", "使用非财政拨款结余和专用结余", "使用专用结余",
             "年初结转和结余", "年初财政拨款结转和结余", "上年结转和结余", "上年结转结余")
_CARRY_OUT = ("本年支出合计", "结余分配", "年末结转和结余", "年末财政拨款结转和结余")


def check_carry_over(records: list[Record], kind: str | None) -> list[Finding]:
    """In a 决算's 收入支出决算总表 and 财政拨款收入支出决算总表: 本年收入合计 + 使用非财政拨款结余 +
    年初结转和结余 = 本年支出合计 + 结余分配 + 年末结转和结余 (each row's first figure: its 合计;
    a row left blank is 0)."""
    if kind != "决算":
        return []
    by_table: dict[int, dict[tuple[str, str], TotalLine]] = defaultdict(dict)
    for r in records:
        if isinstance(r, TotalLine) and r.prov.table is not None:
            item = _NUMBERING.sub("", _SPACE.sub("", r.item))
            by_table[r.prov.table].setdefault((r.side, item), r)
    out: list[Finding] = []
    for table, items in by_table.items():
        if ("revenue", "本年收入合计") not in items or ("expenditure", "本年支出合计") not in items:
            continue
        ins = [(n, items[("revenue", n)]) for n in _CARRY_IN if ("revenue", n) in items]
        outs = [(n, items[("expenditure", n)]) for n in _CARRY_OUT if ("expenditure", n) in items]
        if len(ins) + len(outs) < 3:
            continue            # no carry-over printed: 收入 = 支出 is the balance rule's
        title = ins[0][1].prov.table_title or "收入支出决算总表"
        found = _identity("carry-over-identity", ins, outs,
                          f"{title}: 本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余")
        if found:
            out.append(found)
    return out
