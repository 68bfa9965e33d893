"""Figures stated in the explanatory text (情况说明): totals and their parts, “三公”经费 and
their change against last year with the stated reason, 机关运行经费, 政府采购, and the
per-subject lines of 决算 explanations. Each is a fact of its own, beside the table fact
for the same quantity, with the paragraph it was read from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .model import Amount, Document, Paragraph, Provenance, Table
from .numbers import clean_text

_NUM = r"([0-9][0-9,]*(?:\.[0-9]+)?)"
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")
_WAN = r"\s*万元"


@dataclass
class Statement:
    kind: str                   # total | three-public | office-running | procurement | subject
    subject: str                # what the figure is of, as the text names it
    amount: Amount
    budget: Amount | None = None        # the budget the sentence compares it with (决算 explanations)
    rate: Decimal | None = None         # 完成年初预算的 Y %
    comparison: str | None = None       # 大于 | 小于 | 等于 (决算数 … 预算数)
    change: Amount | None = None        # signed change against last year
    reason: str | None = None
    prov: Provenance | None = None
    unit: str = "元"                    # 元 for money (amount in its printed unit_mult); % ; 人, 个, 辆 … for counts


def _amount(text: str) -> Amount:
    v = Decimal(text.replace(",", ""))
    return Amount(printed=text, value=v, unit_mult=4)


def sentences(doc: Document) -> list[tuple[str, Paragraph]]:
    """Paragraphs joined until one ends a sentence: converters break lines mid-sentence."""
    out: list[tuple[str, Paragraph]] = []
    buf, first = "", None
    for b in doc.blocks:
        if isinstance(b, Table):
            if buf:
                out.append((buf, first))
            buf, first = "", None
            continue
        t = clean_text(b.text).strip()
        if not t:
            continue
        if not buf and len(t) < 30 and _HEADING.match(t) and not re.search(r"[，。；]", t):
            out.append((t, b))       # a section heading is a sentence of its own, never a subject's prefix
            continue
        if first is None:
            first = b
        buf += t
        if re.search(r"[。：:]$", t) or len(buf) > 600:
            out.append((buf, first))
            buf, first = "", None
    if buf:
        out.append((buf, first))
    return out


_TOTALS = re.compile(
    # not the tail of a longer name: 基金预算收入 and 一般公共预算收入 are not the 预算收入
    r"(?<![共金营户款算费])(财政拨款收入支出总计|财政拨款收入总计|财政拨款支出总计|收入总计|支出总计|收支总预算|收入支出总计|本年收入合计|本年支出合计|(?:(?<=[年度门位局委厅院，,。：:；\s])|^)预算收入|(?:(?<=[年度门位局委厅院，,。：:；\s])|^)预算支出|财政拨款支出|"
    r"一般公共预算财政拨款支出|一般公共预算财政拨款基本支出|基本支出|项目支出|人员经费|公用经费)"
    r"(?:为|共计|合计|总额|决算|预算)?\s*" + _NUM + _WAN)
_THREE = re.compile(r"“?三公”?\s*经费(?:支出|预算数|预算|决算数|决算)?(?:安排|合计|总额)?\s*" + _NUM + _WAN)
_CHANGE = re.compile(r"比\s*(?:上年|20\d\d\s*年(?:预算数|预算|决算数|决算)?)\s*(增加|减少|下降|增长)\s*" + _NUM + _WAN)
_OFFICE = re.compile(r"机关运行经费(?:支出|财政拨款预算|预算|共计安排|安排)?\s*" + _NUM + _WAN)
_PROCURE = re.compile(r"政府采购(?:支出|预算)?总额\s*" + _NUM + _WAN)
_SUBJECT = re.compile(r"([^（()）。；\d]{2,30}?)\s*[（(]类[)）]\s*([^（()）]{2,30}?)\s*[（(]款[)）]\s*"
                      r"([^（()）]{2,40}?)\s*[（(]项[)）]")
_REASON = re.compile(r"(?:主要原因|主要是由于|主要是|原因是|主要用于)[：:]?\s*([^。；]{2,120})")


class Statements(list):
    """The statements of a document, remembering the document they were read from (the checks
    that read its prose and headings take it from here)."""
    document: Document | None = None


def statements(doc: Document) -> list[Statement]:
    out: list[Statement] = Statements()
    out.document = doc
    for text, para in sentences(doc):
        prov = Provenance(table=None, table_title=None, row=None, raw=text[:500], line=para.line, page=para.page)
        flat = re.sub(r"\s+", " ", text)
        m = _SUBJECT.search(flat)
        if m:
            out.extend(_subject(m, flat, prov))
            seen = {a.value for s_ in out if s_.prov is prov for a in (s_.amount, s_.budget) if a is not None}
            out.extend(_every_figure(flat, prov, seen))
            continue
        for m in _TOTALS.finditer(flat):
            if re.search(r"比|相比|较|同比", flat[max(0, m.start() - 14):m.start()]):
                continue        # last year's figure, the base of a comparison
            out.append(Statement("total", m.group(1), _amount(m.group(2)), prov=prov))
        for m in _THREE.finditer(flat):
            out.append(Statement("three-public", "“三公”经费", _amount(m.group(1)), prov=prov,
                                 change=_change(flat[m.end():m.end() + 120]), reason=_reason(flat[m.end():])))
        for m in _OFFICE.finditer(flat):
            out.append(Statement("office-running", "机关运行经费", _amount(m.group(1)), prov=prov,
                                 change=_change(flat[m.end():m.end() + 120]), reason=_reason(flat[m.end():])))
        for m in _PROCURE.finditer(flat):
            out.append(Statement("procurement", "政府采购", _amount(m.group(1)), prov=prov))
        out.extend(_every_figure(flat, prov, {_num(s_) for s_ in out if s_.prov is prov}))
    return out


def _num(st: Statement) -> Decimal:
    return st.amount.value


# every other figure with a unit: money, rates and counts, each a stated fact of its own
_FIGURE = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％|个百分点|" + "|".join(
    sorted(("人", "名", "个", "辆", "台", "项", "次", "家", "户", "件", "套", "场", "平方米", "公里", "千米", "册",
            "篇", "天", "小时", "所", "座", "处", "条", "批", "份", "类", "张", "部"), key=len, reverse=True)) + ")")
_MONEY_MULT = {"亿元": 8, "万元": 4, "元": 0}
_CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低|减|增)了?\s*$")
_SUBJECT_NOISE = re.compile(r"^(其中|主要是|主要用于|包括|用于|一是|二是|三是|四是|五是|共|合计|总计)[：:，,]?|"
                            r"(为|是|共|共计|合计|安排|达到|约|计)$")


def _every_figure(flat: str, prov: Provenance, seen: set[Decimal]) -> list[Statement]:
    out: list[Statement] = []
    last, prev = 0, ""
    for m in _FIGURE.finditer(flat):
        printed, unit = m.group(1), m.group(2).replace("％", "%")
        try:
            value = Decimal(printed.replace(",", ""))
        except ArithmeticError:
            continue
        before = flat[last:m.start()]
        last = m.end()
        head = re.split(r"[，。；;,、（(）)]", before)[-1]
        change = _CHANGE_WORD.search(head)
        head = re.sub(r"^.*?(?:19|20)\d\d\s*年度?", "", head)
        core = _SUBJECT_NOISE.sub("", _CHANGE_WORD.sub("", head).strip()).strip()
        subject = core or head.strip()
        if (change or unit in ("%", "个百分点")) and (not core or core.startswith(("比", "较", "同比"))):
            subject = f"{prev}{head.strip()}"      # 收入预算总额 比上年减少 …
        else:
            prev = subject
        if unit in _MONEY_MULT:
            if value in seen and not change:
                continue        # the same figure a specific pattern already read
            amt = Amount(printed=printed, value=value, unit_mult=_MONEY_MULT[unit])
            if change:
                signed = Amount(printed=printed, value=-value if change.group(1) in ("减少", "下降", "降低", "减") else value,
                                unit_mult=amt.unit_mult)
                out.append(Statement("change", subject[:60] or "变动", amt, change=signed, prov=prov))
            else:
                out.append(Statement("amount", subject[:60] or "金额", amt, prov=prov))
        else:
            kind = "rate" if unit in ("%", "个百分点") else "quantity"
            out.append(Statement(kind, subject[:60] or unit, Amount(printed=printed, value=value, unit_mult=0),
                                 prov=prov, unit=unit))
    return out


def _change(text: str) -> Amount | None:
    m = _CHANGE.search(text)
    if not m:
        return None
    a = _amount(m.group(2))
    if m.group(1) in ("减少", "下降"):
        a = Amount(printed=a.printed, value=-a.value, unit_mult=a.unit_mult)
    return a


def _reason(text: str) -> str | None:
    m = _REASON.search(text)
    return m.group(1).strip() if m else None


def _subject(m: re.Match, text: str, prov: Provenance) -> list[Statement]:
    """"…（类）…（款）…（项）X 万元，…完成年初预算的 Y%，决算数大于/小于预算数的主要原因…"."""
    name = m.group(3).strip()
    rest = text[m.end():]
    amt = re.search(r"^[。.]?\s*[:：]?\s*" + _NUM + _WAN, rest)
    budget = re.search(r"年初预算(?:数)?为\s*" + _NUM + _WAN, rest)
    executed = re.search(r"(?:支出)?决算(?:数)?为\s*" + _NUM + _WAN, rest)
    if amt:
        value = _amount(amt.group(1))
    elif executed:
        value = _amount(executed.group(1))
    else:
        return []
    rate = re.search(r"完成年初预算的\s*([0-9.]+)\s*%", rest)
    comp = re.search(r"决算数(大于|小于|等于|持平)(?:年初)?预算数", rest)
    cls = re.sub(r"^[^\u4e00-\u9fff]+", "", m.group(1).strip())
    return [Statement("subject", f"{cls}/{m.group(2).strip()}/{name}", value,
                      budget=_amount(budget.group(1)) if budget else None,
                      rate=Decimal(rate.group(1)) if rate else None,
                      comparison=comp.group(1).replace("持平", "等于") if comp else None,
                      reason=_reason(rest), prov=prov)]
