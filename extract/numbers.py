"""Exact amounts from printed cells: Decimal, never float; empty is None, not zero."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: printed unit → power of ten that turns it into 元 (sdmx unitMult)
UNIT_MULT = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}

_TAG = re.compile(r"</?\s*[a-zA-Z][^>]*>")
_LATEX = re.compile(r"\$\s*\\(geq|ge)\s*\$|\\geq?|\$\s*\\(leq|le)\s*\$|\\leq?|\$")
_EMPTY_MARKS = {"", "-", "—", "–", "--", "/", "－", "——", "…"}
_AMOUNT = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^[-−]?\d+(\.\d+)?%$")


_DEBRIS = re.compile(r"[<$\\\u00a0\u3000\ufffd]")
#: the pure text functions below are asked about the same cell many times over (a row's cells by
#: each interpreter that tries the table, then by the checks): their answers are kept
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def clean_text(text: str) -> str:
    """Remove converter debris (HTML tags, LaTeX, NBSP, full-width forms) from a cell."""
    if not text:
        return ""
    if not _DEBRIS.search(text):
        return text.strip()          # the common case: nothing to remove
    text = _TAG.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\ufffd", "")
    text = re.sub(r"\$\\geq\s*(.*?)\$", r"≥\1", text)
    text = re.sub(r"\$\\leq\s*(.*?)\$", r"≤\1", text)
    text = text.replace("\\%", "%")
    return text.strip()


@lru_cache(maxsize=_CACHE)
def halfwidth(text: str) -> str:
    """Full-width digits and ASCII punctuation to half-width (NFKC on those only)."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and (ch.isdigit() or ch in "．，％－＋"):
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def amount_text(text: str) -> str:
    """The printed number stripped of separators and stray spaces, ready for Decimal."""
    t = halfwidth(clean_text(text)).replace(" ", "").replace(",", "").replace("，", "")
    return t.replace("−", "-")


@lru_cache(maxsize=_CACHE)
def is_amount(text: str) -> bool:
    """One printed figure. Digits a space apart are two figures (`100 200` is never 100200): a
    figure wrapped inside its cell is joined by the reader, where the ruling proves it."""
    c = halfwidth(clean_text(text)).strip()
    if re.search(r"\d\s+\d", c) and not re.fullmatch(r"-?\d{1,3}(?: \d{3})+\.\d+", c):
        return False    # only a thousands grouping with a decimal part (1 425.40) is one figure
    return bool(_AMOUNT.match(c.replace(" ", "")))


@lru_cache(maxsize=_CACHE)
def is_empty(text: str) -> bool:
    return clean_text(text).replace(" ", "") in _EMPTY_MARKS


def parse_amount(text: str) -> Decimal | None:
    """Decimal of a printed amount, None for an empty cell; ValueError for anything else."""
    if is_empty(text):
        return None
    if not is_amount(text):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Decimal(amount_text(text))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(f"not an amount: {text!r}") from exc




def to_yuan(value: Decimal, unit_mult: int) -> Decimal:
    """Normalise to 元 exactly (万元 → ×10⁴), keeping the printed precision."""
    return value.scaleb(unit_mult)


def unit_of(text: str) -> int | None:
    """unitMult of the first 单位 declaration in a line ("单位：万元", "金额单位：元")."""
    m = re.search(r"单位\s*[:：]\s*(亿元|万元|千元|元)", text)
    if m:
        return UNIT_MULT[m.group(1)]
    m = re.search(r"[（(](亿元|万元|千元|元)[)）]", text)
    return UNIT_MULT[m.group(1)] if m else None


_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff，。；：、（）“”《》])\s+|\s+(?=[\u3400-\u9fff，。；：、（）“”《》])")


def tidy_prose(text: str) -> str:
    """Prose as a reader would quote it: no spaces beside Chinese characters (PDF renderers
    drop them, text converters add them), single spaces elsewhere."""
    return re.sub(r"\s{2,}", " ", _CJK_SPACE.sub("", clean_text(text))).strip()
