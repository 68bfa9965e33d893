"""Policy topics: the SKOS scheme of ontology/topics.ttl, its Chinese labels made a jieba user
dictionary, and the links from what a document says (projects, their descriptions, indicators,
self-evaluation goals and accounts, duties, stated figures) to the topics whose words jieba finds
in it — each link with the words that matched and the field they matched in.

    quads_to_topic_quads(quads, graph) → the document's topic links, in its graph
    segment(text) → jieba's words, the scheme's labels kept whole (the search index uses it too)

The scheme itself is reference data: `scheme_quads()` puts it in its own graph (`TOPICS_GRAPH`),
written by the build like the ontology, never into a document's graph."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

import pyoxigraph as ox

from .vocab import BKG, DCT, DEFAULT_BASE, GRAPH_BASE, RDF, RDFS, SKOS

#: the graph the scheme lives in (a reference graph, loaded like the ontology's)
TOPICS_GRAPH = f"{GRAPH_BASE}reference/topics"
SCHEME = "https://w3id.org/budgetkg/id/topic"
NS = "https://w3id.org/budgetkg/topic#"     # the terms of a topic link, declared in topics.ttl


class TOPIC:
    """The terms of a topic link (declared in ontology/topics.ttl; a test keeps them in step)."""
    Match = ox.NamedNode(NS + "TopicMatch")
    match = ox.NamedNode(NS + "topicMatch")
    topic = ox.NamedNode(NS + "topic")
    word = ox.NamedNode(NS + "matchedWord")
    field = ox.NamedNode(NS + "matchedIn")


_TYPE = ox.NamedNode(str(RDF.type))
_SUBJECT = ox.NamedNode(str(DCT.subject))
#: what is read for topics: the kinds of resource, and their text fields by name
KINDS = frozenset(str(k) for k in (BKG.Project, BKG.PerformanceIndicator, BKG.PerformanceRecord,
                                   BKG.Responsibility, BKG.Statement))
FIELDS = {str(RDFS.label): "label", str(BKG.description): "description", str(BKG.goal): "goal",
          str(BKG.achieved): "achieved", str(BKG.about): "about"}
_BRACKETED = re.compile(r"[（(]\s*([\u4e00-\u9fff])\s*[)）]")     # 首台（套） → 首台套


def normalise(text: str) -> str:
    """One character in brackets is part of the word (首台（套）), not an aside."""
    return _BRACKETED.sub(r"\1", text)


def scheme_text() -> bytes:
    return resources.files("budgetkg.ontology").joinpath("topics.ttl").read_bytes()


def rebase(iri: str, base: str = DEFAULT_BASE) -> str:
    """A topic's IRI under the build's base (`--base`), as every other minted IRI is: topics.ttl
    writes them under the default base."""
    base = base if base.endswith("/") else base + "/"
    return base + iri[len(DEFAULT_BASE):] if base != DEFAULT_BASE and iri.startswith(DEFAULT_BASE) else iri


def _rebased(term, base: str):
    return ox.NamedNode(rebase(term.value, base)) if isinstance(term, ox.NamedNode) else term


def scheme_quads(base: str = DEFAULT_BASE) -> list[ox.Quad]:
    """The scheme, in its reference graph, its topics under `base`."""
    g = ox.NamedNode(TOPICS_GRAPH)
    return [ox.Quad(_rebased(t.subject, base), t.predicate, _rebased(t.object, base), g)
            for t in ox.parse(scheme_text(), format=ox.RdfFormat.TURTLE)]


@dataclass(frozen=True)
class Topic:
    iri: str
    label: str              # the Chinese prefLabel
    words: tuple[str, ...]  # every Chinese label, normalised
    broader: tuple[str, ...]


@lru_cache(maxsize=1)
def topics() -> dict[str, Topic]:
    """The scheme's topics by IRI."""
    labels: dict[str, list[str]] = {}
    pref: dict[str, str] = {}
    broader: dict[str, list[str]] = {}
    concept = str(SKOS.Concept)
    kinds = {str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.hiddenLabel)}
    concepts = set()
    for t in ox.parse(scheme_text(), format=ox.RdfFormat.TURTLE):
        s, p, o = t.subject.value, t.predicate.value, t.object
        if p == str(RDF.type) and o.value == concept:
            concepts.add(s)
        elif p in kinds and isinstance(o, ox.Literal) and o.language == "zh":
            labels.setdefault(s, []).append(normalise(o.value))
            if p == str(SKOS.prefLabel):
                pref[s] = o.value
        elif p == str(SKOS.broader):
            broader.setdefault(s, []).append(o.value)
    return {c: Topic(c, pref.get(c, ""), tuple(dict.fromkeys(labels.get(c, ()))), tuple(broader.get(c, ())))
            for c in sorted(concepts)}


@lru_cache(maxsize=1)
def dictionary() -> dict[str, str]:
    """Each label word → its topic."""
    return {w: t.iri for t in topics().values() for w in t.words}


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of our own (never jieba's global one) with the scheme's labels as words."""
    import jieba
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for word in dictionary():
        tk.add_word(word, freq=1_000_000)
    return tk


#: texts whose words a process keeps: row labels, economic and functional subjects, indicator
#: names and project names repeat across the tables of a document and across documents, and
#: segmenting is a third of making a document's topic links and index rows
SEGMENTED_TEXTS = 1 << 16


def segment(text: str) -> list[str]:
    """jieba's words of a text (precise mode, no new-word guessing), the scheme's labels whole."""
    return list(_segment(text))


@lru_cache(maxsize=SEGMENTED_TEXTS)
def _segment(text: str) -> tuple[str, ...]:
    return tuple(w for w in tokenizer().cut(normalise(text), HMM=False) if w.strip())


def search_tokens(text: str) -> list[str]:
    """The words an index keeps of a text: jieba's search mode (each word and the two- and
    three-character dictionary words inside it), the scheme's labels whole, and any label inside a
    longer word (专精特新 in 专精特新中小企业, which search mode would not give)."""
    return list(_search_tokens(text))


@lru_cache(maxsize=SEGMENTED_TEXTS)
def _search_tokens(text: str) -> tuple[str, ...]:
    words = [w for w in tokenizer().cut_for_search(normalise(text), HMM=False) if w.strip()]
    labels = dictionary()
    inner = [label for w in words if len(w) > 2 for label in labels if label != w and label in w]
    return tuple(words + inner)


def text_to_topics(text: str) -> dict[str, list[str]]:
    """The topics whose words a text holds: topic IRI → the words, as found."""
    words = dictionary()
    found: dict[str, list[str]] = {}
    for w in segment(text):
        t = words.get(w)
        if t is not None and w not in found.setdefault(t, []):
            found[t].append(w)
    return {t: ws for t, ws in found.items() if ws}


def _texts(quads: Iterable[ox.Quad]) -> Iterator[tuple[ox.NamedNode, str, str]]:
    """(resource, field, text) of the resources topics are read from."""
    typed: set[str] = set()
    fields: list[tuple[ox.NamedNode, str, str]] = []
    for q in quads:
        p = q.predicate.value
        if p == _TYPE.value and q.object.value in KINDS:
            typed.add(q.subject.value)
        elif p in FIELDS and isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode):
            fields.append((q.subject, FIELDS[p], q.object.value))
    for s, f, text in fields:
        if s.value in typed:
            yield s, f, text


def quads_to_topic_quads(quads: Iterable[ox.Quad], graph: ox.NamedNode,
                         base: str = DEFAULT_BASE) -> list[ox.Quad]:
    """The topic links of a document's resources, in the document's graph: `dct:subject` to the
    topic, and a bkgt:TopicMatch naming the topic, the words found and the fields they were in."""
    found: dict[tuple[str, str], tuple[ox.NamedNode, list[str], list[str]]] = {}
    for s, f, text in _texts(quads):
        for topic, words in text_to_topics(text).items():
            _, ws, fs = found.setdefault((s.value, topic), (s, [], []))
            ws.extend(w for w in words if w not in ws)
            if f not in fs:
                fs.append(f)
    out: list[ox.Quad] = []
    for (_, topic), (s, words, fields) in found.items():
        t = ox.NamedNode(rebase(topic, base))
        m = ox.NamedNode(f"{s.value}/topic/{topic.rsplit('/', 1)[-1]}")
        out += [ox.Quad(s, _SUBJECT, t, graph), ox.Quad(s, TOPIC.match, m, graph),
                ox.Quad(m, _TYPE, TOPIC.Match, graph), ox.Quad(m, TOPIC.topic, t, graph)]
        out += [ox.Quad(m, TOPIC.word, ox.Literal(w), graph) for w in words]
        out += [ox.Quad(m, TOPIC.field, ox.Literal(f), graph) for f in fields]
    return out
