"""A synthetic corpus for benchmarks: N distinct documents made from the texts of ../shared/corpus
with their places, years and figures changed consistently, so that the checks still hold.

Each document i is one of the corpus texts with
* its province, city and district replaced by another real triple (GB/T 2260 names cpca knows,
  each unambiguous), so it is another department in another division;
* every year shifted by the same number of years (2019 → 2019 + d everywhere: titles, columns,
  prose), so a 预算 and the 决算 of the year before stay a pair;
* figures: `scale` multiplies an amount by ten by moving its decimal point (123.45 → 1234.5,
  the same digits, so sums hold within the same half unit of the last printed digit), but in
  the packed 三公 tables of two corpus texts that moves figures across columns, so FACTORS
  keeps figures as printed for now: the documents differ by place, department and year.
Names are sha-like, as crawled corpora's are.

Sources (`--sources corpus,corpus-real`): the corpus texts as they are (their four layouts), and
the real published files of ../shared/corpus-real read with budgetkg's reader into a
tab-separated text (a table: its title line, its meta lines — 单位：万元 among them — then one line
per row, cells joined by tabs; prose lines as they are), whose division (province, city,
district, as budgetkg's recognition finds it printed) is replaced by another real one, so the
department is another department, and whose years are shifted. A file whose division is not
found is left out (another place could not be given to it): 45 of the 47 readable files are
kept, and with them the corpus gives 13,596 distinct documents instead of 1,320 (a file printing
only its province has one variant per province and year shift, 20 × 11). The tab form keeps the
tables (a real 2017 预算 gives 164 facts as its PDF, as its variant's text and as its variant's
PDF), not always the narrative: a narrative-only 预算公开文件 read as text may lose its few
narrative facts (12 from the PDF, none from its text variant).

`--pdf` renders each document as a ruled PDF (reportlab, its CID font STSong-Light): the text in
its tab-separated form (a corpus text read with budgetkg's reader first), each table drawn as a
grid under its title and meta lines, the header rows (those before the first row holding a
number) repeated on every page, prose lines as paragraphs.

    python bench/synth.py 100 /tmp/synth100
    python bench/synth.py 20 /tmp/synth20pdf --pdf --sources corpus,corpus-real
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
CORPUS_REAL = SHARED / "corpus-real"
#: the tab-separated text of each corpus-real file, by its sha256 (reading 45 PDFs takes minutes)
CACHE = Path("/tmp/budgetkg-synth-cache")
READABLE = (".pdf", ".xlsx", ".xls")

#: (province, city, district): unambiguous names
PLACES = [
    ("吉林省", "长春市", "南关区"), ("黑龙江省", "哈尔滨市", "道里区"), ("江苏省", "南京市", "玄武区"),
    ("浙江省", "杭州市", "拱墅区"), ("安徽省", "合肥市", "蜀山区"), ("福建省", "福州市", "仓山区"),
    ("江西省", "南昌市", "东湖区"), ("山东省", "济南市", "历下区"), ("河南省", "郑州市", "金水区"),
    ("湖北省", "武汉市", "江岸区"), ("湖南省", "长沙市", "岳麓区"), ("广东省", "广州市", "天河区"),
    ("四川省", "成都市", "武侯区"), ("陕西省", "西安市", "雁塔区"), ("山西省", "太原市", "小店区"),
    ("河北省", "石家庄市", "裕华区"), ("云南省", "昆明市", "五华区"), ("贵州省", "贵阳市", "南明区"),
    ("广西壮族自治区", "南宁市", "青秀区"), ("江苏省", "苏州市", "姑苏区"), ("浙江省", "宁波市", "海曙区"),
    ("山东省", "青岛市", "市南区"), ("广东省", "深圳市", "福田区"), ("辽宁省", "大连市", "西岗区"),
    ("湖北省", "宜昌市", "西陵区"), ("河南省", "洛阳市", "西工区"), ("四川省", "绵阳市", "涪城区"),
    ("江苏省", "无锡市", "梁溪区"), ("福建省", "厦门市", "思明区"), ("甘肃省", "兰州市", "七里河区"),
]
#: the places the corpus texts print, by rank: province, city, district
ORIGINAL = {"辽宁省": 0, "河北省": 0, "沈阳市": 1, "抚顺市": 1, "秦皇岛市": 1, "山海关区": 2}
_PLACE = re.compile("|".join(sorted(ORIGINAL, key=len, reverse=True)))
_YEAR = re.compile(r"(?<![\d.,])(20[0-3]\d)(?![\d.,])")
_MONEY = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})(?![\d%％])")
#: figures times ten (decimal point moved) in some variants: off, because it moves figures
#: across the packed columns of some 三公 tables (errors appear that the original does not have)
FACTORS = (0,)
SHIFTS = (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5)


def scale(match: re.Match, shift: int) -> str:
    """The figure times 10**shift, its decimal point moved (123.45 → 1234.5): the same digits,
    so a sum that held within half a unit of the last printed digit still does."""
    text = match.group(1)
    decimals = len(text.split(".")[1]) if "." in text else 0
    if shift > decimals:
        return text
    value = Decimal(text.replace(",", "")).scaleb(shift)
    return f"{value:,.{decimals - shift}f}" if "," in text else f"{value:.{decimals - shift}f}"


@dataclass
class Source:
    """A text to vary: its name in the hash of the variants' names, and the place names it
    prints with their rank (0 province, 1 city, 2 district)."""
    key: str
    text: str
    places: dict[str, int]

    def pattern(self) -> re.Pattern:
        return re.compile("|".join(map(re.escape, sorted(self.places, key=len, reverse=True))))


def variant(text: str, place: tuple[str, str, str], shift: int, factor: int,
            places: dict[str, int] | None = None, pattern: re.Pattern | None = None) -> str:
    places, pattern = places or ORIGINAL, pattern or _PLACE
    text = pattern.sub(lambda m: place[places[m.group(0)]], text)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    return _MONEY.sub(lambda m: scale(m, factor), text)


def corpus_sources(corpus: Path = CORPUS) -> list[Source]:
    """The corpus texts as they are; their keys (the index) keep the names made before."""
    paths = sorted(p for p in corpus.iterdir() if p.is_file())
    return [Source(str(i), p.read_text(encoding="utf-8"), ORIGINAL) for i, p in enumerate(paths)]


def tsv(doc) -> str:
    """A Document as tab-separated text: a table as its title line, its meta lines, one line per
    row (a one-cell row gets a trailing tab, so it stays a row) and its notes, set apart by blank
    lines; a paragraph as its text."""
    from budgetkg.extract.model import Paragraph
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(" ".join(b.text.split()))
            continue
        rows = [[" ".join(c.split()) for c in r.texts] for r in (b.header + b.body or b.rows)]
        rows = [r if len(r) > 1 else r + [""] for r in rows if any(r)]
        if not rows:
            out += ["", *(" ".join(t.split()) for t in (b.title, *b.meta, *b.notes)), ""]
            continue
        flat = [" ".join(t.split()) for t in (b.title or "表", *b.meta)]
        out += ["", *flat, *("\t".join(r) for r in rows), *(" ".join(t.split()) for t in b.notes), ""]
    return "\n".join(out).strip("\n") + "\n"


def real_source(path: Path, cache: Path = CACHE) -> Source | None:
    """A corpus-real file as tab-separated text with the division budgetkg finds printed in it,
    or None when it cannot be read or names no division."""
    import hashlib as h
    data = path.read_bytes()
    sha = h.sha256(data).hexdigest()
    hit = cache / f"{sha}.json"
    if hit.exists():
        d = json.loads(hit.read_text(encoding="utf-8"))
    else:
        from budgetkg.extract.errors import BudgetKGError
        from budgetkg.extract.readers import read_bytes
        from budgetkg.extract.recognise import profile_of
        try:
            doc = read_bytes(data, source=str(path))
            prof = profile_of(doc)
            d = {"text": tsv(doc), "places": {n: r for r, n in enumerate((prof.province, prof.city, prof.district))
                                             if n}}
        except BudgetKGError as exc:
            d = {"error": str(exc)}
        cache.mkdir(parents=True, exist_ok=True)
        hit.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    if not d.get("places") or not d.get("text", "").strip():
        return None
    return Source(f"real:{sha[:16]}", d["text"], d["places"])


def real_sources(folder: Path = CORPUS_REAL, cache: Path = CACHE) -> list[Source]:
    found = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in READABLE:
            src = real_source(p, cache)
            if src is None:
                print(f"  left out (no division found or not readable): {p.relative_to(folder)}", file=sys.stderr)
            else:
                found.append(src)
    return found


def sources_of(names: tuple[str, ...] = ("corpus",)) -> list[Source]:
    out: list[Source] = []
    for name in names:
        if name == "corpus":
            out += corpus_sources()
        elif name == "corpus-real":
            out += real_sources()
        else:
            raise ValueError(f"unknown source {name!r}: corpus or corpus-real")
    return out


def synthesize(n: int, out: Path, corpus: Path = CORPUS, *, sources: tuple[str, ...] = ("corpus",),
               pdf: bool = False) -> list[Path]:
    """N distinct documents in `out` (made again only when missing): text, or ruled PDF."""
    texts = corpus_sources(corpus) if sources == ("corpus",) else sources_of(sources)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    patterns = [t.pattern() for t in texts]
    plan = list(_plan(texts, n))
    if len(plan) < n:
        raise ValueError(f"at most {len(plan)} distinct documents from {len(texts)} sources")
    for i, (src, (place, shift, factor)) in enumerate(plan):
        name = hashlib.sha256(f"{texts[src].key}-{place}-{shift}-{factor}".encode()).hexdigest()[:16]
        path = out / f"{i:05d}_{name}.{'pdf' if pdf else 'txt'}"
        if not path.exists():
            text = variant(texts[src].text, PLACES[place], shift, factor, texts[src].places, patterns[src])
            if pdf:
                render_pdf(text if texts[src].key.startswith("real:") else tsv_of_text(text, path.name), path)
            else:
                path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def _plan(texts: list[Source], n: int):
    """(source, (place, shift, factor)) for the first n documents, the sources in turn: each
    source's combinations that change what it prints (a source printing only its province gets
    one variant per province and shift, not one per city of a province)."""
    combos = [(pl, s, f) for s in SHIFTS for f in FACTORS for pl in range(len(PLACES))]
    own: list[list[tuple[int, int, int]]] = []
    for t in texts:
        ranks = sorted(set(t.places.values()))
        seen, keep = set(), []
        for pl, s, f in combos:
            key = (tuple(PLACES[pl][r] for r in ranks), s, f)
            if key not in seen:
                seen.add(key)
                keep.append((pl, s, f))
        own.append(keep)
    made = 0
    for m in range(len(combos)):
        for src, keep in enumerate(own):
            if made == n:
                return
            if m < len(keep):
                yield src, keep[m]
                made += 1


def tsv_of_text(text: str, name: str) -> str:
    """A corpus text (any of its layouts) as tab-separated text, through budgetkg's reader."""
    from budgetkg.extract.readers import read_bytes
    return tsv(read_bytes(text.encode("utf-8"), source=name))


# ---------------------------------------------------------------- PDF

FONT = "STSong-Light"
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


@dataclass
class Grid:
    """A table to draw: the lines above it, header rows, body rows, lines below."""
    title: str
    meta: list[str]
    header: list[list[str]]
    body: list[list[str]]
    notes: list[str]


def blocks_of(text: str) -> list:
    """Tab-separated text as blocks: a run of tab lines is a table; the lines of its group
    (set apart by blank lines) above it are its title (the first) and meta lines (单位：万元
    among them), the lines below it its notes; with none above, the line before is its title.
    Other lines are paragraphs (str)."""
    blocks: list = []
    for group in re.split(r"\n\s*\n", text):
        lines = [ln for ln in group.split("\n") if ln.strip()]
        rows = [i for i, ln in enumerate(lines) if "\t" in ln]
        if not rows:
            blocks += lines
            continue
        first, last = rows[0], rows[-1]
        above = lines[:first]
        if not above and blocks and isinstance(blocks[-1], str):
            above = [blocks.pop()]
        cells = [ln.split("\t") for ln in lines[first:last + 1]]
        width = max(len(r) for r in cells)
        cells = [r + [""] * (width - len(r)) for r in cells]
        numbered = next((i for i, r in enumerate(cells) if any(_NUMBER.match(c.strip()) for c in r)), len(cells))
        numbered = numbered if numbered < len(cells) else 0
        blocks.append(Grid(above[0] if above else "", above[1:], cells[:numbered], cells[numbered:],
                           lines[last + 1:]))
    return blocks


def _register() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _widths(rows: list[list[str]], total: float, size: float) -> list[float]:
    """Column widths in proportion to the longest text of each column (at most 14 characters:
    longer text wraps inside its cell), figures never narrower than they print."""
    n = max(len(r) for r in rows)
    need = []
    for j in range(n):
        texts = [r[j] for r in rows if j < len(r) and r[j]]
        longest = max((len(t) for t in texts), default=1)
        figures = [len(t) * 0.55 for t in texts if _NUMBER.match(t)]
        need.append(max(min(longest, 14), max(figures, default=0), 2) * size + 4)
    scale = min(1.0, total / sum(need))
    return [max(w * scale, size * 1.5 + 4) for w in need]


def render_pdf(text: str, path: Path, *, font_size: float = 7.0) -> Path:
    """Tab-separated text drawn as a landscape A4 PDF: ruled tables, headers repeated across pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from xml.sax.saxutils import escape

    _register()
    size = landscape(A4)
    para = ParagraphStyle("p", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=FONT, fontSize=13, leading=18, alignment=1, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=FONT, fontSize=font_size, leading=font_size + 2, wordWrap="CJK")
    story: list = []
    for b in blocks_of(text):
        if isinstance(b, str):
            story += [Paragraph(escape(b), para), Spacer(1, 4)]
            continue
        if b.title:
            story.append(Paragraph(escape(b.title), title))
        story += [Paragraph(escape(m), para) for m in b.meta]
        rows = b.header + b.body
        widths = _widths(rows, size[0] - 72, font_size)
        data = [[c if (not c or _NUMBER.match(c)) else Paragraph(escape(c), cell) for c in r] for r in rows]
        table = LongTable(data, colWidths=widths, repeatRows=len(b.header) if b.body else 0, splitInRow=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, font_size), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story += [Spacer(1, 4), table]
        story += [Paragraph(escape(m), para) for m in b.notes]
        story.append(Spacer(1, 12))
    SimpleDocTemplate(str(path), pagesize=size, leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36).build(story)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=100)
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--pdf", action="store_true", help="ruled PDF instead of text")
    ap.add_argument("--sources", default="corpus", help="corpus, corpus-real or both, comma-separated")
    a = ap.parse_args()
    folder = a.out or Path(f"/tmp/budgetkg-synth-{a.n}")
    made = synthesize(a.n, folder, sources=tuple(a.sources.split(",")), pdf=a.pdf)
    print(f"{len(made)} documents in {folder}")
