"""Documents converted to HTML or to Markdown pipe tables give the facts of the tab-separated dump."""
from decimal import Decimal

from tests.test_pdf import facts
from tests.conftest import extract_text

HEAD = "大连市数字经济促进局\n2024 年部门预算\n"
ROWS = [["", "合计", "1,250.00", "450.00", "800.00"],
        ["215", "资源勘探工业信息等支出", "1,150.00", "350.00", "800.00"],
        ["21508", "支持中小企业发展和管理支出", "800.00", "", "800.00"],
        ["2150805", "中小企业发展专项", "800.00", "", "800.00"],
        ["21505", "工业和信息产业监管", "350.00", "350.00", ""],
        ["2150501", "行政运行", "350.00", "350.00", ""],
        ["221", "住房保障支出", "100.00", "100.00", ""],
        ["22102", "住房改革支出", "100.00", "100.00", ""],
        ["2210201", "住房公积金", "100.00", "100.00", ""]]


def tabbed() -> str:
    head = "功能分类科目\t\t2024年预算数\t\t\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    return HEAD + "一般公共预算支出表\n单位：万元\n" + head + "\n".join("\t".join(r) for r in ROWS) + "\n"


def html() -> str:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    return (f"<html><body><p>大连市数字经济促进局</p><p>2024 年部门预算</p><h3>一般公共预算支出表</h3><p>单位：万元</p>"
            "<table><tr><th colspan=\"2\">功能分类科目</th><th colspan=\"3\">2024年预算数</th></tr>"
            "<tr><th>科目编码</th><th>科目名称</th><th>合计</th><th>基本支出</th><th>项目支出</th></tr>"
            f"{cells}</table></body></html>")


def pipes() -> str:
    lines = ["| 功能分类科目 | | 2024年预算数 | | |", "|---|---|---|---|---|",
             "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |"] + ["| " + " | ".join(r) + " |" for r in ROWS]
    return HEAD + "\n## 一般公共预算支出表\n\n单位：万元\n\n" + "\n".join(lines) + "\n"


def test_html_tables_with_spans():
    a, b = extract_text(html(), "doc.html"), extract_text(tabbed(), "doc.txt")
    assert a.document.layout == "html"
    assert facts(a) == facts(b)
    assert ("line", "2150805", "中小企业发展专项", "2024年预算数/项目支出", Decimal("800.00")) in facts(a)


def test_rowspan_keeps_columns_in_place():
    doc = ("<p>大连市数字经济促进局</p><p>2024 年部门预算</p><p>一般公共预算支出表</p><p>单位：万元</p><table>"
           "<tr><td rowspan=\"2\">科目编码</td><td rowspan=\"2\">科目名称</td><td colspan=\"3\">2024年预算数</td></tr>"
           "<tr><td>合计</td><td>基本支出</td><td>项目支出</td></tr>"
           + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS) + "</table>")
    got = {(f[1], f[3]): f[4] for f in facts(extract_text(doc, "span.html")) if f[0] == "line"}
    assert got[("2150805", "2024年预算数/项目支出")] == Decimal("800.00")
    assert got[("2150501", "2024年预算数/基本支出")] == Decimal("350.00")


def test_markdown_pipe_tables():
    a, b = extract_text(pipes(), "doc.md"), extract_text(tabbed(), "doc.txt")
    assert facts(a) == facts(b)
