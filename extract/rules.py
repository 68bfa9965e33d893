"""Every rule a 财政 reviewer applies to one document, beyond the reconciliation of `checks`:
the prose (`rules_text`) and the tables as a set and against the text (`rules_tables`).
`RULES` names each rule's family and says in plain Chinese what it holds."""
from __future__ import annotations

from .checks import Finding, check_completeness
from .model import Document, Record
from .recognise import profile_of
from .rules_tables import (check_carry_over, check_office_running, check_three_public_budget_stated,
                           check_three_public_parts, check_toc, check_unit_slips)
from .rules_text import check_changes, check_placeholders, check_quality, check_verdicts, check_years

FAMILIES = {
    "placeholders": "模板占位与空白",
    "years": "日期与年度",
    "text-vs-tables": "文字与表格",
    "comparisons": "比较用语与增减",
    "completeness": "完整性",
    "tables": "表内与表间勾稽",
    "quality": "文字质量",
    "across": "跨文件核对",
}

# rule → (family, what it holds, in the words a reviewer uses)
RULES = {
    "template-placeholder": ("placeholders", "不应留有模板占位符（XX、×××、某某）"),
    "template-blank-figure": ("placeholders", "不应留有空白数字（“为 万元”）"),
    "blank-template": ("placeholders", "空白模板：未填报数据，仅作描述"),
    "heading-year-matches-document": ("years", "标题中的年度应与文件年度一致"),
    "as-of-date-matches-year": ("years", "“截至”日期应与文件年度一致"),
    "compared-year-is-previous": ("years", "“与上年相比”应与上一年度比较"),
    "statement-equals-table": ("text-vs-tables", "文字说明中的金额应与表格一致"),
    "statement-cell-blank": ("text-vs-tables", "文字说明了金额，表格对应单元格却为空"),
    "statement-unit-matches-table": ("text-vs-tables", "金额单位应一致（万元与元）"),
    "statement-comparison-holds": ("comparisons", "“大于/小于/等于/持平”应与所述数字相符"),
    "stated-rate-matches-figures": ("comparisons", "“完成预算的X%”应等于决算数÷预算数"),
    "stated-change-matches-figures": ("comparisons", "“增加/减少”及其金额应与两年数字相符"),
    "stated-change-rate-matches-figures": ("comparisons", "增减率应等于增减额÷上年数"),
    "required-table-present": ("completeness", "公开表格应齐全"),
    "table-present-not-read": ("completeness", "表格已印出（标题可见），但未能读出（信息）"),
    "toc-table-present": ("completeness", "目录所列表格应在文中出现（或说明为空表）"),
    "parent-equals-children": ("tables", "上级科目应等于下级科目之和"),
    "total-equals-classes": ("tables", "合计应等于各类之和"),
    "total-equals-basic-plus-project": ("tables", "合计应等于基本支出加项目支出"),
    "basic-equals-personnel-plus-office": ("tables", "基本支出应等于人员经费加公用经费"),
    "column-breakdown-sum": ("tables", "合计列应等于各分列之和"),
    "income-equals-expenditure": ("tables", "收入总计应等于支出总计"),
    "office-running-within-office-expenditure": ("tables", "机关运行经费不应超过基本支出中的公用经费"),
    "carry-over-identity": ("tables", "年初结转和结余＋本年收入＝本年支出＋年末结转和结余"),
    "fund-table-within-all-funds": ("tables", "分资金表的金额不应超过全口径支出表"),
    "economic-line-within-three-public": ("tables", "经济分类中的三公科目不应超过“三公”经费"),
    "three-public-total-equals-parts": ("tables", "“三公”经费合计应等于三项之和"),
    "three-public-vehicle-equals-parts": ("tables", "公务用车购置及运行费应等于购置费加运行费"),
    "project-table-equals-target-table": ("tables", "项目支出表合计应与绩效目标表合计一致"),
    "totals-table-class-equals-expenditure-table": ("tables", "收支总表各类支出应与支出表一致"),
    "totals-table-class-within-expenditure-table": ("tables", "财政拨款收支总表各类支出不应超过支出表"),
    "final-budget-equals-budget-document": ("across", "决算中的年初预算数应与同年度预算文件一致"),
    "final-budget-lines-equal-budget-document": ("across", "决算中各功能科目、合计与总计的年初预算数应与同年度预算文件一致"),
    "year-on-year-change": ("across", "同一部门“三公”经费与支出合计的年度变化（信息）"),
    "text-doubled-punctuation": ("quality", "标点重复"),
    "text-doubled-word": ("quality", "词语重复"),
    "text-duplicated-paragraph": ("quality", "段落重复"),
}


def rule_family(rule: str) -> str:
    return RULES.get(rule, ("tables", ""))[0] if rule in RULES else (
        "tables" if "-equals-" in rule or "-plus-" in rule else "other")


def rule_words(rule: str) -> str:
    return RULES[rule][1] if rule in RULES else rule


def check_document(doc: Document, records: list[Record], stated: list, *, kind: str | None,
                   year: int | None) -> list[Finding]:
    from .statements import sentences
    said = sentences(doc)
    profile = profile_of(doc)
    out = check_placeholders(doc, profile.department) + check_years(doc, year, kind)
    for text, para in said:
        out += check_verdicts(text, para) + check_changes(text, para, year)
    out += check_completeness(kind, doc.tables, doc) + check_three_public_parts(records) + check_toc(doc)
    out += check_three_public_budget_stated(said, records, doc.tables, kind, year)
    out += check_unit_slips(said, records) + check_quality(said)
    out += check_office_running(stated, records, kind) + check_carry_over(records, kind)
    return out
