"""Every number printed is accounted for: a fact, an explained skip, or reported unaccounted."""
from tests.conftest import extract_text

DOC = """沈阳市某某测试局2024年部门预算
一、部门收支总体情况
2024年收入预算总额为1,234.50万元，比上年减少56.95万元，下降1.87%。编制人数120人。
收支预算总表
单位：万元
项目\t预算数
收入总计\t1,234.50
支出总计\t1,234.50
一般公共预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
201\t一般公共服务支出\t1,234.50\t1,000.00\t234.50
20101\t人大事务\t1,234.50\t1,000.00\t234.50
2010101\t行政运行\t1,234.50\t1,000.00\t234.50
"""


def test_prose_figures_become_stated_facts():
    ex = extract_text(DOC)
    got = {(s.kind, s.subject, s.amount.printed, s.unit) for s in ex.statements}
    assert ("change", "收入预算总额比上年减少", "56.95", "元") in got
    assert ("rate", "收入预算总额下降", "1.87", "%") in got
    assert ("quantity", "编制人数", "120", "人") in got
    change = next(s for s in ex.statements if s.kind == "change")
    assert change.change.yuan == -569500       # 减少 is a negative change, in 元


def test_every_figure_is_accounted_for():
    f = extract_text(DOC).figures
    # prose: 2024 (year), 1,234.50, 56.95, 1.87, 120 (facts) and 2024 of the title (a year);
    # tables: 2 totals + 3 lines × 3 figures (facts) and the codes 201, 20101, 2010101
    assert f.printed == f.facts + f.explained_total + len(f.unaccounted)
    assert f.unaccounted == []
    assert f.explained["a year"] == 2
    assert f.explained["a classification or unit code"] == 3      # 201, 20101, 2010101
    assert (f.printed, f.facts) == (20, 4 + 2 + 9)


def test_a_figure_that_is_not_read_is_reported_with_its_page():
    ex = extract_text(DOC.replace("编制人数120人。", "另有设备价值3.5 之多。"))
    assert [u.figure for u in ex.figures.unaccounted] == ["3.5"]
