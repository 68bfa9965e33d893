"""What was built into a store: per document path, the sha256 of the content built, its graph,
the fingerprint of the code that built it and its report — so a build skips a document
whose content and code are unchanged, replaces one that changed, and a build interrupted
(killed, or stopped by an error) continues where it stopped.

`<store>/budgetkg-manifest.jsonl`, one JSON object a line, appended after each commit (a
line half-written by a kill is ignored) and compacted at the end of a build. The store stays
the truth: an entry counts only while its graph is in the store under its path."""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

MANIFEST_FILE = "budgetkg-manifest.jsonl"


def report_to_dict(report) -> dict:
    d = asdict(report)
    d["violations"] = list(report.violations) if isinstance(report.violations, list) else []
    return d


def report_from_dict(d: dict):
    from ..extract.model import DocumentProfile
    from .build import DocumentReport
    d = dict(d)
    profile = d.pop("profile", None)
    d["figures"] = tuple(d.get("figures") or (0, 0, 0, 0))
    known = DocumentReport.__dataclass_fields__
    report = DocumentReport(**{k: v for k, v in d.items() if k in known})
    if profile is not None:
        fields = DocumentProfile.__dataclass_fields__
        report.profile = DocumentProfile(**{k: v for k, v in profile.items() if k in fields})
    return report


class Manifest:
    """The entries of one store, by document path (`source_key`)."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / MANIFEST_FILE
        self.entries: dict[str, dict] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                e = json.loads(line)
            except ValueError:
                continue            # a line a kill cut short
            if isinstance(e, dict) and "key" in e:
                self.entries[e["key"]] = e

    def unchanged(self, key: str, sha256: str | None, fingerprint: str, sources: dict[str, set[str]]) -> dict | None:
        """The entry of `key` when its content and code are those built, and its graph is
        still in the store under that path."""
        e = self.entries.get(key)
        if not e or sha256 is None or e.get("sha256") != sha256 or e.get("fingerprint") != fingerprint:
            return None
        return e if key in sources.get(e.get("graph", ""), ()) else None

    def record(self, items: Iterable[tuple[str, str, str, str, object]]) -> None:
        """Append (key, sha256, graph, fingerprint, report) entries, durably."""
        lines = []
        for key, sha, graph, fingerprint, report in items:
            e = {"key": key, "sha256": sha, "graph": graph, "fingerprint": fingerprint,
                 "report": report_to_dict(report)}
            self.entries[key] = e
            lines.append(json.dumps(e, ensure_ascii=False))
        if not lines:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def compact(self, sources: dict[str, set[str]]) -> None:
        """Rewrite with one line per path whose graph is still in the store."""
        keep = {k: e for k, e in self.entries.items() if k in sources.get(e.get("graph", ""), ())}
        tmp = self.path.with_suffix(".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in keep.values()))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self.entries = keep
