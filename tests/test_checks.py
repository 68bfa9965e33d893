"""The graph checks itself: identities of the document family, and mutation tests that
change one printed cell of a real corpus table and expect exactly that row reported."""
from decimal import Decimal

from budgetkg.extract.pipeline import document_to_extraction
from budgetkg.extract.readers import read_bytes
from tests.conftest import corpus_file, extract_text


def extract_mutated(prefix: str, old: str, new: str):
    """The document with the first printing of `old` changed to `new` (one cell, one row)."""
    data = corpus_file(prefix).read_bytes()
    assert old.encode() in data
    return document_to_extraction(read_bytes(data.replace(old.encode(), new.encode(), 1), source="mutated.txt"))


def errors(ex):
    return [f for f in ex.findings if f.severity == "error"]


def test_untouched_corpus_has_no_errors(extractions):
    for prefix, ex in extractions.items():
        real = [f for f in errors(ex) if f.rule == "three-public-total-equals-parts"] if prefix == "001" else []
        assert [f for f in errors(ex) if f not in real] == [], prefix
        assert len(real) == (1 if prefix == "001" else 0)    # a real one, pinned below


def test_rounding_is_info(extractions):
    infos = [f for f in extractions["003"].findings if f.severity == "info"]
    assert infos and all(abs(f.difference) <= Decimal("100") for f in infos)   # 0.01 万元


def test_mutated_child_row_reported_with_both_values():
    # 2080501 行政单位离退休 875.59 → 885.59 in the budget's 一般公共预算支出表 (tabbed layout)
    ex = extract_mutated("000", "2080501\t行政单位离退休\t875.59\t875.59", "2080501\t行政单位离退休\t885.59\t875.59")
    errs = errors(ex)
    rows = {(f.rule, s.label, s.printed, s.prov.line) for f in errs for s in f.sides}
    hierarchy = [f for f in errs if f.rule == "parent-equals-children" and f.sides[0].label.startswith("20805")]
    assert len(hierarchy) == 1
    sides = {(s.label, s.printed) for s in hierarchy[0].sides}
    assert sides == {("20805 行政事业单位养老支出", "1,146.58"), ("2080501 行政单位离退休", "885.59"),
                     ("2080505 机关事业单位基本养老保险缴费支出", "271.00")}
    assert hierarchy[0].difference == Decimal("-100100")                    # 10.01 万元 in 元
    columns = [f for f in errs if f.rule == "total-equals-basic-plus-project"]
    assert [(s.label, s.printed) for s in columns[0].sides][:2] == [("2080501 行政单位离退休 2020年预算数/合计", "885.59"),
                                                                     ("basic", "875.59")]
    assert all(s.prov.line == 174 for s in columns[0].sides)
    assert {l for _, _, _, l in rows} >= {173, 174, 175}


def test_mutated_cell_per_line_total_reported():
    # 003's 收支总表: 支出总计 998.77 → 999.77 (one cell per line layout)
    ex = extract_mutated("003", "\t支出总计\n\t998.77", "\t支出总计\n\t999.77")
    errs = [f for f in errors(ex) if f.rule == "income-equals-expenditure"]
    assert len(errs) == 1
    assert [(s.label, s.printed) for s in errs[0].sides] == [("收入总计", "998.77"), ("支出总计", "999.77")]


def test_three_public_part_must_not_exceed_whole():
    # 30231 公务用车运行维护费 in the basic table raised above the “三公” vehicle figure
    ex = extract_mutated("002", "30231   公务用车运行维护费 5.80 5.80", "30231   公务用车运行维护费 9.80 9.80")
    errs = [f for f in errors(ex) if f.rule == "economic-line-within-three-public"]
    assert errs and errs[0].sides[1].printed == "9.80" and errs[0].sides[0].printed == "5.80"


def test_missing_table_is_a_warning(extractions):
    from budgetkg.extract.checks import check_completeness
    ex = extractions["001"]
    tables = [t for t in ex.tables if t.kind != "three-public"]
    got = check_completeness(ex.profile.kind, tables)
    assert [f.message for f in got] == ["no “三公”经费支出决算表 found in this 决算 document"]


def test_statement_against_table():
    # 001's explanation: "1.基本支出 9145.70 万元" while its 支出决算表 合计 prints 9,145.70
    ex = extract_mutated("001", "1.基本支出 9145.70 万元", "1.基本支出 9154.70 万元")
    errs = [f for f in errors(ex) if f.rule == "statement-equals-table"]
    assert len(errs) == 1
    assert [(s.label, s.printed) for s in errs[0].sides] == [("text: 基本支出", "9154.70"), ("table: 支出决算表 合计", "9,145.70")]
    assert errs[0].sides[0].prov.line == 148


def test_statement_comparison_must_hold():
    text = ("大连市数字经济促进局\n2024 年度部门决算\n\n"
            "一般公共预算财政拨款支出决算表\n单位：万元\n功能分类科目编码\t科目名称\t合计\n\t合计\t90.00\n215\t资源勘探工业信息等支出\t90.00\n\n"
            "1、资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款）中小企业发展专项（项）。年初预算为 100.00 万元，"
            "支出决算为 90.00 万元。决算数大于预算数的主要原因：项目追加。\n")
    ex = extract_text(text, "stated.txt")
    st = [s for s in ex.statements if s.kind == "subject"][0]
    assert (st.amount.value, st.budget.value, st.comparison) == (Decimal("90.00"), Decimal("100.00"), "大于")
    errs = [f for f in errors(ex) if f.rule == "statement-comparison-holds"]
    assert len(errs) == 1 and "决算数大于预算数" in errs[0].message


def test_statements_of_the_corpus(extractions):
    st = {(s.kind, s.subject): s for s in extractions["000"].statements}
    assert st[("three-public", "“三公”经费")].amount.value == Decimal("122.85")
    assert st[("office-running", "机关运行经费")].change.value == Decimal("-18.97")
    assert st[("procurement", "政府采购")].amount.value == Decimal("400")
    subj = [s for s in extractions["001"].statements if s.kind == "subject" and s.subject.endswith("中小企业发展专项")]
    assert subj[0].amount.value == Decimal("38.74") and "专精特新" in subj[0].reason


def test_shacl_reports_a_malformed_graph(extractions):
    from budgetkg.extract.to_rdf import extraction_to_quads
    from budgetkg.graph.validate import violations
    quads = extraction_to_quads(extractions["003"])
    assert violations(quads) == []
    amount = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
    victim = next(q.subject for q in quads if q.predicate.value == amount)
    broken = [q for q in quads if not (q.subject == victim and q.predicate.value == amount)]
    found = violations(broken)
    assert len(found) == 1 and victim.value in found[0] and amount in found[0]


def test_a_statement_has_exactly_one_of_amount_and_stated_value(extractions):
    """Money has its amount in 元, a rate or a count its stated value: a statement with neither,
    or with both (even the same value twice), is reported; each one as emitted is not."""
    import pyoxigraph as ox
    from budgetkg.extract.to_rdf import extraction_to_quads
    from budgetkg.graph.validate import shapes, violations
    quads = extraction_to_quads(extractions["000"])
    amount = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
    stated = "https://w3id.org/budgetkg/ontology#statedValue"
    kinds = {q.subject for q in quads if q.predicate.value == "https://w3id.org/budgetkg/ontology#statementKind"}
    money = next(q for q in quads if q.predicate.value == amount and q.subject in kinds)
    assert violations(quads) == []
    neither = [q for q in quads if q != money]
    same_twice = quads + [ox.Quad(money.subject, ox.NamedNode(stated), money.object, money.graph_name)]
    for broken, message in ((neither, "Less than 1 values"), (same_twice, "bkg:statedValue ==")):
        found = violations(broken, limit=1000)
        assert found and all(line.startswith(money.subject.value) for line in found), found
        assert any(message in line for line in found)
        assert sorted(found) == sorted(violations(broken, limit=1000, shacl=shapes()))
    # the same value on both paths is one value over both: sh:disjoint is what reports it
    assert [line for line in violations(same_twice, limit=1000)
            if line.startswith(f"{money.subject.value} {amount} {money.object.value}: ") and "statedValue" in line]


def test_shapes_as_validated_report_what_the_shapes_as_written_report(extractions):
    """The build validates against `checked_shapes()` (property shapes carrying their node
    shape's targets, for speed) the quads those shapes can see (`seen_by_shapes`: under half of
    a document's): on a graph broken in eight ways it reports the very results the shapes file
    as written gives on every quad — same focus node, path, value and message."""
    import pyoxigraph as ox
    from budgetkg.extract.to_rdf import extraction_to_quads
    from budgetkg.graph.validate import shapes, violations
    quads = extraction_to_quads(extractions["001"])
    amount = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
    stated = "https://w3id.org/budgetkg/ontology#statedValue"
    notation = "http://www.w3.org/2004/02/skos/core#notation"
    index = "https://w3id.org/budgetkg/ontology#tableIndex"
    sha = "https://w3id.org/budgetkg/ontology#sha256"
    kind = "https://w3id.org/budgetkg/ontology#statementKind"
    typed = {q.subject for q in quads if q.object.value == "http://purl.org/linked-data/cube#Observation"}
    observations = [q for q in quads if q.predicate.value == amount and q.subject in typed]
    statement = next(q for q in quads if q.predicate.value == kind)
    classified = {q.object for q in quads if q.predicate.value.endswith("functionalClassification")}
    first = {p: next(q for q in quads if q.predicate.value == p and (p != notation or q.subject in classified))
             for p in (notation, index, sha)}
    dec = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    broken = [q for q in quads if q not in (observations[0], first[sha], first[notation], first[index],
                                            statement)]
    broken += [
        ox.Quad(observations[1].subject, observations[1].predicate, ox.Literal("7", datatype=dec),
                observations[1].graph_name),                                    # two amounts
        ox.Quad(first[notation].subject, first[notation].predicate, ox.Literal("X9"), first[notation].graph_name),
        ox.Quad(first[index].subject, first[index].predicate, ox.Literal("3"), first[index].graph_name),
        ox.Quad(first[sha].subject, first[sha].predicate, ox.Literal("not a digest"), first[sha].graph_name),
        ox.Quad(statement.subject, statement.predicate, ox.Literal("gift"), statement.graph_name),
        ox.Quad(statement.subject, ox.NamedNode(stated), ox.Literal("1", datatype=dec), statement.graph_name),
    ]
    as_validated = violations(broken, limit=1000)
    as_written = violations(broken, limit=1000, shacl=shapes())
    assert sorted(as_validated) == sorted(as_written)
    # each breakage is reported (an amount missing; two amounts; notation, index, digest, kind)
    for victim, path in ((observations[0].subject, amount), (observations[1].subject, amount),
                         (first[notation].subject, notation), (first[index].subject, index),
                         (first[sha].subject, sha), (statement.subject, kind)):
        assert any(line.startswith(f"{victim.value} {path}") for line in as_validated), (victim, path)
    # a statement with an amount and a stated value has two values where it must have exactly one
    assert any(line.startswith(f"{statement.subject.value} {amount}|{stated}: More than 1 values")
               for line in as_validated)


def test_project_table_total_against_target_table_in_yuan(extractions):
    f = next(f for f in extractions["000"].findings if f.rule == "project-table-equals-target-table")
    # 30,444.17 万元 against 304,441,704.00 元: 4 元 apart, within the rounding of the 万元 print
    assert (f.severity, f.difference) == ("info", Decimal("-4.00"))


def test_totals_table_class_lines_against_expenditure_table(extractions):
    f = next(f for f in extractions["001"].findings if f.rule == "totals-table-class-equals-expenditure-table")
    assert [s.printed for s in f.sides] == ["48,674.49", "48,674.50"] and f.severity == "info"


def test_budget_and_final_columns_do_not_sum_together():
    """A 决算 table printing 年初预算数 beside 决算数 (each with 基本/项目): each phase adds up on its own."""
    text = ("大连市数字经济促进局\n2024 年度部门决算\n\n一般公共预算财政拨款支出决算表\n单位：万元\n"
            "科目编码\t科目名称\t年初预算数\t\t\t决算数\t\t\n"
            "\t\t合计\t基本支出\t项目支出\t合计\t基本支出\t项目支出\n"
            "\t合计\t100.00\t40.00\t60.00\t90.00\t40.00\t50.00\n"
            "215\t资源勘探工业信息等支出\t100.00\t40.00\t60.00\t90.00\t40.00\t50.00\n")
    ex = extract_text(text, "phases.txt")
    got = {(r.code, r.column.label, r.column.phase): r.amount.value for r in ex.records
           if hasattr(r, "column") and hasattr(r, "code")}
    assert got[("215", "年初预算数/项目支出", "approved")] == Decimal("60.00")
    assert got[("215", "决算数/项目支出", "executed")] == Decimal("50.00")
    assert errors(ex) == []


def test_subject_statement_against_its_line():
    # 001: "…支持中小企业发展和管理支出 (款) 中小企业发展专项 (项) 38.74 万元" — the table prints 38.74
    ex = extract_mutated("001", "中小企业发展专项 (项) 38.74 万元", "中小企业发展专项 (项) 83.74 万元")
    errs = [f for f in errors(ex) if f.rule == "statement-equals-table"]
    assert len(errs) == 1
    assert [s.printed for s in errs[0].sides] == ["83.74", "38.74"]
    assert errs[0].sides[1].label == "table: 一般公共预算财政拨款支出决算表 2150805"


def test_stated_totals_are_not_tails_of_longer_names(extractions):
    # 003: "2023年预算收入为998.77万元，其中：一般公共预算收入998.77万元，基金预算收入0万元" — one 预算收入
    st = [(s.subject, s.amount.value) for s in extractions["003"].statements if s.kind == "total"]
    assert ("预算收入", Decimal("998.77")) in st and ("预算收入", Decimal("0")) not in st
    assert not [f for f in extractions["003"].findings if f.rule == "statement-equals-table"]


# ---------------------------------------------------------------- the reviewer's rules (issue 9)
# One mutation of a real document per family: exactly one new finding, naming the change, with
# both sides and where the text printed it.

def _new(before, after):
    key = lambda f: (f.rule, f.message)
    old = {key(f) for f in before.findings if f.severity != "info"}
    return [f for f in after.findings if f.severity != "info" and key(f) not in old]


def test_real_three_public_parts_do_not_add_up(extractions):
    # 001's 财政拨款“三公”经费支出决算表 (line 2544): 预算数 合计 86.35 against 75.15 + 0.20 + 10.00
    errs = [f for f in errors(extractions["001"]) if f.rule == "three-public-total-equals-parts"]
    assert len(errs) == 1 and errs[0].difference == Decimal("10000")
    assert [(s.printed, s.prov.line) for s in errs[0].sides] == [("86.35", 2544), ("75.15", 2545), ("0.20", 2546),
                                                                 ("10.00", 2547)]


def test_mutated_placeholder_name(extractions):
    ex = extract_mutated("001", "部门：辽宁省沈阳市工业和信息化局", "部门：XX局")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["template-placeholder"]
    assert new[0].sides[0].printed == "部门：XX局"      # the meta line of 收入决算表 (line 2196)
    assert (new[0].sides[0].prov.table_title, new[0].sides[0].prov.line) == ("收入决算表", 2196)
    assert new[0].sides[1].printed == extractions["001"].profile.department


def test_mutated_as_of_year(extractions):
    ex = extract_mutated("001", "截至 2024 年 12 月 31 日", "截至 2023 年 12 月 31 日")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["as-of-date-matches-year"]
    assert [(s.printed, s.value) for s in new[0].sides] == [("截至2023年12月31日", 2023), ("2024年决算", 2024)]
    assert new[0].sides[0].prov.line == 284


def test_mutated_part_heading_year(extractions):
    ex = extract_mutated("001", "## 第四部分 2024 年度部门决算表", "## 第四部分 2023 年度部门决算表")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["heading-year-matches-document"]
    assert new[0].sides[0].printed == "第四部分2023年度部门决算表" and new[0].sides[0].prov.line == 2153


def test_mutated_comparison_word(extractions):
    # 公务用车购置及运行费: 完成预算的 100.00% — “持平” holds, “大于” does not
    ex = extract_mutated("001", "完成预算的 100.00%，决算数持平预算数", "完成预算的 100.00%，决算数大于预算数")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["statement-comparison-holds"]
    assert [s.printed for s in new[0].sides] == ["100.00", "100"] and new[0].sides[0].prov.line == 264


def test_mutated_change_rate(extractions):
    # 财政拨款支出 65669.54 万元 … 与上年相比减少 47455.73 万元，降低 41.95% (47455.73 ÷ 113125.27)
    ex = extract_mutated("001", "财政拨款支出减少 47455.73 万元，降低 41.95", "财政拨款支出减少 47455.73 万元，降低 45.95")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["stated-change-rate-matches-figures"]
    assert [s.printed for s in new[0].sides] == ["65669.54", "47455.73", "45.95"]
    assert new[0].sides[0].prov.line == 170 and new[0].severity == "error"


def test_mutated_toc_entry(extractions):
    ex = extract_mutated("001", "八、国有资本经营预算财政拨款支出决算表", "八、政府采购支出决算表")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["toc-table-present"]
    assert new[0].sides[0].printed == "政府采购支出决算表"


def test_mutated_three_public_part(extractions):
    ex = extract_mutated("001", "2、公务接待费\t0.20\t0", "2、公务接待费\t0.20\t1.00")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["three-public-total-equals-parts"]
    assert [s.printed for s in new[0].sides] == ["10.00", "0", "1.00", "10.00"]


def test_doubled_punctuation_is_info(extractions):
    ex = extract_mutated("001", "主要原因是其他交通费增加。", "主要原因是其他交通费增加。。")
    assert _new(extractions["001"], ex) == []
    assert any(f.rule == "text-doubled-punctuation" and "。。" in f.message for f in ex.findings)


def test_blank_three_public_budget_cell_and_unit_slip():
    text = ("大连市数字经济促进局\n2024 年度部门决算\n\n财政拨款“三公”经费支出决算表\n单位：万元\n"
            "项 目\t预算数\t决算数\n合 计\t\t10.00\n1、因公出国（境）费\t\t0\n2、公务接待费\t\t0\n"
            "3、公务用车购置及运行费\t\t10.00\n\n"
            "2024 年度“三公”经费财政拨款支出年初预算为 12.00 万元，支出决算为 10.00 万元，完成年初预算的 83.33%，"
            "决算数小于预算数的主要原因是厉行节约。公务用车购置及运行费 10.00 元。\n")
    ex = extract_text(text, "blank.txt")
    got = {f.rule: f for f in errors(ex)}
    assert set(got) == {"statement-cell-blank", "statement-unit-matches-table"}
    assert [s.printed for s in got["statement-cell-blank"].sides] == ["12.00", "(blank)"]
    assert [s.printed for s in got["statement-unit-matches-table"].sides] == ["10.00 元", "10.00 万元"]


def test_text_rules_on_invented_sentences():
    from budgetkg.extract.rules_text import check_changes, check_verdicts
    from budgetkg.extract.model import Paragraph
    p = Paragraph("", line=7, page=3)
    f = check_verdicts("年初预算为 100.00 万元，支出决算为 90.00 万元，完成年初预算的 95.00%，决算数小于预算数。", p)
    assert [x.rule for x in f] == ["stated-rate-matches-figures"] and f[0].sides[0].prov.page == 3
    f = check_changes("2024 年支出 110.00 万元，比上年 100.00 万元减少 10.00 万元。", p, 2024)
    assert [x.rule for x in f] == ["stated-change-matches-figures"]
    f = check_changes("2024 年支出 110.00 万元，比上年增加 10.00 万元，增长 10.00%。", p, 2024)
    assert [x.rule for x in f] == []


def test_mutated_carry_over(extractions):
    # 001's 收入支出决算总表 (line 2188): 年末结转和结余 printed blank (0) → 100.00 while both 本年 合计
    # and 总计 stay 65,669.54: 本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余 fails by 100.00 万元
    ex = extract_mutated("001", "年末结转和结余\t60\t", "年末结转和结余\t60\t100.00")
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["carry-over-identity"] and new[0].severity == "error"
    assert [(s.label, s.printed, s.prov.line) for s in new[0].sides] == [
        ("本年收入合计", "65,669.54", 2186), ("本年支出合计", "65,669.54", 2186), ("年末结转和结余", "100.00", 2188)]
    assert new[0].difference == Decimal("-1000000")


def test_mutated_office_running_above_office_expenditure(extractions):
    # 001 p? line 276: “2024 年机关运行经费支出 609.11 万元 … 比上年增加 1.32 万元，增长 0.22%”; its
    # 一般公共预算财政拨款基本支出决算表 prints 公用经费 302 商品和服务支出 722.08 (line 2449). 909.11 (and the
    # rate that follows, 0.15%) is above it: a warning, the identity being one of parts.
    data = corpus_file("001").read_bytes()
    data = data.replace("机关运行经费支出 609.11 万元".encode(), "机关运行经费支出 909.11 万元".encode(), 1)
    data = data.replace("增加 1.32 万元，增长 0.22%".encode(), "增加 1.32 万元，增长 0.15%".encode(), 1)
    ex = document_to_extraction(read_bytes(data, source="mutated.txt"))
    new = _new(extractions["001"], ex)
    assert [f.rule for f in new] == ["office-running-within-office-expenditure"] and new[0].severity == "warning"
    assert [(s.printed, s.prov.line) for s in new[0].sides] == [("722.08", 2449), ("909.11", 276)]
    assert not [f for f in extractions["001"].findings if f.rule == "office-running-within-office-expenditure"]
    assert not [f for f in extractions["000"].findings if f.rule == "office-running-within-office-expenditure"]


def test_office_running_within_office_expenditure_invented():
    text = ("大连市数字经济促进局\n2024 年部门预算\n\n一般公共预算基本支出表\n单位：万元\n"
            "科目编码\t科目名称\t合计\t人员经费\t公用经费\n\t合计\t100.00\t80.00\t20.00\n"
            "301\t工资福利支出\t80.00\t80.00\t\n302\t商品和服务支出\t20.00\t\t20.00\n\n"
            "2024 年机关运行经费财政拨款预算 25.00 万元，比上年增加 5.00 万元。\n")
    got = [f for f in extract_text(text, "office.txt").findings if f.rule == "office-running-within-office-expenditure"]
    assert [(f.severity, [s.printed for s in f.sides]) for f in got] == [("warning", ["20.00", "25.00"])]


def test_the_triples_validated_follow_from_the_shapes():
    """What SHACL sees of a document is read from the shapes: an observation's raw row (a path
    of its shape) is validated, a performance indicator's target value (no shape's) is not; a
    shape that looks past its focus nodes (sh:node) makes the filter fall back to predicates."""
    import rdflib
    from budgetkg.graph.validate import checked_shapes, plan_of
    plan = plan_of(checked_shapes())
    bkg = "https://w3id.org/budgetkg/ontology#"
    assert f"{bkg}rawRow" in plan.by_class["http://purl.org/linked-data/cube#Observation"]
    assert not any(f"{bkg}targetValue" in paths for paths in plan.by_class.values())
    assert "http://www.w3.org/2004/02/skos/core#Concept" in plan.classes        # an sh:class value
    nested = rdflib.Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:B ] .
        ex:B a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .""")
    assert plan_of(nested) is None
    # alternatives of predicates are each followed, and sh:disjoint's predicate is seen with its
    # focus node; a sequence path reaches other nodes' triples, so the filter falls back
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
    paired = rdflib.Graph().parse(format="turtle", data=prefixes + """
        ex:A a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:maxCount 1 ] ;
            sh:property [ sh:path ex:r ; sh:disjoint ex:s ] .""")
    assert plan_of(paired).by_class == {"http://example.org/C": frozenset(
        f"http://example.org/{p}" for p in "pqrs")}
    sequence = rdflib.Graph().parse(format="turtle", data=prefixes + """
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .""")
    assert plan_of(sequence) is None
