"""Rows → blocks: titles start tables, meta lines and notes attach to them,
header rows are told from body rows, and a table printed over several pages
(its title and header repeated) becomes one table again."""
from __future__ import annotations

import re

from ..model import Block, Paragraph, Row, Table
from ..numbers import clean_text, is_amount, unit_of

_TITLE_TAIL = re.compile(r"\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$|\s*[（(]续表?[)）]\s*$")
_TITLE_HEAD = re.compile(r"^(?:(附表|表|公开)\s*[\d一二三四五六七八九十]+\s*表?\s*(?:[：:、.．\-—]|\s)|"
                         r"(预算|决算|公开|部门|单位)\s*\d+\s*表\s*(?:[：:、.．\-—]|\s)?)\s*(?=\S)")
_META = [
    re.compile(r"^(金额)?单位\s*[:：]"),
    re.compile(r"^(单位名称|部门名称|编制单位|部门|预算单位)\s*[:：]"),
    re.compile(r"^(预算年度|截止时间|截至|年度)\s*[:：]"),
    re.compile(r"^表\s*\d+(\s*[-－]\s*\d+)?$"),
    re.compile(r"^公开\s*\d+\s*表$"),
    re.compile(r"^[（(]?\s*\d{4}\s*年度?\s*[）)]?$"),
    re.compile(r"^(?!(?:19|20)\d\d\s*年)\d{3,}\s*[\u4e00-\u9fff][^，。：]{1,30}$"),   # a unit code line, not "2026年…表"
]
_NOTE = re.compile(r"^(注|备注|说明)\s*[:：\d]|^(如本表为空|如此表为空|本表|本套报表)")
CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


def clean_title(text: str) -> str:
    t = clean_text(text).strip(" #*")
    t = _TITLE_HEAD.sub("", t)        # "表一：收入支出决算总表", "附表3、…" → the title itself
    t = _TITLE_TAIL.sub("", t)
    return t.strip()


def is_title(text: str) -> bool:
    t = clean_title(text)
    if not 4 <= len(t) <= 50:
        return False
    if re.search(r"[，。；：:]", t) or t.startswith(("注", "《")) or is_meta(t):
        return False
    return bool(re.search(r"表$|表\s*[（(][^（()）]{1,12}[)）]$", t))


_GLUED = re.compile(r"^(?P<title>.{4,50}?表(?:[（(][^（()）]{1,12}[)）])?)\s*(?P<no>公开表[一二三四五六七八九十\d]+|公开\s*\d+\s*表|表[一二三四五六七八九十\d]+)?\s*"
                    r"(?P<meta>(部门|单位名称|部门名称|编制单位|预算单位|(金额)?单位)\s*[:：].*)?$")
_META_SPLIT = re.compile(r"\s*(?=(?:部门|单位名称|部门名称|编制单位|预算单位|金额单位|单位)\s*[:：])")


def split_glued_title(text: str) -> tuple[str, list[str]] | None:
    """`收支预算总表部门：江苏省政协办公厅单位：万元` (a title and its meta set on one line) →
    (title, [部门：…, 单位：万元]); None when the line is not of that form."""
    t = clean_text(text).strip()
    m = _GLUED.match(t)
    if not m or not (m.group("no") or m.group("meta")) or not is_title(m.group("title")):
        return None
    meta = [x for x in _META_SPLIT.split(m.group("meta") or "") if x.strip()]
    return m.group("title"), meta


def is_meta(text: str) -> bool:
    t = clean_text(text).strip()
    return any(p.search(t) for p in _META)


def is_note(text: str) -> bool:
    return bool(_NOTE.search(clean_text(text).strip()))


def single_text(row: Row) -> str | None:
    """The text of a row that is one cell in the first column (a line of prose or a title)."""
    if row.aligned:
        if len(row.cells) == 1:
            return row.cells[0].text
        return None
    if len(row.cells) == 1 or (row.text and not any(is_amount(c.text) for c in row.cells)
                                and len(row.text) > 40):
        return row.text or row.cells[0].text
    return None


def is_data_row(row: Row) -> bool:
    texts = [t.strip() for t in row.texts if t.strip()]
    if not texts or texts[0].replace(" ", "") == "栏次":
        return False
    has_amount = any(is_amount(t) and ("." in t or "," in t) for t in texts)
    for t in texts:
        compact = t.replace(" ", "")
        if CODE.match(compact) or has_amount or re.fullmatch(r"\d{6,}", compact):
            return True   # a classification code, a figure, or a unit code (单位编码 558001)
    return False


_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _is_prose(text: str, row: Row) -> bool:
    """A line of sentences or a section heading after a table ends it (narrow pages wrap prose
    at 30-odd characters, below the length that tells prose from a row otherwise)."""
    t = clean_text(text).strip()
    if is_data_row(row) or is_title(t):
        return False
    return bool(re.search(r"[，。；！？]", t)) or bool(_HEADING.match(t) and re.search(r"(说明|情况|概况|部分)", t))


def _rejoin_broken_rows(table: Table) -> None:
    """Spreadsheet dumps sometimes put a blank line inside a row: the pieces are joined
    back while together they fit the table's width and the piece does not start a row."""
    width = max((len(r.cells) for r in table.rows), default=0)
    out: list[Row] = []
    for row in table.rows:
        first = row.texts[0].strip() if row.cells else ""
        if (out and len(out[-1].cells) < width and len(out[-1].cells) + len(row.cells) <= width
                and first and not re.fullmatch(r"\d+", first.replace(" ", "")) and not is_title(first)):
            out[-1] = Row(out[-1].cells + row.cells, aligned=True)
        else:
            out.append(row)
    table.rows = out


def _merge_split_codes(table: Table) -> None:
    """PDFs print a code over columns headed 类 / 款 / 项 (`221 02 01`): one code column again,
    for every such group of the table (an economic table prints two side by side)."""
    marker = None
    for r in table.rows[:8]:
        t = [re.sub(r"\s", "", x) for x in r.texts]
        runs = []
        j = 0
        while j < len(t) - 1:
            if t[j] == "类" and t[j + 1] == "款":
                n = 3 if j + 2 < len(t) and t[j + 2] == "项" else 2
                runs.append((j, n))
                j += n
            else:
                j += 1
        if runs:
            marker = runs
            break
    if not marker:
        return
    new_rows = []
    for row in table.rows:
        cells = list(row.cells)
        for j, n in reversed(marker):
            if len(cells) < j + n:
                continue
            parts = [re.sub(r"\s", "", c.text) for c in cells[j:j + n]]
            if parts[:2] == ["类", "款"]:
                code = ""
            elif all(p.isdigit() or not p for p in parts):
                # a spreadsheet prints 款 02 as the number 2: the leading zero is put back
                code = "".join(p.zfill(2) if k and p else p for k, p in enumerate(parts))
            else:
                code = " ".join(p for p in parts if p)
            first = cells[j]
            cells[j:j + n] = [type(first)(code, line=first.line, page=first.page, bbox=first.bbox)]
        new_rows.append(Row(cells, aligned=row.aligned, text=row.text))
    table.rows = new_rows


_LABEL_FIGURES = re.compile(r"^(?P<label>[^\d\s][^\d]*?)\s+(?P<figs>-?[\d,]+(?:\.\d+)?(?:\s+-?[\d,]+(?:\.\d+)?)*)$")


def _split_glued_figures(table: Table) -> None:
    """A row whose ruling was lost prints its label and first figures in one cell
    (`合计 156,211,123 156,211,123 | 0 | 0 | 0`): the cell is split, and a row left shorter than
    the table is aligned on the right, where its figures are."""
    if not table.body or not table.aligned or table.layout != "pdf":
        return      # a ruling lost or doubled is a PDF's; a text dump's empty cells are its columns
    width = max(len(r.cells) for r in table.rows)
    from collections import Counter
    first_page = table.body[0].page
    # the width the rows of the table's first page have; a later page may be ruled differently
    head_width = Counter(len(r.cells) for r in table.body if r.page == first_page).most_common(1)[0][0]
    out = []
    for row in table.body:
        if row.page != first_page and len(row.cells) > head_width and len(row.nonempty()) <= head_width:
            # a continuation page ruled one column wider: the empty cell between name and figures goes
            cells = list(row.cells)
            k = next((k for k, c in enumerate(cells) if is_amount(c.text) and re.search(r"[.,]\d", c.text)), len(cells))
            while len(cells) > head_width and k > 0 and not cells[k - 1].text.strip():
                del cells[k - 1]
                k -= 1
            row = Row(cells, aligned=True, text=row.text, margin=row.margin)
        elif row.page != first_page and len(row.cells) < head_width and row.cells and \
                is_amount(row.cells[-1].text) and re.search(r"[.,]\d", row.cells[-1].text) and \
                not any(_LABEL_FIGURES.match(c.text.strip()) for c in row.cells):
            # a continuation page ruled one column narrower: its figures still end the row
            c = row.cells[0]
            row = Row([type(c)("", c.line, c.page, None) for _ in range(head_width - len(row.cells))] + row.cells,
                      aligned=True, text=row.text, margin=row.margin)
        first = next((k for k, c in enumerate(row.cells) if c.text.strip()), None)
        m = _LABEL_FIGURES.match(row.cells[first].text.strip()) if first is not None else None
        if m is None or not re.search(r"[.,]\d", m.group("figs")) or \
                not all(is_amount(t) or not t.strip() for t in row.texts[first + 1:]):
            out.append(row)
            continue
        c = row.cells[first]
        cells = row.cells[:first] + [type(c)(m.group("label"), c.line, c.page, c.bbox)] + \
            [type(c)(f, c.line, c.page, c.bbox) for f in m.group("figs").split()] + row.cells[first + 1:]
        if len(cells) < width:
            cells = [type(c)("", c.line, c.page, None) for _ in range(width - len(cells))] + cells
        out.append(Row(cells, aligned=True, text=row.text, margin=row.margin))
    table.body = out
    table.rows = table.header + table.body


def _split_header(table: Table) -> None:
    for i, row in enumerate(table.rows):
        if is_data_row(row):
            table.header, table.body = table.rows[:i], table.rows[i:]
            # a header repeated at the top of the next page (no title between) is not a row
            keys = {_key(r) for r in table.header if _key(r)}
            if keys:
                table.body = [r for r in table.body if _key(r) not in keys]
                table.rows = table.header + table.body
            return
    table.header, table.body = table.rows, []


def _key(row: Row) -> str:
    return re.sub(r"\s+", "", row.raw)


def _header_key(table: Table) -> str:
    return "".join(_key(r) for r in table.header)


def _same_header(a: str, b: str) -> bool:
    """Equal headers, allowing a converter that cut the last header cell of one page short."""
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return bool(a and b) and n >= 0.85 * min(len(a), len(b)) and min(len(a), len(b)) >= 12


def rows_to_blocks(rows: list[Row], *, layout: str) -> list[Block]:
    blocks: list[Block] = []
    table: Table | None = None
    after_notes = False

    def close() -> None:
        nonlocal table, after_notes
        if table is not None:
            if layout == "cell-per-line":
                _rejoin_broken_rows(table)
            _merge_split_codes(table)
            _split_header(table)
            _split_glued_figures(table)
            _attach(blocks, table)
        table, after_notes = None, False

    def add_meta(text: str) -> None:
        table.meta.append(clean_text(text))
        u = unit_of(text)
        if u is not None and table.unit_mult is None:
            table.unit_mult = u

    def paragraph(text: str, row: Row) -> None:
        close()
        blocks.append(Paragraph(clean_text(text), line=row.line, page=row.page))

    for row in rows:
        text = single_text(row)
        lone = row.nonempty()
        if text is None and row.aligned and len(lone) == 1 and is_title(lone[0]):
            text = lone[0]          # a title printed in the first row of a ruled grid (spreadsheet exports)
        glued = split_glued_title(text) if text is not None and not is_title(text) else None
        if glued is not None:
            close()
            table = Table(title=clean_title(glued[0]), line=row.line, page=row.page, layout=layout)
            for m in glued[1]:
                add_meta(m)
            continue
        if text is not None and is_title(text):
            close()
            table = Table(title=clean_title(text), line=row.line, page=row.page, layout=layout)
            continue
        if table is None:
            if text is not None:
                paragraph(text, row)
            else:
                table = Table(title="", line=row.line, page=row.page, layout=layout)
                table.rows.append(row)
            continue
        meta_cells = [t for t in row.texts if t.strip()]
        if not table.rows and meta_cells and all(is_meta(t) for t in meta_cells):
            for t in meta_cells:
                add_meta(t)
            continue
        if text is not None and is_note(text):
            table.notes.append(clean_text(text))
            after_notes = True
            continue
        if text is not None and layout != "spaced" and (after_notes or len(text) > 40 or _is_prose(text, row)):
            paragraph(text, row)        # prose after the table (spaced dumps keep prose inside cells)
            continue
        if after_notes:
            close()
            table = Table(title="", line=row.line, page=row.page, layout=layout)
        if text is not None and not table.rows and layout != "spaced":
            if (len(clean_text(text)) <= 40 and not re.search(r"[。；]$", clean_text(text))) or unit_of(text) is not None:
                add_meta(text)          # a short line between title and header: a subtitle or meta
            else:
                paragraph(text, row)    # prose right under a "title": that title was a table of contents line
            continue
        table.rows.append(row)
    close()
    for i, t in enumerate(b for b in blocks if isinstance(b, Table)):
        t.index = i
    return blocks


def _attach(blocks: list[Block], table: Table) -> None:
    """Append a table, or merge it into the previous one when it is that table's next page."""
    prev = blocks[-1] if blocks else None
    if isinstance(prev, Table) and prev.title and prev.title == table.title and prev.header:
        # rows without figures at the top of a continuation page belong to its body
        key, acc = _header_key(prev), ""
        for i, r in enumerate(table.rows):
            acc += _key(r)
            if _same_header(acc, key) and (len(acc) >= len(key) or i + 1 == len(table.rows) or is_data_row(table.rows[i + 1])):
                table.header, table.body = table.rows[:i + 1], table.rows[i + 1:]
                break
    if (isinstance(prev, Table) and prev.title and prev.title == table.title
            and _same_header(_header_key(prev), _header_key(table)) and table.body):
        seen = {_key(r) for r in prev.body[:12]}
        body = list(table.body)
        while body and _key(body[0]) in seen:
            body.pop(0)
        prev.body.extend(body)
        prev.rows.extend(body)
        _split_glued_figures(prev)
        prev.notes.extend(n for n in table.notes if n not in prev.notes)
        prev.pages += 1
        return
    if not table.rows and not table.notes:
        # a title with nothing under it: a document title or a table of contents line
        blocks.append(Paragraph(table.title, line=table.line, page=table.page))
        blocks.extend(Paragraph(m, line=table.line, page=table.page) for m in table.meta)
        return
    blocks.append(table)
