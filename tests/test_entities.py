"""Entities that join: one department node whatever form of its name a document prints, its units
as org:subOrganizationOf, and a question over two years of one department joined on that node.
Values read by hand from the PDFs (pdfplumber page text): 万里街道 2024 p10 "支出总计 156,211,123",
2025 p9 "支出总计 189,767,551" (元)."""
from __future__ import annotations

from types import SimpleNamespace

from budgetkg.extract.identity import department_key, department_label, unit_key
from budgetkg.extract.to_rdf import Minter
from budgetkg.graph.queries import bind, get_query, run
from tests.real_store import real_store


def profile(name, province, city=None, district=None):
    return SimpleNamespace(department=name, department_short=None, province=province, city=city, district=district)


def test_printed_forms_of_one_body_are_one_key():
    forms = ["中共江苏省委办公厅", "中国共产党江苏省委员会办公厅", "江苏省委办公厅", "江苏省委办公厅（本级）"]
    assert {department_key(profile(f, "江苏省")) for f in forms} == {"省委办公厅"}
    assert department_label(profile(forms[1], "江苏省"), "省委办公厅") == "江苏省委办公厅"
    assert {department_key(profile(f, "江苏省")) for f in ("江苏省人大常委会办公厅", "江苏省人民代表大会常务委员会办公厅")} == {
        "人大常委会办公厅"}
    # a place prefix is dropped, the rest of the name kept (沈阳市工业和信息化局's IRI is unchanged)
    assert department_key(profile("沈阳市工业和信息化局", None, "沈阳市")) == "工业和信息化局"
    assert department_key(profile("上海市普陀区人民政府万里街道办事处", "上海市", "市辖区", "普陀区")) == "人民政府万里街道办事处"
    # a unit printed under the department's own name is its 本级
    assert unit_key(profile("x", "江苏省"), "中共江苏省委办公厅", "省委办公厅") == ("省委办公厅本级", "江苏省委办公厅（本级）")


def select(store, text):
    res = store.query(text, use_default_graph_as_union=True)
    return [tuple(v.value if v is not None else None for v in s) for s in res]


def test_one_department_node_across_years_and_kinds_of_document():
    store, docs = real_store()
    rows = select(store, """PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
        SELECT DISTINCT ?d ?dept WHERE { VALUES ?d { %s } ?d bkg:issuedBy ?dept }""" % " ".join(
        f"<{docs[k]}>" for k in docs if k.startswith("js")))
    # tables print 中国共产党江苏省委员会办公厅 (2017) and 中共江苏省委办公厅 (2018, 2019), the explanations 江苏省委办公厅
    assert len(rows) == 6 and {dept for _, dept in rows} == {Minter().department("320000", "省委办公厅")}
    labels = select(store, f"""SELECT ?l WHERE {{ <{Minter().department("320000", "省委办公厅")}>
        <http://www.w3.org/2000/01/rdf-schema#label> ?l }}""")
    assert labels == [("江苏省委办公厅",)]
    units = select(store, f"""PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?u WHERE {{ ?u org:subOrganizationOf <{Minter().department("320000", "省委办公厅")}> }}""")
    assert (Minter().unit("320000", "省委办公厅本级"),) in units


def test_department_years_joins_two_years_of_wanli():
    store, docs = real_store()
    q = get_query("department_years")
    dept = Minter().department("310107", "人民政府万里街道办事处")
    res = run(store, q.text, bind(q, {"department": dept}))
    rows = [(s["year"].value, s["total"].value, s["previous"].value if s["previous"] else None,
             s["change"].value if s["change"] else None, s["document"].value) for s in res]
    assert rows == [("2024", "156211123", None, None, docs["wanli2024"]),
                    ("2025", "189767551", "156211123", "33556428", docs["wanli2025"])]
    # the query compares no names: the join is the department node
    assert "CONTAINS(?name" not in q.text and "REGEX(?name" not in q.text


PLACE_TEXTS = ["江苏省南京市玄武区财政局", "上海市普陀区人民政府万里街道办事处", "大连市数字经济促进局",
               "中共江苏省委办公厅", "国际经济合作", "朝阳区教育委员会", "广西壮族自治区南宁市青秀区审计局",
               "省人大办公厅", ""]


def test_places_read_as_cpca_transform_reads_them():
    """A body's province, city, district, code and the rest of its name come from cpca's record of
    the text — the record `cpca.transform` wraps in a pandas DataFrame — the same values."""
    import cpca
    from budgetkg.extract.recognise import _cpca_record

    def plain(v):
        return None if v is None or isinstance(v, float) else v
    for text in PLACE_TEXTS:
        frame = cpca.transform([text]).iloc[0].to_dict()
        mine = _cpca_record(cpca, text)
        assert {k: plain(mine.get(k)) for k in ("省", "市", "区", "地址", "adcode")} == \
               {k: plain(frame.get(k)) for k in ("省", "市", "区", "地址", "adcode")}, text


def test_a_build_does_not_load_pandas(tmp_path):
    """Places are read without pandas: a build's processes are spared its import (0.15 s each)
    and its memory."""
    import subprocess
    import sys
    from pathlib import Path
    samples = Path(__file__).resolve().parents[1] / "samples"
    code = ("import sys; from budgetkg.graph.build import build; "
            f"r = build([{str(samples)!r}], {str(tmp_path / 'kg')!r}); "
            "print(sum(x.ok for x in r), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "False"]
