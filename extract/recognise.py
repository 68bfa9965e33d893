"""Who published the document, where, for which year, of which kind — from its content."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .model import Document, DocumentProfile, Paragraph
from .numbers import clean_text

_ORG_TAIL = r"(局|委员会|委|厅|办公室|办|中心|部门|院|所|会|部|署|站|馆|处|队)"
_PLACEHOLDER = re.compile(r"X{2,}|×{2,}|某某|\*{2,}|X\s+X")
_KIND = re.compile(r"(预算批复|单位预算|部门预算|部门决算|单位决算|决算|预算)")


def _head_lines(doc: Document, n: int = 40) -> list[str]:
    out: list[str] = []
    for b in doc.blocks[:n]:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            out.append(b.title)
            out.extend(b.meta)
    return [clean_text(t) for t in out if t and t.strip()]


def kind_of(lines: list[str]) -> str | None:
    for t in lines[:12]:
        m = _KIND.search(t)
        if m and re.search(r"20\d\d", t + " ".join(lines[:6])):
            k = t[m.start():]
            if "批复" in k:
                return "预算批复"
            return "决算" if "决算" in k else "预算"
    joined = " ".join(lines)
    if "决算" in joined:
        return "决算"
    if "批复" in joined:
        return "预算批复"
    return "预算" if "预算" in joined else None


def year_of(lines: list[str]) -> int | None:
    for t in lines[:20]:
        m = re.search(r"(20\d\d)\s*年度?\s*(?:部门|单位)?", t) or re.search(r"预算年度\s*[:：]\s*(20\d\d)", t)
        if m:
            return int(m.group(1))
    return None


def _strip_org(t: str) -> str:
    t = re.sub(r"^关于", "", t.replace(" ", ""))
    t = re.sub(r"20\d\d\s*年度?", "", t)
    t = re.sub(r"(单位|部门)?(预算批复表|预算批复|部门预算|部门决算|单位预算|单位决算|预算|决算).*$", "", t)
    return t.strip(" -—:：")


def department_of(lines: list[str], doc: Document) -> str | None:
    for t in lines[:6]:
        c = t.replace(" ", "")
        if re.fullmatch(rf"[\u4e00-\u9fff（）()]{{2,30}}{_ORG_TAIL}(本级)?", c):
            return c
        if re.search(r"20\d\d", c) and _KIND.search(c):
            org = _strip_org(c)
            if re.search(rf"{_ORG_TAIL}(本级)?$", org):
                return org
    for t in lines:
        m = re.match(r"^(部门|单位名称|部门名称|编制单位)\s*[:：]\s*(.+?)(\s+单位\s*[:：].*)?$", t)
        if m:
            return m.group(2).replace(" ", "")
        m = re.match(rf"^\d{{3,}}\s*([\u4e00-\u9fff]{{2,30}}{_ORG_TAIL})$", t)
        if m:
            return m.group(1)
    return None


def units_of(doc: Document, department: str | None) -> list[str]:
    units: list[str] = []
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for k, t in enumerate(paras):
        if "单位构成" in t and len(t) < 40:
            for nxt in paras[k + 1:k + 8]:
                m = re.search(r"包括\s*[:：]\s*(.+)$", nxt)
                if m:
                    units += [u for u in re.split(r"[、，,；;。\s]+", m.group(1)) if len(u) > 2]
                    break
                m = re.match(r"^\d+\s*[.、．]\s*(\S{3,40})$", nxt.replace(" ", ""))
                if m:
                    units.append(m.group(1))
                elif units and not re.search(r"包括", nxt):
                    break
    for b in doc.tables:
        for m in b.meta:
            mm = re.match(r"^单位名称\s*[:：]\s*(\S+)", m)
            if mm:
                units.append(mm.group(1))
    units = [re.sub(r"[*：:]", "", u) for u in units]
    return list(dict.fromkeys(u for u in units if u))


@lru_cache(maxsize=4096)
def _cpca(text: str) -> tuple[str | None, str | None, str | None, str | None, str]:
    import cpca  # heavy import, only when a document is recognised
    df = cpca.transform([text])
    row = df.iloc[0]
    def val(k: str) -> str | None:
        v = row.get(k)
        return None if v is None or (isinstance(v, float)) or str(v) == "nan" else str(v)
    return val("省"), val("市"), val("区"), val("adcode"), val("地址") or ""


def division_of(department: str | None, doc: Document) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(province, city, district, code, department without the place name)."""
    if department:
        p, c, d, code, rest = _cpca(department)
        if code and rest and rest != department:
            return p, c, d, code, rest
    # the department name carries no place: the most specific place the text names
    votes: Counter = Counter()
    info: dict[str, tuple] = {}
    for b in doc.blocks:
        if not isinstance(b, Paragraph) or len(b.text) < 6:
            continue
        for m in re.finditer(r"[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|旗)", b.text):
            p, c, d, code, _ = _cpca(m.group(0))
            if code and (d or c):
                level = 2 if d else 1
                votes[code] += level
                info[code] = (p, c, d)
        if sum(votes.values()) > 20:
            break
    if not votes:
        return None, None, None, None, department
    code = votes.most_common(1)[0][0]
    p, c, d = info[code]
    return p, c, d, code, department


def profile_of(doc: Document) -> DocumentProfile:
    lines = _head_lines(doc)
    dept = department_of(lines, doc)
    template = bool(_PLACEHOLDER.search(" ".join(lines[:3])) or (dept and _PLACEHOLDER.search(dept)))
    if dept and _PLACEHOLDER.search(dept):
        dept = None       # a blank template names no real department
    units = units_of(doc, dept)
    if dept and dept.endswith("本级"):
        units = list(dict.fromkeys([dept] + units))
        dept = dept[: -len("本级")]
    province, city, district, code, short = division_of(dept, doc)
    unit_mult = next((t.unit_mult for t in doc.tables if t.unit_mult is not None), None)
    return DocumentProfile(department=dept, department_short=short, units=units or ([dept] if dept else []),
                           province=province, city=city, district=district, division_code=code,
                           year=year_of(lines), kind=kind_of(lines), title=lines[0] if lines else None,
                           unit_mult=unit_mult, template=template)
