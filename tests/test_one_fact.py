"""One fact, once: every triple lives in exactly one graph — a document's facts in its graph,
divisions, departments, concepts and years in reference graphs — so every question over the
union of the graphs gives the same rows with and without DISTINCT, and sums are the figures
printed in the documents (read by hand from ../shared/corpus)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from decimal import Decimal

import pytest

from budgetkg.extract.to_rdf import Minter
from budgetkg.extract.vocab import REFERENCE_GRAPHS
from budgetkg.graph.queries import bind, named_queries, run, with_values
from tests.conftest import SAMPLES

SHENYANG = Minter().department("210100", "工业和信息化局")
#: parameters that make each question answer something on the corpus
PARAMS = {"department_documents": {"department": SHENYANG},
          "division_documents": {"division": "https://w3id.org/budgetkg/id/division/210000"},
          "subject_amounts": {"subject": "https://w3id.org/budgetkg/id/subject/function/2080501"},
          "describe": {"resource": SHENYANG},
          "subject": {"code": "21508"}}


def rows(store, text, subs):
    res = run(store, text, subs)
    names = [v.value for v in res.variables]
    return Counter(tuple(s[n].value if s[n] is not None else None for n in names) for s in res)


def test_no_triple_in_two_graphs(store):
    q = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1) } }"
    assert int(next(iter(store.query(q)))["n"].value) == 0


def test_reference_data_lives_in_reference_graphs(store):
    dept = f"<{SHENYANG}>"
    # what the department is (type, label, place, units) is said once, in reference/departments;
    # what a document says of it (its duties, its 绩效 records) stays in that document's graph
    about = ("a", "<http://www.w3.org/2000/01/rdf-schema#label>", "<https://w3id.org/budgetkg/ontology#division>",
             "<http://www.w3.org/ns/org#hasUnit>")
    for p in about:
        graphs = {s["g"].value for s in store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {dept} {p} ?o }} }}")}
        assert graphs == {REFERENCE_GRAPHS["departments"]}, p
    concept = "<https://w3id.org/budgetkg/id/subject/function/2150805>"
    graphs = {s["g"].value for s in store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {concept} ?p ?o }} }}")}
    assert graphs == {REFERENCE_GRAPHS["subjects"]}
    # its broader chain up to the 类: 2150805 › 21508 › 215
    chain = {s["c"].value for s in store.query(f"SELECT ?c WHERE {{ {concept} <http://www.w3.org/2004/02/skos/core#broader>+ ?c }}",
                                                 use_default_graph_as_union=True)}
    assert chain == {"https://w3id.org/budgetkg/id/subject/function/21508", "https://w3id.org/budgetkg/id/subject/function/215"}


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_same_rows_with_and_without_distinct(store, name):
    q = named_queries()[name]
    subs = bind(q, PARAMS.get(name, {}))
    with_distinct = rows(store, q.text, subs)
    without = rows(store, re.sub(r"SELECT\s+DISTINCT", "SELECT", q.text, count=1), subs)
    assert with_distinct == without
    assert sum(with_distinct.values()) > 0, name


def test_sum_of_zhuanjingtexin_execution_is_the_printed_figure(store):
    # 沈阳 2024 决算, 绩效自评表 全年执行数 (万元): 获评“专精特新”企业奖励及评审项目 31.01,
    # 专精特新中小企业高质量发展专项 300, “专精特新”中小企业奖励项目 0, …贷款贴息 0 → 331.01 万元
    q = named_queries()["zhuanjingtexin"]
    inner = re.sub(r"\nORDER BY .*$", "", q.text.strip())
    inner = with_values(inner[inner.index("SELECT"):], bind(q, {}))
    prefixes = q.text[:q.text.index("SELECT")]
    text = (prefixes + "SELECT ?keyword (SUM(?amount) AS ?sum) (COUNT(*) AS ?n) WHERE { { " + inner + " }" +
            ' FILTER(STR(?city) = "沈阳市" && ?year = 2024 && STR(?figure) = "全年执行数") } GROUP BY ?keyword')
    got = [(s["sum"].value, s["n"].value)
           for s in store.query(text, use_default_graph_as_union=True)]
    assert got == [("3310100", "4")]


def test_reference_graphs_are_written_once_however_often_a_document_is_built(tmp_path):
    from budgetkg.graph.build import build
    from budgetkg.graph.store import open_store
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLES / "dalian_digital_2024_budget.txt", src / "a.txt")

    def reference_sizes():
        st = open_store(tmp_path / "kg", read_only=True)
        out = {g: len(list(st.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(g))))
               for g in REFERENCE_GRAPHS.values()}
        del st
        return out
    assert all(r.ok for r in build([src], tmp_path / "kg", validate=False))
    first = reference_sizes()
    assert first[REFERENCE_GRAPHS["subjects"]] > 0 and first[REFERENCE_GRAPHS["departments"]] > 0
    shutil.copy(SAMPLES / "dalian_digital_2024_budget.txt", src / "b.txt")    # the same content twice more
    assert all(r.ok for r in build([src], tmp_path / "kg", validate=False))
    assert reference_sizes() == first
