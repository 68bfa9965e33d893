"""Facts stated in prose: the numbered duties under 主要职责 / 部门职责 / 主要职能.

The duties section opens at a heading ("一、主要职能", "（一）本部门职责情况", "XX局主要职能") or an
introducing sentence ("其主要职责有：", "主要职能包括："); the list is the run of lines numbered in
one style ((一), 一、, (1), 1. / 1、, ①) counting up from 1; unnumbered lines continue the duty
before them (hard wraps, sub-items, a duty wrapped across pages). The section ends at the next
heading (二、机构设置 …), at a number of the list's style out of sequence ("（二）部门决算单位构成"
after "（十四）…"), or at a table. A list the converter printed twice is read once.

Duties written in one sentence ("主要职能职责为：履行…；负责…；…") with no numbered list are split
at the semicolons and numbered in printed order: each clause is one duty of the department.

Prose that the PDF reader took for an unruled table (rows of sentence fragments) is read as lines.
"""
from __future__ import annotations

import re

from . import lexicon as lx
from .model import Document, Provenance, Responsibility, Table

_NUMERALS = {c: i for i, c in enumerate(lx.HAN_DIGITS)}
_HEADING_WORD = lx.any_of(lx.DUTY_HEADINGS, end=True)
_INTRO = re.compile("(" + "|".join(map(re.escape, lx.DUTY_HEADINGS)) + ")("
                    + "|".join(map(re.escape, lx.DUTY_INTRO_VERBS)) + ")?[:：]\\s*(.*)$")
_END_WORD = re.compile("(" + "|".join(map(re.escape, lx.DUTY_SECTION_END)) + ")(情况|说明)?$")
_SENTENCE_END = re.compile(r"[。；;，,、]$")
_CLAUSE = re.compile(r"[；;]")
_HEADING_MAX = 48        # characters of a heading line (a long unit name + 主要职能)
_SPACE = re.compile(r"\s+")
_PUNCTUATION_ONLY = re.compile(r"^[\W_]+$")


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十六 → 26, 一百零三 → 103 (enough for numbered duties)."""
    text = text.replace("零", "〇")
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _NUMERALS.get(ch, 0)
    return total + current


def numbered(text: str) -> tuple[str, int, str] | None:
    """(style, number, the rest) of a line that opens with a numbering mark, else None."""
    for style, pattern in lx.DUTY_NUMBERING:
        m = pattern.match(text)
        if m:
            mark = m.group(1)
            if style in ("paren-han", "han"):
                n = chinese_number(mark)
            elif style == "circled":
                n = lx.CIRCLED_DIGITS.index(mark) + 1
            else:
                n = int(mark)
            return style, n, m.group(2).strip()
    return None


def _bare(text: str) -> str:
    """The words of a heading: numbering mark and closing colon taken off."""
    m = numbered(text)
    core = m[2] if m else text
    return core.rstrip(":： ")


def _opens_duties(text: str) -> tuple[bool, str]:
    """(whether the line opens the duties section, duty text written after its colon)."""
    if lx.TOC_LEADERS.search(text):
        return False, ""
    core = _bare(text)
    if len(core) <= _HEADING_MAX and _HEADING_WORD.search(core) and not _SENTENCE_END.search(core):
        return True, ""
    m = _INTRO.search(text)
    if m and len(text) - len(m.group(3)) - m.start() <= 12:
        return True, m.group(3).strip()
    return False, ""


def _heading_like(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not _SENTENCE_END.search(text) and not text.endswith("。")


def _ends_section(text: str) -> bool:
    """A heading printed after the duties: 第二部分, 二、机构设置, XX局机构设置, （二）单位构成情况."""
    if lx.PART_HEADING.match(text):
        return True
    if not _heading_like(text):
        return False
    return bool(_END_WORD.search(_bare(text)))


_AMOUNT = re.compile(r"^[-－]?\d[\d,，]*\.\d+$")


def _lines(doc: Document):
    """(text, line, page) of each prose line, and None for a table of figures (which ends a list).

    A "table" without a single amount is prose the PDF reader cut into cells (an unruled page of
    sentences): its rows are read as lines."""
    for b in doc.blocks:
        if isinstance(b, Table):
            rows = list(getattr(b, "header", [])) + list(b.body)
            if any(_AMOUNT.match(c.text.strip()) for r in rows for c in r.cells):
                yield None
                continue
            for r in rows:
                t = _SPACE.sub("", "".join(c.text for c in r.cells))
                if t:
                    yield t, None, next((c.page for c in r.cells if c.page), b.page)
            continue
        text = _SPACE.sub("", b.text or "")
        if text:
            yield text, b.line, b.page


def _duty(n: int, text: str, raw: str, line, page) -> Responsibility:
    return Responsibility(number=n, text=text, prov=Provenance(table=None, table_title=None, row=None, raw=raw,
                                                               line=line, page=page))


def _clauses(intro: list[tuple[str, object, object]]) -> list[Responsibility]:
    """Duties written in one sentence, separated by semicolons (at least three)."""
    if not intro or any(_PUNCTUATION_ONLY.match(t) for t, _, _ in intro):
        return []                      # punctuation printed apart from its words: where it goes is lost
    text = "".join(t for t, _, _ in intro)
    text = re.split(r"[:：]", text)[-1]          # what follows the introducing colon
    parts = [p.strip().rstrip("。") for p in _CLAUSE.split(text)]
    parts = [p for p in parts if p]
    if len(parts) < 3 or any(len(lx.HAN.findall(p)) < 4 for p in parts):
        return []
    _, line, page = intro[0]
    return [_duty(i, p, text, line, page) for i, p in enumerate(parts, 1)]


def responsibilities(doc: Document) -> list[Responsibility]:
    out: list[Responsibility] = []
    active = False
    style: str | None = None
    duplicate = False                  # inside a second printing of the list
    intro: list[tuple[str, object, object]] = []   # text after an introducing colon, before any number
    for item in _lines(doc):
        if item is None:               # a table
            if out:
                break
            clauses = _clauses(intro) if active else []
            if clauses:
                return clauses
            continue
        text, line, page = item
        if lx.PAGE_NUMBER_LINE.match(text):
            continue
        if not out:
            opens, after = _opens_duties(text)
            if opens:
                active, intro = True, ([(after, line, page)] if after else [])
                continue
            if not active:
                continue
            m = numbered(text)
            if m and m[1] == 1 and m[2] and not lx.TOC_LEADERS.search(text):
                style = m[0]
                out.append(_duty(1, m[2], text, line, page))
                continue
            if _ends_section(text) or (m and m[0] == "han" and _heading_like(text)):
                clauses = _clauses(intro)
                if clauses:
                    return clauses
                active, intro = False, []      # a table of contents, or a section without a list
                continue
            intro.append((text, line, page))
            continue
        if _opens_duties(text)[0]:
            duplicate = True               # the heading again: a second printing of the list follows
            continue
        m = numbered(text)
        if m and m[0] == style:
            n = m[1]
            if n == out[-1].number + 1:    # the next duty (also after a second printing ran out)
                duplicate = False
                out.append(_duty(n, m[2], text, line, page))
                continue
            same = next((d for d in out if d.number == n), None)
            if same is not None and _SPACE.sub("", same.text)[:8] == _SPACE.sub("", m[2])[:8]:
                duplicate = True           # the converter printed the list again
                continue
            break                          # a heading of the list's style: （二）部门决算单位构成
        if _ends_section(text):
            break
        if m and m[0] == "han" and style != "han" and _heading_like(text):
            break                          # 二、… : the next section of the document
        if not duplicate:
            out[-1].text += text           # a hard-wrapped line, a sub-item, a duty wrapped across pages
    if not out and active:
        return _clauses(intro)
    return out
