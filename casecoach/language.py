"""The language lexicon: stigmatising labels, deficit phrasings, vague verbs, time, measures, strengths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from casecoach._data import DATA_DIR, load_yaml
from casecoach.errors import CasecoachError

LEXICON_FILE = "lexicon.yaml"
_SHARED = ("numbers", "months", "weekdays", "deliverables")
# Whole words only; a hyphen joins words ("ex-offender", "drug-free") so it counts as part of one.
# An apostrophe after a letter is inside a word ("o'clock"); one after a space opens a quote
# ("her 'weather report' notebook"), so a word may start after it.
_BEFORE = r"(?<![\w-])(?<!\w['’])"
_AFTER = r"(?![\w-])"


@dataclass(frozen=True)
class Span:
    """Where a lexicon entry matched in a text, and the entry that matched."""

    start: int
    end: int
    text: str
    entry: "Entry"

    def overlaps(self, other: "Span | tuple[int, int]") -> bool:
        start, end = (other.start, other.end) if isinstance(other, Span) else other
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a compiled pattern with what it offers (replacement, reframe...)."""

    section: str
    index: int
    regex: re.Pattern[str]
    reason: str
    offer: str | None = None
    negation: bool = False
    frequency: bool = False
    qualifier: bool = False
    # What sort of evidence the entry is (a measure's `kind`: deliverable, count, frequency...).
    kind: str = ""

    def find(self, text: str) -> Iterator[Span]:
        for m in self.regex.finditer(text):
            if m.end() > m.start():
                yield Span(m.start(), m.end(), m.group(0), self)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def typed_text(text: object, where: str) -> str:
    """Text a person typed or a file held, stripped: bytes must be UTF-8 and no control
    characters but tab and line breaks (binary data), else a CasecoachError naming `where`.
    The goal review and the response judge add their own checks of emptiness and length."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CasecoachError("is not UTF-8 text (binary data?)", field=where) from exc
    if not isinstance(text, str):
        raise CasecoachError(f"expected text, got {type(text).__name__}", field=where)
    if _CONTROL.search(text):
        raise CasecoachError("contains control characters (binary data?)", field=where)
    return text.strip()


_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "‑": "-",
                        "\u00a0": " "})


def normalise(text: str) -> str:
    """Same length as text, with typographic quotes and dashes made plain, for matching."""
    return text.translate(_PLAIN)


class Lexicon:
    """The compiled lexicon; build it with `Lexicon.load()` (cached) or `Lexicon.from_data`."""

    def __init__(self, sections: dict[str, tuple[Entry, ...]], name_heads: frozenset[str],
                 strength_targets: frozenset[str]) -> None:
        self.sections = sections
        self._combined: dict[str, re.Pattern[str]] = {}
        self.name_heads = name_heads
        self.strength_targets = strength_targets

    @classmethod
    def load(cls) -> "Lexicon":
        return _load_default()

    @classmethod
    def from_data(cls, data: dict, source: str = LEXICON_FILE) -> "Lexicon":
        if not isinstance(data, dict) or data.get("version") != 1:
            raise CasecoachError("expected a mapping with 'version: 1'", file=source)
        shared = {key: data.get(key, "") for key in _SHARED}
        sections: dict[str, tuple[Entry, ...]] = {}
        offers = {"labels": "replacement", "deficits": "reframe", "rewrites": "replace",
                  "vague": "suggestion"}
        for section in ("labels", "deficits", "subordinators", "rewrites", "vague", "measures",
                        "times", "strengths"):
            raw = data.get(section)
            if not isinstance(raw, list) or not raw:
                raise CasecoachError("must be a non-empty list of entries", file=source,
                                     field=section)
            sections[section] = tuple(
                _entry(section, i, item, shared, offers.get(section), source)
                for i, item in enumerate(raw))
        # Optional sections: a lexicon written before they existed still loads.
        for section in ("qualifiers", "evidence", "scales"):
            raw = data.get(section) or []
            if not isinstance(raw, list):
                raise CasecoachError("must be a list of entries", file=source, field=section)
            sections[section] = tuple(_entry(section, i, item, shared, None, source)
                                      for i, item in enumerate(raw))
        for section in ("actions", "outcomes"):
            sections[section] = (_entry(section, 0, data.get(section), shared, None, source),)
        sections["known_names"] = tuple(
            _entry("names.known", i, item, shared, None, source)
            for i, item in enumerate(data.get("names", {}).get("known", [])))
        heads = frozenset(w.lower() for w in data.get("names", {}).get("heads", []))
        targets = frozenset(w.lower() for w in data.get("strength_targets", []))
        lexicon = cls(sections, heads, targets)
        lexicon.predicates = _predicates(data.get("predicates"), source)
        lexicon.not_actions = frozenset(str(w).lower() for w in data.get("not_actions", []))
        return lexicon

    predicates: dict[str, re.Pattern[str]] = {}
    not_actions: frozenset[str] = frozenset()

    def find(self, section: str, text: str) -> list[Span]:
        """Every match of a section's entries, earlier entries winning where two overlap.

        Every entry starts where a word starts, so only word starts are tried, and at each only
        the alternatives that can begin with that word's first character (one compiled
        alternation per character, in entry order, the first alternative that matches winning as
        in one big alternation). Where two entries match overlapping words, the one that starts
        first wins, then the earlier entry."""
        entries = self.sections[section]
        buckets = self._combined.get(section)
        if buckets is None:
            buckets = self._combined[section] = _Buckets(entries)
        found = []
        position = 0
        by_key = buckets.by_key
        for start, key in _word_keys(text):
            if start < position:
                continue
            pattern = by_key.get(key, False)
            if pattern is False:
                pattern = buckets.compile(key)
            if pattern is None:
                continue
            m = pattern.match(text, start)
            if m is None or m.end() == m.start():
                continue
            entry = entries[int(m.lastgroup[1:].split("x")[0])]
            found.append(Span(m.start(), m.end(), m.group(0), entry))
            position = m.end()
        return found


class _Buckets:
    """A section's entries split into their top-level alternatives, grouped by the first
    `_KEY_CHARS` characters an alternative's match can begin with; one alternation per word key
    (a word's first characters, lower-cased, white space as one space), compiled when needed and
    shared by every key that selects the same alternatives."""

    def __init__(self, entries: tuple["Entry", ...]) -> None:
        self.alternatives: list[tuple[str, frozenset[str] | None, frozenset[str] | None]] = []
        for i, entry in enumerate(entries):
            body = entry.regex.pattern[len(_BEFORE) + 3:-(len(_AFTER) + 1)]
            for j, branch in enumerate(_split_top(body)):
                source = f"(?P<e{i}x{j}>(?:{branch}){_AFTER})"
                self.alternatives.append((source, _first_chars(branch), _prefixes(branch)))
        self.by_key: dict[str, re.Pattern[str] | None] = {}
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}

    def compile(self, key: str) -> re.Pattern[str] | None:
        """The alternation of every alternative that can begin with `key` (None: there is none)."""
        chosen = tuple(k for k, (_, first, prefixes) in enumerate(self.alternatives)
                       if _may_begin(key, first, prefixes))
        pattern = self._compiled.get(chosen, False)
        if pattern is False:
            sources = [self.alternatives[k][0] for k in chosen]
            pattern = self._compiled[chosen] = (
                re.compile("|".join(sources), re.IGNORECASE) if sources else None)
        self.by_key[key] = pattern
        return pattern


def _may_begin(key: str, first: frozenset[str] | None, prefixes: frozenset[str] | None) -> bool:
    if prefixes is not None:
        # A prefix shorter than `_KEY_CHARS` is a whole match; either way the key starts with it.
        return any(len(p) <= len(key) and all(map(_key_char_matches, p, key)) for p in prefixes)
    return first is None or key[:1] in first


_KEY_CHARS = 3
_PREFIX_LIMIT = 300
# In a prefix: any digit reads as 0, any white space as one space, and \w as this character.
_ANY_WORD_CHAR = "\x00"


def _key_char(ch: str) -> str:
    """A pattern's character as a prefix holds it."""
    if ch.isdecimal():
        return "0"
    return " " if ch.isspace() else ch.lower()


def _key_char_matches(prefix_char: str, key_char: str) -> bool:
    if prefix_char == key_char:
        return True
    if prefix_char == "0":
        return key_char.isdecimal()
    if prefix_char == " ":
        return key_char.isspace()
    return prefix_char == _ANY_WORD_CHAR and (key_char.isalnum() or key_char == "_")


def _split_top(pattern: str) -> list[str]:
    """A pattern's top-level alternatives ('a|b(c|d)' gives 'a', 'b(c|d)')."""
    parts, depth, in_class, escaped, last = [], 0, False, False, 0
    for k, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]" or pattern[k - 1] == "["
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[last:k])
            last = k + 1
    parts.append(pattern[last:])
    return parts


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The lower-cased characters a pattern's match can begin with, or None when any could (or
    the pattern is beyond this simple reading)."""
    try:
        from re import _parser as parser, _constants as c
        tree = parser.parse(pattern, re.IGNORECASE)
    except Exception:  # any pattern it cannot read is tried at every word
        return None

    def first(items: list) -> tuple[set[str] | None, bool]:
        """First characters of a sequence, and whether it can match empty."""
        out: set[str] = set()
        for op, av in items:
            chars, nullable = one(op, av)
            if chars is None:
                return None, False
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def one(op, av) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(av).lower()}, False
        if op is c.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    chars.add(chr(value).lower())
                elif kind is c.RANGE and value[1] - value[0] < 400:
                    chars |= {chr(v).lower() for v in range(value[0], value[1] + 1)}
                elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                    chars |= set("0123456789")
                else:
                    return None, False
            return chars, False
        if op is c.SUBPATTERN:
            return first(list(av[-1]))
        if op is c.BRANCH:
            chars, nullable = set(), False
            for branch in av[1]:
                more, empty = first(list(branch))
                if more is None:
                    return None, False
                chars |= more
                nullable = nullable or empty
            return chars, nullable
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _, body = av
            chars, empty = first(list(body))
            if chars is None:
                return None, False
            return chars, empty or low == 0
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True
        return None, False

    chars, nullable = first(list(tree))
    if chars is None or nullable:
        return None
    return frozenset(chars)


def _prefixes(pattern: str, size: int = _KEY_CHARS) -> frozenset[str] | None:
    """The lower-cased first `size` characters a pattern's match can begin with (a shorter
    string: a whole match that short), white space read as one space; None when there are too
    many or the pattern is beyond this simple reading (then `_first_chars` decides)."""
    try:
        from re import _parser as parser, _constants as c
        tree = parser.parse(pattern, re.IGNORECASE)
    except Exception:
        return None
    space = frozenset(" ")

    def concat(left: set[str], right: set[str]) -> set[str]:
        out = {a if len(a) >= size else (a + b)[:size] for a in left
               for b in (right if len(a) < size else ("",))}
        if len(out) > _PREFIX_LIMIT:
            raise OverflowError
        return out

    def sequence(items: list) -> set[str]:
        out = {""}
        for op, av in items:
            if all(len(a) >= size for a in out):
                break
            out = concat(out, one(op, av))
        return out

    def chars_of(av) -> frozenset[str]:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(_key_char(chr(value)))
            elif kind is c.RANGE and value[1] - value[0] < 40:
                chars |= {_key_char(chr(v)) for v in range(value[0], value[1] + 1)}
            elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                chars |= space
            elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                chars.add("0")
            elif kind is c.CATEGORY and value is c.CATEGORY_WORD:
                chars.add(_ANY_WORD_CHAR)
            else:
                raise OverflowError
        return frozenset(chars)

    def one(op, av) -> set[str]:
        if op is c.LITERAL:
            return {_key_char(chr(av))}
        if op is c.IN:
            return set(chars_of(av))
        if op is c.SUBPATTERN:
            return sequence(list(av[-1]))
        if op is c.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                out |= sequence(list(branch))
            return out
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, high, body = av
            once = sequence(list(body))
            if "" in once:
                raise OverflowError
            # Each repeat adds a character at least, so `size` repeats make every prefix.
            top = min(high, size)
            out, power = set(), {""}
            for n in range(top + 1):
                if n >= low:
                    out |= power
                if n < top:
                    power = concat(power, once)
            if high > size:
                out |= power
            return out
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return {""}
        raise OverflowError

    try:
        found = sequence(list(tree))
    except (OverflowError, RecursionError):
        return None
    if "" in found:
        return None
    return frozenset(found)


def _entry(section: str, index: int, item: object, shared: dict[str, str], offer_key: str | None,
           source: str) -> Entry:
    field = f"{section}[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
        raise CasecoachError("each entry needs a 'pattern' string", file=source, field=field)
    if not item.get("reason"):
        raise CasecoachError("each entry needs a 'reason' (its source or why it is there)",
                             file=source, field=field)
    pattern = item["pattern"]
    for key in _SHARED:
        pattern = pattern.replace("{" + key + "}", shared[key])
    try:
        regex = re.compile(_BEFORE + "(?:" + pattern + ")" + _AFTER, re.IGNORECASE)
    except re.error as exc:
        raise CasecoachError(f"pattern is not a valid regular expression: {exc}", file=source,
                             field=f"{field}.pattern") from exc
    offer = item.get(offer_key) if offer_key else None
    if offer_key and not offer:
        raise CasecoachError(f"each entry needs a '{offer_key}'", file=source, field=field)
    return Entry(section, index, regex, item["reason"], offer, bool(item.get("negation")),
                 bool(item.get("frequency")), bool(item.get("qualifier")),
                 str(item.get("kind") or ""))


_WORD_CHAR = r"[\w$₹€£\[(]"
_WORD_START = re.compile(r"(?<![\w'’-])" + _WORD_CHAR)


@lru_cache(maxsize=256)
def _word_starts(text: str) -> tuple[int, ...]:
    """Where words start in a text (the places a lexicon entry may match)."""
    return tuple(m.start() for m in _WORD_START.finditer(text))


@lru_cache(maxsize=256)
def _word_keys(text: str) -> tuple[tuple[int, str], ...]:
    """Each word start with its first `_KEY_CHARS` characters lower-cased (the key of
    `_Buckets`)."""
    return tuple((start, text[start:start + _KEY_CHARS].lower()) for start in _word_starts(text))


def _predicates(raw: object, source: str) -> dict[str, re.Pattern[str]]:
    """Where a goal's main verb stands (lexicon `predicates`), compiled; empty when absent."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw.get("reason"):
        raise CasecoachError("needs 'before', 'opening', 'means' and a 'reason'", file=source,
                             field="predicates")
    out = {}
    for key in ("before", "opening", "opening_bare", "means"):
        try:
            out[key] = re.compile(str(raw.get(key, "(?!)")), re.IGNORECASE)
        except re.error as exc:
            raise CasecoachError(f"not a valid regular expression: {exc}", file=source,
                                 field=f"predicates.{key}") from exc
    return out


@lru_cache(maxsize=1)
def _load_default() -> Lexicon:
    return Lexicon.from_data(load_yaml(LEXICON_FILE), str(DATA_DIR / LEXICON_FILE))


_WORD = re.compile(r"[\w'’-]+")


def words_between(text: str, start: int, end: int) -> list[str]:
    """The lower-cased words of text[start:end]."""
    return [w.lower() for w in _WORD.findall(text[start:end])]


def label_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[Span, bool]]:
    """Stigmatising labels in a text, each with whether it sits inside a proper name."""
    lex = lexicon or Lexicon.load()
    norm = normalise(text)
    known = lex.find("known_names", norm)
    result = []
    for span in lex.find("labels", norm):
        in_name = any(span.overlaps(k) for k in known) or _followed_by_head(norm, span, lex)
        result.append((span, in_name))
    return result


def _followed_by_head(text: str, span: Span, lex: Lexicon) -> bool:
    """True when one of the next three words is the head of a name ("... Offender Program"),
    before any word that ends a name ("Offender will ...")."""
    for word in _WORD.findall(text[span.end:span.end + 60])[:3]:
        if word.lower() in lex.name_heads:
            return True
        if word.lower() in _NAME_BREAKS:
            return False
    return False


_NAME_BREAKS = {"will", "shall", "must", "should", "can", "may", "to", "and", "or", "the", "a",
                "an", "by", "at", "on", "for", "with", "is", "are", "was", "be", "who", "that",
                "needs", "has", "have", "needs", "in"}



_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(load_yaml("settings.yaml")["stopwords"])


def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to match 'jobs' with 'job' and 'visits' with 'visiting'."""
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """The stems of the content words of a text (stopwords and short words left out).

    A hyphenated word counts whole and by its parts ("30-night" also gives "30" and "night"),
    and numbers of two digits or more count: "a 30-night limit" mentions "30 nights"."""
    stop = _stopwords()
    out = set()
    for word in _CONTENT_WORD.findall(normalise(text).lower()):
        for part in [word, *word.split("-")] if "-" in word else [word]:
            if part and part not in stop and (len(part) > 2 or (part.isdigit() and len(part) > 1)):
                out.add(stem(part))
    return out


SYNONYMS_FILE = "synonyms.yaml"


@dataclass(frozen=True)
class ConceptMatch:
    """Where a text speaks of a concept of the synonym lexicon."""

    concept: str
    start: int
    end: int
    text: str


def concept_matches(text: str) -> list[ConceptMatch]:
    """Every place a text speaks of a concept of synonyms.yaml, in text order."""
    tokens = [(m.start(), m.end(), m.group(0).lower())
              for m in _TOKEN.finditer(normalise(text))]
    index = _concept_index()
    found = []
    for i, (start, _, word) in enumerate(tokens):
        for words, star, concept in index.candidates(word):
            last = i + len(words) - 1
            if last < len(tokens) and all(_word_fits(tokens[i + k][2], w, star and k == last - i)
                                          for k, w in enumerate(words)):
                end = tokens[last][1]
                found.append(ConceptMatch(concept, start, end, text[start:end]))
    # A plain phrase hides the terms inside it: "work on" is effort, not a job (plain_phrases).
    plain = _plain_phrases()
    if plain is not None:
        hidden = [m.span() for m in plain.finditer(text)]
        found = [c for c in found if not any(a <= c.start and c.end <= b and b - a > c.end - c.start
                                             for a, b in hidden)]
    # The longer term says what is meant: "child care" is a work arrangement, not the children.
    kept = [c for c in set(found)
            if not any(o.concept != c.concept and o.start <= c.start and c.end <= o.end
                       and (o.end - o.start) > (c.end - c.start) for o in found)]
    # A generic head takes its subject's meaning: "anger management classes" are about anger,
    # "parenting classes" about the children, not schooling (synonyms.yaml generic_heads).
    heads = _generic_heads()
    if heads:
        kept = [c for c in kept
                if not (c.text.lower() in heads and any(
                    o.concept != c.concept and o.end <= c.start
                    and len(_TOKEN.findall(text[o.end:c.start])) <= 1 for o in kept))]
    return sorted(kept, key=lambda c: (c.start, c.concept))


@lru_cache(maxsize=1)
def _plain_phrases() -> re.Pattern[str] | None:
    """synonyms.yaml `plain_phrases` as one pattern (checked by load_concepts)."""
    _concept_terms()
    terms = [t for entry in load_yaml(SYNONYMS_FILE).get("plain_phrases", []) for t in entry["terms"]]
    return re.compile(phrase_alternation(terms), re.IGNORECASE) if terms else None


@lru_cache(maxsize=1)
def _generic_heads() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_yaml(SYNONYMS_FILE).get("generic_heads", []))


@lru_cache(maxsize=8192)
def concepts(text: str) -> frozenset[str]:
    """The concept ids a text speaks of: two texts that say one thing in other words share one."""
    return frozenset(c.concept for c in concept_matches(text))


@lru_cache(maxsize=1)
def concept_serves() -> dict[str, frozenset[str]]:
    """What each concept is a means to (synonyms.yaml `serves`, checked by load_concepts): an ID
    serves work and housing."""
    _concept_terms()
    raw = load_yaml(SYNONYMS_FILE)["concepts"]
    return {str(c): frozenset(e.get("serves", [])) for c, e in raw.items()}


def concept_ids() -> frozenset[str]:
    """The ids of the synonym lexicon's concepts."""
    return frozenset(concept for concept, _, _ in _concept_terms())


_TOKEN = re.compile(r"[\w'’.-]*[\w]|\$")


def _word_fits(token: str, word: str, star: bool) -> bool:
    """A text word against a term's word: the same, a plural of it, or any ending after a *."""
    if star:
        return token.startswith(word)
    return token == word or token in (word + "s", word + "es")


class _ConceptIndex:
    """The terms of every concept, looked up by their first word."""

    def __init__(self, terms: list[tuple[str, tuple[str, ...], bool]]) -> None:
        self.exact: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
        # Terms ending in * are found by their first three letters, then by the whole prefix.
        self.prefixes: dict[str, list[tuple[str, tuple[str, ...], bool, str]]] = {}
        for concept, words, star in terms:
            if star and len(words) == 1:
                self.prefixes.setdefault(words[0][:3], []).append((words[0], words, star, concept))
            else:
                self.exact.setdefault(words[0], []).append((words, star, concept))

    def candidates(self, word: str) -> list[tuple[tuple[str, ...], bool, str]]:
        out = list(self.exact.get(word, ()))
        for base in (word[:-1], word[:-2]):
            out += self.exact.get(base, ())
        out += [(words, star, concept) for prefix, words, star, concept
                in self.prefixes.get(word[:3], ()) if word.startswith(prefix)]
        return out


@lru_cache(maxsize=1)
def _concept_terms() -> list[tuple[str, tuple[str, ...], bool]]:
    return load_concepts(load_yaml(SYNONYMS_FILE), str(DATA_DIR / SYNONYMS_FILE))


@lru_cache(maxsize=1)
def _concept_index() -> _ConceptIndex:
    return _ConceptIndex(_concept_terms())


def phrase_pattern(term: str) -> str:
    """A plain term as a whole-word pattern: words joined by any space, a plural allowed after the
    last word, and a trailing * for any ending."""
    return _BEFORE + _bare_phrase(term) + _AFTER


def phrase_alternation(terms: list[str]) -> str:
    """Several plain terms as one whole-word pattern, the word boundary said once."""
    bare = sorted((_bare_phrase(t) for t in terms), key=len, reverse=True)
    return _BEFORE + "(?:" + "|".join(bare) + ")" + _AFTER


def _bare_phrase(term: str) -> str:
    term = term.strip()
    tail = r"[\w'’-]*" if term.endswith("*") else r"(?:s|es)?"
    words = [re.escape(w) for w in term.rstrip("*").split()]
    return r"\s+".join(words) + tail


def load_concepts(data: object, source: str = SYNONYMS_FILE) -> list[tuple[str, tuple[str, ...], bool]]:
    """The synonym lexicon as (concept, words, trailing star) terms, or a CasecoachError naming
    the field."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise CasecoachError("expected a mapping with 'version: 1'", file=source)
    raw = data.get("concepts")
    if not isinstance(raw, dict) or not raw:
        raise CasecoachError("must be a mapping of concept ids to entries", file=source,
                             field="concepts")
    plain = data.get("plain_phrases", [])
    if not isinstance(plain, list):
        raise CasecoachError("must be a list of entries with 'terms' and a 'reason'", file=source,
                             field="plain_phrases")
    for i, entry in enumerate(plain):
        if not isinstance(entry, dict) or not entry.get("reason") or not isinstance(
                entry.get("terms"), list) or not all(
                isinstance(t, str) and t.strip(" *") for t in entry["terms"]) or not entry["terms"]:
            raise CasecoachError("each entry needs 'terms' (a list of phrases) and a 'reason'",
                                 file=source, field=f"plain_phrases[{i}]")
    out = []
    for concept, entry in raw.items():
        field = f"concepts.{concept}"
        if not isinstance(entry, dict) or not entry.get("reason"):
            raise CasecoachError("each concept needs 'terms' and a 'reason'", file=source,
                                 field=field)
        terms = entry.get("terms")
        if not isinstance(terms, list) or not terms or not all(
                isinstance(t, str) and t.strip(" *") for t in terms):
            raise CasecoachError("'terms' must be a list of words or phrases", file=source,
                                 field=f"{field}.terms")
        serves = entry.get("serves", [])
        if not isinstance(serves, list) or not all(s in raw for s in serves):
            raise CasecoachError(f"'serves' must list concept ids of this file, not {serves!r}",
                                 file=source, field=f"{field}.serves")
        for term in terms:
            term = normalise(term).lower().strip()
            words = tuple(_TOKEN.findall(term.rstrip("*")))
            if words:
                out.append((str(concept), words, term.endswith("*")))
    return out
