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
