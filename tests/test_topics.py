"""Topics: the SKOS scheme of ontology/topics.ttl in its own reference graph, and the links jieba
finds from what a document says to its topics, with the words that matched (rows read by hand
from ../shared/corpus)."""
from __future__ import annotations

import rdflib

from budgetkg.extract.topics import NS, SCHEME, TOPICS_GRAPH, scheme_text, segment, text_to_topics, topics

TOPIC = "https://w3id.org/budgetkg/id/topic/"
LINKS = """PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX bkgt: <https://w3id.org/budgetkg/topic#>
SELECT ?g ?type ?label ?word WHERE { GRAPH ?g { ?s dct:subject ?t ; a ?type ; rdfs:label ?label ; bkgt:topicMatch ?m .
  ?m bkgt:topic ?t ; bkgt:matchedWord ?word } }"""


def links(store, topic):
    q = LINKS.replace("?t ;", f"<{TOPIC}{topic}> ;").replace("?m bkgt:topic ?t", f"?m bkgt:topic <{TOPIC}{topic}>")
    return {(s["type"].value.rsplit("#", 1)[-1], s["label"].value, s["word"].value) for s in store.query(q)}, \
        {s["g"].value for s in store.query(q)}


def test_the_scheme_has_the_policy_vocabulary_with_chinese_labels():
    t = topics()
    labels = {x.label for x in t.values()}
    for word in ("专精特新", "小巨人", "首台套", "技术改造", "智能制造", "数字化转型", "工业互联网", "中小企业", "贷款贴息",
                 "招商引资", "节能", "盐业", "民爆", "电力", "公共安全", "审计", "信访", "生态环境", "自然资源", "商务",
                 "规划", "统计"):
        assert word in labels, word
    assert t[TOPIC + "xiaojuren"].broader == (TOPIC + "zhuanjingtexin",)
    assert "首台套" in t[TOPIC + "shoutaitao"].words       # 首台（套） as printed, normalised


def test_the_terms_of_a_link_are_declared_in_topics_ttl():
    g = rdflib.Graph().parse(data=scheme_text(), format="turtle")
    declared = {str(s) for s in g.subjects() if str(s).startswith(NS)}
    assert declared == {NS + n for n in ("TopicMatch", "topicMatch", "topic", "matchedWord", "matchedIn")}
    assert (rdflib.URIRef(SCHEME), rdflib.RDF.type, rdflib.SKOS.ConceptScheme) in g


def test_jieba_keeps_the_labels_whole():
    # 001, line 1561: an indicator of the 专精特新 self-evaluation
    assert "专精特新" in segment("国家专精特新小巨人企业数量")
    assert text_to_topics("通过对国家专精特新“小巨人”企业的流动资金贷款给予贴息") == {
        TOPIC + "xiaojuren": ["小巨人"], TOPIC + "zhuanjingtexin": ["专精特新"], TOPIC + "daikuantiexi": ["贴息"]}
    assert text_to_topics("首台（套）重大技术装备") == {TOPIC + "shoutaitao": ["首台套"]}


def test_links_in_the_documents_graphs_with_their_words(store):
    # 003 line 2011: duty (二十一) …负责民爆行业生产流通的监督管理; 002: 行业发展工作经费 (…民爆安全检查…)
    got, graphs = links(store, "minbao")
    duties = [b for a, b, c in got if a == "Responsibility" and c == "民爆"]
    assert len(duties) == 1 and "负责民爆行业生产流通的监督管理" in duties[0] and "承担盐业行业管理工作" in duties[0]
    assert ("Project", "行业发展工作经费", "民爆") in got
    assert all("/document/" in g for g in graphs)
    # 001 lines 1561/1669: the indicator 国家专精特新小巨人企业数量, matched by 小巨人企业
    got, _ = links(store, "xiaojuren")
    assert ("PerformanceIndicator", "国家专精特新小巨人企业数量", "小巨人企业") in got


def test_the_scheme_lives_in_its_own_graph(store):
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{TOPIC}zhuanjingtexin> ?p ?o }} }}"
    assert {s["g"].value for s in store.query(q)} == {TOPICS_GRAPH}


def test_topics_follow_a_custom_base_like_every_other_minted_iri(tmp_path):
    """`build --base` mints departments, divisions and concepts under the base; the topic scheme
    and a document's links to it go there too, so a store published under its own domain links
    only to its own topic pages (the invented sample 大连 2024 budget: its 数字化 projects)."""
    import pyoxigraph as ox

    from budgetkg.graph.build import build
    from budgetkg.graph.store import open_store
    base = "https://data.example.org/budget/"
    samples = __import__("pathlib").Path(__file__).resolve().parents[1] / "samples"
    reports = build([samples / "dalian_digital_2024_budget.txt"], tmp_path / "kg", base=base, validate=False)
    assert all(r.ok for r in reports)
    store = open_store(tmp_path / "kg", read_only=True)
    q = """PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?t ?label WHERE { GRAPH ?g { ?s dct:subject ?t } GRAPH ?r { ?t skos:prefLabel ?label } }"""
    linked = {(s["t"].value, s["label"].value) for s in store.query(q)}
    assert linked, "the sample's projects link to topics"
    assert all(t.startswith(base + "topic/") for t, _ in linked)
    assert any(label == "数字化转型" for _, label in linked)
    stray = store.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), '{TOPIC}') || "
                        f"(isIRI(?o) && STRSTARTS(STR(?o), '{TOPIC}'))) }}")
    assert not stray, "no topic IRI left under the default base"
