"""The numbered duties (主要职责 / 部门职责 / 主要职能) of a document: invented documents for each way
they are printed, and real pages of ../shared/corpus-real read by hand (the page was looked at,
the values typed from it)."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetkg.extract.model import Responsibility
from budgetkg.extract.narrative import chinese_number, numbered
from tests.conftest import extract_text

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-real"

# a small budget table so that the invented text is a budget document
TABLE = ("\n“三公”经费支出预算表\n单位：万元\n项目\t本年预算数\n合计\t5.00\n1、因公出国（境）费\t0.00\n"
         "2、公务接待费\t1.00\n3、公务用车购置及运行费\t4.00\n")


def duties(text: str) -> list[Responsibility]:
    ex = extract_text("大连市数字经济促进局\n2024 年部门预算\n" + text + TABLE, "duties.txt")
    return [r for r in ex.records if isinstance(r, Responsibility)]


def pairs(ds):
    return [(d.number, d.text) for d in ds]


def test_chinese_numbers():
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "二十九", "一百零三")] == [1, 10, 12, 20, 29, 103]
    assert numbered("（二十三)协调督促") == ("paren-han", 23, "协调督促")
    assert numbered("(五) 负责") == ("paren-han", 5, "负责")
    assert numbered("12、负责") == ("arabic", 12, "负责")
    assert numbered("4．负责") == ("arabic", 4, "负责")
    assert numbered("十一、负责") == ("han", 11, "负责")
    assert numbered("1.5万元") is None


def test_full_width_brackets_after_a_table_of_contents_until_the_next_heading():
    ds = duties("目录\n第一部分部门概况\n一、主要职能\n二、部门机构设置及预算单位构成情况\n"
                "第二部分部门预算表\n一、收支总表\n"
                "第一部分部门概况\n一、主要职能\n"
                "（一）主管全市审计工作。负责对市级财政收支进行\n审计监督。\n"
                "（二）组织起草审计方面的地方性法规。\n"
                "（三）完成市委、市政府交办的其他任务。\n"
                "二、部门机构设置及预算单位构成情况\n（一）内设机构\n1.办公室\n")
    assert pairs(ds) == [(1, "主管全市审计工作。负责对市级财政收支进行审计监督。"),
                         (2, "组织起草审计方面的地方性法规。"), (3, "完成市委、市政府交办的其他任务。")]


def test_ascii_brackets_and_mixed_brackets():
    ds = duties("一、主要职责\n(一)贯彻执行财政法律法规。\n(二)负责管理市级各项财政收支。\n"
                "（三)负责全市税收政策管理。\n(四)完成市委、市政府交办的其他任务。\n二、机构设置情况\n本部门包括局机关。\n")
    assert [d.number for d in ds] == [1, 2, 3, 4]
    assert ds[2].text == "负责全市税收政策管理。"


def test_arabic_numbers_under_a_unit_name_heading_and_an_introducing_sentence():
    ds = duties("上海市刑事科学技术研究院主要职能\n"
                "上海市刑事科学技术研究院是上海市公安局下属的事业单位。\n主要职能包括：\n"
                "1.刑事科学技术的应用理论研究；\n2.现场勘验技术的研究；\n3.科研成果的推广和应用。\n"
                "上海市刑事科学技术研究院机构设置\n设5个内设机构。\n")
    assert pairs(ds) == [(1, "刑事科学技术的应用理论研究；"), (2, "现场勘验技术的研究；"), (3, "科研成果的推广和应用。")]


def test_dunhao_numbers_and_the_next_section_numbered_alike_is_not_read():
    # the duties 1、…; the next section (二、主要工作任务) numbers its tasks （一）…: none is a duty
    ds = duties("第一部分部门概况\n一、主要职责\n人民检察院是国家的法律监督机关。其主要职责有：\n"
                "1、对省人民代表大会负责并报告工作。\n2、负责全省检察机关队伍建设，协同省主管部门管理检察院的机构设置\n"
                "及人员编制。\n3、负责其他应由省检察院承办的事项。\n"
                "二、2017年主要工作任务\n（一）在护航创新引领发展上展现新作为。\n（二）在保障富民上拿出新举措。\n")
    assert [d.number for d in ds] == [1, 2, 3]
    assert ds[1].text.endswith("机构设置及人员编制。")     # a wrapped line that ends in 机构设置 is no heading
    assert not any("新作为" in d.text for d in ds)


def test_han_numbers_with_dunhao():
    ds = duties("上海市普陀区人民政府万里街道办事处（部门）主要职能\n主要职能包括：\n"
                "一、加强党的建设。落实基层党建责任制。\n二、统筹社区发展。\n三、承办区委、区政府交办的其他事项。\n"
                "上海市普陀区人民政府万里街道办事处（部门）机构设置\n本部门中，行政单位1家。\n")
    assert pairs(ds) == [(1, "加强党的建设。落实基层党建责任制。"), (2, "统筹社区发展。"),
                         (3, "承办区委、区政府交办的其他事项。")]


def test_a_heading_numbered_like_the_duties_ends_the_list():
    ds = duties("第一部分概况\n（一）部门主要职责\n市轨道交通局贯彻落实党中央的方针政策。\n"
                "（一）承担全市轨道交通行业管理工作。\n（二）负责城市轨道交通执法工作。\n"
                "（三）完成市委、市政府交办的其他任务。\n（二）部门决算单位构成\n我部门没有下属单位。\n")
    assert [d.number for d in ds] == [1, 2, 3]
    assert ds[-1].text == "完成市委、市政府交办的其他任务。"


def test_a_list_printed_twice_is_read_once():
    body = ("上海市普陀区司法局是主管本区司法工作的区政府工作部门，主要职责是：\n"
            "（一）贯彻执行国家和本市有关司法行政工作的法律。\n（二）负责推进本区法治政府建设工作。\n"
            "（三）完成区委、区政府交办的其他任务。\n")
    ds = duties("上海市普陀区司法局主要职能\n" + body + body + "上海市普陀区司法局机构设置\n内设8个科室。\n")
    assert pairs(ds) == [(1, "贯彻执行国家和本市有关司法行政工作的法律。"), (2, "负责推进本区法治政府建设工作。"),
                         (3, "完成区委、区政府交办的其他任务。")]


def test_a_duty_wrapped_across_pages_without_the_page_number():
    ds = duties("一、部门职责\n（一）负责处理群众通过信访渠道给党中央的来信，\n- 3 -\n接待来访。\n"
                "（二）承办交办的其他事项。\n二、机构设置\n内设13个机构。\n")
    assert pairs(ds) == [(1, "负责处理群众通过信访渠道给党中央的来信，接待来访。"), (2, "承办交办的其他事项。")]


def test_sub_items_stay_in_their_duty():
    ds = duties("一、主要职能\n（一）直接审计下列事项：\n1.市级财政预算执行情况；\n2.市属国有企业的资产。\n"
                "（二）完成市委交办的其他任务。\n二、机构设置\n")
    assert pairs(ds) == [(1, "直接审计下列事项：1.市级财政预算执行情况；2.市属国有企业的资产。"),
                         (2, "完成市委交办的其他任务。")]


def test_duties_in_one_sentence_are_split_at_the_semicolons():
    ds = duties("一、单位基本情况\n（一）主要职责\n市规划自然资源局为市政府组成部门，主要职能职责为：履行全民所有\n"
                "自然资源资产所有者职责；负责自然资源调查监测评价；负责测绘地理信息管理工作；完成市委、\n"
                "市政府交办的其他任务。\n（二）机构设置\n内设机构20个。\n")
    assert pairs(ds) == [(1, "履行全民所有自然资源资产所有者职责"), (2, "负责自然资源调查监测评价"),
                         (3, "负责测绘地理信息管理工作"), (4, "完成市委、市政府交办的其他任务")]


def test_a_description_without_a_list_gives_no_duty():
    ds = duties("一、主要职能\n省政协是我省最广泛的爱国统一战线组织。省政协的主要职能是政治协商、民主监督、参政议政。\n"
                "二、部门机构设置及预算单位构成情况\n1.根据部门职责分工，本部门内设机构包括办公厅。\n2.从预算单位构成看。\n")
    assert ds == []


def test_a_table_of_contents_with_leaders_opens_nothing():
    ds = duties("目录\n一、部门主要职能……………………3\n二、部门机构设置……………………4\n"
                "1. 2025年部门财务收支预算总表……………5\n2. 2025年部门收入预算总表…………6\n")
    assert ds == []


# --------------------------------------------------------------- real pages, read by hand

def real(rel: str) -> list[Responsibility]:
    from budgetkg.extract.pipeline import extract_path
    path = REAL / rel
    if not path.exists():
        pytest.skip(f"{rel} not found beside the repository")
    return [r for r in extract_path(path).records if isinstance(r, Responsibility)]


def test_real_duties_in_one_sentence():
    # 重庆市规划和自然资源局 p.1: "主要职能职责为：履行…；负责…；…；完成市委、市政府交办的其他任务。" (20 clauses)
    ds = real("calinchow-del+renwu/004_重庆/2026年重庆市规划和自然资源局部门预算.pdf")
    assert [d.number for d in ds] == list(range(1, 21))
    assert ds[0].text == "履行全民所有自然资源资产所有者职责和所有国土空间用途管制职责"
    assert ds[1].text == "负责自然资源调查监测评价"
    assert ds[17].text == "管理重庆市林业局"
    assert ds[19].text == "完成市委、市政府交办的其他任务"
    assert {d.prov.page for d in ds} == {1}


def test_real_list_ended_by_a_heading_of_the_same_numbering():
    # 佛山市轨道交通局 p.4: （十三）, （十四）, then the heading （二）部门决算单位构成
    ds = real("calinchow-del+renwu/022_佛山/2026年佛山市交通运输局部门预算.pdf")
    assert [d.number for d in ds] == list(range(1, 15))
    assert ds[12].text == "负责对区轨道交通主管部门的业务指导。"
    assert ds[13].text == "完成市委、市政府和上级轨道交通主管部门交办的其他任务。"
    assert ds[0].text.startswith("承担全市轨道交通行业管理工作")


def test_real_list_printed_twice():
    # 上海市普陀区司法局 pp.4-5: the list (一)…(十) printed twice; (八) wrapped, (十) the last
    ds = real("zxj6827111-blip+GovBudgetChecker/dept_budget.pdf")
    assert [d.number for d in ds] == list(range(1, 11))
    assert ds[7].text.startswith("负责本系统警车管理工作。按规定权限负责本系统国有资产的管理")
    assert ds[7].text.endswith("负责本系统信息化建设。")
    assert ds[9].text == "完成区委、区政府交办的其他任务。"


def test_real_prose_page_read_as_an_unruled_table():
    # 长沙市公安局 pp.4-6: "（一）职能职责", 1、…14、, then "（二）机构设置"
    ds = real("calinchow-del+renwu/015_长沙/2026年长沙市公安局2025年部门预算.pdf")
    assert [d.number for d in ds] == list(range(1, 15))
    assert ds[0].text.startswith("贯彻执行党和国家关于公安工作的方针、政策和法律、法规、规章")
    assert ds[12].text.endswith("查处或督办公安队伍重大违纪案件。")
    assert ds[13].text == "承办市委、市人民政府和上级主管部门交办的其他事项。"
