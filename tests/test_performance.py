"""绩效 tables of every corpus layout: indicators read by hand from the documents."""
from decimal import Decimal

from budgetkg.extract.model import Indicator, PerformanceProject
from budgetkg.extract.tables.performance import embedded_target, split_value
from tests.test_queries import answer


def indicators(ex, project):
    return {i.name: i for i in ex.records if isinstance(i, Indicator) and i.project == project}


def project(ex, name):
    return next(p for p in ex.records if isinstance(p, PerformanceProject) and p.name == name)


def test_value_forms():
    assert split_value("≥95%") == ("≥", Decimal("95"), "%")
    assert split_value("≤0.27次/100吨") == ("≤", Decimal("0.27"), "次/100吨")
    assert split_value("是/否") == (None, None, None)
    assert embedded_target("企业满意度达95%以上") == ("≥", Decimal("95"), "%")
    assert embedded_target("机关干部满意度90%以上") == ("≥", Decimal("90"), "%")


def test_self_evaluation_tabbed(extractions):
    ex = extractions["001"]
    p = project(ex, "电力设施保护工作经费")
    assert (p.kind, p.budget.value, p.executed.value, p.rate, p.score) == \
        ("self-evaluation", Decimal("7.56"), Decimal("7.46"), "98.68%", "99.87")
    ind = indicators(ex, "电力设施保护工作经费")
    i = ind["用户平均停电时长"]
    assert (i.level1, i.level2, i.operator, i.target_value, i.unit, i.actual, i.degree, i.weight, i.score) == \
        ("产出指标", "数量指标", "≤", Decimal("9.62"), "小时", "9.62", "100%", Decimal("8.3"), Decimal("8.3"))
    # a row printed one cell to the left keeps its levels
    i = ind["人民群众满意度"]
    assert (i.level1, i.level2, i.operator, i.target_value, i.unit) == ("满意度指标", "服务对象满意度", "≥", Decimal("100"), "%")
    i = ind["依法保护电力设施"]     # qualitative: no operator, printed target kept
    assert (i.operator, i.target, i.target_value) == (None, "保护设施", None)


def test_department_self_evaluation_with_reason(extractions):
    ind = indicators(extractions["001"], "沈阳市先进制造业服务中心")
    i = ind["依法行政能力"]
    assert (i.degree, i.weight, i.score) == ("0.6", Decimal("3.3"), Decimal("1.98"))
    assert i.reason.startswith("中心主要职责为围绕贯彻国家和省、市先进制造业发展战略")


def test_targets_spaced_layout_with_wrapped_names(extractions):
    ind = indicators(extractions["002"], "抚顺市工业和信息化局本级")
    i = ind["政府采购管理违法违规行为发生次数"]
    assert (i.level1, i.level2, i.operator, i.target_value, i.unit, i.deadline) == \
        ("管理效率", "业务管理", "≤", Decimal("0"), "次", "2025-12")
    i = ind["有利于促进社会公平、正义"]
    assert (i.level1, i.level2, i.target, i.operator) == ("社会效应", "政治效益", "稳定", None)


def test_targets_cell_per_line(extractions):
    ind = indicators(extractions["003"], "车辆保险费")
    i = ind["使用对象满意率"]
    assert (i.level1, i.level2, i.operator, i.target_value, i.unit) == ("满意度指标", "服务对象满意度指标", "≥", Decimal("95"), "%")
    assert ind["单位管理车辆数量"].target == "1辆"


def test_wide_target_table_in_yuan(extractions):
    ex = extractions["000"]
    p = project(ex, "法律顾问经费")
    assert p.budget.yuan == Decimal("50000.00")          # printed in 元
    assert "1个律师事务所" in indicators(ex, "法律顾问经费")


def test_satisfaction_question(store):
    rows = answer(store, "satisfaction", threshold="95")
    got = {(r["department"], r["project"], r["indicator"]) for r in rows}
    assert ("山海关区科技和工信部门", "车辆保险费", "使用对象满意率") in got
    assert all(r["threshold"] == "95" for r in rows)
    assert not any(r["indicator"] == "机关干部满意度90%以上" for r in rows)   # 90 < 95


def test_indicators_join_the_project_of_the_project_table(store):
    from budgetkg.graph.queries import run
    q = """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?desc ?n WHERE { ?p a bkg:Project ; rdfs:label "精益管理咨询补贴项目"@zh ; bkg:description ?desc ;
      bkg:performance ?r . ?r bkg:indicator ?i . ?i rdfs:label ?n }"""
    rows = list(run(store, q))
    assert rows and all(r["desc"].value.startswith("按照企业规模给予不同额度的补贴") for r in rows)
