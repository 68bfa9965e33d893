"""Department, division, year and kind come from the content of each document."""
import pytest


@pytest.mark.parametrize("doc, department, code, year, kind", [
    ("000", "沈阳市工业和信息化局", "210100", 2020, "预算"),
    ("001", "辽宁省沈阳市工业和信息化局", "210100", 2024, "决算"),
    ("002", "抚顺市工业和信息化局", "210400", 2025, "预算批复"),
    ("003", "科技和工信部门", "130303", 2023, "预算"),
])
def test_profile(extractions, doc, department, code, year, kind):
    p = extractions[doc].profile
    assert (p.department, p.division_code, p.year, p.kind) == (department, code, year, kind)


def test_units_listed(extractions):
    assert extractions["001"].profile.units == ["沈阳市工业和信息化局本级", "沈阳市先进制造业服务中心"]
    assert extractions["002"].profile.units == ["抚顺市工业和信息化局本级"]


@pytest.mark.parametrize("head, department, code, year, kind", [
    ("关于沈阳市财政局2023年部门决算的说明", "沈阳市财政局", "210100", 2023, "决算"),
    ("2023年度大连市教育局部门决算", "大连市教育局", "210200", 2023, "决算"),
    ("辽宁省工业和信息化厅\n2024年部门预算", "辽宁省工业和信息化厅", "210000", 2024, "预算"),
    ("鞍山市铁东区卫生健康局 2025 年单位预算批复", "鞍山市铁东区卫生健康局", "210302", 2025, "预算批复"),
])
def test_title_forms(head, department, code, year, kind):
    """Invented titles in the forms bureaus print: the profile comes from the content."""
    from budgetkg.extract.readers import read_bytes
    from budgetkg.extract.recognise import profile_of
    body = "\n一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n\t合计\t10.00\n201\t一般公共服务支出\t10.00\n"
    p = profile_of(read_bytes((head + "\n" + body).encode(), source="x.txt"))
    assert (p.department, p.division_code, p.year, p.kind) == (department, code, year, kind)
