"""Entity linking: which catalog services a passage mentions, and which one it is about.

All names are found in one pass with a single compiled pattern, longest name first. Abbreviations
(all-capital names such as ALB or SNS) match only as written; names that are also English words
(Config, Glue, Backup, ...) match only where the context says they are the service.

Examples
--------
>>> from graph_data.catalog import load_catalog
>>> linker = Linker(load_catalog())
>>> [m.service for m in linker.find("Kinesis Data Firehose loads into S3 buckets")]
['kinesis-data-firehose', 's3']
>>> [m.service for m in linker.find("back up the config file in a batch")]
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graph_data.catalog import Catalog, load_catalog, normalize
from graph_data.records import LinkedPassage, Mention, Passage

__all__ = ["Linker", "link_passages"]

_ABBREVIATION = re.compile(r"^[A-Z][A-Z&]{1,5}s?$")
# After a sentence-initial common-word name, what follows shows whether the service is meant.
_SERVICE_NEXT = re.compile(
    r"^(?:\s*$|\s*\n|\s*[:\-–—(,→]|\s+(?:vs\b|is|are|was|will|can|could|does|has|provides|"
    r"supports|lets|allows|helps|runs|uses|integrates|works|jobs?|rules?)\b)",
)
_TITLE_WORD_AFTER = re.compile(r"^[ \t]+(?:(?:and|&)[ \t]+)?(?!AWS\b|Amazon\b)([A-Z][a-z][\w-]*)")
_SENTENCE_START = re.compile(r"(?:(?:^|\n)\s*(?:[-*+•◦▪▼]|\d+[.)])?\s*|[.!?:;]\s+|[(\"“|•]\s*)$")
_TITLE_WORD_BEFORE = re.compile(
    r"(?<![.!?:;]\s)\b(?!AWS\b|Amazon\b|Use\b|The\b|With\b)[A-Z][\w-]*\s$"
)


def _form_pattern(form: str) -> str:
    """A regex for one written form: spaces match spaces or hyphens, hyphens are optional."""
    parts = []
    for word in re.split(r"([\s\-]+)", form):
        if not word:
            continue
        if word.isspace():
            parts.append(r"[ \t\-]+")
        elif set(word) == {"-"}:
            parts.append(r"[ \t\-]?")
        else:
            parts.append(re.escape(word))
    return "".join(parts)


class Linker:
    """Finds catalog entries in text; one instance per catalog (the pattern is built once)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        alternatives: list[tuple[int, str]] = []
        for sid in self.catalog:
            service = self.catalog[sid]
            # Only the official name loses its prefix: "AWS IoT" must not make "IoT" a name.
            forms = (
                re.sub(r"^(?:Amazon|AWS)\s+", "", service.name),
                service.short,
                *service.aliases,
            )
            for form in dict.fromkeys(forms):
                if len(form) < 2:
                    continue
                if _ABBREVIATION.match(form) or form in self.catalog.cased:
                    exact.setdefault(form.rstrip("s") if form.endswith("s") else form, sid)
                    alternatives.append((len(form), _form_pattern(form)))
                else:
                    folded.setdefault(normalize(form), sid)
                    alternatives.append((len(form), f"(?i:{_form_pattern(form)})"))
        for key, sid in self.catalog.ambiguous.items():
            folded[key] = sid
        for form in list(exact):
            if normalize(form) in self.catalog.ambiguous:
                exact[form] = self.catalog.ambiguous[normalize(form)]
        alternatives.sort(key=lambda t: -t[0])
        body = "|".join(dict.fromkeys(p for _, p in alternatives))
        self._pattern = re.compile(
            rf"(?<![\w@/.\-])(?P<prefix>(?i:amazon|aws)[ \t\-]+)?(?P<name>{body})(?:e?s)?(?![\w@])"
        )
        self._exact, self._folded = exact, folded
        # Single-word names of common-word services need context; longer aliases do not.
        self._risky = {
            sid: {normalize(f) for f in self.catalog.surface_forms(sid) if len(f.split()) == 1}
            for sid in self.catalog
            if self.catalog[sid].common_word
        }

    def _lookup(self, name: str) -> tuple[str, str] | None:
        """The service a matched name stands for, and the catalog key that matched."""
        bare = name[:-1] if name.endswith("s") else name
        for key in (name, bare, name[:-2] if name.endswith("es") else name):
            if key in self._exact:
                return self._exact[key], normalize(key)
        for key in (normalize(name), normalize(bare), normalize(name[:-2])):
            if key in self._folded:
                return self._folded[key], key
        return None

    def find(self, text: str) -> list[Mention]:
        """Every service mention in ``text``, in order, as :class:`Mention` records."""
        found = []
        for m in self._pattern.finditer(text):
            surface = m.group(0)
            name = surface[len(m.group("prefix") or "") :]
            hit = self._lookup(name)
            if hit is None:
                continue
            sid, key = hit
            if self.catalog[sid].common_word and not self._means_service(text, m, name, key):
                continue
            found.append(Mention(sid, m.start(), m.end(), surface))
        return found

    def _means_service(self, text: str, m: re.Match[str], name: str, key: str) -> bool:
        """Context check for names that are also English words (Config, Glue, Backup, ...)."""
        if m.group("prefix"):
            return True
        if not name[:1].isupper():
            return False
        sid = self._lookup(name)[0]
        if key not in self._risky.get(sid, ()):
            return True  # a longer alias such as "Glue job" or "Shield Advanced"
        if normalize(name) != key or (name.isupper() and len(name) > 3):
            return False  # "Backups", "BATCH": the word, not the service
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 40]
        if _TITLE_WORD_BEFORE.search(before):
            return False  # part of another name, e.g. "OpenID Connect"
        title = _TITLE_WORD_AFTER.match(after)
        if title and not self._pattern.match(after, title.start(1)):
            return False  # part of a title, e.g. "Backup and Restore"
        if _SENTENCE_START.search(before):
            return bool(_SERVICE_NEXT.match(after))  # "Glue is ...", not "Batch processing"
        return True

    @lru_cache(maxsize=4096)  # noqa: B019 - one linker lives as long as its catalog
    def _heading_services(self, title: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.service for m in self.find(title)))

    def subject_of(self, heading: tuple[str, ...]) -> str | None:
        """The service a heading path is about: the deepest heading naming exactly one."""
        for title in reversed(heading):
            services = self._heading_services(title)
            if len(services) == 1:
                return services[0]
            if len(services) > 1:
                kept = [s for s in services if self.catalog[s].parent not in services]
                if len(kept) == 1:
                    return kept[0]
        return None

    def link(self, passage: Passage) -> LinkedPassage:
        """The passage with its mentions and subject."""
        return LinkedPassage(
            passage, tuple(self.find(passage.text)), self.subject_of(passage.heading)
        )


def link_passages(
    passages: Iterable[Passage], catalog: Catalog | None = None
) -> list[LinkedPassage]:
    """Link many passages with one linker."""
    linker = Linker(catalog)
    return [linker.link(p) for p in passages]
