"""Entity linking: which catalog services a passage mentions, and which one it is about.

The text is read once, word by word; at each word the longest catalog name starting there wins,
found by table look-ups (never a loop over services). Abbreviations (all-capital names such as
ALB or SNS) match only as written; names that are also English words (Config, Glue, Backup, ...)
match only where the context says they are the service. URLs, link anchors and e-mail addresses
are not prose and are skipped.

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

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import PurePosixPath

from graph_data.catalog import Catalog, load_catalog, normalize
from graph_data.records import LinkedPassage, Mention, Mentions, Passage

__all__ = ["Linker", "link_passages"]

_ABBREVIATION = re.compile(r"^[A-Z][A-Z&]{1,5}s?$")
# After a sentence-initial common-word name, what follows shows whether the service is meant.
_SERVICE_NEXT = re.compile(
    r"^(?:\s*$|\s*\n|\s*[:\-–—(,→]|\s+(?:vs\b|is|are|was|will|can|could|does|has|provides|"
    r"supports|lets|allows|helps|runs|uses|integrates|works|jobs?|rules?|devices?|client|"
    r"that|which|cannot|can't|should|must|may|might|would|needs?|records|checks|stores|sends|"
    r"console|agent|vaults?|plans?|crawlers?|findings)\b)",
)
_TITLE_WORD_AFTER = re.compile(r"^[ \t]+(?:(?:and|&)[ \t]+)?(?!AWS\b|Amazon\b)([A-Z][a-z][\w-]*)")
_SENTENCE_START = re.compile(r"(?:(?:^|\n)\s*(?:[-*+•◦▪▼]|\d+[.)])?\s*|[.!?:;]\s+|[(\"“|•]\s*)$")
_TITLE_WORD_BEFORE = re.compile(
    r"(?<![.!?:;]\s)\b(?!AWS\b|Amazon\b|Use\b|The\b|With\b)[A-Z][\w-]*\s$"
)


#: The longest name in words ("Amazon S3 Glacier Deep Archive" is five).
MAX_WORDS = 7
# A possessive "'s" ends the word: "CLB's security group" names the CLB.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9@&]*(?:'(?![sS]\b)[A-Za-z0-9@&]+)*")
# "SNS/SES/SQS", "S3/Redshift": a slash between capitalised words lists names; it is a path
# ("aws/lambda", "/var/log") otherwise.
_SLASH_LIST = re.compile(r"[A-Za-z0-9]/[A-Z]")
_LIST_JOINT = re.compile(r"\s*(?:[,/&;]|\band\b|\bor\b)\s*", re.I)
_COORDINATED = re.compile(r"\b([A-Z][A-Za-z0-9-]*)\s+(?:and|or|&|/)\s+$")
_SPELLED_WORD = re.compile(r"[A-Za-z][\w-]*")
_ACTION = re.compile(r":[A-Za-z*]")
_GAP = re.compile(r"[ \t\-]+|")
_PREFIX_WORDS = re.compile(r"^(?:Amazon|AWS)\s+")
# Not prose: URLs (with or without a scheme), Markdown link anchors, e-mail and user@host.
_NON_PROSE = re.compile(
    r"(?:https?://|www\.)[^\s)\]>\"']+"
    r"|\b(?:[\w-]+\.)+(?:com|org|net|io|cn)(?:/[^\s)\]>\"']*)?"
    r"|\(#[^)\s]*\)"
    r"|[\w.+-]+@(?![Ee]dge\b)(?:[a-z0-9][\w.-]*|[\w-]+\.[A-Za-z]{2,})"
    r"|\barn:[\w:/*.\-]+"
)
# "1 EB", "5 TB": a two-letter capital word right after a number is a unit, not a service.
_NUMBER_BEFORE = re.compile(r"\d[ \t]?$")
# "Config file", "Batch size": the following word shows the English sense.
_ORDINARY_NEXT = re.compile(
    r"^[ \t]+(?:files?|size|sizes|processing|of|to|the|your|a|an)\b", re.IGNORECASE
)


def _fold(name: str) -> str:
    """A look-up key that keeps an Amazon/AWS prefix ("AWS IoT" -> "awsiot")."""
    return re.sub(r"[\s\-_]+", "", name).lower()


#: Cheap signs that a text may hold something :data:`_NON_PROSE` finds (most passages do not).
_NON_PROSE_SIGNS = ("://", "www.", "@", "(#", ".com", ".org", ".net", ".io", ".cn", "arn:")


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are not prose (URLs, anchors, addresses), in order."""
    if not any(sign in text for sign in _NON_PROSE_SIGNS):
        return []
    return [m.span() for m in _NON_PROSE.finditer(text)]


_PIECE = 1 << 15


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` of about :data:`_PIECE` characters, cut where no name can run across.

    A note of one 20 MB line is scanned a piece at a time, so its word list stays small.
    """
    start, n = 0, len(text)
    while n - start > _PIECE:
        cut = start + _PIECE
        window = text[start + _PIECE // 2 : cut]
        # No name runs across these.
        found = max(window.rfind(c) for c in "\n.|,;")
        if found < 0:
            found = max(window.rfind(" "), window.rfind("\t"))
        if found >= 0:
            cut = start + _PIECE // 2 + found + 1
        yield start, cut
        start = cut
    yield start, n


def _covers(found: list[Mention], starts: list[int], at: int) -> bool:
    """Whether a mention of ``found`` (ordered, without overlaps) covers offset ``at``."""
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and found[i].start <= at < found[i].end


def _squash(name: str) -> str:
    """A written name without spaces and hyphens, case kept ("Auto-Scaling" -> "AutoScaling")."""
    return re.sub(r"[\s\-_]+", "", name)


def _singulars(key: str) -> tuple[str, ...]:
    """A key and the forms it could be the plural of ("ALBs" -> "ALB", "Batches" -> "Batch")."""
    out = [key]
    if key.endswith(("s", "S")) and len(key) > 2:
        out.append(key[:-1])
    if key.endswith(("es", "ES")) and len(key) > 3:
        out.append(key[:-2])
    if key.endswith("ies") and len(key) > 4:
        out.append(key[:-3] + "y")  # "Bucket Policies" -> "Bucket Policy"
    return tuple(out)


#: How many of the nearest mentions can decide what a context-bound form means: looking
#: further makes a page of such forms quadratic, and a name that far off is not its context.
NEAREST = 32


def _nearest(mentions: list[Mention], at: int, start: int) -> Iterator[Mention]:
    """Up to :data:`NEAREST` of ``mentions`` (sorted by start), nearest ``start`` first.

    ``at`` is where ``start`` would go in the list; on a tie the earlier mention comes first.
    """
    left, right = at - 1, at
    for _ in range(NEAREST):
        if left >= 0 and (
            right >= len(mentions) or start - mentions[left].start <= mentions[right].start - start
        ):
            yield mentions[left]
            left -= 1
        elif right < len(mentions):
            yield mentions[right]
            right += 1
        else:
            return


def _with_plurals(words: Iterable[str]) -> frozenset[str]:
    """The words and every form :func:`_singulars` takes back to one of them."""
    out = set(words)
    for w in list(out):
        if len(w) >= 2:
            out.update((w + "s", w + "es"))
        if len(w) >= 3 and w.endswith("y"):
            out.add(w[:-1] + "ies")
    return frozenset(out)


_MEMO_SIZE = 50_000
# A folded name this short is an abbreviation, never a plural name written singular.
_SHORT = 3
# A tail is said for the whole name only where its family is around: "Streams" under a
# DynamoDB heading. Lower-case first words ("for Redis", "on EKS") are not names.
_TAIL = re.compile(r"^[A-Z][\w\-]*(?:\s+[A-Za-z][\w\-]*)*$")


def _is_tail(tail: str, official: bool) -> bool:
    """Whether a name's tail can stand for it: several words, or the plural of an official name.

    One word in the singular ("Gateway", "Security", "Standard") is said of too much else.
    """
    if not _TAIL.match(tail):
        return False
    return " " in tail


def _family_tails(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Names of parts without their parent's name ("Data Streams" of "Kinesis Data Streams").

    Each tail maps to the parts it can stand for, in catalog order.
    """
    tails: dict[str, list[str]] = {}
    for sid in catalog:
        service = catalog[sid]
        if not service.parent:
            continue
        parent = catalog[service.parent]
        heads = {_PREFIX_WORDS.sub("", f) for f in (parent.name, parent.short)}
        official = {_PREFIX_WORDS.sub("", f) for f in (service.name, service.short)}
        for form in official | {_PREFIX_WORDS.sub("", f) for f in service.aliases}:
            for head in heads:
                if len(head) > 1 and form.lower().startswith(head.lower() + " "):
                    tail = form[len(head) :].strip()
                    if _is_tail(tail, form in official) and sid not in tails.get(tail, ()):
                        tails.setdefault(tail, []).append(sid)
    return {tail: tuple(owners) for tail, owners in tails.items()}


# A heading comparing services ("EBS vs EFS") leaves its section's subject in place.
_COMPARISON = re.compile(r"\bvs\b|\bversus\b|\bcompar", re.I)


class Linker:
    """Finds catalog entries in text; one instance per catalog (the tables are built once).

    The text is read once as a sequence of words; at each word, the longest run of up to
    :data:`MAX_WORDS` words that is a catalog name wins. Names are looked up in two tables: one
    for names matched in any case, one for abbreviations and other names matched only as written.
    """

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        first_words: set[str] = set()
        for sid in self.catalog:
            service = self.catalog[sid]
            # Only the official name loses its prefix: "AWS IoT" must not make "IoT" a name.
            # Names that are everyday phrases without it ("Parallel Computing") keep it.
            if sid in self.catalog.prefixed:
                forms = (service.name, *service.aliases)
            else:
                forms = (_PREFIX_WORDS.sub("", service.name), service.short, *service.aliases)
            for form in dict.fromkeys(forms):
                if len(form) < 2:
                    continue
                first_words.add(re.split(r"[\s\-]+", form)[0].lower())
                first_words.update(_singulars(_fold(form)))  # written as one word: "StepFunction"
                if _ABBREVIATION.match(form) or form in self.catalog.cased:
                    exact.setdefault(_squash(form), sid)
                else:
                    folded.setdefault(_fold(form), sid)
        for key, sid in self.catalog.ambiguous.items():
            if key in folded:
                folded[key] = sid
        for key in list(exact):
            if normalize(key) in self.catalog.ambiguous:
                exact[key] = self.catalog.ambiguous[normalize(key)]
        # Forms that name an entry only in context, by the table they are matched in: ("x",
        # written form) for abbreviations and cased names, ("f", folded form) for the rest. A
        # cased form still counts as written; in other cases it is looked up folded, in context.
        contextual: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {}
        for form, spec in self.catalog.contextual.items():
            if form in self.catalog.cased:
                folded.setdefault(_fold(form), spec[0][0])
                contextual[("f", _fold(form))] = spec
            elif _ABBREVIATION.match(form):
                contextual[("x", _squash(form))] = spec
            else:
                contextual[("f", _fold(form))] = spec
        for tail, owners in _family_tails(self.catalog).items():
            one_word = " " not in tail
            table, key = (exact, _squash(tail)) if one_word else (folded, _fold(tail))
            if key in exact or key in folded or _fold(tail) in folded:
                continue  # a name of its own already ("Glacier", "Firehose")
            table[key] = owners[0]
            first_words.add(re.split(r"[\s\-]+", tail)[0].lower())
            contextual[("x" if one_word else "f", key)] = (owners, False)
        self._contextual = contextual
        self._contextual_ids = frozenset(spec[0][0] for spec in contextual.values())
        self._owner_family = {
            o: frozenset({o, *self._family(o), *self.catalog.children(o)})
            for spec in contextual.values()
            for o in spec[0]
        }
        self._exact, self._folded = exact, folded
        self._memo: dict[str, tuple[str, str] | None] = {}
        # Most words start no name at all: this set lets find() skip them at once.
        self._first_words = _with_plurals(first_words)
        # Single-word names of common-word services need context; longer aliases do not.
        self._risky = {
            sid: {_fold(f) for f in self.catalog.surface_forms(sid) if len(f.split()) == 1}
            for sid in self.catalog
            if self.catalog[sid].common_word
        }
        # A one-word cut of a longer name ("On-Demand" for "On-Demand Instances") is said of
        # other things too (DynamoDB's on-demand mode): it counts only beside its family.
        self._needs_family = {
            sid: self._family(sid)
            for sid in self._risky
            if len(self.catalog[sid].short.split()) > 1 and self.catalog[sid].parent
        }

    def _family(self, sid: str) -> frozenset[str]:
        """The parent and siblings of an entry."""
        parent = self.catalog[sid].parent
        if parent is None:
            return frozenset()
        return frozenset({parent, *self.catalog.children(parent)} - {sid})

    def _lookup(self, name: str) -> tuple[str, str] | None:
        """The service a written name stands for, and the catalog key that matched."""
        # Notes repeat the same few names: remembering the answers halves the scan of a big
        # note. The memo is bounded so that a note of endless distinct words stays small.
        if name in self._memo:
            return self._memo[name]
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        found = self._memo[name] = self._lookup_uncached(name)
        return found

    def _lookup_uncached(self, name: str) -> tuple[str, str] | None:
        squashed = _squash(name)
        for key in _singulars(squashed):
            if key in self._exact:
                return self._exact[key], _fold(key)
        folded = squashed.lower()
        if folded.endswith("mgr"):
            folded = folded[:-3] + "manager"  # note-taking shorthand: "secrets mgr"
        # Names kept only in the plural ("DynamoDB Global Tables") are written singular too; an
        # abbreviation is not ("EB" is no EBS, "EC" no ECS).
        plural = (folded + "s",) if len(folded) > _SHORT else ()
        for key in (*_singulars(folded), *plural):
            if key in self._folded:
                return self._folded[key], key
        return None

    def _longest(
        self, text: str, words: list[re.Match[str]], i: int
    ) -> tuple[int, str, str] | None:
        """The longest name starting at word ``i``: (last word index, service id, key)."""
        if words[i].group(0).lower() not in self._first_words:
            return None
        best = None
        last = min(len(words), i + MAX_WORDS)
        for j in range(i, last):
            if j > i and not _GAP.fullmatch(text, words[j - 1].end(), words[j].start()):
                break
            hit = self._lookup(text[words[i].start() : words[j].end()])
            if hit:
                best = (j, *hit)
        return best

    def find(self, text: str, context: Iterable[str] = ()) -> Mentions:
        """Every service mention in ``text``, in order, as :class:`Mention` records.

        ``context`` holds services known to be around (those of the heading path): a one-word
        cut of a longer name such as "On-Demand" counts only next to its family.

        Examples
        --------
        >>> from graph_data.catalog import load_catalog
        >>> linker = Linker(load_catalog())
        >>> found = linker.find("Two NAT Gateways and the AWS Config rules")
        >>> [(m.service, m.surface) for m in found]
        [('nat-gateway', 'NAT Gateways'), ('config', 'AWS Config rules')]
        """
        context = tuple(context)
        # Packed as they are found: a 20 MB line names millions, too many to hold as records.
        found = Mentions(self._scan(text, context))
        services = set(found.services())
        if not self._needs_family.keys() & services:
            return found
        around = services | set(context)
        return Mentions(
            m
            for m in found
            if m.service not in self._needs_family
            or not self._is_cut(m)
            or self._needs_family[m.service] & (around - {m.service})
        )

    def _contextual_spec(self, surface: str) -> tuple[tuple[str, ...], bool] | None:
        """The owners of a mention written with a context-bound form, or None."""
        for written in dict.fromkeys((surface, _PREFIX_WORDS.sub("", surface))):
            squashed = _squash(written)
            for key in _singulars(squashed):
                if key in self._exact:
                    return self._contextual.get(("x", key))
            hit = self._lookup(squashed)
            if hit:
                return self._contextual.get(("f", hit[1]))
        return None

    def _in_context(
        self, found: list[Mention], context: Iterable[str], text: str = ""
    ) -> list[Mention]:
        """Mentions with context-bound forms given to the owner their surroundings name.

        The nearest heading naming an owner's family decides, then the nearest other mention in
        the passage; then an abbreviation that is an item of a list of services ("S3 / Redshift /
        ES") is the service it abbreviates; with no hint the form's default owner is meant, or
        nothing at all.
        """
        specs = [
            self._contextual_spec(m.surface) if m.service in self._contextual_ids else None
            for m in found
        ]
        if not any(specs):
            return found
        headings = tuple(reversed(tuple(context)))
        plain = [m for m, spec in zip(found, specs, strict=True) if spec is None]
        starts = [x.start for x in plain]
        out = []
        for m, spec in zip(found, specs, strict=True):
            if spec is None:
                out.append(m)
                continue
            owners, default = spec
            at = bisect.bisect_left(starts, m.start)
            near = (x.service for x in _nearest(plain, at, m.start))
            chosen = next(
                (
                    o
                    for around in itertools.chain(headings, near)
                    for o in owners
                    if around in self._owner_family[o]
                ),
                owners[0]
                if default or self._listed(text, m, plain[max(at - 1, 0) : at + 1])
                else None,
            )
            if chosen is not None:
                out.append(Mention(chosen, m.start, m.end, m.surface))
        return out

    @staticmethod
    def _listed(text: str, m: Mention, plain: list[Mention]) -> bool:
        """Whether an abbreviation stands in a list of services, next to one of ``plain``.

        Only the mentions just before and just after it can be its neighbours in a list.
        """
        if not (text and _ABBREVIATION.match(m.surface)):
            return False
        return any(
            _LIST_JOINT.fullmatch(text, x.end, m.start)
            or _LIST_JOINT.fullmatch(text, m.end, x.start)
            for x in plain
        )

    def _is_cut(self, m: Mention) -> bool:
        """Whether a mention is written as a one-word cut ("On-Demand") of its entry's name."""
        hit = self._lookup(_PREFIX_WORDS.sub("", m.surface))
        return hit is not None and hit[1] in self._risky.get(m.service, ())

    def _scan(self, text: str, context: tuple[str, ...]) -> Iterator[Mention]:
        """One pass over the words of ``text``, longest name first at each word, a piece at a time.

        Coordinated names and context-bound forms are settled within a piece: no name runs
        across pieces, and a neighbour a piece away (thousands of characters) is no context.
        """
        masked = _masked(text)
        # One string per distinct surface: a big note repeats a few names a million times.
        surfaces: dict[str, str] = {}
        k = 0
        for lo, hi in _pieces(text):
            found: list[Mention] = []
            k = self._scan_piece(text, lo, hi, masked, k, found, surfaces)
            found = self._ellipses(text, found)
            if self._contextual_ids.intersection(m.service for m in found):
                found = self._in_context(found, context, text)
            yield from found

    def _scan_piece(self, text, lo, hi, masked, k, found, surfaces) -> int:
        """Scan the words of ``text[lo:hi]`` into ``found``; the index of the next mask."""
        words = list(_WORD.finditer(text, lo, hi))
        i = 0
        while i < len(words):
            w = words[i]
            while k < len(masked) and masked[k][1] <= w.start():
                k += 1
            if k < len(masked) and masked[k][0] <= w.start():
                i += 1  # inside a URL, a link anchor or an address
                continue
            after_slash = w.start() > 1 and bool(_SLASH_LIST.match(text, w.start() - 2))
            if (
                w.start() and text[w.start() - 1] in "/.\\@_#" and not after_slash
            ) or _ACTION.match(text, w.end()):
                i += 1  # inside a path or an IAM action ("s3:PutObject")
                continue
            hit, name_start = None, w.start()
            prefixed = w.group(0).lower() in ("aws", "amazon") and i + 1 < len(words)
            if prefixed and _GAP.fullmatch(text, w.end(), words[i + 1].start()):
                hit, name_start = self._longest(text, words, i + 1), words[i + 1].start()
                whole = self._longest(text, words, i) if hit else None
                if hit and whole and whole[0] >= hit[0] and whole[1] != hit[1]:
                    hit, name_start = whole, w.start()  # "Amazon ES" is a name of its own
            if hit is None:
                hit, name_start = self._longest(text, words, i), w.start()
            if hit is None:
                i += 1
                continue
            j, sid, key = hit
            end = words[j].end()
            name = text[name_start:end]
            is_prefixed = name_start != w.start()
            if self._is_unit(text, name_start, name) or self._spelled_otherwise(
                text, w.start(), end, sid
            ):
                pass
            elif not self.catalog[sid].common_word or self._means_service(
                text, w.start(), end, name, key, prefixed=is_prefixed
            ):
                surface = text[w.start() : end]
                surface = surfaces.setdefault(surface, surface)
                found.append(Mention(sid, w.start(), end, surface))
            i = j + 1
        return k

    def _ellipses(self, text: str, found: list[Mention]) -> list[Mention]:
        """Coordinated names sharing a head: "Application and Classic Load Balancers" names two."""
        extra = []
        starts = [x.start for x in found]
        for m in found:
            words = m.surface.split()
            if len(words) < 2:
                continue
            before = _COORDINATED.search(text, max(0, m.start - 40), m.start)
            if before is None or _covers(found, starts, before.start(1)):
                continue  # "API Gateway and Application Load Balancer": a name of its own
            name = f"{before.group(1)} {' '.join(words[1:])}"
            hit = self._lookup(name)
            if hit and hit[0] != m.service:
                span = before.span(1)
                extra.append(Mention(hit[0], span[0], span[1], before.group(1)))
        if not extra:
            return found
        taken = {(x.start, x.end) for x in found}
        return sorted(
            [*found, *(x for x in extra if (x.start, x.end) not in taken)], key=lambda x: x.start
        )

    def _spelled_otherwise(self, text: str, start: int, end: int, sid: str) -> bool:
        """Whether the note spells an abbreviation out as something else, before it in brackets.

        "Velocity Template Language (VTL)" defines VTL for its note: not the Virtual Tape Library.
        Only an entry whose names spell the abbreviation out themselves can be told apart this
        way; the note's words must give the same initials and share no word with its names.
        """
        # Checked first: it runs for every mention of a big note, and brackets after one are rare.
        if text[end : end + 1] != ")":
            return False
        abbreviation = text[start:end]
        if not _ABBREVIATION.match(abbreviation):
            return False
        if text[max(0, start - 2) : start].strip()[-1:] != "(":
            return False
        letters = abbreviation.rstrip("s")
        words = _SPELLED_WORD.findall(text, max(0, start - 80), start)[-len(letters) :]
        if len(words) < len(letters) or "".join(w[0] for w in words).upper() != letters:
            return False
        entry = self.catalog[sid]
        names = (entry.name, entry.short, *entry.aliases)
        spelled = [n.split() for n in names]
        if not any("".join(w[0] for w in n).upper() == letters for n in spelled if len(n) > 1):
            return False  # the catalog cannot say which expansion is the entry's
        return not {x.lower() for n in spelled for x in n} & {w.lower() for w in words}

    @staticmethod
    def _is_unit(text: str, start: int, name: str) -> bool:
        """Whether a two-letter capital name follows a number ("1 EB"): a unit, not a service."""
        # Only the two characters before can hold "1 ": searching from 0 was quadratic.
        window = max(0, start - 2)
        return (
            len(name) == 2 and name.isupper() and bool(_NUMBER_BEFORE.search(text, window, start))
        )

    def _starts_with_service(self, text: str) -> bool:
        words = list(_WORD.finditer(text, 0, min(len(text), 80)))
        return bool(words) and self._longest(text, words, 0) is not None

    def _means_service(
        self, text: str, begin: int, end: int, name: str, key: str, *, prefixed: bool
    ) -> bool:
        """Context check for names that are also English words (Config, Glue, Backup, ...)."""
        if prefixed:
            return True
        if not name[:1].isupper():
            return False
        found = self._lookup(name)
        if found is None:
            return False
        sid = found[0]
        if key not in self._risky.get(sid, ()):
            return True  # a longer alias such as "Glue job" or "Shield Advanced"
        if _fold(name) != key or (name.isupper() and len(name) > 3):
            return False  # "Backups", "BATCH": the word, not the service
        before = text[max(0, begin - 40) : begin]
        after = text[end : end + 40]
        if _ORDINARY_NEXT.match(after):
            return False  # "Config file", "Batch size"
        if _TITLE_WORD_BEFORE.search(before):
            return False  # part of another name, e.g. "OpenID Connect"
        title = _TITLE_WORD_AFTER.match(after)
        if title and not self._starts_with_service(after[title.start(1) :]):
            return False  # part of a title, e.g. "Backup and Restore"
        if _SENTENCE_START.search(before):
            return bool(_SERVICE_NEXT.match(after))  # "Glue is ...", not "Batch processing"
        return True

    @lru_cache(maxsize=4096)  # noqa: B019 - one linker lives as long as its catalog
    def _heading_services(self, title: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.service for m in self.find(title)))

    def subject_of(self, heading: tuple[str, ...]) -> str | None:
        """The service a heading path is about: the deepest heading naming exactly one.

        A heading naming several counts when all but one of them are the others' parents
        ("EC2 Nitro" is about Nitro); comparisons such as "EBS vs EFS" are skipped. Any other
        heading naming several services is about none: the path has no subject.

        Examples
        --------
        >>> from graph_data.catalog import load_catalog
        >>> linker = Linker(load_catalog())
        >>> linker.subject_of(("Storage", "S3", "EBS vs EFS"))
        's3'
        >>> linker.subject_of(("EC2", "Security groups for ELB")) is None
        True
        """
        for title in reversed(heading):
            services = self._heading_services(title)
            if len(services) == 1:
                return services[0]
            if len(services) > 1:
                # "EC2 Nitro", "DynamoDB Global Table": the part, not its parent, is the topic.
                parents = {self.catalog[s].parent for s in services}
                kept = [s for s in services if s not in parents]
                if len(kept) == 1:
                    return kept[0]
                if not _COMPARISON.search(title):
                    # "Security groups for ELB" under an EC2 section is about neither EC2 nor
                    # one of its own services: its lines take no subject from further up.
                    return None
        return None

    def file_subject(self, file: str) -> str | None:
        """The service a note's file name names ("kinesis.md", "Step Functions.md"), if one.

        Examples
        --------
        >>> from graph_data.catalog import load_catalog
        >>> linker = Linker(load_catalog())
        >>> linker.file_subject("services/analytics/kinesis.md"), linker.file_subject("n.md")
        ('kinesis', None)
        """
        stem = re.sub(r"[_\-.]+", " ", PurePosixPath(file).stem).strip()
        for form in (stem, stem.title()):
            services = self._heading_services(form)
            if len(services) == 1:
                return services[0]
        return None

    def heading_services(self, heading: tuple[str, ...]) -> tuple[str, ...]:
        """Services named anywhere in a heading path, shallowest first, without repeats."""
        return tuple(dict.fromkeys(s for title in heading for s in self._heading_services(title)))

    def link(self, passage: Passage) -> LinkedPassage:
        """The passage with its mentions, subject and heading-path services.

        Examples
        --------
        >>> from graph_data.catalog import load_catalog
        >>> p = Passage("n.md", 5, 5, ("Compute", "ECR"), "- Works with IAM and ECS")
        >>> lp = Linker(load_catalog()).link(p)
        >>> lp.subject, lp.services, lp.context
        ('ecr', ('iam', 'ecs'), ('ecr',))
        """
        context = self.heading_services(passage.heading)
        # A note whose headings name no service is often named after one (Obsidian, one file
        # per service): its file name gives the subject.
        subject = self.subject_of(passage.heading) or self.file_subject(passage.file)
        if subject and subject not in context:
            context = (subject, *context)
        mentions = self.find(passage.text, context)
        return LinkedPassage(passage, mentions, subject, context)


def link_passages(
    passages: Iterable[Passage], catalog: Catalog | None = None
) -> list[LinkedPassage]:
    """Link many passages with one linker."""
    linker = Linker(catalog)
    return [linker.link(p) for p in passages]
