"""A project's money as the explanation states it: the self-evaluation summaries of a 决算
(“(71) 获评“专精特新”企业奖励及评审项目自评综述：…全年预算数为 31.01 万元，执行数为 31.01 万元，
执行率 100%。”). Each figure is kept as a stated figure beside the tabulated one of the project's
绩效自评表; where the two disagree, a finding names both."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .checks import Finding, Side
from .model import Amount, Document, Provenance
from .statements import sentences

_NUM = r"([0-9][0-9,]*(?:\.[0-9]+)?)"
_SUMMARY = re.compile(r"^\s*[(（]?\s*[0-9]{1,3}\s*[)）]\s*(?P<name>.{2,80}?)自评综述\s*[:：]")
_BUDGET = re.compile(r"全年预算(?:数|金额)?\s*(?:为|是)?\s*" + _NUM + r"\s*万元")
_EXECUTED = re.compile(r"(?<!拟)(?:实际)?执行(?:数|金额)?\s*(?:为|是)?\s*" + _NUM + r"\s*万元")
_RATE = re.compile(r"执行率\s*(?:为|是)?\s*" + _NUM + r"\s*%")


@dataclass
class StatedProjectMoney:
    name: str                       # the project as the summary names it
    budget: Amount | None           # 全年预算数
    executed: Amount | None         # 全年执行数 (never a 拟执行数: what was meant to be spent)
    rate: Decimal | None            # 执行率, in %
    prov: Provenance


def _wan(text: str) -> Amount:
    return Amount(printed=text, value=Decimal(text.replace(",", "")), unit_mult=4)


def stated_project_money(doc: Document) -> list[StatedProjectMoney]:
    """Every project self-evaluation summary of the document with the figures it states."""
    out = []
    for text, para in sentences(doc):
        m = _SUMMARY.match(text)
        if not m:
            continue
        rest = text[m.end():]
        b, x, r = _BUDGET.search(rest), _EXECUTED.search(rest), _RATE.search(rest)
        if not (b or x):
            continue
        out.append(StatedProjectMoney(
            name=m.group("name").strip(), budget=_wan(b.group(1)) if b else None,
            executed=_wan(x.group(1)) if x else None, rate=Decimal(r.group(1)) if r else None,
            prov=Provenance(table=None, table_title=None, row=None, raw=text[:300],
                            line=para.line if para is not None else None,
                            page=para.page if para is not None else None)))
    return out


def _half_unit(a: Amount) -> Decimal:
    exp = a.value.as_tuple().exponent
    return Decimal(5).scaleb(int(exp) - 1 + a.unit_mult) if isinstance(exp, int) else Decimal(0)


def disagreement(name: str, what: str, stated: Amount, stated_prov: Provenance, table: Amount,
                 table_prov: Provenance | None) -> Finding | None:
    """A finding when a project's stated figure and its table figure differ by more than half a
    unit of their last printed digits."""
    diff = stated.yuan - table.yuan
    if abs(diff) <= _half_unit(stated) + _half_unit(table):
        return None
    return Finding(rule="project-stated-equals-table", severity="warning",
                   message=f"{name}: the text states {what} {stated.printed} 万元, its table "
                           f"{table.printed} {'万元' if table.unit_mult == 4 else '元'}",
                   sides=[Side(label=f"{name} {what}（说明）", value=stated.yuan, printed=stated.printed, prov=stated_prov),
                          Side(label=f"{name} {what}（表）", value=table.yuan, printed=table.printed, prov=table_prov)],
                   difference=diff)
