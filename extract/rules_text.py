"""What a 财政 reviewer reads in the prose of a document, beside the tables: template leftovers
(XX局, ×××, 某某, a figure left blank), years that contradict the document's own year (a part
heading, a 截至 date, the year a 与上年相比 compares with), the comparison words, changes and
rates a sentence states against the figures of that sentence, and the quality of the text
(doubled punctuation or words, a paragraph printed twice: info).

Each rule reads one sentence (or one heading) at a time and compares it with itself or with
the document's own year and name, so a finding points at a sentence, not at our reading of a
table. Every finding has two sides: what the text prints, and what it is held against.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .checks import Finding, Side
from .model import Amount, Document, Provenance, Table

_HAN = r"[\u4e00-\u9fff]"
_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_YEAR = r"((?:19|20)\d\d)"


def _prov(text: str, para, *, table: Table | None = None) -> Provenance:
    return Provenance(table=table.index if table is not None else None,
                      table_title=table.title if table is not None else None, row=None, raw=text[:500],
                      line=getattr(para, "line", None), page=getattr(para, "page", None))


def _text_side(label: str, printed: str, prov: Provenance | None, value: Decimal = Decimal(0),
               kind: str = "text") -> Side:
    return Side(label, value, printed, prov, kind=kind)


def _around(text: str, start: int, end: int, width: int = 14) -> str:
    return text[max(0, start - width):end + width]


def lines_of(doc: Document):
    """(text, block, table) of every printed line: paragraphs, table titles, meta lines and cells."""
    for b in doc.blocks:
        if isinstance(b, Table):
            if b.title:
                yield b.title, b, b
            for m in list(b.meta) + list(b.notes):
                yield m, b, b
            for r in list(b.header) + list(b.body):
                for c in r.cells:
                    if c.text.strip():
                        yield c.text, c, b
        else:
            yield b.text, b, None


# ------------------------------------------------------------------ placeholders and templates

_PLACEHOLDER = re.compile(r"(?:[XxＸｘ]{2,}|[×＊]{2,}|\*{3,}|某某|〇〇|○○)")
_BLANK_FIGURE = re.compile(r"(?<![\d,.%％])(?<![\d,.][，,\s])(?:(?<!转换)(?<!折合)(?<!换算)(?<!折算)(?<!单位)为|共计|合计|总计|安排|增加|减少|增长|下降|降低|占比?|完成(?:年初|全年)?预算的)"
                           r"[ \t　]*(?:万元|亿元|%|％)")


_TORN = re.compile(r"^[\s\d,.，。、:：;；%()（）-]*\d[\d,]*\.\d+[\s\d,.，。、:：;；%()（）-]*$")


def torn_pages(doc: Document) -> set:
    """Pages whose figures the reader printed apart from their sentence (digits set below the
    baseline come out as a line of their own): a unit without its figure there is no blank."""
    return {b.page for b in doc.blocks if not isinstance(b, Table) and _TORN.match(b.text or "")
            and len(re.findall(r"\d", b.text)) >= 4}


def check_placeholders(doc: Document, department: str | None) -> list[Finding]:
    """A name or figure left from the template: XX局, ×××单位, 某某 …, or “为 万元” with no figure."""
    out: list[Finding] = []
    seen: set[str] = set()
    torn = torn_pages(doc)
    for text, where, table in lines_of(doc):
        for m in _PLACEHOLDER.finditer(text):
            before, after = text[max(0, m.start() - 1):m.start()], text[m.end():m.end() + 1]
            if not (re.match(_HAN, after) or re.match(_HAN, before)):
                continue            # a mark, a masked number: no name was left blank
            if re.match(r"[XxＸｘ]", m.group()) and re.search(r"[A-Za-z]", before + after):
                continue            # a Latin word, not a placeholder
            snippet = re.sub(r"\s+", "", _around(text, m.start(), m.end(), 10))
            if snippet in seen:
                continue
            seen.add(snippet)
            prov = _prov(text, where, table=table)
            sides = [_text_side("text: placeholder", snippet, prov)]
            if department:
                sides.append(_text_side("document: issuing body", department, None))
            out.append(Finding(rule="template-placeholder", severity="error",
                               message=f"a placeholder left from the template: “{snippet}”"
                                       + (f" (the document is {department}'s)" if department else ""),
                               sides=sides))
        if table is None and getattr(where, "page", None) not in torn:
            for m in _BLANK_FIGURE.finditer(text):
                snippet = re.sub(r"\s+", "", _around(text, m.start(), m.end(), 12))
                if snippet in seen:
                    continue
                seen.add(snippet)
                out.append(Finding(rule="template-blank-figure", severity="warning",
                                   message=f"a figure left blank: “{snippet}” prints a unit without its number",
                                   sides=[_text_side("text: blank figure", snippet, _prov(text, where))]))
    return out


# ------------------------------------------------------------------ dates and years

_KIND_WORD = re.compile(r"预算|决算")
_HEADING_YEAR = re.compile(_YEAR + r"\s*年\s*度?")
_ASOF = re.compile(r"截[至止]\s*" + _YEAR + r"\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_COMPARED = re.compile(_YEAR + r"\s*年度?([^。；;，,]{0,30}?)(?:比|较|与|同)\s*" + _YEAR + r"\s*年")


def _is_heading(text: str) -> bool:
    t = re.sub(r"\s", "", text)
    return 4 <= len(t) <= 60 and not re.search(r"[，。；;,]", t)


def check_years(doc: Document, year: int | None, kind: str | None) -> list[Finding]:
    """A heading's fiscal year, a 截至 date and the year a sentence compares with, against the
    document's own year and kind (a 决算 of N reports 截至N年; a 预算 of N counts 截至N−1 or N)."""
    if year is None or kind is None:
        return []
    out: list[Finding] = []
    seen: set[str] = set()
    doc_side = _text_side("document: fiscal year", f"{year}年{kind}", None, Decimal(year), kind="year")

    def report(rule: str, printed: str, found: int, prov: Provenance, why: str, severity: str = "error") -> None:
        key = f"{rule}:{printed}"
        if key in seen:
            return
        seen.add(key)
        out.append(Finding(rule=rule, severity=severity, message=f"{why}: “{printed}” in a {year}年{kind} document",
                           sides=[_text_side("text: year", printed, prov, Decimal(found), kind="year"), doc_side],
                           difference=Decimal(found - year)))

    for text, where, table in lines_of(doc):
        if isinstance(where, Table) or table is None:
            t = re.sub(r"\s+", "", text)
            if _is_heading(t) and _KIND_WORD.search(t) and not re.search(r"比|较|与上年|上年|对比|执行", t):
                for m in _HEADING_YEAR.finditer(t):
                    y = int(m.group(1))
                    rest = t[m.end():m.end() + 24]
                    if y != year and _KIND_WORD.search(rest) and not _HEADING_YEAR.search(rest):
                        report("heading-year-matches-document", t, y, _prov(text, where, table=table),
                               "a heading names another fiscal year")
        if table is not None:
            continue
        flat = re.sub(r"\s+", "", text)
        for m in _ASOF.finditer(flat):
            y = int(m.group(1))
            allowed = {year} if kind == "决算" else {year - 1, year}
            if y not in allowed:
                report("as-of-date-matches-year", m.group(0), y, _prov(text, where),
                       f"a 截至 date outside the {'year' if kind == '决算' else 'year or the one before'} reported")
        for m in _COMPARED.finditer(flat):
            y1, y2 = int(m.group(1)), int(m.group(3))
            if y1 == year and y2 not in (year, year - 1):
                report("compared-year-is-previous", m.group(0), y2, _prov(text, where),
                       f"a {year} figure compared with {y2} instead of {year - 1}")
    return out


# ------------------------------------------------------------------ comparison words, changes and rates

_ITEM_START = re.compile(r"(?:^|[。；;:：])\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_VERDICT = re.compile(r"决算数?\s*(大于|小于|等于|持平|高于|低于)\s*(?:年初|全年)?\s*预算数?")
_BUDGET = re.compile(r"(?:年初|全年)?预算(?:数)?(?:为|是)?\s*" + _NUM + r"\s*(万元|元)")
_EXECUTED = re.compile(r"(?:支出)?决算(?:数)?(?:为|是)\s*" + _NUM + r"\s*(万元|元)")
_RATE = re.compile(r"完成(?:年初|全年)?(?:预算|预算数)的\s*" + _NUM + r"\s*[%％]")
_MULT = {"万元": 4, "元": 0, "亿元": 8}


def _amt(num: str, unit: str) -> Amount:
    return Amount(printed=num, value=Decimal(num.replace(",", "")), unit_mult=_MULT[unit])


def _half(a: Amount) -> Decimal:
    exp = a.value.as_tuple().exponent
    return Decimal(5).scaleb(int(exp) - 1 + a.unit_mult) if isinstance(exp, int) else Decimal(0)


def _half_pct(printed: str) -> Decimal:
    exp = Decimal(printed.replace(",", "")).as_tuple().exponent
    return Decimal(5).scaleb(int(exp) - 1) if isinstance(exp, int) else Decimal(0)


def _ratio_range(a: Amount, b: Amount) -> tuple[Decimal, Decimal]:
    """a / b × 100 over the figures' printed rounding."""
    ha, hb = _half(a), _half(b)
    lo_b, hi_b = b.yuan - hb, b.yuan + hb
    lo = (a.yuan - ha) / hi_b * 100 if hi_b > 0 else Decimal(0)
    hi = (a.yuan + ha) / lo_b * 100 if lo_b > 0 else Decimal("Infinity")
    return lo, hi


def _rate_severity(stated: Decimal, expected: Decimal) -> str:
    """A rate more than 0.1 percentage point off is an error; a smaller slip (the base rounded
    differently, a digit truncated twice) a warning."""
    return "error" if abs(stated - expected) > Decimal("0.1") else "warning"


def _money(label: str, a: Amount, prov: Provenance) -> Side:
    return Side(label, a.yuan, a.printed, prov)


def check_verdicts(text: str, para) -> list[Finding]:
    """“…年初预算为B万元，支出决算为A万元，完成年初预算的R%，决算数大于/小于/等于预算数…”:
    the word against A and B (or against R when B is not stated), and R against A ÷ B."""
    out: list[Finding] = []
    flat = re.sub(r"\s+", "", text)
    prov = _prov(text, para)
    last = 0
    rated: set[int] = set()
    for m in list(_VERDICT.finditer(flat)) + [None]:
        end = m.start() if m else len(flat)
        window = flat[last:end]
        starts = [s.end() for s in _ITEM_START.finditer(window)]
        if starts and m is not None:
            # the item the verdict belongs to: from its numbering, or the one before when the
            # item's own figures were printed before a full stop (…0.00 万元。完成预算的 0.00%，决算数…)
            cut = starts[-1]
            if not (_EXECUTED.search(window[cut:]) or _RATE.search(window[cut:])) and len(starts) > 1:
                cut = starts[-2]
            window = window[cut:]
        last = m.end() if m else len(flat)
        b = list(_BUDGET.finditer(window))
        a = list(_EXECUTED.finditer(window))
        r = list(_RATE.finditer(window))
        budget = _amt(*b[-1].groups()) if b else None
        executed = _amt(*a[-1].groups()) if a else None
        rate = r[-1].group(1) if r else None
        if budget is not None and executed is not None and rate is not None and id(r[-1]) not in rated:
            rated.add(id(r[-1]))
            lo, hi = _ratio_range(executed, budget)
            h = _half_pct(rate)
            rv = Decimal(rate)
            if budget.yuan > 0 and (rv + 2 * h < lo or rv - h > hi):
                exp = executed.yuan / budget.yuan * 100
                out.append(Finding(rule="stated-rate-matches-figures", severity=_rate_severity(rv, exp),
                                   message=f"the text says 完成预算的{rate}%, but {executed.printed} ÷ {budget.printed} "
                                           f"= {exp:.2f}%",
                                   sides=[_money("text: 决算数", executed, prov), _money("text: 年初预算数", budget, prov),
                                          Side("text: 完成率 (%)", rv, rate, prov, kind="rate")],
                                   difference=(rv - exp).quantize(Decimal("0.01"))))
        if m is None:
            break
        word = {"高于": "大于", "低于": "小于", "持平": "等于"}.get(m.group(1), m.group(1))
        if budget is not None and executed is not None:
            d = executed.yuan - budget.yuan
            tol = _half(executed) + _half(budget)
            holds = {"大于": d > tol, "小于": -d > tol, "等于": abs(d) <= tol}[word]
            if not holds:
                out.append(Finding(rule="statement-comparison-holds", severity="error",
                                   message=f"the text says 决算数{m.group(1)}预算数, but states 决算 {executed.printed} "
                                           f"and 预算 {budget.printed}",
                                   sides=[_money("决算数", executed, prov), _money("年初预算数", budget, prov)],
                                   difference=d))
        elif rate is not None:
            rv, h = Decimal(rate), _half_pct(rate)
            zero = executed is not None and executed.value == 0 or rv == 0
            holds = {"大于": rv > 100, "小于": rv < 100, "等于": abs(rv - 100) <= h}[word]
            if not holds and not zero:
                out.append(Finding(rule="statement-comparison-holds", severity="error",
                                   message=f"the text says 决算数{m.group(1)}预算数, but states 完成预算的{rate}%",
                                   sides=[Side("text: 完成率 (%)", rv, rate, prov, kind="rate"),
                                          Side("预算数 (= 100%)", Decimal(100), "100", None, kind="rate")],
                                   difference=rv - 100))
    return out


_CHANGE = re.compile(r"(?:比|较|与)(?:上年|上一年|上年度|" + _YEAR + r"年)(?:度)?(?:决算数?|预算数?|执行数?)?"
                     r"(?:" + _NUM + r"(万元|元))?(?:相比)?[，,]?(?:[^，,。；\d]{0,14}?)"
                     r"(增加|减少|增长|下降|降低|上升|持平)了?" + r"(?:" + _NUM + r"(万元|元))?"
                     r"(?:[，,]?(?:增长|下降|降低|上升|减少|增加)(?:了)?" + _NUM + r"[%％])?")
_MONEY = re.compile(_NUM + r"(万元|元)")
_PAREN = re.compile(r"[（(][^（()）]*[)）]")


def _current_figure(flat: str, at: int) -> Amount | None:
    """The figure a change is of: the last amount of its own sentence (“…基本支出 Y 万元，比上年增加…”),
    or, when the sentence opens with the comparison (“与上年相比，…减少…”), the first amount of the
    sentence before (“…支出 A 万元，其中：…。与上年相比…”)."""
    head = flat[:at]
    cut = max(head.rfind("。"), head.rfind("；"))
    seg = _PAREN.sub("", head[cut + 1:])
    figs = [f for f in _MONEY.finditer(seg) if not re.search(r"(增加|减少|增长|下降|降低|上升)了?$", seg[:f.start()])]
    if figs:
        return _amt(*figs[-1].groups())
    if cut < 0 or not re.match(r"(?:[（(]?[一二三四五六七八九十\d]+[)）.、．])?(?:与|比|较)(?:上年|上一年)", flat[cut + 1:]):
        return None
    prev = head[:cut]
    prev = _PAREN.sub("", prev[max(prev.rfind("。"), prev.rfind("；")) + 1:])
    first = _MONEY.search(prev)
    return _amt(*first.groups()) if first else None


def check_changes(text: str, para, year: int | None) -> list[Finding]:
    """“A 万元，比上年(B 万元)减少 C 万元，下降 R%”: with B printed, A − B = ±C (the word's sign);
    with A printed just before, R = C ÷ (A ∓ C); 持平 with two different figures."""
    out: list[Finding] = []
    flat = re.sub(r"\s+", "", text)
    prov = _prov(text, para)
    for m in _CHANGE.finditer(flat):
        y = m.group(1)
        if y is not None and year is not None and int(y) != year - 1:
            continue                    # compared with a budget of the same year, or another year
        base_num, base_unit, word, c_num, c_unit, rate = m.group(2, 3, 4, 5, 6, 7)
        current = _current_figure(flat, m.start())
        if current is None:
            continue
        base = _amt(base_num, base_unit) if base_num else None
        change = _amt(c_num, c_unit) if c_num else None
        sign = -1 if word in ("减少", "下降", "降低") else (0 if word == "持平" else 1)
        if base is not None:
            d = current.yuan - base.yuan
            tol = _half(current) + _half(base)
            if word == "持平":
                bad = abs(d) > tol
                expected = "持平"
            else:
                bad = (sign > 0 and d < -tol) or (sign < 0 and d > tol) or (
                    change is not None and abs(abs(d) - change.yuan) > tol + _half(change))
                expected = f"{'增加' if d > 0 else '减少'} {abs(d):f} 元"
            if bad:
                sides = [_money("text: 本年", current, prov), _money("text: 上年", base, prov)]
                if change is not None:
                    sides.append(_money(f"text: {word}", change, prov))
                out.append(Finding(rule="stated-change-matches-figures", severity="error",
                                   message=f"the text says {word}{' ' + change.printed if change else ''} against last year, "
                                           f"but {current.printed} − {base.printed} is {expected}",
                                   sides=sides, difference=d))
                continue
        if change is not None and rate is not None and word != "持平":
            prior = base.yuan if base is not None else current.yuan - sign * change.yuan
            if prior <= 0:
                continue
            exp = change.yuan / prior * 100
            hc = _half(change) + _half(current)
            lo = (change.yuan - hc) / (prior + hc) * 100
            hi = (change.yuan + hc) / (prior - hc) * 100 if prior > hc else Decimal("Infinity")
            rv, h = Decimal(rate), _half_pct(rate)
            if rv + 2 * h < lo or rv - h > hi:
                out.append(Finding(rule="stated-change-rate-matches-figures", severity=_rate_severity(rv, exp),
                                   message=f"the text says {word} {change.printed} and {rate}%, but "
                                           f"{change.printed} ÷ {prior.scaleb(-current.unit_mult):f} = {exp:.2f}%",
                                   sides=[_money("text: 本年", current, prov), _money(f"text: {word}", change, prov),
                                          Side("text: 变动率 (%)", rv, rate, prov, kind="rate")],
                                   difference=(rv - exp).quantize(Decimal("0.01"))))
    return out


# ------------------------------------------------------------------ text quality (info)

_DOUBLED_MARK = re.compile(r"([，。、；：！？,;:])\1|[，,][。；]|[。；][，,]")
_DOUBLED_WORD = re.compile(r"(增加|减少|增长|下降|降低|主要|其中|支出|收入|预算|决算|经费|原因|用于)\1")


def check_quality(sentences: list[tuple[str, object]]) -> list[Finding]:
    out: list[Finding] = []
    seen_para: dict[str, object] = {}
    for text, para in sentences:
        flat = re.sub(r"\s+", "", text)
        for rx, what in ((_DOUBLED_MARK, "doubled punctuation"), (_DOUBLED_WORD, "a word printed twice")):
            for m in rx.finditer(flat):
                snippet = _around(flat, m.start(), m.end(), 10)
                out.append(Finding(rule="text-doubled-punctuation" if rx is _DOUBLED_MARK else "text-doubled-word",
                                   severity="info", message=f"{what}: “{snippet}”",
                                   sides=[_text_side("text", snippet, _prov(text, para))]))
        if len(flat) >= 40:
            if flat in seen_para:
                first = seen_para[flat]
                out.append(Finding(rule="text-duplicated-paragraph", severity="info",
                                   message=f"a paragraph printed twice: “{flat[:30]}…”",
                                   sides=[_text_side("text: first", flat[:60], _prov(text, first)),
                                          _text_side("text: again", flat[:60], _prov(text, para))]))
            else:
                seen_para[flat] = para
    return out
