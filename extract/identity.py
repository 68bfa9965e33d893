"""Who a document is about, the same across years and kinds of document.

A department prints its name in many forms: with or without its place (江苏省委办公厅 /
中共江苏省委办公厅 / 中国共产党江苏省委员会办公厅), with 本级 or 汇总 beside it. `department_key`
reduces every form to one key (the name without its place, party and committee long forms
shortened), from which the department's IRI and its one label are made; the printed forms stay
as alternative labels. A unit printed under the department's own name is its 本级 unit.

No city, file or year is named here: only the forms of names."""
from __future__ import annotations

import re

#: long forms and their usual short forms, applied in order
_FORMS = [
    (re.compile(r"^中国共产党"), "中共"),
    (re.compile(r"^中国人民政治协商会议(.+?)委员会"), r"\1政协"),
    (re.compile(r"人民代表大会常务委员会"), "人大常委会"),
    (re.compile(r"常务委员会"), "常委会"),
    (re.compile(r"(省|市|区|县|州|旗)委员会"), r"\1委"),
]
_SCOPE = re.compile(r"[（(]?\s*(本级|汇总|部门汇总|合并)\s*[)）]?$")
_LEVELS = "省市区县州旗"


def scope_of(name: str) -> str | None:
    m = _SCOPE.search(name.strip())
    return m.group(1) if m else None


def normalised(name: str) -> str:
    """A printed name in one form: no spaces, long forms shortened, 中共 and 本级/汇总 dropped."""
    text = re.sub(r"\s+", "", name)
    text = _SCOPE.sub("", text)
    for pattern, short in _FORMS:
        text = pattern.sub(short, text)
    return re.sub(r"^中共", "", text)


def strip_places(name: str, places: list[str]) -> str:
    """The name without the places that open it (江苏省…, 上海市普陀区…). A party or assembly body
    keeps its level: 江苏省委办公厅 → 省委办公厅, never 委办公厅."""
    changed = True
    while changed:
        changed = False
        for place in sorted((p for p in places if p), key=len, reverse=True):
            bare = place[:-1] if place[-1] in _LEVELS and len(place) > 2 else place
            for form in (place, bare):
                if name.startswith(form) and len(name) > len(form) + 1:
                    rest = name[len(form):]
                    if form == place and rest[0] in "委" and place[-1] in _LEVELS:
                        rest = place[-1] + rest
                    if rest != name:
                        name, changed = rest, True
                    break
            if changed:
                break
    return name


def places_of(p) -> list[str]:
    return [x for x in (p.province, p.city, p.district) if x and x != "市辖区"]


def department_key(p) -> str:
    """The key of a document's department (its IRI's last part)."""
    name = p.department or p.department_short or ""
    key = strip_places(normalised(name), places_of(p))
    return key or normalised(p.department_short or name)


def department_label(p, key: str) -> str:
    """One label per department: its nearest place and its key (江苏省 + 省委办公厅 → 江苏省委办公厅)."""
    place = p.district or p.city or p.province or ""
    if not place or key.startswith(place):
        return key
    if key[0] == place[-1] and place[-1] in _LEVELS:
        return place[:-1] + key
    return place + key


def unit_key(p, name: str, dept_key: str) -> tuple[str, str]:
    """(key, label) of a unit: a unit printed under the department's own name is its 本级."""
    key = strip_places(normalised(name), places_of(p))
    if key == dept_key:
        return dept_key + "本级", department_label(p, dept_key) + "（本级）"
    return key, re.sub(r"\s+", "", name)
