"""Who published the document, where, for which year, of which kind — from its content."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .model import Document, DocumentProfile, Paragraph
from .numbers import clean_text

_ORG_TAIL = r"(局|委员会|委|厅|办公室|办事处|办|中心|部门|院|所|会|部|署|站|馆|处|队|政府|团|社|校|园|台|室)"
_PLACEHOLDER = re.compile(r"X{2,}|×{2,}|某某|\*{2,}|X\s+X")
_KIND = re.compile(r"(预算批复|单位预算|部门预算|部门决算|单位决算|决算|预算)")
_YEAR = re.compile(r"(20\d\d)\s*年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
_CN_YEAR = re.compile(r"二[〇○零O][一二三四五六七八九〇○零O]{2}\s*年")
# the heading words around a body's name in a title: year, level, kind, publication words
_TITLE_NOISE = re.compile(
    r"(20\d\d|二[〇○零O][一二三四五六七八九〇○零O]{2})\s*年度?|(省|市|区|县|区县|乡镇|街道)级|"
    r"(部门|单位)?(整体)?(预算|决算)(批复)?(信息)?(公开)?(报表|表格|表|文件|情况说明|说明)?(公开)?|"
    r"(项目支出|部门整体|整体)?(预算)?绩效目标(申报)?表?.*$|[（(][^）)]*[）)]$|公开$|的?(情况)?说明$|第[一二三四五六七八九十]+部分|概况$|基本情况$")
# labelled names: 预算主管部门：X / 预算单位：X / 部门：X 单位：万元
_LABEL = re.compile(r"(预算主管部门|主管部门|预算单位|部门名称|单位名称|编制单位|部门)\s*[:：]\s*"
                    r"(?P<name>[\u4e00-\u9fff（）()]{2,40}?)(?=\s*(?:金额)?单位\s*[:：]|\s|$)")
# bodies of the central government carry no division
_CENTRAL = re.compile(r"^(国家|中华人民共和国|全国|中央|国务院|最高人民|中国(?!共产党[\u4e00-\u9fff]{2,3}(省|市|自治区)))")
# party and front organisations put their prefix before the place (中共江苏省委办公厅)
_BODY_PREFIX = re.compile(r"^(中国共产党|中共|政协|中国人民政治协商会议|共青团|中国国民党革命委员会|民革|民盟|民建|民进|农工党|致公党|九三学社|台盟)")
_STREET = re.compile(r"(街道办事处|街道|镇人民政府|乡人民政府|镇|乡)$")
_MUNICIPALITIES = {"11", "12", "31", "50"}


def _head_lines(doc: Document, n: int = 40) -> list[str]:
    out: list[str] = []
    for b in doc.blocks[:n]:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            out.append(b.title)
            out.extend(b.meta)
            if not b.title:         # a title printed inside the table's first rows
                out.extend(" ".join(r.nonempty()) for r in b.header[:2])
    return [clean_text(t) for t in out if t and t.strip()]


def _cn_year(text: str) -> str:
    """二〇二六年 → 2026年."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS.get(c, c) for c in m.group(0).replace(" ", "")), text)


def kind_of(lines: list[str]) -> str | None:
    for t in lines[:12]:
        m = _KIND.search(t)
        if m and re.search(r"20\d\d", t + " ".join(lines[:6])):
            k = t[m.start():]
            if "批复" in k:
                return "预算批复"
            return "决算" if "决算" in k else "预算"
    joined = " ".join(lines)
    if "决算" in joined and "预算" not in joined:
        return "决算"
    if "批复" in joined:
        return "预算批复"
    return "预算" if "预算" in joined or "绩效目标" in joined else None


def year_of(lines: list[str]) -> int | None:
    """The fiscal year: the one printed beside the kind of document first, else the first in the title lines."""
    lines = [_cn_year(t) for t in lines]
    for t in lines[:20]:
        m = (re.search(r"(20\d\d)\s*年度?\s*(?:[省市区县]级)?\s*(?:部门|单位)?\s*(?:整体)?\s*(?:预算|决算|项目支出|绩效)", t)
             or re.search(r"预算年度\s*[:：]\s*(20\d\d)", t))
        if m:
            return int(m.group(1))
    for t in lines[:12]:
        if "目录" in t:
            break
        m = _YEAR.search(t) or re.fullmatch(r"\s*(20\d\d)\s*", t)
        if m:
            return int(m.group(1))
    for t in lines[:20]:
        m = re.search(r"(20\d\d)\s*年度?", t)
        if m:
            return int(m.group(1))
    return None


def _strip_org(t: str) -> str:
    t = re.sub(r"^关于", "", t.replace(" ", ""))
    t = _cn_year(t)
    prev = None
    while prev != t:
        prev = t
        t = _TITLE_NOISE.sub("", t).strip(" -—:：、,，")
    t = re.sub(r"年$", "", t)
    return re.sub(r"(?<=[\u4e00-\u9fff]{3})(部门|单位)$", "", t)


def _is_body(name: str) -> bool:
    return bool(re.fullmatch(rf"[\u4e00-\u9fff（）()]{{2,40}}{_ORG_TAIL}(（?本级）?|（[^（）]{{2,30}}）)?", name)) \
        and not re.fullmatch(r"(万?元|单位|部门|本部门|本单位)", name)


def _title_lines(lines: list[str]) -> list[str]:
    """The lines before the table of contents (or the first few), where the cover prints its title."""
    out: list[str] = []
    for t in lines[:8]:
        if re.match(r"^目\s*录", t):
            break
        out.append(t.replace(" ", ""))
    return out


def body_of(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuing body as printed, scope from its label: 部门 | 单位 | None)."""
    heads = _title_lines(lines)
    cands: list[str] = list(heads)      # a line by itself first, then a title wrapped over two lines
    cands += [a + b for a, b in zip(heads, heads[1:]) if not a.endswith("表")]
    for c in cands:
        if _LABEL.search(c):
            continue
        org = _strip_org(c)
        if _is_body(org) and (org != c.replace(" ", "") or re.search(r"20\d\d|预算|决算", c) is None):
            return org, None
    for t in lines:
        for m in _LABEL.finditer(t.replace(" ", "")):
            name = m.group("name")
            if _is_body(name):
                label = m.group(1)
                return name, ("单位" if label in ("预算单位", "单位名称") else "部门")
    for t in lines[:40]:
        m = re.match(rf"^第[一二三四五六七八九十]+部分\s*(\S{{2,40}}?{_ORG_TAIL})(概况|基本情况)", t.replace(" ", ""))
        if m:
            return m.group(1), None
        m = re.match(rf"^\d{{3,}}\s*([\u4e00-\u9fff]{{2,30}}{_ORG_TAIL})$", t)
        if m:
            return m.group(1), None
    return None, None


def _prose_body(doc: Document) -> str | None:
    """The body the explanation's sentences open with (江苏省政协办公厅 2019 年度收入…), when the
    cover prints none: the name that starts two or more sentences before a year."""
    found: Counter = Counter()
    for b in doc.blocks[:400]:
        if isinstance(b, Paragraph):
            m = re.match(rf"^([\u4e00-\u9fff（）]{{2,30}}?{_ORG_TAIL})(本级)?\s*(20\d\d)\s*年", b.text.replace(" ", ""))
            if m and _is_body(m.group(1)):
                found[m.group(1)] += 1
    if found:
        name, n = found.most_common(1)[0]
        return name if n >= 2 else None
    return None


def _form_body(doc: Document) -> tuple[str | None, str | None]:
    """A form prints its body in a row: | 部门名称 | 广州市…局 | (绩效目标申报表 and the like)."""
    for t in doc.tables:
        for r in (t.header + t.body)[:8]:
            cells = [c.replace(" ", "") for c in r.texts if c.strip()]
            for i, c in enumerate(cells[:-1]):
                if re.fullmatch(r"(预算)?(部门|单位|主管部门)(名称)?[:：]?", c) and _is_body(cells[i + 1]):
                    return cells[i + 1], ("单位" if c.startswith("单位") else "部门")
    return None, None


def _table_year(doc: Document) -> int | None:
    """The latest year a table header prints beside 预算/决算 (tables-only files have no cover)."""
    years = [int(m.group(1)) for t in doc.tables for r in t.header
             for m in re.finditer(r"(20\d\d)\s*年度?\s*(?:年初)?(?:预算|决算|执行)", " ".join(r.texts))]
    if years:
        return max(years)
    meta = [int(m.group(1)) for t in doc.tables for x in t.meta + [t.title]
            for m in [re.fullmatch(r"[（(]?\s*(20\d\d)\s*年度?\s*[）)]?", x.strip())] if m]
    if meta:
        return max(meta)        # a subtitle "（2026年度）"
    # a title (2019年政府采购预算表) or a note (我单位无2017年政府性基金支出安排) of the tables
    texts = [t.title for t in doc.tables] + [n for t in doc.tables for n in t.notes] + \
            [b.text for b in doc.blocks if isinstance(b, Paragraph)][:60]
    found = Counter(int(m.group(1)) for x in texts for m in re.finditer(r"(20\d\d)\s*年", x or ""))
    if not found:       # forms only: the year a cell names as a fiscal year (2026年度…)
        found = Counter(int(m.group(1)) for t in doc.tables for r in t.rows for c in r.cells
                        for m in re.finditer(r"(20\d\d)\s*年度", c.text))
    return found.most_common(1)[0][0] if found else None


def department_of(lines: list[str], doc: Document) -> str | None:
    return body_of(lines)[0]
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
    units = [u for u in units if _is_body(u) and not re.search(r"[，,。]|内设机构|职责", u)]
    return list(dict.fromkeys(u for u in units if u))


def load_places() -> None:
    """cpca and its tables of places loaded now (a build warms its processes up with it)."""
    _cpca("北京市")


@lru_cache(maxsize=4096)
def _cpca(text: str) -> tuple[str | None, str | None, str | None, str | None, str]:
    import cpca  # its tables of places load on import: only when a document is recognised
    row = _cpca_record(cpca, text)
    def val(k: str) -> str | None:
        v = row.get(k)
        return None if v is None or (isinstance(v, float)) or str(v) == "nan" else str(v)
    return val("省"), val("市"), val("区"), val("adcode"), val("地址") or ""


def _cpca_record(cpca, text: str) -> dict:
    """cpca's record of one text (省, 市, 区, 地址, adcode). `cpca.transform` makes the same
    records into a pandas DataFrame, and importing pandas for it costs every process 0.15 s and
    tens of MB; the record is taken as transform takes it, and from transform itself when a
    cpca release no longer has that function."""
    one = getattr(cpca, "_get_one_addr", None)
    if one is not None:
        return one(text, False, {})
    return cpca.transform([text]).iloc[0].to_dict()


def _place_prefix(text: str) -> tuple[str | None, str | None, str | None, str | None, str] | None:
    """The division a name starts with (江苏省…, 上海市普陀区…), or None: a place is read only where
    it prefixes the name, never from a fragment inside it (国际经济合作 is no 合作市)."""
    text = _BODY_PREFIX.sub("", text.replace(" ", ""))
    p, c, d, code, rest = _cpca(text)
    if not code:
        return None
    names = [n for n in (p, c, d) if n and n != "市辖区"]
    shorts = [re.sub(r"(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$", "", n) for n in names]
    if not any(text.startswith(n) or (len(sh) >= 2 and text.startswith(sh)) for n, sh in zip(names, shorts)):
        return None
    if d and d not in text:          # a district must be printed in full
        c_code = code[:4] + "00"
        p2, c2, _, code2, rest2 = _cpca(text.replace(d, "", 1)) if False else (p, c, None, c_code, rest)
        return p2, c2, None, code2 if c2 else code[:2] + "0000", rest2
    return p, c, d, code, rest


_PROSE_ORG = re.compile(rf"[\u4e00-\u9fff]{{2,12}}?(?:省|市|区|县|旗|州)[\u4e00-\u9fff]{{1,15}}?{_ORG_TAIL}")


def _prose_division(doc: Document) -> tuple | None:
    """The division of bodies the text names with their place (山海关区科工局), by votes: only when
    neither the issuer's name nor the cover carries a place. Each name must start with its place."""
    votes: Counter = Counter()
    info: dict[str, tuple] = {}
    for b in doc.blocks:
        if not isinstance(b, Paragraph):
            continue
        for m in _PROSE_ORG.finditer(b.text.replace(" ", "")):
            found = _place_prefix(m.group(0))
            if found:
                votes[found[3]] += 1
                info[found[3]] = found
    if not votes:
        return None
    code, n = votes.most_common(1)[0]
    return info[code] if n >= 1 else None


def division_of(department: str | None, doc: Document, lines: list[str] | None = None
                ) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(province, city, district, code, department without the place name), from the body's name,
    then the cover's title lines; never from prose (a place mentioned in the text is not the issuer's)."""
    if department and _CENTRAL.match(department):
        return None, None, None, None, department
    best = None
    if department:
        best = _place_prefix(department)
    heads = _title_lines(lines or _head_lines(doc))
    for t in heads:
        found = _place_prefix(t)
        if found and found[2] and (best is None or not best[2]) and \
                (best is None or found[3][:2] == best[3][:2]):
            best = found          # the title names the district the body's name leaves out
        elif found and best is None:
            best = found
    if best is None:
        best = _prose_division(doc)
    if best is None:
        return None, None, None, None, department
    p, c, d, code, rest = best
    short = department
    if department:
        dp = _place_prefix(department)
        if dp and dp[4]:
            short = dp[4]
    return p, c, d, code, short


def level_of(department: str | None, code: str | None, lines: list[str]) -> str | None:
    """中央 | 省 | 市 | 区县 | 街道 — from the body's name and its division."""
    if department and _CENTRAL.match(department):
        return "中央"
    if department and (_STREET.search(re.sub(r"(（?本级）?)$", "", department)) or "街道" in department):
        return "街道"
    heads = " ".join(_title_lines(lines))
    if re.search(r"(区|县)级", heads):
        return "区县"
    if not code:
        return None
    if code[4:] != "00":
        return "区县"
    if code[2:4] != "00" or code[:2] in _MUNICIPALITIES:
        return "市"
    return "省"


def document_kind_of(lines: list[str], kind: str | None, scope: str | None) -> str | None:
    """部门预算 | 单位预算 | 部门决算 | 单位决算 | 预算批复 | 绩效目标 (refined by the pipeline for explanations)."""
    heads = " ".join(_title_lines(lines)) or " ".join(lines[:3])
    if "绩效目标" in heads and not re.search(r"(部门|单位)(预算|决算)", heads):
        return "绩效目标"
    if kind == "预算批复":
        return "预算批复"
    unit = scope == "单位" or bool(re.search(r"单位(预算|决算)", heads))
    if kind == "决算":
        return "单位决算" if unit else "部门决算"
    if kind == "预算":
        return "单位预算" if unit else "部门预算"
    return None


def profile_of(doc: Document) -> DocumentProfile:
    lines = _head_lines(doc)
    dept, label_scope = body_of(lines)
    if dept is None:
        dept, label_scope = _form_body(doc)
    if dept is None:
        dept = _prose_body(doc)
    template = bool(_PLACEHOLDER.search(" ".join(lines[:3])) or (dept and _PLACEHOLDER.search(dept)))
    if dept and _PLACEHOLDER.search(dept):
        dept = None       # a blank template names no real department
    units = units_of(doc, dept)
    scope = label_scope
    heads = " ".join(_title_lines(lines))
    if dept and re.search(r"（?本级）?$", dept) and "本级" in dept:
        units = list(dict.fromkeys([dept] + units))
        dept = re.sub(r"（?本级）?$", "", dept)
        scope = "本级"
    elif re.search(r"单位(预算|决算)", heads):
        scope = "单位"
    elif "汇总" in heads:
        scope = "汇总"
    elif scope is None and dept:
        scope = "部门"
    province, city, district, code, short = division_of(dept, doc, lines)
    unit_mult = next((t.unit_mult for t in doc.tables if t.unit_mult is not None), None)
    kind = kind_of(lines)
    return DocumentProfile(department=dept, department_short=short, units=units or ([dept] if dept else []),
                           province=province, city=city, district=district, division_code=code,
                           year=year_of(lines) or _table_year(doc), kind=kind, title=lines[0] if lines else None,
                           unit_mult=unit_mult, template=template, scope=scope,
                           level=level_of(dept, code, lines), document_kind=document_kind_of(lines, kind, scope))
