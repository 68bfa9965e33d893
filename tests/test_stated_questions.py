"""Questions over documents whose figures are only stated in their text (explanations published
without their tables). Every expected value was read by hand from the PDF pages (pdfplumber page
text), never from budgetkg's output:

* 北京市审计局 2026 部门预算 (explanation, 10 pages): p7 "2026 年支出预算 32852.05 万元", "基本支出预算
  25218.54 万元", "项目支出预算 7633.51 万元，占本年支出预算 23.24%"; p8 "2026年财政拨款“三公”经费预算
  244.85 万元，比 2025 年财政拨款“三公”经费年初预算增加 16.03 万元", "公务用车购置费预算37.38万元、
  公务用车运行维护费预算27.95万元".
* 江苏省委办公厅 2017 (p6–7): 支出预算总计 20849.45 万元, 基本支出预算数 9964.07, 项目支出预算数
  10688.66 (占 51.27%); 2018 (p6–7): 24458.43, 10403.11, 12081.46 (49.40%); 2019 (p7–8):
  27664.22, 11700.63, 13025.38 (47.08%). 2018 p11: 公务接待费预算支出 27 万元, 公务用车购置及运行费
  预算支出 411.20 万元 (its 运行维护费 411.20, 购置 0)."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from budgetkg.graph.queries import bind, get_query, run, with_values
from tests.real_store import real_store


def answer(store, name):
    q = get_query(name)
    res = run(store, q.text, bind(q, {}))
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def by_document(rows, docs, key):
    return [r for r in rows if r["document"] == docs[key]]


def summed(store, name, column, documents, **where):
    """SUM(column) of a shipped question over the union default graph, for some documents."""
    q = get_query(name)
    inner = re.sub(r"\nORDER BY .*$", "", q.text.strip())
    inner = inner[inner.index("SELECT"):]
    inner = with_values(inner, bind(q, {})) or inner
    prefixes = q.text[:q.text.index("SELECT")]
    docs = " ".join(f"<{d}>" for d in documents)
    cond = "".join(f' && STR(?{k}) = "{v}"' for k, v in where.items())
    text = (prefixes + f"SELECT (SUM(?{column}) AS ?sum) (COUNT(*) AS ?n) WHERE {{ {{ {inner} }} "
            f"VALUES ?document {{ {docs} }} FILTER(BOUND(?{column}){cond}) }}")
    s = next(iter(store.query(text, use_default_graph_as_union=True)))
    return Decimal(s["sum"].value), int(s["n"].value)


def same_rows_without_distinct(store, name):
    q = get_query(name)
    res = lambda text: Counter(tuple(v.value if v is not None else None for v in s)   # noqa: E731
                               for s in run(store, text, bind(q, {})))
    return res(q.text) == res(re.sub(r"SELECT\s+DISTINCT", "SELECT", q.text, count=1))


def test_totals_of_an_explanation_without_tables():
    store, docs = real_store()
    rows = answer(store, "totals")
    [bj] = by_document(rows, docs, "bj-text")
    assert (bj["total"], bj["basic"], bj["project"], bj["unit"], bj["source"]) == (
        "328520500", "252185400", "76335100", "元", "stated")
    got = {k: tuple(by_document(rows, docs, k)[0][c] for c in ("total", "basic", "project", "source"))
           for k in ("js2017-text", "js2018-text", "js2019-text")}
    assert got == {"js2017-text": ("208494500", "99640700", "106886600", "stated"),
                   "js2018-text": ("244584300", "104031100", "120814600", "stated"),
                   "js2019-text": ("276642200", "117006300", "130253800", "stated")}
    # the tables beside it are tabulated figures, told apart: 审计局's 报表 prints 328,520,538.32 元
    [tables] = by_document(rows, docs, "bj-tables")
    assert tables["source"] == "tabulated"
    assert round(Decimal(tables["total"]) / 10000, 2) == Decimal("32852.05")


def test_totals_sum_over_the_default_graph_is_the_hand_read_figure():
    store, docs = real_store()
    # 20849.45 + 24458.43 + 27664.22 万元, the three explanations of 江苏省委办公厅
    assert summed(store, "totals", "total", [docs[k] for k in ("js2017-text", "js2018-text", "js2019-text")]) == (
        Decimal("729721000"), 3)
    assert summed(store, "totals", "project", [docs["bj-text"]]) == (Decimal("76335100"), 1)
    assert same_rows_without_distinct(store, "totals")


def test_project_share_keeps_documents_whose_figures_are_stated():
    store, docs = real_store()
    rows = answer(store, "project_share")
    got = {k: (by_document(rows, docs, k)[0]["share"], by_document(rows, docs, k)[0]["source"])
           for k in ("bj-text", "js2017-text", "js2018-text", "js2019-text")}
    assert got == {"bj-text": ("23.24", "stated"), "js2017-text": ("51.27", "stated"),
                   "js2018-text": ("49.4", "stated"), "js2019-text": ("47.08", "stated")}
    # a document without a total keeps its row (no share), never dropped by a filter
    assert {r["document"] for r in rows} == set(docs.values())
    assert same_rows_without_distinct(store, "project_share")


def test_three_public_uses_stated_figures_where_there_is_no_table():
    store, docs = real_store()
    rows = answer(store, "three_public")
    bj = {(r["category"], r["phase"], r["source"]): r["amount"] for r in by_document(rows, docs, "bj-text")}
    assert bj == {("“三公”经费合计", "approved", "stated"): "2448500",
                  ("公务用车购置费", "approved", "stated"): "373800",
                  ("公务用车运行维护费", "approved", "stated"): "279500"}
    js = {(r["category"], r["source"]): r["amount"] for r in by_document(rows, docs, "js2018-text")}
    # 公务接待费 27 万元 is stated twice (p10 and p11): one row
    assert js == {("公务接待费", "stated"): "270000", ("公务用车购置及运行费", "stated"): "4112000",
                  ("公务用车购置费", "stated"): "0", ("公务用车运行维护费", "stated"): "4112000"}
    # a document with its “三公” table gives tabulated figures only
    assert {r["source"] for r in by_document(rows, docs, "bj-tables")} == {"tabulated"}
    assert summed(store, "three_public", "amount", [docs["js2018-text"]], category="公务接待费") == (Decimal("270000"), 1)
    assert same_rows_without_distinct(store, "three_public")


def test_three_public_change_uses_the_change_the_text_states():
    store, docs = real_store()
    rows = answer(store, "three_public_change")
    [bj] = by_document(rows, docs, "bj-text")
    # 244.85 万元, 比 2025 年增加 16.03 万元 → previous 228.82
    assert (bj["year"], bj["total"], bj["change"], bj["previous"], bj["source"], bj["changeSource"]) == (
        "2026", "2448500", "160300", "2288200", "stated", "stated")
    assert summed(store, "three_public_change", "change", [docs["bj-text"]]) == (Decimal("160300"), 1)
    assert same_rows_without_distinct(store, "three_public_change")
