"""Facts stated in prose: the numbered duties under 主要职责 / 部门职责."""
from __future__ import annotations

import re

from .model import Document, Provenance, Responsibility, Table

_HEADING = re.compile(r"(主要职责|部门职责|职能职责)\s*[:：]?\s*$")
_ITEM = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十百]+)\s*[)）]\s*(.*)$")
_STOP = re.compile(r"^(第[一二三四五六七八九十]+部分|[二三四五六七八九十]+\s*[、.．]|机构设置|部门机构|.*单位构成|.*编制范围)")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十六 → 26 (enough for numbered duties)."""
    if text == "十":
        return 10
    if "十" in text:
        a, _, b = text.partition("十")
        return (_NUMERALS.get(a, 1) if a else 1) * 10 + (_NUMERALS.get(b, 0) if b else 0)
    if "百" in text:
        return 100
    return _NUMERALS.get(text, 0)


def responsibilities(doc: Document) -> list[Responsibility]:
    out: list[Responsibility] = []
    active = False
    for b in doc.blocks:
        if isinstance(b, Table):
            if out:
                break
            continue
        text = b.text.strip()
        if _HEADING.search(text) and len(text) < 20:
            if out:
                break      # a second heading (table of contents came first): keep the first list
            active = True
            continue
        if not active:
            continue
        m = _ITEM.match(text)
        if m:
            out.append(Responsibility(number=chinese_number(m.group(1)), text=m.group(2).strip(),
                                      prov=Provenance(table=None, table_title=None, row=None, raw=text,
                                                      line=b.line, page=b.page)))
        elif out and _STOP.match(text):
            break
        elif out:
            last = out[-1]
            last.text = last.text + text     # a hard-wrapped line or a sub-item of the duty
    return out
