"""Word-exported PDF tables: white boxes painted behind each cell's text are no ruling, and a
table title wrapped over two lines is one title. Invented pages drawn with reportlab, and the
real pages that showed the faults (values read by hand from the rendered pages)."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from budgetkg.extract.readers.pdf import PdfSettings, page_rows
from tests.real_values import REAL

FONT = "STSong-Light"


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    return canvas.Canvas(buf, pagesize=(595, 842)), buf


def _word_table_pdf(white_boxes: bool) -> bytes:
    """Title wrapped over two lines, then a 3-column table ruled with thin black filled boxes (as
    Word exports it) and, optionally, a white filled box inset in every cell behind its text."""
    c, buf = _canvas()
    H = 842
    c.setFont(FONT, 16)
    c.drawString(90, H - 80, "一般公共预算“三公”经费、会议费、培训费支出预")
    c.drawString(90, H - 98, "算表")
    xs, top, rh = [90, 200, 400, 500], 130, 22
    rows = [("科目编码", "科目名称", "金额"), ("204", "公共安全支出", "16,444.36"),
            ("20404", "检察", "16,444.36"), ("2040401", "行政运行", "10,883.36"),
            ("2040402", "一般行政管理事务", "3,666.00"), ("2040405", "检察监督支出", "1895.00")]
    for i, row in enumerate(rows):
        y0 = top + i * rh
        for j, text in enumerate(row):
            if white_boxes:
                c.setFillColorRGB(1, 1, 1)
                c.rect(xs[j] + 5, H - (y0 + rh - 3), xs[j + 1] - xs[j] - 10, rh - 6, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            c.setFont(FONT, 9)
            c.drawString(xs[j] + 6, H - (y0 + 15), text)
    c.setFillColorRGB(0, 0, 0)
    bottom = top + len(rows) * rh
    for i in range(len(rows) + 1):          # horizontal rules: thin filled boxes
        c.rect(xs[0], H - (top + i * rh) - 0.5, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
    for x in xs:                            # vertical rules
        c.rect(x, H - bottom, 0.5, bottom - top, stroke=0, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _rows(data: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [r.texts for r in page_rows(pdf.pages[0], 1, PdfSettings())]


@pytest.mark.parametrize("white_boxes", [False, True])
def test_white_cell_boxes_are_no_ruling(white_boxes):
    rows = _rows(_word_table_pdf(white_boxes))
    body = [r for r in rows if len(r) > 1]
    assert body == [["科目编码", "科目名称", "金额"], ["204", "公共安全支出", "16,444.36"],
                    ["20404", "检察", "16,444.36"], ["2040401", "行政运行", "10,883.36"],
                    ["2040402", "一般行政管理事务", "3,666.00"], ["2040405", "检察监督支出", "1895.00"]]


def test_a_wrapped_title_is_one_line():
    rows = _rows(_word_table_pdf(True))
    assert rows[0] == ["一般公共预算“三公”经费、会议费、培训费支出预算表"]


def test_a_heading_and_a_title_below_it_stay_apart():
    c, buf = _canvas()
    c.setFont(FONT, 16)
    c.drawString(90, 760, "第二部分")
    c.drawString(90, 742, "收支预算总表")
    c.showPage()
    c.save()
    assert _rows(buf.getvalue()) == [["第二部分"], ["收支预算总表"]]


def _real_page(file: str, page: int) -> list[list[str]]:
    path = REAL / file
    if not path.exists():
        pytest.skip("corpus-real not beside the repository")
    with pdfplumber.open(path) as pdf:
        return [r.texts for r in page_rows(pdf.pages[page - 1], page, PdfSettings())]


def test_real_word_table_rows_whole():
    # 2018 省检察院 p15, 公开05表 财政拨款支出预算表 (read on the rendered page)
    rows = _real_page("ae86jack+open-budget/2018年省检察院部门预算公开.pdf", 15)
    i = rows.index(["功能科目代码", "功能科目名称", "金额"])
    assert rows[i + 1:i + 5] == [["", "合计", "21,940.96"], ["204", "公共安全支出", "16,444.36"],
                                 ["20404", "检察", "16,444.36"], ["2040401", "行政运行", "10,883.36"]]
    # p16, 公开06表: 301 on one row with its figure, 合计 13,979.92
    rows = _real_page("ae86jack+open-budget/2018年省检察院部门预算公开.pdf", 16)
    assert ["301", "工资福利支出", "10,204.52"] in rows
    assert ["合计", "", "13,979.92"] in rows
    assert ["2040405", "公诉、审判、侦查、执行等检察监督支出", "1895.00"] in rows
