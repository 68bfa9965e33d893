"""Each text layout of the corpus read into the document model."""
from budgetkg.extract.errors import BinaryFileError, EmptyFileError
from budgetkg.extract.readers import read_bytes, read_path
from tests.conftest import corpus_file


def _table(doc, title):
    return next(t for t in doc.tables if t.title == title)


def test_layouts_told_from_content():
    assert read_path(corpus_file("000")).layout == "tabbed"
    assert read_path(corpus_file("001")).layout == "tabbed"
    assert read_path(corpus_file("002")).layout == "spaced"
    assert read_path(corpus_file("003")).layout == "cell-per-line"


def test_table_repeated_per_page_becomes_one_table():
    doc = read_path(corpus_file("000"))
    t = _table(doc, "一般公共预算支出表")
    codes = [r.texts[0] for r in t.body]
    assert t.pages == 2
    assert codes[0] == "合计" and "2210203" in codes        # 合计 first, last row from page two
    assert codes.count("2210201") == 1                     # the repeated header is not a row


def test_continuation_page_rows_without_figures_stay_in_body():
    doc = read_path(corpus_file("002"))
    t = _table(doc, "项目支出预算表")
    assert t.pages == 2
    assert any("信访维稳经费" in r.raw for r in t.body)


def test_cell_per_line_rows_keep_empty_cells():
    doc = read_path(corpus_file("003"))
    t = _table(doc, "部门预算收支总表")
    row = next(r for r in t.body if "六、科学技术支出" in r.texts)
    assert row.texts == ["6", "六、事业单位经营收入", "", "六、科学技术支出", "317.61"]


def test_spaced_layout_joins_wrapped_cells():
    doc = read_path(corpus_file("002"))
    t = _table(doc, "项目支出预算表")
    assert any(r.raw == "市升规入库企业奖励资金" for r in t.body)


def test_empty_and_binary_files_refused(tmp_path):
    import pytest
    with pytest.raises(EmptyFileError):
        read_bytes(b"  \n", source="empty.txt")
    with pytest.raises(BinaryFileError):
        read_bytes(bytes(range(256)) * 4, source="blob.bin")
