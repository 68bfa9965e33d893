"""A document reviewed the way a 财政 reviewer reads it: its profile, then each finding by
severity with the rule in plain Chinese, both sides with their values and pages, and (for a PDF)
a crop of the page with the printed figures outlined. HTML for a person, CSV and JSON for tools."""
from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .rules import FAMILIES, rule_family, rule_words

SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Review:
    source: str
    profile: dict
    findings: list = field(default_factory=list)       # checks.Finding, most severe first
    crops: dict = field(default_factory=dict)          # finding index → PNG bytes


def review_path(path: str | Path, *, images: bool = True, workers: int = 1) -> Review:
    from .pipeline import extract_path
    ex = extract_path(path, workers=workers)
    p = ex.profile
    profile = {"部门": p.department, "年度": p.year, "类型": p.document_kind or p.kind, "范围": p.scope,
               "级次": p.level, "行政区划": p.division_code, "标题": p.title,
               "表格": len(ex.tables), "模板": p.template}
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    findings = sorted(ex.findings, key=lambda f: order.get(f.severity, 9))
    r = Review(str(path), profile, findings)
    if images and str(path).lower().endswith(".pdf"):
        r.crops = page_crops(path, findings)
    return r


def _targets(side) -> list[str]:
    """What to outline on the page for a side: its printed figure (or the words of a text side)."""
    t = (side.printed or "").replace(" 元", "").replace(" 万元", "")
    if side.kind in ("text", "year"):
        return [w for w in re.split(r"[，。；：:、\s]", t) if len(w) >= 3][:3]
    return [t] if t and t not in ("(blank)", "100") else []


def page_crops(path, findings) -> dict:
    """For each non-info finding, the first page a side names, cropped around the figures outlined."""
    import pdfplumber
    out: dict[int, bytes] = {}
    with pdfplumber.open(str(path)) as pdf:
        for i, f in enumerate(findings):
            if f.severity == "info":
                continue
            sides = [s for s in f.sides if s.prov is not None and s.prov.page]
            if not sides:
                continue
            page_no = sides[0].prov.page
            if not 1 <= page_no <= len(pdf.pages):
                continue
            page = pdf.pages[page_no - 1]
            boxes = []
            for s in sides:
                if s.prov.page != page_no:
                    continue
                for t in _targets(s):
                    try:
                        boxes += [(m["x0"], m["top"], m["x1"], m["bottom"]) for m in page.search(t, regex=False)][:2]
                    except Exception:       # a pattern pdfplumber cannot search: no outline
                        pass
            if boxes:
                x0 = max(0, min(b[0] for b in boxes) - 60)
                x1 = min(page.width, max(b[2] for b in boxes) + 60)
                top = max(0, min(b[1] for b in boxes) - 50)
                bottom = min(page.height, max(b[3] for b in boxes) + 50)
                region = page.crop((0 if x1 - x0 < page.width * 0.6 else x0, top, page.width, bottom))
            else:
                region = page
            im = region.to_image(resolution=100)
            if boxes:
                im.draw_rects(boxes, stroke="red", fill=(255, 0, 0, 30), stroke_width=2)
            buf = io.BytesIO()
            im.save(buf, format="PNG")
            out[i] = buf.getvalue()
    return out


def _where(side) -> str:
    p = side.prov
    if p is None:
        return ""
    parts = [f"第{p.page}页" if p.page else "", f"表“{p.table_title}”" if p.table_title else "",
             f"第{p.row + 1}行" if p.row is not None else "", f"line {p.line}" if p.line else ""]
    return "，".join(x for x in parts if x)


def rows(r: Review) -> list[dict]:
    out = []
    for i, f in enumerate(r.findings):
        out.append({"severity": f.severity, "rule": f.rule, "family": FAMILIES.get(rule_family(f.rule), ""),
                    "rule_cn": rule_words(f.rule), "message": f.message,
                    "difference": format(f.difference, "f") if f.difference is not None else "",
                    "sides": [{"label": s.label, "printed": s.printed, "kind": s.kind,
                               "page": s.prov.page if s.prov else None, "line": s.prov.line if s.prov else None,
                               "table": s.prov.table_title if s.prov else None} for s in f.sides]})
    return out


def to_json(r: Review) -> str:
    return json.dumps({"source": r.source, "profile": r.profile, "findings": rows(r)}, ensure_ascii=False, indent=1)


def to_csv(r: Review) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["severity", "family", "rule", "rule_cn", "message", "side", "printed", "page", "table", "line"])
    for row in rows(r):
        for k, s in enumerate(row["sides"] or [{}]):
            w.writerow([row["severity"], row["family"], row["rule"], row["rule_cn"], row["message"], s.get("label", ""),
                        s.get("printed", ""), s.get("page") or "", s.get("table") or "", s.get("line") or ""])
    return buf.getvalue()


_CSS = """body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em;max-width:1100px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
.error h3{color:#b00}.warning h3{color:#a60}.info h3{color:#555}.finding{border-top:1px solid #ddd;margin:1em 0}
img{max-width:100%;border:1px solid #999}.clean{color:#070;font-size:1.3em}"""


def to_html(r: Review) -> str:
    e = html.escape
    counts = {s: sum(1 for f in r.findings if f.severity == s) for s in SEVERITY_ORDER}
    out = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>审校报告 {e(Path(r.source).name)}</title>"
           f"<style>{_CSS}</style></head><body><h1>审校报告</h1><p>{e(r.source)}</p><table id='profile'>"]
    out += [f"<tr><th>{e(k)}</th><td>{e(str(v) if v is not None else '—')}</td></tr>" for k, v in r.profile.items()]
    out.append("</table>")
    out.append(f"<p id='counts'>错误 {counts['error']} 项，警告 {counts['warning']} 项，提示 {counts['info']} 项</p>")
    if not counts["error"] and not counts["warning"]:
        out.append("<p class='clean' id='clean'>未发现错误或警告：本文件通过全部审校规则。</p>")
    for sev in SEVERITY_ORDER:
        group = [(i, f) for i, f in enumerate(r.findings) if f.severity == sev]
        if not group:
            continue
        out.append(f"<h2>{SEVERITY_CN[sev]}（{len(group)}）</h2>")
        for i, f in group:
            out.append(f"<div class='finding {sev}' data-rule='{e(f.rule)}'><h3>{e(rule_words(f.rule))}</h3>"
                       f"<p>{e(FAMILIES.get(rule_family(f.rule), ''))} · <code>{e(f.rule)}</code></p><p>{e(f.message)}</p>"
                       "<table><tr><th>一方</th><th>数值</th><th>位置</th></tr>")
            for s in f.sides:
                out.append(f"<tr><td>{e(s.label)}</td><td>{e(s.printed)}</td><td>{e(_where(s))}</td></tr>")
            out.append("</table>")
            if i in r.crops:
                data = base64.b64encode(r.crops[i]).decode()
                out.append(f"<p><img alt='page crop' src='data:image/png;base64,{data}'></p>")
            out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out)
