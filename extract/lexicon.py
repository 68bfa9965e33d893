"""The words of Chinese budget documents, as data.

Every Chinese word a table interpreter (extract/tables/*.py) looks for lives here,
grouped by concept: a new phrasing found in a real document is one line in this
module, not a literal hunted through the interpreters (tests/test_lexicon.py keeps
it that way). Plain data only: tuples and dicts of words, frozen dataclasses, and
the compiled patterns built from those words. Order inside a tuple is meaningful
where a docstring says so (first match wins, or the printed order of a template).
"""
from __future__ import annotations

import re
from dataclasses import dataclass


def any_of(words, *, whole: bool = False, start: bool = False, end: bool = False) -> re.Pattern:
    """A pattern matching any of `words` (alternatives tried in the given order):
    anywhere, as the whole text, at its start or at its end."""
    alt = "|".join(re.escape(w) for w in words)
    if whole:
        return re.compile(f"^({alt})$")
    if start:
        return re.compile(f"^({alt})")
    if end:
        return re.compile(f"({alt})$")
    return re.compile(alt)


# ------------------------------------------------------------------ totals

GRAND_TOTAL_WORDS = ("合计", "总计")
"""A row or column that closes a table (or one of its groups)."""
SUBTOTAL = "小计"
TOTAL = "合计"            # the column every sum is tied to; the row closing a group ("人员经费合计")
GRAND_TOTAL = "总计"      # the first column of a 收支/收入 table
TOTAL_WORDS = ("合计", "小计", "总计")
"""Any total: of a table, a group of columns or a group of rows."""
GRAND_TOTAL_RE = any_of(GRAND_TOTAL_WORDS)
"""Searched: a total label; with .fullmatch: a cell that is nothing but a total."""
GROUP_TOTAL_ROW = re.compile(r"^(.+?)" + TOTAL + "$")          # "人员经费合计": the group the row closes

# ------------------------------------------------------------------ measures (what a column's figures are)

MEASURES = {
    "人员经费": "personnel",
    "公用经费": "office",
    "基本支出": "basic",
    "项目支出": "project",
}
"""Column header word → measure; the first word found in the header leaf wins."""
MEASURE_WORD = {m: w for w, m in MEASURES.items()}
GROUP_MEASURES = ("basic", "project")
"""Measures whose heading spans a group: a 小计/合计 leaf under it is the group's figure."""
GROUP_TOTAL_LEAVES = ("小计", "合计")
AMOUNT = "金额"           # the generic money column
VALUE = "价值"            # a money column of an asset table
TOTAL_COLUMN = re.compile(r"(合计|小计|总计|金额|预算数|决算数|执行数)$")
"""A header leaf naming a total figure (measure "total")."""
TOTAL_COLUMN_PATH = re.compile(r"预算数$|决算数$")

# ------------------------------------------------------------------ phases (approved or executed)

EXECUTED_MARKS = ("决算", "执行数")
"""A header with any of these speaks of executed figures."""
BUDGET = "预算"
FINAL_ACCOUNT = "决算"
APPROVED_MARKS = ("预算数", "年初", "调整")
"""With 预算 in the header, any of these makes the column the approved budget."""
PHASE_COLUMNS = ("年初预算数", "调整预算数", "全年预算数", "决算数")
"""The phase columns of a 决算 table, in the order the templates print them."""
EXECUTED_COLUMN = "决算数"
EXECUTED_FIGURE = "执行数"
RATE_COLUMN = re.compile(r"完成率|执行率|完成比例")
"""A rate column (完成率 96.85%), not an amount."""
YEAR_PHASE = re.compile(r"(20\d\d)\s*年?\s*(?:预算|决算)")
"""The year of a column group: "2023年预算数"."""
PREVIOUS_YEAR = re.compile(r"上年|上一年|去年")
YEAR_SUFFIX = "年"        # "2023年/合计": a column label of one year's group

# ------------------------------------------------------------------ fund sources

FUND_SOURCES = ("一般公共预算", "政府性基金", "国有资本经营", "财政专户", "单位资金", "事业收入",
                "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入")
"""The 本年收入 columns of a 收入总表, in the order the 财政部 templates print them."""
GENERAL_BUDGET_SHORT = "一般公共"
GOV_FUND = "政府性基金"
CURRENT_INCOME = "本年收入"
CARRIED_OVER = "上年结转"
CARRIED_OVER_GROUP = "上年结转结余"

# ------------------------------------------------------------------ sides of a 收支总表

REVENUE = "收入"
EXPENDITURE = "支出"
EXPENDITURE_SIDE = re.compile(r"支出|结转下年|年终结转|年末结转|结余分配")
"""An item of the expenditure side when a 收支总表 prints only one item column."""
ITEM = "项目"             # the item column of a 收支总表 ("项目", "项目（按功能分类）")
TOTALS_ITEM_LEAVES = ("项目", "收入", "支出")

# ------------------------------------------------------------------ header words

STUB = "栏次"             # a row of column numbers under the header
LINE_NUMBER_COLUMN = any_of(("序号", "行", "行次", "栏次"), whole=True)
LINE_NUMBER_HEADERS = ("行次", "行")
"""A column of small integers printed before each side's figures."""
CODE_HEADER = "编码"
NAME_HEADER = "名称"
SUBJECT_HEADER = re.compile(r"科目$")
"""A merged "…科目" cell printed once above the code and name columns."""
PROJECT_NAME = "项目名称"
UNIT_NAME = "单位名称"
UNIT_COLUMN_WORDS = ("单位", "部门")
"""A column before the project name that names the spending unit."""
FULLWIDTH_COLON = "："
UNIT_NAME_TAIL = re.compile(r"单位[:：]")
UNIT_SUFFIX = re.compile(r"(本级|局|委|中心|办公室)$")
"""A lone name that is a spending unit, not a project."""
PROJECT_DESCRIPTION = re.compile(r"项目(明细|内容|说明|概述|概况|简介)|绩效目标|主要内容")
NOT_MONEY = re.compile(r"数量|序号|编码|代码|单位$|名称|类别|计量|面积|平方米|台|辆|人数|年份|栏次|行次")
"""A column of an item table that holds no money (counts, codes, names)."""
MONEY_HEADER = re.compile(r"合计|金额|价值|预算|决算|拨款|资金|收入|支出")
HAN = re.compile(r"[\u4e00-\u9fff]")

# ------------------------------------------------------------------ 政府收支分类科目

CLASSIFIED_SIGNATURE = re.compile(r"科目|编码|功能分类|经济分类")
"""Title + header of a table whose rows are classified by code."""
CLASSIFIED_EMPTY_SIGNATURE = re.compile(r"科目编码|功能分类")
ECONOMIC_CLASSIFICATION = "经济分类"

# ------------------------------------------------------------------ 三公 经费

THREE_PUBLIC = "三公"
THREE_PUBLIC_PARTS = {
    "因公出国(境)费": "abroad",
    "公务接待费": "reception",
    "公务用车购置及运行费": "vehicle",
    "公务用车购置费": "vehicle-purchase",
    "公务用车运行维护费": "vehicle-operation",
    "“三公”经费合计": "total",
}
"""The parts as printed in full (column labels of figures placed by arithmetic); headers are
recognised by the marks below."""
ABROAD_MARK = "出国"
RECEPTION_MARK = "接待"
VEHICLE_MARKS = ("公务用车", "购置", "运行", "运维")
VEHICLE_BOTH = re.compile(r"购置及运|购置和运")
PURCHASE_MARK = "购置"
OPERATION_MARKS = ("运行", "运维")
THREE_PUBLIC_TOTAL_MARKS = ("合计", "三公", "小计", "总计")
THREE_PUBLIC_BESIDE = re.compile(r"会议费|培训费|机关运行经费|行政经费")
"""Figures printed beside the “三公” (会议费, 培训费, 机关运行经费): items of their own, never a
“三公” part (机关运行经费 is no 公务用车运行费)."""
THREE_PUBLIC_GROUP = re.compile(r"^(?:(20\d\d)年?度?)?(?:上年|本年)?(?:年初)?(?:预算|决算|执行)数?$")
"""A column group's heading printed above the parts: "2026年预算数", "预算数", "决算数"."""
THREE_PUBLIC_GROUP_IN_TEXT = re.compile(r"(?:20\d\d\s*年?度?\s*)?(?:上年|本年)?(?:预算|决算)数")
NEXT_TABLE_ROW = re.compile(r"表$|表[（(]|单位[:：]|^表[一二三四五六七八九十\d]+$")
"""A text row inside a table body that begins the next table (its title or unit line)."""
THREE_PUBLIC_ORDER = (("abroad", "出国"), ("reception", "接待"),
                      ("vehicle", "公务用车购置及运|公务用车购置和运|公务用车"))
"""Where each category's column begins in a header printed as one line."""

# ------------------------------------------------------------------ performance (绩效)

PERFORMANCE = "绩效"
PERFORMANCE_TITLE_MARKS = ("目标", "自评", "评价", "绩效表")
WIDE_PERFORMANCE_HEADER = re.compile(r"数量指标1|满意度指标1|经济效益指标1|质量指标1")
"""A 项目支出预算绩效目标情况表 with one column per indicator."""
SELF_EVALUATION_TITLE = re.compile(r"自评|评价")
PERFORMANCE_HEADERS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "value": "指标值"}
LEVEL1_HEADER = PERFORMANCE_HEADERS["level1"]
LEVEL3_HEADER = PERFORMANCE_HEADERS["level3"]
ACTUAL_HEADER = "完成值"
DESCRIPTION_HEADER = "描述"
OPERATORS = {">=": "≥", "≥": "≥", "＞=": "≥", "<=": "≤", "≤": "≤", "＜=": "≤", "=": "=", "＝": "=",
             ">": ">", "＞": ">", "<": "<", "＜": "<"}
"""Printed comparison → canonical operator."""
LEVEL1 = re.compile(r"^(产出指标|效益指标|满意度指标|成本指标|履职效能|管理效率|运行成本|社会效应|可持续性|产出|效益|满意度)$")
LEVEL2 = re.compile(r"(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|社会公众满意度|满意度)(指标)?$")
UNAMBIGUOUS_LEVEL1 = re.compile(r"^(产出指标|效益指标|满意度指标)$")   # 成本指标 is a 一级 or a 二级 name
DEADLINE = re.compile(r"^\d{4}[-./年]\d{1,2}月?$|^\d{4}年(底|末|内)?$")
TARGET_VALUE = re.compile(r"^(≥|≤|>=|<=|=|>|<|＞|＜)?\s*([-+]?\d+(?:\.\d+)?)\s*(.*)$")
EMBEDDED_TARGET = re.compile(r"(≥|≤|>=|<=|>|<|=|不低于|不少于|达到|达)?\s*(\d+(?:\.\d+)?)\s*(%|％)(以上|及以上|以下)?")
"""A percentage target inside a sentence: "企业满意度达95%以上"."""
AT_MOST_WORD = "以下"
AT_LEAST_WORDS = ("不低于", "不少于")
REACHES_WORDS = ("达到", "达")
PROJECT_NAME_LABEL = r"^项目(\(政策\)|（政策）)?名称$"
DEPARTMENT_NAME_LABEL = r"^部门[（(]单位[)）]名称$"
IMPLEMENTING_UNIT_LABEL = r"^实施单位$"
TITLE_NUMBERING = re.compile(r"^\d+\s*[、.．]\s*")
""""1、车辆保险费绩效目标表": the numbering before a project's name."""
PERFORMANCE_TITLE_TAIL = re.compile(r"(项目)?(支出)?绩效(目标|自评|评价)表?.*$")
GOAL_HEADING = re.compile(r"年初(设定|总体)目标")
BUDGET_ROW = re.compile(r"项目预算金额|预算资金情况|年初预算|年度资金总额|项目资金总额")
TEN_THOUSAND_YUAN = "万元"
EXECUTION_RATE = re.compile(r"执行率(\d+(?:\.\d+)?%)")
TOTAL_SCORE = re.compile(r"(绩效自评总得分|总评价得分|总得分)(\d+(?:\.\d+)?)")
SCORE_SUBTOTAL = "得分小计"
GOAL_LABEL = re.compile(r"^(年度总体目标|总体目标|年度绩效目标|绩效目标|年度目标)$")
HEADER_CONTINUATION = re.compile(r"^(运算|符号|指标值|度量|单位|完成时限|年度目标值)")
"""The second line of a wrapped indicator header."""
CELL_END = re.compile(r"[。；;，,）)]$")
"""A cell that ends here is not wrapped onto the next line."""
WIDE_AMOUNT = "金额"
WIDE_GOAL = "绩效目标"
WIDE_INDICATOR_COLUMN = re.compile(r"指标\d$")
OUTPUT_L1, BENEFIT_L1, SATISFACTION_L1 = "产出指标", "效益指标", "满意度指标"
PROJECT_COLUMN = re.compile(r"项目[)）]?名称|支出项目类别|^项目[(（]资金使用单位")
"""The project column of a 绩效目标表 printing several projects ("项目名称", "单位（项目）名称")."""
GOAL_COLUMN = re.compile(r"^(年度)?绩效目标$|^项目绩效目标$")
INDICATOR_UNIT_COLUMN = re.compile(r"^(度量|计量|绩效度量|指标)?单位$")
INDICATOR_OPERATOR_COLUMN = re.compile(r"指标值类型|运算符|^符号$|指标性质")
PROJECT_FUND_LINE = re.compile(r"年度资金总额|资金总额|项目总额|财政拨款|财政资金|上年结转|其他资金|单位资金")
"""The amount lines of a form-style 绩效目标表 (项目资金: 年度资金总额, 其中：财政拨款 …)."""
PACKED_INDICATOR_COLUMN = re.compile(r"^绩效指标$|^绩效指标[(（]|^指标及指标值")
"""A 项目支出绩效目标表 printed one row per project, all its indicators packed in one cell:
"1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值:每年≥20场；年度指标值:每年≥20场。2、…"."""
PACKED_ENTRY_START = re.compile(r"\d{1,2}\s*[、.．]\s*(?=\d{1,2}\s*[-－—]\s*[^，；,;。\d]{1,10}?指标)")
_SEP = r"\s*[，；,;：:]\s*"
_LABEL_SEP = r"\s*[，；,;。]?\s*"
PACKED_ENTRY = re.compile(
    r"^\d{1,2}\s*[-－—]\s*(?P<l1>[^，；,;]+?)" + _SEP + r"\d{1,3}\s*[-－—]\s*(?P<l2>[^，；,;]+?)" + _SEP
    + r"(?P<name>.+?)" + _LABEL_SEP + r"(?:实施周期指标值\s*[:：]\s*(?P<period>.*?)" + _LABEL_SEP + r")?"
    + r"年度指标值\s*[:：]\s*(?P<target>.*?)\s*[。；;，,]*\s*$", re.S)
"""One packed indicator: 一级 and 二级 with their codes, the name, 实施周期指标值, 年度指标值 (the target)."""
SATISFACTION_MARK = "满意度"
BENEFIT_MARKS = ("效益", "影响")

# ------------------------------------------------------------------ units

UNIT_WORDS = {"元": 0, "万元": 4}
"""Money units → power of ten (numbers.unit_of reads a table's unit; listed here for reference)."""


# ------------------------------------------------------------------ table kinds

@dataclass(frozen=True)
class TableKind:
    """A kind of table: the words its title must hold (`title`, and `title_too` when
    given), those it must not (`not_title`), and the header words that confirm it."""
    name: str
    title: re.Pattern | None = None
    title_too: re.Pattern | None = None
    not_title: re.Pattern | None = None
    header: re.Pattern | None = None
    header_cells: frozenset = frozenset()

    def titled(self, title: str) -> bool:
        """Whether a compacted title names this kind."""
        return bool((self.title is None or self.title.search(title))
                    and (self.title_too is None or self.title_too.search(title))
                    and not (self.not_title is not None and self.not_title.search(title)))


_NOT_PERFORMANCE = re.compile(PERFORMANCE)

PERFORMANCE_KIND = TableKind("performance", title=re.compile(PERFORMANCE),
                             title_too=any_of(PERFORMANCE_TITLE_MARKS), header=WIDE_PERFORMANCE_HEADER)
THREE_PUBLIC_KIND = TableKind("three-public", title=re.compile(THREE_PUBLIC))
PROJECTS_KIND = TableKind("projects", title=re.compile("项目支出"), not_title=_NOT_PERFORMANCE,
                          header=re.compile(PROJECT_NAME + "|支出项目类别|项目[(（]资金使用单位"))
TOTALS_KIND = TableKind("totals", title=re.compile("收支|收入支出"), title_too=re.compile("总表"),
                        header_cells=frozenset({REVENUE, EXPENDITURE}))
ITEM_KINDS = (
    TableKind("purchased-services", title=re.compile(r"购买服务"), not_title=_NOT_PERFORMANCE),
    TableKind("procurement", title=re.compile(r"政府采购"), not_title=_NOT_PERFORMANCE),
    TableKind("special-funds", title=re.compile(r"专项资金"), not_title=_NOT_PERFORMANCE),
    TableKind("office-running", title=re.compile(r"机关运行经费"), not_title=_NOT_PERFORMANCE),
    TableKind("fixed-assets", title=re.compile(r"固定资产|资产占用"), not_title=_NOT_PERFORMANCE),
    TableKind("debt", title=re.compile(r"债务"), not_title=_NOT_PERFORMANCE),
    TableKind("by-unit", title=re.compile(r"按单位|单位分类汇总|分单位"), not_title=_NOT_PERFORMANCE),
)
"""The rest of the family, one row one item; the first whose title matches wins."""
CLASSIFIED_KIND = TableKind("classified", header=CLASSIFIED_SIGNATURE)

TABLE_KINDS = {k.name: k for k in (PERFORMANCE_KIND, THREE_PUBLIC_KIND, PROJECTS_KIND, TOTALS_KIND,
                                   *ITEM_KINDS, CLASSIFIED_KIND)}
"""Every kind by name, in the order the interpreters try them."""

# ------------------------------------------------------------------ duties (主要职责, read by extract/narrative.py)

DUTY_HEADINGS = ("主要职责", "部门职责", "单位职责", "职能职责", "主要职能", "部门职能", "单位职能", "基本职能",
                 "机构职能", "工作职责", "职责情况", "职责任务")
"""A heading (or the sentence "主要职能包括：") that opens the numbered duties: the words it ends with."""
DUTY_INTRO_VERBS = ("为", "是", "有", "包括", "如下")
"""Between a duty word and the colon of an introducing sentence: "其主要职责有：", "主要职能职责为："."""
DUTY_SECTION_END = ("机构设置", "单位构成", "编制范围", "人员构成", "人员编制", "内设机构", "工作任务", "主要任务",
                    "名词解释", "收支预算", "预算情况", "决算情况", "机构情况", "部门构成", "基本情况")
"""A heading printed after the duties (二、机构设置 …): the words it ends with (or 情况/说明 after them)."""
DUTY_NUMBERING = (
    ("paren-han", re.compile(r"^[（(]\s*([一二三四五六七八九十百〇零]+)\s*[)）]\s*(.*)$")),
    ("han", re.compile(r"^([一二三四五六七八九十百〇零]+)\s*[、.．]\s*(.*)$")),
    ("paren-arabic", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[、.．]\s*(?!\d)(.*)$")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")),
)
"""The ways a duty is numbered ((一), 一、, (1), 1. or 1、, ①): the numeral, then the duty."""
HAN_DIGITS = "〇一二三四五六七八九"
CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
TOC_LEADERS = re.compile(r"…{2,}|\.{4,}|·{4,}|-{4,}|_{4,}")
"""Dot leaders of a table of contents: a line that names a section without opening it."""
PAGE_NUMBER_LINE = re.compile(r"^[-—–\s]*(第\s*)?\d{1,3}(\s*页)?[-—–\s]*$")


# ---------------------------------------------------------------- classification codes as printed
GLUED_CODE = re.compile(r"^[\[【［(（]?\s*(\d{3}(?:\d{2}){0,2})\s*[\]】］)）]?\s*[-－—–:：.．、]?\s*(?=[\u4e00-\u9fff“（(])(.+)$")
"""A code glued to its name in one cell: 2010801-行政运行, [30101]基本工资, 【201】一般公共服务支出."""
BARE_SUBCODE = re.compile(r"^\d{2}$")
"""款 or 项 printed as its own two digits under its parent (201 / 06 / 01)."""
CROSS_CLASSIFIED_SKIP = "a cross-classified row (its code repeats under another classification): not a line of its own"

FUNCTION_CLASSES = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204", "教育支出": "205",
    "科学技术支出": "206", "文化旅游体育与传媒支出": "207", "文化体育与传媒支出": "207",
    "社会保障和就业支出": "208", "社会保险基金支出": "209", "卫生健康支出": "210", "医疗卫生与计划生育支出": "210",
    "节能环保支出": "211", "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
    "资源勘探工业信息等支出": "215", "资源勘探信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "国土海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224", "预备费": "227",
    "其他支出": "229", "债务付息支出": "232", "债务发行费用支出": "233",
}
"""The 类 of 支出功能分类 by their national names (several years' wording): a table that prints
names without codes still joins on the 类."""
ECONOMIC_CLASSES = {
    "工资福利支出": "301", "商品和服务支出": "302", "对个人和家庭的补助": "303", "债务利息及费用支出": "307",
    "资本性支出（基本建设）": "309", "资本性支出": "310", "对企业补助（基本建设）": "311", "对企业补助": "312",
    "对社会保障基金补助": "313", "其他支出": "399",
}
"""The 类 of 部门预算支出经济分类 by name."""
NAME_COLUMN = re.compile(r"科目名称|项目名称|名称")
CELL_UNIT = re.compile(r"^([-\d,.]+)\s*(亿元|万元|元|亿|万)$")
"""A figure printed with its own unit in a cell (12.5万, 300元)."""
UNIT_MULT_WORDS = {"亿元": 8, "亿": 8, "万元": 4, "万": 4, "元": 0}

# ---------------------------------------------------------------- indicator grids without levels
NAMED_GRID = {"name": "指标名称", "operator": "指标性质", "value": "指标值", "unit": "计量单位", "weight": "指标权重",
              "project": "项目名称", "goal": "绩效目标", "money": re.compile(r"预算|金额|资金")}
"""指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重 — a grid that names indicators without 一级/二级 levels,
one project per block of rows (项目名称 | 当年财政拨款预算金额 | 当年绩效目标 …) or the department's own."""
DEPARTMENT_WHOLE = "部门整体"
#: a title that names the whole department's form (部门整体预算绩效目标申报表, 整体支出绩效目标表)
WHOLE_DEPARTMENT_TITLE = re.compile(r"部门整体|整体(支出|预算)?绩效")
#: the department's label on a 部门整体 form (on a project's form it names the project's owner)
WHOLE_DEPARTMENT_LABEL = r"^部门名称$"
THREE_PUBLIC_HEADER_PARTS = ("出国", "公务用车", "接待")
"""Parts a 三公 table's header names, enough to know it when its title was torn."""
