"""Lexicon.find: the bucketed scan finds exactly what one alternation per section finds."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from casecoach.language import (_AFTER, _BEFORE, _ANY_WORD_CHAR, Lexicon, _first_chars,
                                _prefixes, _split_top)

DATA = Path(__file__).parent / "data"


def reference(lex: Lexicon, section: str, text: str) -> list[tuple[int, int, int]]:
    """The plain scan: at each word start from the left, the first entry (in order) that matches."""
    entries = lex.sections[section]
    inner = "|".join(f"(?P<e{i}>{e.regex.pattern[len(_BEFORE):]})" for i, e in enumerate(entries))
    combined = re.compile(r"(?<![\w'’-])(?=[\w$₹€£\[(])(?:" + inner + ")", re.IGNORECASE)
    found, position = [], 0
    while (m := combined.search(text, position)) is not None:
        if m.end() > m.start():
            found.append((m.start(), m.end(), int(m.lastgroup[1:])))
            position = m.end()
        else:
            position = m.start() + 1
    return found


def bucketed(lex: Lexicon, section: str, text: str) -> list[tuple[int, int, int]]:
    return [(s.start, s.end, s.entry.index) for s in lex.find(section, text)]


def own_goals() -> list[str]:
    with (DATA / "goals_labelled.csv").open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def test_every_section_agrees_with_the_plain_scan_on_the_labelled_goals():
    """On every goal of the labelled set, in three casings, each section finds the same spans."""
    lex = Lexicon.load()
    for text in own_goals():
        for variant in (text, text.upper(), f"({text.lower()})"):
            for section in lex.sections:
                assert bucketed(lex, section, variant) == reference(lex, section, variant), (
                    section, variant)


_WORDS = ["will", "not", "drink", "attend", "3", "meetings", "a", "week", "by", "June", "$50",
          "stop", "using", "her", "sister", "Offender", "within", "30", "days", "open", "bank",
          "account", "(6)", "every", "Monday", "ex-con", "without", "missing", "no", "new",
          "charges", "improve", "coping", "skills", "from", "7/10", "to", "4/10", "'s", "-", ",",
          # Keys read digits, white space and word characters as classes: other scripts' digits,
          # tabs and line breaks, a letter whose lower case is longer, a possessive, a "n't".
          "٣", "\t", "\n", "İstanbul", "Kim's", "don't", "$1,400", "12/2027", "2027-03-01", "x2"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=18))
def test_every_section_agrees_with_the_plain_scan_on_mixed_words(words):
    """Any mix of lexicon words and punctuation: the same spans, in the same order."""
    lex = Lexicon.load()
    text = " ".join(words)
    for section in lex.sections:
        assert bucketed(lex, section, text) == reference(lex, section, text), section


def test_first_characters_of_a_pattern():
    """A pattern's first characters are read through groups, options and lookarounds; a class
    such as \\d or \\w leaves it open."""
    assert _first_chars(r"(?:avoid|steer)\s+x") == frozenset("as")
    assert _first_chars(r"(?!no\b)(?:the\s+)?cat") == frozenset("tc")
    assert _first_chars(r"\d+\s+days") == frozenset("0123456789")
    assert _first_chars(r"\w+n't") is None
    assert _split_top(r"a|b(c|d)|[|]e") == ["a", "b(c|d)", "[|]e"]
    assert _AFTER


def test_prefixes_of_a_pattern():
    """The first three characters a match can begin with: a shorter one is a whole match; any
    digit reads as 0, white space as a space, \\w as a wildcard; too many or an unreadable
    pattern gives None (then the first characters decide)."""
    assert _prefixes(r"(?:will\s+)?apply") == frozenset({"wil", "app"})
    assert _prefixes(r"to|a\s+lot") == frozenset({"to", "a l", "a  "})
    assert _prefixes(r"\d{1,2}/\d{4}") == frozenset({"0/0", "00/"})
    assert _prefixes(r"\w+n't") == frozenset({_ANY_WORD_CHAR + "n'", _ANY_WORD_CHAR * 2 + "n",
                                              _ANY_WORD_CHAR * 3})
    assert _prefixes(r"[a-z]+ed") is None
    assert _prefixes(r"(.)\1") is None
