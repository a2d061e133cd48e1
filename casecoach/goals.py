"""The SMART(S) goal review: every criterion with met / why / tip, flags with spans, a suggested rewrite."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from casecoach._data import load_yaml
from casecoach.errors import CasecoachError
from casecoach.language import (Entry, Lexicon, Span, concept_serves, concepts, label_spans,
                                normalise, phrase_alternation, typed_text, words_between)

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound", "positive_framing",
            "builds_on_strength")
# The criteria the text alone decides; achievable and relevant need the client.
TEXT_CRITERIA = ("specific", "measurable", "time_bound", "positive_framing", "builds_on_strength")

_CLAUSE_BREAK = re.compile(r"[.;:!?]|,\s|\s(?:and|but|or|then|plus)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Known:
    """One thing the case records (a goal of the client's, a condition, a strength, a barrier),
    with the other words people use for it and, for a support, the barriers it lifts."""

    text: str
    says: tuple[str, ...] = ()
    lifts: tuple[str, ...] = ()
    id: str = ""
    domain: str = ""
    blocks: tuple[str, ...] = ()
    lifted_by: tuple[str, ...] = ()
    # For a barrier: it stands only before the outcome, not before the steps toward it.
    at_outcome: bool = False

    @classmethod
    def of(cls, item: "Known | str") -> "Known":
        return item if isinstance(item, Known) else cls(str(item))


@dataclass(frozen=True)
class ClientContext:
    """What the review needs of a client to judge achievable, relevant and builds_on_strength.
    Plain strings are accepted for each item and read as a Known with no other words."""

    name: str
    pronouns: str = "they/them"
    own_goals: tuple[Known, ...] = ()
    conditions: tuple[Known, ...] = ()
    barriers: tuple[Known, ...] = ()
    strengths: tuple[Known, ...] = ()
    priorities: tuple[Known, ...] = ()
    transport: str = ""
    available: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("own_goals", "conditions", "barriers", "strengths", "priorities"):
            object.__setattr__(self, name, tuple(Known.of(i) for i in getattr(self, name)))

    @property
    def possessive(self) -> str:
        return {"he": "his", "she": "her"}.get(self.subject, "their")

    @property
    def subject(self) -> str:
        return self.pronouns.split("/")[0].strip().lower() or "they"


@dataclass(frozen=True)
class Criterion:
    """One criterion's finding: met (True, False, or None when the client is needed), and why."""

    name: str
    met: bool | None
    key: str
    why: str
    tip: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"met": self.met, "why": self.why, "tip": self.tip}


@dataclass(frozen=True)
class Flag:
    """Words in the goal worth changing, with where they are and what to say instead."""

    kind: str
    start: int
    end: int
    text: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "suggestion": self.suggestion}


@dataclass(frozen=True)
class GoalReview:
    """Everything the review found in one goal; `to_dict()` is the JSON contract."""

    text: str
    criteria: tuple[Criterion, ...]
    flags: tuple[Flag, ...] = ()
    suggested_rewrite: str | None = None

    def __getitem__(self, name: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.name == name:
                return criterion
        raise KeyError(name)

    @property
    def strengths_based(self) -> bool:
        return bool(self["positive_framing"].met and self["builds_on_strength"].met)

    @property
    def met(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.met)

    @property
    def unmet(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.met is False)

    def next_step(self) -> Criterion | None:
        """The one unmet criterion to work on first, in the teaching order of the messages file."""
        order = _messages()["next_step_order"]
        unmet = {c.name: c for c in self.unmet}
        for name in order:
            if name in unmet:
                return unmet[name]
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "criteria": {c.name: c.to_dict() for c in self.criteria},
            "strengths_based": self.strengths_based,
            "flags": [f.to_dict() for f in self.flags],
            "suggested_rewrite": self.suggested_rewrite,
        }


def check_text(text: object, *, where: str = "goal") -> str:
    """The goal text, stripped, or a CasecoachError saying what is wrong with it."""
    stripped = typed_text(text, where)
    if not stripped:
        raise CasecoachError("is empty: write the goal as one sentence", field=where)
    limit = _settings()["limits"]["max_goal_chars"]
    if len(stripped) > limit:
        raise CasecoachError(f"is {len(stripped)} characters long; a goal has at most {limit}",
                             field=where)
    return stripped


def review_goal(text: str, context: ClientContext | None = None) -> GoalReview:
    """Review one goal against SMART(S); with a client context, achievable and relevant too."""
    text = check_text(text)
    lex = Lexicon.load()
    norm = normalise(text)
    who = context.name if context else "the client"
    their = context.possessive if context else "their"
    found = _Findings.collect(norm, lex)

    criteria = (
        _specific(found),
        _measurable(found),
        _achievable(found, context, norm),
        _relevant(found, context),
        _time_bound(found),
        _positive_framing(found, who, their),
        _builds_on_strength(found, context, who),
    )
    flags = _flags(found, who, their)
    return GoalReview(text, criteria, flags, _rewrite(text, found, context))


@dataclass
class _Findings:
    """Every lexicon match in one goal, computed once and shared by the criteria."""

    text: str
    labels: list[tuple[Span, bool]]
    deficits: list[Span]
    core_deficits: list[Span]
    vague: list[Span]
    actions: list[Span]
    times: list[Span]
    measures: list[Span]
    strengths: list[Span]
    rewrites: list[Span]
    venues: list[Span] = field(default_factory=list)
    # Counts an adverb leaves without a standard ("consistently practice three coping skills"):
    # not measurable, but still what the goal is to do.
    loose_counts: list[Span] = field(default_factory=list)
    # Work the criteria share (the specific finding, the case's strengths named), done once.
    memo: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def collect(cls, norm: str, lex: Lexicon) -> "_Findings":
        # "six (6) months": the numeral in brackets repeats the word; read it as spaces.
        norm = _BRACKETED_NUMERAL.sub(lambda m: " " * len(m.group(0)), norm)
        labels = label_spans(norm, lex)
        names = [span for span, in_name in labels if in_name]
        # "from 7/10 to 4/10" is a scale, not two dates.
        scales = lex.find("scales", norm)
        # "Enrol in a two-year program": the program's length is not the goal's, which is to
        # enrol; finishing or attending it for that long would be.
        times = [t for t in lex.find("times", norm)
                 if not _start_only(norm, t) and not any(t.overlaps(sc) for sc in scales)
                 and not ((t.entry.kind == "length"
                           or _rx(_settings()["program_words"], False).search(t.text))
                          and _rx(_settings()["entry_steps"], False).search(
                              norm[max(0, t.start - 30):t.start]))]
        no_times = _mask(norm, times)
        resources = [s for s in lex.find("strengths", no_times) if not _target(norm, s, lex)]
        strengths = [s for s in resources if not _venue(norm, s)]
        # Venues still name where the goal happens, which no barrier of the case is about.
        venues = [s for s in resources if _venue(norm, s)]
        # Actions are looked for outside time frames, and not inside strengths: "by the end of
        # the program" and "using her cooking skills" name no action of the goal, while "move in
        # with his mother" does, though "with his mother" is also a strength.
        # A vague word in a clause that describes a noun ("a number she doesn't know") is not
        # the goal's.
        vague = [v for v in lex.find("vague", norm) if not _in_relative_clause(norm, v, True)]
        # "... skills to sustain recovery": what follows a purpose "to" is why, not what, the
        # goal does; its verbs and outcomes are not the goal's action.
        purposes = _purposes(norm, lex) + _anchors(norm)
        # "Using their 8 years as an Army vehicle technician, Jo will ...": an opening that says
        # how names neither the goal's action nor its measure.
        how = _rx(r"\s*(?:" + _settings()["how_words"] + r")\b[^,;.]{0,120},",
                  False).match(norm)
        if how:
            purposes.append(how.span())
        actions = [a for a in lex.find("actions", no_times) + _outcomes(no_times, lex)
                   if not any(p[0] <= a.start < p[1] for p in purposes)
                   and (not _under_vague(a, vague, norm) or _NUMBER.search(a.text.lower()))
                   and not _vague_object_of(norm, a, vague)
                   and not any(s.start <= a.start and a.end <= s.end for s in strengths)]
        deficits = [d for d in lex.find("deficits", norm) if not any(d.overlaps(n) for n in names)]
        subordinators = lex.find("subordinators", norm)
        # A "without" that qualifies the goal's main verb ("shower every other day without
        # prompt") is read against that verb too, even when no listed action names it.
        # The goal's main verbs, read once (both uses below are for a goal with no vague word).
        predicates = [] if vague else _predicate_actions(norm, lex, vague, deficits, purposes)
        verbs = predicates
        # Before a "without", any verb of doing qualifies it, vague or not ("learn to cope with
        # stress without using", "engage in play without aversive reaction"); after a verb of
        # being or staying ("live without drugs") the absence is the goal.
        doing = _doing_verbs(norm, lex, deficits)
        core = [d for d in deficits
                if not _subordinate(norm, d, subordinators,
                                    actions + verbs + (doing if d.entry.qualifier else []))
                and not any(p[0] <= d.start < p[1] for p in purposes)
                and not _aside(norm, d, actions + verbs)
                and not _in_relative_clause(norm, d)]
        # A concrete behaviour to stop ("abstain from alcohol", "not use meth") is specific;
        # a vague one ("avoid trouble", "stop messing up") is not.
        # A stop beside a vague half ("improve his employability and stop relying on the
        # shelter") leaves the goal's other half a direction: no concrete step is named.
        stops = [d for d in core if not _vague_object(norm, d)
                 and not any(d.overlaps(v) for v in vague)]
        apart = [v for v in vague if not any(d.start <= v.start <= d.end + 40 for d in stops)]
        if not (stops and not actions and apart):
            actions += stops
        if not vague and all(a.entry.section == "outcomes" for a in actions):
            # The main verb also when only a noun elsewhere named an outcome: "will have paid
            # work ... as a vehicle technician" acts by having work, not by the vehicle.
            actions += [p for p in predicates
                        if not any(p.overlaps(s) for s in strengths)
                        and not any(p.overlaps(a) for a in actions)]
        # A deliverable is itself what the verb obtains: a vague word after it ("a written plan
        # addressing her triggers") describes it, it does not replace it.
        measures = [m for m in lex.find("measures", no_times)
                    if not (how and m.start < how.end())
                    and (not _under_vague(m, vague) or _NUMBER.search(m.text.lower()))
                    and (m.entry.kind == "deliverable" or not _vague_object_of(norm, m, vague))]
        # A stated length ("the 10-week group", "one year of sobriety") is also a count.
        measures += [t for t in times
                     if t.entry.kind == "length" or (_duration(t, norm) and _kept(norm, t))]
        if not measures and not scales:
            measures += [m for m in _one_off_acts(norm, lex, purposes)
                         if not _under_vague(m, vague) and not _vague_object_of(norm, m, vague)]
        # A score target defines the outcome: measurable and specific ("from severe to moderate").
        measures += scales
        actions += scales
        # "As evidenced by ..." says what will be seen; it names an action when what follows does.
        for evidence in lex.find("evidence", norm):
            measures.append(evidence)
            if re.search(r"\w+ing\b|\d", norm[evidence.end - 1:evidence.end + 60]):
                actions.append(evidence)
        qualifiers = lex.find("qualifiers", norm)
        # "meet Dot one day": the hope's "one day" counts nothing.
        hopes = [h.span() for h in _HOPE.finditer(norm)]
        # "Jo hopes to meet Dot": what a hope reaches for is not yet a step done or not done.
        hoped = [h.end() for h in _HOPE.finditer(norm)
                 if re.match(r"\s+to\s", norm[h.end():h.end() + 5])]
        directed = [d.start() for d in _rx(_settings()["as_directed"], False).finditer(norm)]
        loose = [m for m in measures if _counted(m) and _qualified(norm, m, qualifiers)]
        measures = [m for m in measures if not _qualified(norm, m, qualifiers)
                    and not (m.entry.kind in ("event", "deliverable")
                             and any(_left_to_others(norm, m, d) for d in directed))
                    and not any(m.overlaps(h) for h in hopes)
                    and not any(0 <= m.start - end <= 5 for end in hoped)
                    and not (m.entry.kind == "event" and _triggered(norm, m))
                    and not (m.entry.kind in ("event", "deliverable") and _open_option(norm, m))]
        return cls(norm, labels, deficits, core, vague, actions, times, measures, strengths,
                   lex.find("rewrites", norm), venues, loose)


_PARTICIPLE = re.compile(r",\s*(?:while\s+|and\s+)?[a-z]+ing\s+(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)


def _in_relative_clause(text: str, span: Span, any_entry: bool = False) -> bool:
    """True when a negation (or, with `any_entry`, any word) stands in a clause that describes a
    noun ("the crew he hasn't missed a day of", "on days she cannot drive", "a number she
    doesn't know"): it says something about that noun, not what the goal is. After the words of
    settings.yaml `clause_joins` the clause is the goal's own ("and she will not", "make sure
    he doesn't")."""
    if not (any_entry or span.entry.negation):
        return False
    m = re.search(r"(?:^|[^\w'’])([\w'’-]+)\s+(?:he|she|they|i|we|you)\s+"
                  r"(?:[a-z]+[’']?[a-z]*\s+){0,2}$", text[:span.start], re.IGNORECASE)
    return (bool(m) and m.group(1).lower() not in _settings()["clause_joins"]
            and not m.group(1)[0].isupper())


def _aside(text: str, span: Span, actions: list[Span]) -> bool:
    """True when a deficit word only qualifies a positive act beside it: in brackets ("using
    assertive (not aggressive) communication") or in a participle clause after the act ("leave
    the desk out of order, resisting the urge to fix it")."""
    if text.rfind("(", 0, span.start) > text.rfind(")", 0, span.start):
        return any(a.start < span.start for a in actions)
    before = text[max(0, span.start - 40):span.start]
    first_word = span.text.split()[0].lower()
    if _PARTICIPLE.search(before) or (re.search(r",\s*$", before) and first_word.endswith("ing")):
        comma = text.rfind(",", 0, span.start)
        return any(a.end <= comma for a in actions)
    return False


def _clause_start(text: str, position: int) -> int:
    start = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, position):
        start = m.end()
    return start


def _subordinate(text: str, span: Span, subordinators: list[Span], actions: list[Span]) -> bool:
    """True when a deficit word only qualifies a positive behaviour of its clause."""
    start = _clause_start(text, span.start)
    if span.entry.qualifier:
        # "finish the course without missing a session" qualifies finishing; "live without
        # drugs" has no action before "without", so the absence is the goal. A ", without ..."
        # that opens its clause qualifies the clause before ("communicating her feelings when
        # she is angry, without calling them names").
        if not text[start:span.start].strip() and start > 0:
            start = _clause_start(text, max(0, start - 2))
        return any(start <= a.start < span.start for a in actions)
    return any(start <= s.start < span.start for s in subordinators)


def _verbs_after_will(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where each word right after a "will", "to" or "agrees to" (lexicon predicates
    `before`) stands: the goal's main verbs, whatever they are."""
    found = []
    for m in lex.predicates["before"].finditer(text):
        verb = re.match(r"[a-z][\w-]*", text[m.end():], re.IGNORECASE)
        if verb:
            found.append((m.end(), m.end() + verb.end()))
    return found


def _doing_verbs(text: str, lex: Lexicon, deficits: list[Span]) -> list[Span]:
    """The goal's main verbs, including vague ones ("cope", "engage", "process"), when they are
    verbs of doing: not a verb of being or staying, and not a deficit ("avoid", "not")."""
    if not lex.predicates:
        return []
    being = set(_settings()["being_verbs"])
    found = _verbs_after_will(text, lex)
    for pattern in ("opening", "opening_bare"):
        opening = lex.predicates[pattern].match(text)
        if opening:
            found.append(opening.span(1))
            break
    # A second verb joined by "and" ("will practise ... and engage in conversations") is done
    # too; read like an opening verb.
    if found:
        for joined in re.finditer(r"\band\s+", text[found[0][0]:]):
            at = found[0][0] + joined.end()
            bare = lex.predicates["opening_bare"].match(text[at:])
            if bare:
                found.append((at + bare.start(1), at + bare.end(1)))
    return [Span(start, end, text[start:end], _VERB_ENTRY) for start, end in found
            if text[start:end].lower() not in being and len(text[start:end]) > 2
            and not any(d.start <= start < d.end for d in deficits)]


_BRACKETED_NUMERAL = re.compile(r"(?<=[a-z])\s*\(\d+\)(?=\s)", re.IGNORECASE)
_VERB_ENTRY = Entry("predicates", 0, re.compile(""), "the goal's main verb")
# A hope as the goal's verb; after a possessive or an article it is a noun, what the goal is
# about ("talk about his wishes for permanency", "share her hopes with the team").
_HOPE = re.compile(r"\b(?<!his\s)(?<!her\s)(?<!my\s)(?<!our\s)(?<!the\s)(?<!your\s)"
                   r"(?<!their\s)(?<!his/her\s)(?:hopes?|hoping|wish(?:es)?|dreams?\s+of|"
                   r"would\s+like|'d\s+like|someday|"
                   r"(?<!for\s)(?<!in\s)(?<!per\s)(?<!each\s)(?<!every\s)(?<!within\s)"
                   r"one\s+day(?!\s+(?:at\s+a\s+time|a\s+week|per|each|of|off)\b))\b",
                   re.IGNORECASE)


def _opening(text: str, lex: Lexicon) -> re.Match[str] | None:
    """The verb a goal opens with (lexicon predicates `opening`, else `opening_bare` when its
    word is no verb of being, wanting or trying)."""
    opening = lex.predicates["opening"].match(text)
    if opening:
        return opening
    bare = lex.predicates["opening_bare"].match(text)
    return bare if bare and not _not_action(bare.group(1).lower(), lex) else None


def _predicate_actions(text: str, lex: Lexicon, vague: list[Span], deficits: list[Span],
                       purposes: list[tuple[int, int]] = ()) -> list[Span]:
    """The goal's main verb when it names an action (lexicon `predicates`): any verb in that
    place that is not a verb of being, wanting, trying or inner change. A hope is no action."""
    if _HOPE.search(text) or not lex.predicates:
        return []
    found = _verbs_after_will(text, lex)
    opening = _opening(text, lex)
    if opening:
        found.append(opening.span(1))
    found += [m.span(1) for m in lex.predicates["means"].finditer(text)]
    out = []
    for start, end in found:
        word = text[start:end].lower()
        span = Span(start, end, text[start:end], _VERB_ENTRY)
        if _not_action(word, lex) or len(word) < 3:
            continue
        if any(span.overlaps(v) for v in vague) or any(span.overlaps(d) for d in deficits):
            continue
        if any(p[0] <= start < p[1] for p in purposes):
            continue
        if len(words_between(text, end, len(text))) < 1:
            continue
        out.append(span)
    return out


def _recurs(text: str, span: Span) -> bool:
    """True when a trigger after a single act makes it recur ("call her sponsor when she feels
    like using"): then it is an ongoing activity, which needs a count."""
    stop = re.search(r"[.;]", text[span.end:])
    clause = text[span.end:span.end + stop.start()] if stop else text[span.end:]
    return bool(_rx(_settings()["one_off_recurs"], False).search(clause))


def _triggered(text: str, span: Span) -> bool:
    """True when a feeling or a moment sets off a single act (settings.yaml `triggered`)."""
    stop = re.search(r"[.;]", text[span.end:])
    clause = text[span.end:span.end + stop.start()] if stop else text[span.end:]
    return bool(_rx(_settings()["triggered"], False).search(clause))


def _open_option(text: str, span: Span) -> bool:
    """True when the step is one option of a choice whose other option has no done state
    (settings.yaml `open_option`): "obtain or actively seek employment"."""
    start = max(text.rfind(".", 0, span.start), text.rfind(";", 0, span.start)) + 1
    stop = re.search(r"[.;]", text[span.end:])
    end = span.end + stop.start() if stop else len(text)
    return bool(_rx(_settings()["open_option"], False).search(text[start:end]))


_ONE_OFF_ENTRY = Entry("measures", 0, re.compile(""),
                       "a single act the goal's main verb names", kind="event")


@lru_cache(maxsize=1)
def _one_off_verbs() -> re.Pattern[str]:
    """The verbs of settings.yaml `one_off_verbs` in their forms ("calls", "setting up"), each
    followed by what it acts on (not a preposition that makes it an ongoing activity)."""
    forms = []
    for phrase in _settings()["one_off_verbs"]:
        first, _, rest = phrase.partition(" ")
        stem = first[:-1] if first.endswith("e") else first
        word = (rf"(?:{re.escape(first)}(?:s|es|d|ed)?|{re.escape(stem)}ing"
                rf"|{re.escape(first + first[-1])}ing)")
        forms.append(word + "".join(rf"\s+{re.escape(w)}" for w in rest.split()))
    return re.compile(r"(?:" + "|".join(forms) + r")\b(?=\s+(?!(?:to|with|about|on|more|less|"
                      r"in|up|regularly|often|daily|weekly|and|or)\b)[\w$\[{'-])", re.IGNORECASE)


_MODALS = ("will", "shall", "must", "can", "should", "would", "could", "may", "might")


def _one_off_acts(text: str, lex: Lexicon, purposes: list[tuple[int, int]]) -> list[Span]:
    """The goal's main verb when it names a single act with what it acts on ("Call someone from
    the fellowship", "read the accountability letter in court"): done once, anyone can tell.
    Not in a purpose clause, and not when a trigger makes the act recur."""
    if not lex.predicates:
        return []
    starts = [start for start, _ in _verbs_after_will(text, lex)]
    # Any verb the goal opens with is its first, an act or not ("Use the bus to access ...").
    opening = lex.predicates["opening"].match(text) or lex.predicates["opening_bare"].match(text)
    if opening and opening.group(1).lower() not in _MODALS:  # "I will meet with ...": not "will"
        starts.append(opening.start(1))
    # The list is of verbs, so a goal that opens with one opens with its act ("Read
    # accountability letter in court"), unless the word is a noun of ("Record of attendance").
    # The goal's first main verb only: after it, a verb is its means or its purpose ("use
    # paratransit to access community services").
    starts = sorted(starts)[:1]
    first = re.match(r"\s*(?:(?:i|we)\s+)?(?=[a-z])", text, re.IGNORECASE)
    if first and not re.match(r"(?:[\w-]+\s+of|(?:%s))\b" % "|".join(_MODALS), text[first.end():],
                              re.IGNORECASE):
        starts.append(first.end())
    out = []
    for start in starts:
        verb = _one_off_verbs().match(text, start)
        if verb is None or any(p[0] <= start < p[1] for p in purposes):
            continue
        acted = Span(start, verb.end(), verb.group(0), _ONE_OFF_ENTRY)
        if _recurs(text, acted):
            continue
        # What it acts on: up to four words, not into its purpose or its time frame.
        word = r"(?!(?:to|by|within|before|until|so|and|or)\b)[\w$'\[\]{}-]+"
        acted_on = re.match(rf"\s+(?:{word}\s+){{0,3}}{word}", text[verb.end():], re.IGNORECASE)
        end = verb.end() + (acted_on.end() if acted_on else 0)
        out.append(Span(start, end, text[start:end], _ONE_OFF_ENTRY))
    return out


_PURPOSE_TO = re.compile(r"\s(?:in\s+order\s+|so\s+as\s+)?to\s+(?!(?:the|a|an|his|her|their|my|"
                         r"your|our|this|that|these|those|work|school|college|court|bed|be|"
                         r"\d+|[\w-]+['’]s|[a-z]+ing)\b)(?=[a-z])", re.IGNORECASE)
_COMPLEMENT = {"how", "what", "when", "where", "who", "whom", "whether", "not"}
# Particles of a phrasal verb: "go back to", "sign up to", "move on to" say where, not why.
_PARTICLES = {"back", "up", "out", "over", "away", "on", "off", "down", "in", "along", "forward"}


def _purposes(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where a purpose clause runs: a "to" + verb after the goal's main verb and what it acts on
    ("strengthen coping skills to reduce crisis episodes"), up to the sentence's end. A "to"
    right after the main verb completes it ("need to attend", "learn how to budget")."""
    if not lex.predicates:
        return []
    first = lex.predicates["before"].search(text)
    # Any opening verb, action or not, has the goal's "to" after it: "Make lifestyle changes to
    # decrease the need for drugs" is made, and decreasing is what it is for.
    opening = _opening(text, lex)
    bare = lex.predicates["opening_bare"].match(text)
    if opening is None and bare and bare.group(1).lower() not in _settings()["being_verbs"]:
        opening = bare
    if opening and (first is None or opening.start(1) < first.end()):
        verb_end = opening.end(1)
    elif first is not None:
        verb = re.match(r"[a-z][\w-]*", text[first.end():], re.IGNORECASE)
        if verb is None:
            return []
        verb_end = first.end() + verb.end()
    else:
        return []
    # "Use the bus to get to work", "draw on his faith to resist temptation": with a verb of
    # using, the "to" clause is the goal itself and the main verb its means.
    head = words_between(text, max(0, verb_end - 30), verb_end)[-1:]
    instrumental = bool(set(head) & set(_settings()["instrumental_verbs"]))
    out = []
    for m in _PURPOSE_TO.finditer(text, verb_end):
        # ...but what a skill is used to lessen is its purpose, not the goal: "practice deep
        # breathing 3 times daily, to reduce anxiety symptoms" is breathing practised.
        if instrumental and not _rx(_settings()["lessening_purposes"]).match(text, m.end()):
            break
        between = words_between(text, verb_end, m.start())
        if between and between[-1] in _settings()["to_prepositions"]:
            continue  # "with regard to permanency planning", "due to", "next to"
        if (not between or set(between) & _COMPLEMENT or set(between) <= _PARTICLES
                or re.search(r"[.;:]", text[verb_end:m.start()])):
            continue
        stop = re.search(r"[.;]", text[m.end():])
        out.append((m.start(), m.end() + (stop.start() if stop else len(text) - m.end())))
        break
    return out


_ANCHOR = re.compile(r"^\s*(?:once|after|upon|when|following|as\s+soon\s+as)\b[^,;.]{0,60},"
                     r"|\b(?:on|upon|after|following)\s+(?:(?:his|her|their|my)\s+)?"
                     r"(?:release|discharge)\s+from\s+(?:custody|prison|jail|hospital|treatment)\b",
                     re.IGNORECASE)


def _anchors(text: str) -> list[tuple[int, int]]:
    """Where a start anchor stands ("Once hired, ...", "on release from custody"): it says when
    the goal begins, not what it does, so an outcome named there is not the goal's."""
    return [m.span() for m in _ANCHOR.finditer(text)]


def _not_action(word: str, lex: Lexicon) -> bool:
    """True for a verb of `not_actions` in any of its forms ("reconnecting", "engaged")."""
    if word in lex.not_actions:
        return True
    bases = []
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        bases += [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
    elif word.endswith("ied"):
        bases.append(word[:-3] + "y")
    elif word.endswith("ed") and len(word) > 4:
        bases += [word[:-2], word[:-1]]
    elif word.endswith("es") and len(word) > 4:
        bases += [word[:-2], word[:-1]]
    elif word.endswith("s") and len(word) > 3:
        bases.append(word[:-1])
    return any(b in lex.not_actions for b in bases)


def _qualified(text: str, span: Span, qualifiers: list[Span]) -> bool:
    """True when a qualifier earlier in the clause leaves a measure without a standard ("make
    best efforts to find work", "attend regular meetings"); a number still counts."""
    start = _clause_start(text, span.start)
    if _counted(span):
        return _count_qualified(text, span, start)
    # Right after a step's verb a qualifier is its object's amount: "earn some money", "pay off
    # some of my debt" name no standard.
    after = span.end + 1 if span.entry.kind in ("event", "deliverable") else span.end
    return any(start <= q.start and (q.end <= span.end or q.start <= after) for q in qualifiers)


def _counted(span: Span) -> bool:
    return bool(_NUMBER.search(span.text.lower()) or "$" in span.text)


def _count_qualified(text: str, span: Span, start: int) -> bool:
    """True when an adverb on the verb of a counted step leaves the count without a standard:
    "consistently practice three coping skills", "3 coping strategies I can use consistently"
    (settings.yaml count_qualifiers)."""
    adverb = _settings()["count_qualifiers"]
    before = text[start:span.start]
    if re.search(r"\b" + adverb + r"\s+(?!(?:in|on|at|of|for|with|by|to|from|during)\b)[a-z]+\s+"
                 r"(?:(?:the|a|an|his|her|their|my|at\s+least)\s+)?$", before, re.IGNORECASE):
        return True
    after = re.split(r"[,;.:(]|\s(?:and|or|so|to|by|for|within|over)\s", text[span.end:], maxsplit=1)[0]
    return bool(len(after) <= 40 and re.search(r"\b" + adverb + r"\b", after, re.IGNORECASE))


def _vague_object(text: str, span: Span) -> bool:
    """True when what is to be stopped is itself vague ("avoid trouble", "not reoffend")."""
    words = words_between(text, span.start, span.end) + words_between(text, span.end,
                                                                      span.end + 60)[:4]
    return bool(set(words) & set(_settings()["vague_objects"]))


def _vague_object_of(text: str, span: Span, vague: list[Span]) -> bool:
    """True when what an action acts on is vague ("practice forgiveness", "demonstrate
    acceptable job performance"): the action names nothing to see done."""
    if _NUMBER.search(span.text.lower()):
        return False
    for v in vague:
        gap = text[span.end:v.start]
        if 0 <= v.start - span.end <= 30 and not re.search(r"[,;.:]|\s(?:and|or|so|to)\s", gap):
            return True
    return False


def _under_vague(span: Span, vague: list[Span], text: str = "") -> bool:
    """True inside a vague phrase or just after one ("get better at running a kitchen"), or in
    what it is of ("increase awareness of mental health and the importance of treatment")."""
    return any(span.overlaps(v) or 0 <= span.start - v.end <= 25
               or (text and 0 <= span.start - v.end <= 70
                   and re.match(r"\s+(?:of|about)\b[^,;.]*$", text[v.end:span.start]))
               for v in vague)


def _outcomes(text: str, lex: Lexicon) -> list[Span]:
    """Concrete outcomes, unless the goal is one bare word or the outcome only describes a
    problem or a domain ("housing issues", "job options", "college life")."""
    if len(words_between(text, 0, len(text))) < 3:
        return []
    vague_heads = {"issues", "problems", "needs", "concerns", "situation", "barriers",
                   "instability", "stability", "options", "goals", "life", "lives"}
    kept = []
    for span in lex.find("outcomes", text):
        following = words_between(text, span.end, span.end + 20)[:1]
        if not (set(following) & vague_heads):
            kept.append(span)
    return kept


def _target(text: str, span: Span, lex: Lexicon) -> bool:
    """True when the strength named is what the goal is about, not what it uses
    ("improve her parenting skills", "find an NA sponsor", "stay in touch with her sister")."""
    before = words_between(text, max(0, span.start - 40), span.start)
    # "stop relying on shelter services": a support the goal is to stop using is not used.
    if span.text.split()[0].lower() in _USING_VERBS and before and before[-1] in _STOPS:
        return True
    if _rx(_settings()["stopped_support"], False).search(text[max(0, span.start - 40):span.start]):
        return True
    while before and before[-1] in _DETERMINERS:
        before.pop()
    # Read from the mention's first word on: the case's word for the support may itself be
    # "Luc drives".
    after = text[span.start + len(span.text.split()[0]):] if span.text.split() else ""
    if _rx(_settings()["acting_support"], False).search(after):
        return False
    # "have her food handler's card renewed": a credential renewed or replaced is the target.
    if _rx(_settings()["renewed_credential"], False).match(text, span.start):
        return True
    return bool(before) and before[-1] in lex.strength_targets


def _venue(text: str, span: Span) -> bool:
    """True for a venue the goal goes to or joins ("go to every Thursday night art guild
    meeting"): where it happens, not a resource it uses."""
    # "at his church" is his own community, a resource however it is reached.
    venues = _settings()["venues"]
    if _rx(r"\b(?:his|her|their|my|your|our)\s+(?:[\w-]+\s+)?" + venues["words"] + r"\b",
           False).search(span.text):
        return False
    return bool(_rx(r"\b" + venues["words"] + r"\b", False).search(span.text)
                and _rx(venues["going"], False).search(text[max(0, span.start - 50):span.start]))


_USING_VERBS = {"relying", "rely", "relies", "leaning", "lean", "leans", "drawing", "draw",
                "draws", "counting", "count", "counts", "using", "use", "uses", "calling"}
_STOPS = {"stop", "stops", "quit", "quits", "avoid", "avoids", "not", "longer", "less", "never"}


_NO_ENTRY = Entry("case", 0, re.compile(""), "a fact recorded in the case")
# Words that only say what kind of job are skipped too: "get a full-time mechanic job".
_DETERMINERS = {"a", "an", "the", "his", "her", "their", "my", "your", "our", "in", "more", "some",
                "full-time", "part-time", "paid"}
_STARTS = {"starting", "beginning", "effective", "commencing", "of"}
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred|few|couple)\b")


def _start_only(text: str, span: Span) -> bool:
    """True for a start date with no end ("starting in February")."""
    before = words_between(text, max(0, span.start - 20), span.start)[-1:]
    return bool(set(before) & _STARTS) or span.text.lower().startswith("from ")


def _duration(span: Span, text: str = "") -> bool:
    """A counted span kept ("for 90 days", "over the next six months", "for the next year") is
    also a measure."""
    lower = span.text.lower()
    if (re.search(r"\bfor\s+(?:the\s+)?$", text[max(0, span.start - 9):span.start].lower())
            and re.match(r"(?:next|coming|following)\s+(?:year|month|week|quarter|semester)\b",
                         lower)):
        return True
    if lower.startswith(("a full ", "a whole ", "an entire ", "x", "throughout ")):
        return True
    if re.match(r"for\s+the\s+(?:duration|length|remainder|rest|term|whole|entire)\b", lower):
        return True
    if re.match(r"(?:for|over)\s+another\b", lower):  # "for another year"
        return True
    # A named span run through: "through the certification period", "while attending any
    # program" (DESIGN conventions: the program's duration is a duration).
    if re.match(r"(?:through|throughout|during|for)\s+(?:the|this|his|her|their)\s+(?:[\w-]+\s+)?"
                r"(?:period|episode\s+of\s+care)\b|while\s+(?:attending|enrolled|taking\s+part)",
                lower):
        return True
    return lower.startswith(("for ", "over ", "during ")) and bool(_NUMBER.search(lower))


def _kept(text: str, span: Span) -> bool:
    """True when a duration counts something kept up ("remain sober for 90 days"), not an
    activity, which needs a count or frequency ("attend classes for six months" is a time frame
    only). settings.yaml `kept_states`, looked for in the duration's sentence up to just after
    it ("for 3 consecutive weeks" is a streak kept)."""
    start = max(text.rfind(".", 0, span.start), text.rfind(";", 0, span.start)) + 1
    return bool(_kept_states().search(text, start, min(len(text), span.end + 40)))


@lru_cache(maxsize=1)
def _kept_states() -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + _settings()["kept_states"] + r")", re.IGNORECASE)


def _left_to_others(text: str, span: Span, directed: int) -> bool:
    """True when "as requested" later in the step's clause sets its standard ("complete
    screens as requested"), with no count or "all" of its own between."""
    between = text[span.start:directed]
    return (span.start < directed <= span.end + 60 and not re.search(r"[,;.]", between)
            and not _NUMBER.search(between.lower())
            and not re.search(r"\b(?:all|every|each)\b", between, re.IGNORECASE))


def _mask(text: str, spans: list[Span]) -> str:
    chars = list(text)
    for span in spans:
        chars[span.start:span.end] = " " * (span.end - span.start)
    return "".join(chars)


def _message(key: str, **fields: str) -> str:
    template = _messages()["messages"][key]
    text = template.format(**fields) if fields else template
    # A quote that ends a sentence already has its full stop.
    for mark in ".?!":
        text = text.replace(f"{mark}”.", f"{mark}”")
    return text


# A comma or point inside a number ("$6,000", "0.5%") does not end the phrase.
_PHRASE_END = re.compile(r"(?<!\d)[,.]|[,.](?!\d)|[;:!?]|\s(?:and|but|or|by|within|before|until|with|using|so)\s",
                         re.IGNORECASE)


def _phrase(text: str, span: Span, extra_words: int = 3) -> Span:
    """The span grown to the end of its phrase, so a quote reads "get a job", not "get a"."""
    stop = _PHRASE_END.search(text, span.end)
    # "Obtain stable, legitimate employment": a comma after one word of what the action acts on
    # joins two of its describing words, as in the goal's main clause.
    between = words_between(text, span.end, stop.start()) if stop else []
    joins = {*_settings()["clause_joins"], "a", "an", "the"}
    after = re.match(r"\s*([\w-]+)\s+\w", text[stop.end():]) if stop else None
    if (stop and stop.group(0) == "," and len(between) == 1 and between[0].lower() not in joins
            and after and after.group(1).lower() not in joins):
        stop = _PHRASE_END.search(text, stop.end())
    limit = stop.start() if stop else len(text)
    end = span.end
    for m in re.finditer(r"\S+", text[span.end:limit]):
        if extra_words == 0:
            break
        if m.group(0).lower() not in _DANGLING and not m.group(0).isdigit():
            end = span.end + m.end()
        extra_words -= 1
    # A quote that runs past a closing quotation mark takes its opening one too: “'weather
    # report' notebook”, not “weather report' notebook”.
    start = span.start
    closing = {"'": "'", "‘": "’", '"': '"', "“": "”"}.get(text[start - 1]) if start else None
    if closing and re.search(re.escape(closing) + r"(?!\w)", text[start:end]):
        start -= 1
    return Span(start, end, text[start:end], span.entry)


# A quote does not end on a word that leads on to something left out ("attend NA meetings 3").
_DANGLING = {"a", "an", "the", "of", "to", "for", "in", "on", "at", "from", "his", "her",
             "their", "my", "i", "he", "she", "they", "can", "will", "when", "that", "who",
             "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "next", "each", "every", "coming", "during", "with", "by", "while"}


def _criterion(name: str, met: bool | None, key: str, tip_key: str | None = None,
               span: Span | None = None, **fields: str) -> Criterion:
    if span is not None:
        fields.setdefault("words", span.text)
    return Criterion(name, met, key, _message(key, **fields),
                     _message(tip_key, **fields) if tip_key else None,
                     (span.start, span.end) if span else None)


def _specific(found: _Findings) -> Criterion:
    if "specific" not in found.memo:
        found.memo["specific"] = _judge_specific(found)
    return found.memo["specific"]


def _judge_specific(found: _Findings) -> Criterion:
    hope = _HOPE.search(found.text)
    if hope:
        return _criterion("specific", False, "specific.not_met.hope", "specific.tip.hope",
                          span=_phrase(found.text, Span(hope.start(), hope.end(), hope.group(0),
                                                        _VERB_ENTRY), 3))
    # Something to count or hand over defines the outcome: "300 people provided with a ticket
    # home", "Build $500k net worth", "achieve 6 hours of sleep on 5 nights a week".
    # A share ("3-5 of the following", "in 4 of 5 conversations") says how it will be judged,
    # not what is to be done.
    counted = [m for m in found.measures + found.loose_counts
               if not m.entry.frequency and m.entry.kind != "ratio"]
    if not found.actions and counted:
        first = min(counted, key=lambda m: m.start)
        return _criterion("specific", True, "specific.met.counted", span=_phrase(found.text, first))
    if found.actions:
        first = min(found.actions, key=lambda a: a.start)
        if any(first.overlaps(d) and d.entry.kind == "symptom" for d in found.core_deficits):
            return _criterion("specific", True, "specific.met.symptom",
                              span=_phrase(found.text, first))
        if any(first.overlaps(d) for d in found.core_deficits):
            # "Stop drinking" names a behaviour, but the behaviour is a stop: say both at once,
            # as the page teaches the dead-man's test.
            return _criterion("specific", True, "specific.met.stop",
                              span=_phrase(found.text, first))
        return _criterion("specific", True, "specific.met", span=_phrase(found.text, first))
    if found.vague:
        return _criterion("specific", False, "specific.not_met.vague", "specific.tip.vague",
                          span=found.vague[0])
    return _criterion("specific", False, "specific.not_met", "specific.tip")


def _measurable(found: _Findings) -> Criterion:
    if found.measures:
        first = min(found.measures, key=lambda m: m.start)
        # "Complete 3 applications": the count inside the deliverable is what the why names.
        number = _NUMBER.search(first.text) if first.entry.kind == "deliverable" else None
        if number:
            at = first.start + number.start()
            counted = [m for m in Lexicon.load().find("measures", " " * at + found.text[at:])
                       if m.start == at and m.entry.kind != "deliverable"]
            first = counted[0] if counted else first
        # The why says what decided it: a deliverable, a count, a scale, a span kept...
        kind = (first.entry.kind if first.entry.section == "times" and first.entry.kind
                else _MEASURE_KINDS.get(first.entry.section, first.entry.kind))
        key = f"measurable.met.{kind}"
        if key not in _messages()["messages"]:
            key = "measurable.met"
        return _criterion("measurable", True, key, span=_phrase(found.text, first, 3))
    if found.loose_counts:
        count = found.loose_counts[0]
        start = _clause_start(found.text, count.start)
        adverb = _rx(_settings()["count_qualifiers"]).search(found.text, start)
        if adverb:
            return Criterion("measurable", False, "measurable.not_met.qualified",
                             _message("measurable.not_met.qualified", words=adverb.group(0),
                                      count=count.text.strip()),
                             _message("measurable.tip.qualified", words=adverb.group(0)),
                             adverb.span())
    return _criterion("measurable", False, "measurable.not_met", "measurable.tip")


# Measures found by other sections of the lexicon: a duration kept, a scale, "as evidenced by".
_MEASURE_KINDS = {"times": "kept", "scales": "scale", "evidence": "evidence"}


def _time_bound(found: _Findings) -> Criterion:
    if found.times:
        return _criterion("time_bound", True, "time_bound.met", span=found.times[0])
    frequency = [m for m in found.measures if m.entry.frequency]
    if frequency:
        return _criterion("time_bound", False, "time_bound.not_met.frequency",
                          "time_bound.tip.frequency", span=frequency[0])
    return _criterion("time_bound", False, "time_bound.not_met", "time_bound.tip")


def _reframe(offer: str | None, who: str, their: str) -> str | None:
    """A deficit's reframe with the client's name and pronoun in it ("say what Walter will do")."""
    return offer.format(who=who, their=their) if offer else offer


def _positive_framing(found: _Findings, who: str, their: str) -> Criterion:
    if found.core_deficits:
        span = found.core_deficits[0]
        key = ("positive_framing.not_met.symptom" if span.entry.kind == "symptom"
               else "positive_framing.not_met")
        return _criterion("positive_framing", False, key,
                          "positive_framing.tip", span=span, who=who,
                          reframe=_reframe(span.entry.offer, who, their))
    return _criterion("positive_framing", True, "positive_framing.met", who=who)


def _builds_on_strength(found: _Findings, context: ClientContext | None,
                        who: str) -> Criterion:
    if context is not None:
        for known, span in _case_mentions(found, context.strengths):
            return _criterion("builds_on_strength", True, "builds_on_strength.met.case",
                              span=span, fact=_fact_words(known), who=who)
    if found.strengths:
        return _criterion("builds_on_strength", True, "builds_on_strength.met",
                          span=_phrase(found.text, found.strengths[0], 2))
    if context and context.strengths:
        return _criterion("builds_on_strength", False, "builds_on_strength.not_met",
                          "builds_on_strength.tip.context", who=who,
                          words=_fact_words(context.strengths[0]))
    return _criterion("builds_on_strength", False, "builds_on_strength.not_met",
                      "builds_on_strength.tip", who=who)


_NAME = re.compile(r"(?<![\w'-])(?-i:[A-Z][a-z]{2,})(?:\s+(?-i:[A-Z][a-z]{2,}))?")
_AMOUNT = re.compile(r"\$\s?(\d[\d,]*)")
_NOT_NAMES = {"the", "has", "had", "was", "she", "her", "his", "they", "their", "english",
              "spanish", "french", "somali", "arabic", "vietnamese", "christian", "muslim",
              "catholic", "indigenous", "black", "white", "county", "city", "street", "court",
              "program", "centre", "center", "clinic", "office", "services", "house", "high",
              "school", "college", "state", "grade", "harrow", "monday", "tuesday", "wednesday",
              "thursday", "friday", "saturday", "sunday", "january", "february", "march",
              "april", "may", "june", "july", "august", "september", "october", "november",
              "december"}


@lru_cache(maxsize=4096)
def _known_patterns(known: Known) -> re.Pattern[str] | None:
    """How a goal may name a recorded fact: any of its other words, a person's name in it, or
    the same dollar amount."""
    words_of = [s for s in known.says if s.strip(" *")]
    for m in _NAME.finditer(known.text):
        if known.text.startswith(("'s", "’s"), m.end()):
            continue  # "Lupe, Mateo's godmother": Mateo is not a word for Lupe
        words = m.group(0).split()[1:] if m.start() == 0 else m.group(0).split()
        words = [w for w in words if w.lower() not in _NOT_NAMES]
        if words:
            words_of.append(" ".join(words))
    patterns = []
    if words_of:
        patterns.append(phrase_alternation(words_of))
    for m in _AMOUNT.finditer(known.text):
        digits = m.group(1).replace(",", "")
        patterns.append(r"\$\s?" + r",?".join(digits) + r"(?!\d)")
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def _mention(text: str, known: Known) -> tuple[int, int] | None:
    """Where a text first names a recorded fact, by any of the case's words for it, or None."""
    pattern = _known_patterns(known)
    m = pattern.search(text) if pattern is not None else None
    return m.span() if m else None


def _case_mentions(found: _Findings, items: tuple[Known, ...]) -> list[tuple[Known, Span]]:
    """The case's strengths or supports the goal names and uses (not ones it only targets,
    "reconnect with his sister"), outside its time frames ("by June" is not June)."""
    key = ("case", id(items))
    if key not in found.memo:
        found.memo[key] = (items, _find_case_mentions(found, items))
    return list(found.memo[key][1])


def _find_case_mentions(found: _Findings, items: tuple[Known, ...]) -> list[tuple[Known, Span]]:
    masked = _mask(found.text, found.times)
    out = []
    lex = Lexicon.load()
    for known in items:
        pattern = _known_patterns(known)
        if pattern is None:
            continue
        # Every mention, not only the first: "get a full-time mechanic job ..., using their 8
        # years as an Army vehicle technician" targets the trade once and uses it once.
        for n, m in enumerate(pattern.finditer(masked)):
            span = Span(m.start(), m.end(), found.text[m.start():m.end()], _NO_ENTRY)
            if _given_up(found, span) or _target(found.text, span, lex):
                continue
            # A later mention counts only where the goal says it uses it ("using their ...");
            # one it meets at or goes to ("after Saturday evening Mass") is still its target.
            before = found.text[:span.start]
            if n and not (_USED.search(before[-40:]) or _rx(
                    rf"\b(?:{_settings()['how_words']})\b[^,;.]*$", False).search(before[-60:])):
                continue
            out.append((known, _phrase(found.text, span, 2)))
            break
    # One the goal says it uses ("with Lupe driving her") comes before one it may only name
    # ("her parenting class").
    return sorted(out, key=lambda pair: (not _USED.search(found.text[:pair[1].start][-40:]),
                                         pair[1].start))


def _given_up(found: _Findings, span: Span) -> bool:
    """True when a stop at the goal's core has the named fact as its object ("refrain from
    associating with other ex-cons"): the goal gives it up, it does not use it."""
    for deficit in found.core_deficits:
        if deficit.entry.qualifier:
            continue  # "without missing his Saturday afternoons" keeps them
        between = found.text[deficit.end:span.start]
        if (deficit.end <= span.start and len(between) <= 60
                and not re.search(r"[,.;]|\band\b|\bbut\b", between, re.IGNORECASE)):
            return True
    return False


def _given_up_support(found: _Findings, context: ClientContext) -> tuple[Known, Span] | None:
    """A support of the case the goal asks the client to give up, if any."""
    masked = _mask(found.text, found.times)
    for known in context.strengths:
        where = _mention(masked, known)
        if where is None:
            continue
        span = Span(where[0], where[1], found.text[where[0]:where[1]], _NO_ENTRY)
        if _given_up(found, span):
            return known, span
    return None


_USE_WORDS = re.compile(r"(?:using|uses|use|with|drawing|draws|building|builds|through|thanks|"
                        r"from|leaning|relying|via|applying|supported|helped|encouraged)\b",
                        re.IGNORECASE)
_USED = re.compile(r"\b(?:with|using|uses|use|from|through|thanks\s+to|drawing\s+on|building\s+on|"
                   r"leaning\s+on|help\s+of|support\s+of|by|via|and|alongside|like)\s+"
                   r"(?:(?:his|her|their|my|the|a|an)\s+)?(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)


def _main_clause(text: str, found: _Findings) -> str:
    """The goal's main action and what it acts on: where a barrier would stop it. Words further
    on (a purpose, a place, the people met) are not what the goal needs."""
    # An action inside a condition ("if she notices an unplanned purchase, ...") is not what
    # the goal does.
    conditions = [m.span() for m in _CONDITION.finditer(text)]
    actions = [a for a in found.actions if not any(c[0] <= a.start < c[1] for c in conditions)]
    # Where it happens is not what it does: "time alone in his room" asks for no room.
    placed = _blank_places(text)
    actions = [a for a in actions
               if placed[a.start:a.end].strip() or not text[a.start:a.end].strip()]
    if not actions:
        return text
    # "Drawing on how she kept his school routine before, Rosa will rent a place": an opening
    # phrase before the goal's "will" is how, not what; the main action follows the "will".
    lex = Lexicon.load()
    will = lex.predicates["before"].search(text) if lex.predicates else None
    if will and will.start() > 0 and "," in text[:will.start()]:
        actions = [a for a in actions if a.start >= will.start()] or actions
    first = min(actions, key=lambda a: a.start)
    start, end = first.start, first.end
    # "reduce isolation and avoid drug-using peers": a vague step joined to the first action by
    # "and" is as much the goal; the clause runs from where that series starts.
    if re.search(r"\band\s+$", text[max(0, start - 6):start]):
        clause = max(text.rfind(mark, 0, start) for mark in ";:.") + 1
        if will and clause <= will.start() < start:
            clause = will.end()
        start = clause + len(text[clause:start]) - len(text[clause:start].lstrip())
    stop_at = len(text)
    # A full stop ends the clause, but not the stops inside "a.m." or "p.m.".
    for stop in re.finditer(r"[,;:]|(?<!\.[a-z])\.(?![a-z])|\s(?:so|and\s+then|until|because|while|"
                            r"after|before|with)\s",
                            text[end:]):
        # "Obtain stable, legitimate employment": a comma between two words of what the
        # action acts on does not end the clause.
        if stop.group(0) == "," and len(words_between(text, end, end + stop.start())) == 1:
            continue
        # "pay for a meeting with the immigration lawyer": whom a meeting is with is what
        # the goal acts on.
        if (stop.group(0).strip() == "with"
                and _rx(_settings()["achievable"]["meeting_with"], False).search(
                    text[:end + stop.start()])):
            continue
        stop_at = end + stop.start()
        break
    return text[start:min(stop_at, end + 60)]


_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|in\s+case)\b[^,;.]*", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _lifting_pattern(barrier: Known) -> re.Pattern[str] | None:
    """The case's words for how a barrier is dealt with, as people vary them: up to two words
    may come between ("a monthly budget" for "a budget", "the online adult diploma program" for
    "online program"), a hyphen may join them ("day-shift") and the last word may take an ending
    ("a sponsorship" for "a sponsor")."""
    phrases = []
    for term in barrier.lifted_by:
        # "two-bedroom" in a case is "2-bedroom" in a goal.
        words = [f"(?:{re.escape(w)}|{_NUMBER_WORDS[w.lower()]})"
                 if w.lower() in _NUMBER_WORDS and w.lower() != "a" else re.escape(w)
                 for w in term.strip().rstrip("*").replace("-", " ").split()]
        if not words:
            continue
        tail = r"[\w'’-]*" if term.strip().endswith("*") else r"(?:s|es|ship|ships|ing|ed|d)?"
        phrases.append(r"[\s-]+(?:[\w'’-]+\s+){0,2}".join(words) + tail)
    if not phrases:
        return None
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(sorted(phrases, key=len, reverse=True))
                      + r")(?:['’]s)?(?![\w'’-])", re.IGNORECASE)


@lru_cache(maxsize=64)  # one review asks the same of a barrier several times; no more
def _lifted_by_words(text: str, barrier: Known) -> bool:
    """True when the goal says how the barrier is dealt with, in the case's words for that or
    in words that deal with any barrier of its kind (settings.yaml `lifts_by_kind`)."""
    return _lifting_words(text, barrier) is not None


def _lifting_words(text: str, barrier: Known) -> re.Match[str] | None:
    """Where the goal says how the barrier is dealt with (see `_lifted_by_words`), or None."""
    pattern = _lifting_pattern(barrier)
    found = pattern.search(text) if pattern else None
    if found:
        return found
    for lifts in _kind_lifts(barrier):
        for m in _rx(lifts, False).finditer(text):
            if not _ruled_out(m.group(0), barrier, text):
                return m
    return None


def _ruled_out(words: str, barrier: Known, goal: str = "") -> bool:
    """True when the way the goal names is one the barrier itself rules out: "buses do not
    serve the plant at night" is not got round by bus, nor "only one early commuter bus runs"
    by a bus at night (settings.yaml achievable.ruled_out)."""
    rules = _settings()["achievable"]
    named = _rx(rules["ruled_out_means"], False).search(words)
    if not named:
        return False
    means = re.escape(named.group(0)) + r"(?:e?s)?"
    if re.search(rules["ruled_out"].format(means=means), barrier.text, re.IGNORECASE):
        return True
    return bool(re.search(rules["ruled_out_but_one"].format(means=means), barrier.text,
                          re.IGNORECASE)
                and not _rx(rules["the_one_fits"], False).search(goal))


@lru_cache(maxsize=4096)
def _kind_lifts(barrier: Known) -> tuple[str, ...]:
    """The `lifted_by` patterns of the kinds this barrier is (read from its text), once."""
    return tuple(kind["lifted_by"] for kind in _settings()["achievable"].get("lifts_by_kind", [])
                 if re.search(kind["barrier"], barrier.text, re.IGNORECASE))


def _fact_words(known: Known) -> str:
    """A recorded fact as a clause inside a sentence: no final full stop."""
    return known.text.rstrip(" .")


def _achievable(found: _Findings, context: ClientContext | None, text: str) -> Criterion:
    if context is None:
        return _criterion("achievable", None, "achievable.unknown", "achievable.tip.unknown")
    who = context.name
    rules = _settings()["achievable"]
    absolute = _rx(rules["absolutes"]).search(text)
    if absolute:
        return Criterion("achievable", False, "achievable.not_met.absolute",
                         _message("achievable.not_met.absolute", words=absolute.group(0)),
                         _message("achievable.tip"), absolute.span())
    # Giving up a support the case records ("refrain from associating with other ex-cons",
    # when those men are the only people who call him) takes away what holds the client up.
    given_up = _given_up_support(found, context) if found.core_deficits else None
    if given_up is not None:
        known, span = given_up
        return Criterion("achievable", False, "achievable.not_met.gives_up",
                         _message("achievable.not_met.gives_up", who=who, words=span.text,
                                  fact=_fact_words(known)),
                         _message("achievable.tip"), (span.start, span.end))
    # The rubric judges whether the steps fit the client: a goal that names no concrete action
    # has none to fit ("Work on education", "be a better mom").
    # A goal that names no concrete action has no steps to fit ("Work on education", "be a
    # better mom"): it is judged by what it aims at, which a barrier of the case may block.
    vague = not _specific(found).met
    # A support named only where it is missing ("when his carpool can't take him") lifts nothing.
    conditions = [m.span() for m in _CONDITION.finditer(found.text)]
    named = [(k, sp) for k, sp in _case_mentions(found, context.strengths)
             if not any(c[0] <= sp.start < c[1] for c in conditions)]
    unconditional = _mask(found.text, [Span(a, b, "", _NO_ENTRY) for a, b in conditions])
    lifted: list[tuple[Known, Known]] = []
    # Where the goal's own words deal with a barrier ("get his parole officer to approve the
    # address"): the why names them.
    dealt: list[tuple[re.Match[str], Known]] = []
    for rule in rules["conflicts"]:
        need = _rx(rule["goal"]).search(_uses_masked(found, context) if rule.get("breaches")
                                        else text)
        if not need:
            continue
        # A condition that forbids the step may be recorded as a condition, not a barrier.
        for barrier in ((*context.barriers, *context.conditions) if rule.get("breaches")
                        else context.barriers):
            if not _barrier_of(rule["barrier"], barrier):
                continue
            # "Luc, their only ride, works 7 to 5": the support the barrier is about does not
            # lift it in the hours it says he is away.
            # "The application needs a doctor's signature": what lifts the barrier's other half
            # (drug coverage) does not get the signature, so only the rule's own words count.
            rule_only = rule.get("support_away") or rule.get("rule_lifts_only")
            support = (None if rule_only else
                       next((k for k, _ in named if barrier.text in k.lifts), None))
            if support is not None:
                lifted.append((support, barrier))
                continue
            bridge = rule.get("lifted_by")
            bridged = _rx(bridge).search(unconditional) if bridge else None
            if bridged and _ruled_out(bridged.group(0), barrier, unconditional):
                bridged = None
            words = bridged or (None if rule_only else _lifting_words(unconditional, barrier))
            if words:
                dealt.append((words, barrier))
                continue
            strength = named[0][1] if named else (
                _phrase(found.text, found.strengths[0], 2) if found.strengths else None)
            if strength is not None:
                key, extra = "achievable.not_met.barrier.strength", {"strength": strength.text}
            else:
                key, extra = "achievable.not_met.barrier", {}
            return Criterion("achievable", False, key,
                             _message(key, words=need.group(0), barrier=_fact_words(barrier),
                                      **extra),
                             _message("achievable.tip"), need.span())
    spans = [(d, t) for d, t in ((_days(t.text), t) for t in found.times) if d is not None]
    # A course takes its own length: "finish the 10-week course within 6 weeks" cannot be done.
    course = _rx(rules["course_length"], False).search(text)
    if course:
        length = _days(course.group("length")) or 0
        sooner = [(d, t) for d, t in spans
                  if d < length and not (t.start < course.end() and course.start() < t.end)]
        if sooner:
            _, shortest = min(sooner, key=lambda pair: pair[0])
            return Criterion("achievable", False, "achievable.not_met.course_length",
                             _message("achievable.not_met.course_length", words=shortest.text,
                                      outcome=course.group(0)),
                             _message("achievable.tip"), (shortest.start, shortest.end))
    days, shortest = min(spans, key=lambda pair: pair[0]) if spans else (0, None)
    if spans:
        for rule in rules["min_days"]:
            big = _rx(rule["outcome"]).search(text)
            if big and (re.search(rules["steps_toward"],
                                  text[max(0, big.start() - 60):big.start()], re.IGNORECASE)
                        or re.match(rules["steps_after"], text[big.end():big.end() + 40],
                                    re.IGNORECASE)):
                break
            if big:
                if days < rule["days"]:
                    return Criterion("achievable", False, "achievable.not_met.too_short",
                                     _message("achievable.not_met.too_short",
                                              words=shortest.text, who=who,
                                              outcome=big.group(0)),
                                     _message("achievable.tip"), (shortest.start, shortest.end))
                break
    # (After the outcome's own least time: a ticket in 6 months is too soon whatever the hours.)
    # Hours in total inside a time frame come to hours a week: "all 60 hours within 3 weeks" is 20
    # a week beside night shifts. A number of hours said per day or week is a pace, not a total.
    if spans:
        for rule in rules["hours_per_week"]:
            for total in _rx(rule["total"], False).finditer(text):
                if _rx(rules["hours_pace"], False).match(text[total.end():]):
                    continue
                hours = int(total.group("hours").replace(",", ""))
                weekly = hours * 7 / days
                if weekly > rule["most"]:
                    return Criterion("achievable", False, "achievable.not_met.hours_per_week",
                                     _message("achievable.not_met.hours_per_week",
                                              words=total.group(0), time=shortest.text,
                                              weekly=str(round(weekly)), most=str(rule["most"]),
                                              beside=rule["beside"], who=who),
                                     _message("achievable.tip"), total.span())
    for slot, pattern in rules["slots"].items():
        when = _rx(pattern).search(text)
        if when and context.available and slot not in context.available:
            return Criterion("achievable", False, "achievable.not_met.slot",
                             _message("achievable.not_met.slot", words=when.group(0), who=who),
                             _message("achievable.tip"), when.span())
    if context.transport == "rides":
        # A way of getting there that a transport barrier rules out ("the county bus does not
        # reach the foster family's town") does not get the client there.
        getting_there = [b for b in context.barriers if "transport" in b.blocks]
        place = _rx(rules["in_person"]).search(text) or next(
            (m for b in getting_there for far in _far_places(b, rules["far_place"])
             if (m := re.search(rf"\b{re.escape(far)}\b", text, re.IGNORECASE))), None)
        ways = [(m, next((b for b in getting_there if _ruled_out(m.group(0), b, text)), None))
                for m in _rx(rules["reached_by"]).finditer(text)]
        reached = next((m for m, ruled_by in ways if ruled_by is None), None)
        lifts_transport = any(k.lifts for k, _ in named)
        # The case's own words for getting round its transport barrier ("in Millbrook", where
        # Jo can walk) say how, as a ride does; a way another of them rules out does not.
        lifts_transport = lifts_transport or any(
            (way := _lifting_words(unconditional, b)) is not None
            and not any(_ruled_out(way.group(0), other, text) for other in getting_there)
            for b in getting_there)
        if place and not reached and not lifts_transport:
            ruled = next(((m, b) for m, b in ways if b is not None), None)
            if ruled is not None:
                way, barrier = ruled
                # The quote starts where the way does: "by taking the county bus".
                lead = _rx(rules["way_lead"]).search(text[:way.start()])
                start = lead.start() if lead else way.start()
                return Criterion("achievable", False, "achievable.not_met.ruled_out",
                                 _message("achievable.not_met.ruled_out",
                                          words=text[start:way.end()], who=who,
                                          barrier=_fact_words(barrier)),
                                 _message("achievable.tip"), (start, way.end()))
            return Criterion("achievable", False, "achievable.not_met.no_ride",
                             _message("achievable.not_met.no_ride", words=place.group(0),
                                      who=who),
                             _message("achievable.tip"), place.span())
    # A barrier stands in the way of the kinds of goal the case says it blocks, unless the goal
    # names a support that addresses it or says how it is dealt with (the case's lifted_by).
    # A strength or support of the case brings no kind of goal of its own ("with Luc driving
    # them", "her parenting class"), except one the goal keeps up: "keep their recovery going"
    # still needs what recovery needs.
    used = [span for _, span in named
            if not _rx(rules["keeps_up"], False).search(found.text[:span.start][-30:])]
    used += found.strengths + found.venues
    # A goal with no concrete step is judged by all it aims at ("reduce isolation and avoid
    # drug-using peers" aims at company as well as at peers).
    masked = _mask(found.text, used)
    main = masked if vague else _main_clause(masked, found)
    kinds = concepts(_blank_places(_blank_served(main)))
    # Some goals of a kind need none of what its barriers take away: spending less or keeping
    # track of spending needs no income (settings.yaml achievable.needs_none).
    # A rule may name the barriers it is about ("applying for benefits needs no income", but it
    # still needs the online form): only those are spared.
    spared = [rule for rule in rules.get("needs_none", ()) if _rx(rule["goal"], False).search(main)]
    kinds = frozenset(k for k in kinds if not any(
        k in rule["kinds"] and "barrier" not in rule for rule in spared))
    # The step is read from the goal's verb: "send 3 applications", where the main clause may
    # start at its noun.
    at = masked.find(main)
    lead = re.split(r"\bwill\s+|\bto\s+|[,;:]\s*", masked[:max(at, 0)], flags=re.IGNORECASE)[-1]
    steps = (lead + main).lstrip()
    steps_only = bool(_rx(rules["steps_only"], False).match(steps)
                      and not _rx(rules["steps_reach"], False).search(steps))
    # A barrier on a clock ("a 30-day supply of medication", "14 days of lithium"): a goal to see
    # the doctor or get the refill that gives itself longer than that leaves the client without.
    if shortest is not None:
        for barrier in context.barriers:
            supply = _supply_days(barrier)
            if (supply is not None and days > supply
                    and _rx(rules["runs_out_step"]).search(found.text)
                    and (set(barrier.blocks) & kinds or _mention(found.text, barrier))):
                return Criterion("achievable", False, "achievable.not_met.runs_out",
                                 _message("achievable.not_met.runs_out", words=shortest.text,
                                          who=who, barrier=_fact_words(barrier)),
                                 _message("achievable.tip"), (shortest.start, shortest.end))
    for barrier in context.barriers:
        blocked = set(barrier.blocks) & kinds
        blocked -= {k for rule in spared
                    if "barrier" in rule and _barrier_of(rule["barrier"], barrier)
                    for k in rule["kinds"]}
        if not blocked:
            continue
        if steps_only and barrier.at_outcome:
            # "send two applications a week": being hired needs ID, applying does not. A goal
            # that also says how the outcome's barrier will be met ("and get his parole officer
            # to approve the address") is told so.
            words = _lifting_words(unconditional, barrier)
            if words:
                dealt.append((words, barrier))
            continue
        support = next((k for k, _ in named if barrier.text in k.lifts), None)
        if support is not None:
            lifted.append((support, barrier))
            continue
        words = _lifting_words(unconditional, barrier)
        if words:
            dealt.append((words, barrier))
            continue
        if vague:
            key, extra = "achievable.not_met.vague_standing", {}
        elif named:
            key, extra = "achievable.not_met.standing.strength", {"strength": named[0][1].text}
        else:
            key, extra = "achievable.not_met.standing", {}
        return Criterion("achievable", False, key,
                         _message(key, barrier=_fact_words(barrier), who=who, **extra),
                         _message("achievable.tip.nothing_to_do" if vague else "achievable.tip"),
                         None)
    if lifted:
        support, barrier = lifted[0]
        return _criterion("achievable", True, "achievable.met.lifted", who=who,
                          support=_fact_words(support), barrier=_fact_words(barrier))
    if dealt and not vague:
        words, barrier = min(dealt, key=lambda pair: pair[0].start())
        return Criterion("achievable", True, "achievable.met.dealt_with",
                         _message("achievable.met.dealt_with", who=who,
                                  words=found.text[words.start():words.end()],
                                  barrier=_fact_words(barrier)),
                         None, words.span())
    if vague:
        return _criterion("achievable", True, "achievable.met.vague",
                          "achievable.tip.nothing_to_do", who=who)
    return _criterion("achievable", True, "achievable.met", who=who)


@lru_cache(maxsize=256)
def _far_places(barrier: Known, pattern: str) -> tuple[str, ...]:
    """The towns a transport barrier says the client cannot reach, read once per case."""
    return tuple(m.group("place") for m in _rx(pattern, False).finditer(barrier.text))


@lru_cache(maxsize=256)
def _supply_days(barrier: Known) -> int | None:
    """How many days what the barrier says will run out lasts ("a 30-day supply"), or None."""
    found = _rx(_settings()["achievable"]["runs_out"], False).search(barrier.text)
    return _days(found.group("span")) if found else None


def _blank_served(text: str) -> str:
    """The text with what a thing is for blanked out ("receipts for the legal clinic"), keeping
    every other character's place; "for" after a verb that takes it ("apply for a job") stays."""
    rules = _settings()["achievable"]
    if " for " not in text.lower():
        return text
    verbs = _rx(rules["served_for_verbs"], False)

    def blank(m: re.Match[str]) -> str:
        if verbs.fullmatch(m.group("before")):
            return m.group(0)
        keep = len(m.group("before"))
        return m.group(0)[:keep] + " " * (len(m.group(0)) - keep)

    return _rx(rules["served_for"], False).sub(blank, text)


def _blank_places(text: str, means: bool = False, places: bool = True) -> str:
    """The text with where it happens (settings.yaml achievable.places) and, with `means`, how
    it gets there (relevant.means) blanked out, keeping every other character's place."""
    rules = _settings()
    if places and _rx(rules["achievable"]["places_cue"], False).search(text):
        text = _rx(rules["achievable"]["places"], False).sub(lambda m: " " * len(m.group(0)), text)
    if means and _rx(rules["relevant"]["means_cue"], False).search(text):
        text = _rx(rules["relevant"]["means"], False).sub(lambda m: " " * len(m.group(0)), text)
    return text


@lru_cache(maxsize=4096)
def _barrier_of(pattern: str, barrier: Known) -> bool:
    """True when a conflict rule's barrier pattern names this barrier of the case (its text or
    its other words); the same for every goal, so read once."""
    return bool(_rx(pattern, False).search(" ".join((barrier.text, *barrier.says))))


@lru_cache(maxsize=256)
def _rx(pattern: str, word: bool = True) -> re.Pattern[str]:
    """A rule's pattern from settings.yaml, compiled once (from a word start when `word`)."""
    return re.compile((r"\b(?:" + pattern + r")") if word else pattern, re.IGNORECASE)


_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "semester": 120,
              "term": 120, "year": 365}
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fourteen": 14,
                 "thirty": 30, "sixty": 60, "ninety": 90}


def _days(phrase: str) -> int | None:
    """Days in a span such as 'within 3 days' or 'in two weeks'; None for dates and events."""
    lower = phrase.lower()
    if re.search(r"\b(?:end\s+of\s+(?:the|this)\s+month|this\s+month|end\s+of\s+next\s+month)\b",
                 lower):
        return 60 if "next" in lower else 30
    if re.search(r"\b(?:this|next)\s+week\b|\bby\s+(?:next\s+)?(?:monday|tuesday|wednesday|"
                 r"thursday|friday|saturday|sunday)\b", lower):
        return 7
    m = re.search(r"(\d+|[a-z]+)\s*-?\s*(day|week|fortnight|month|quarter|semester|term|year)",
                  phrase.lower())
    if not m:
        if re.search(r"\b(today|tomorrow|tonight)\b", phrase.lower()):
            return 1
        return None
    if m.group(1) == "of":  # "by the end of month 8 of his probation" counts from a start unknown
        return None
    count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS.get(m.group(1), 1)
    return count * _UNIT_DAYS[m.group(2)]


def _uses_masked(found: _Findings, context: ClientContext) -> str:
    """The goal with the strengths it says it uses blanked ("drawing on her eleven years of
    bookkeeping"): what is left is what the goal does."""
    # Every mention of a strength drawn on, not only the first: "with the record-keeping from
    # her bookkeeping years" names one strength twice.
    used = []
    for known, _ in _case_mentions(found, context.strengths):
        pattern = _known_patterns(known)
        used += [Span(m.start(), m.end(), m.group(0), _NO_ENTRY)
                 for m in (pattern.finditer(found.text) if pattern is not None else ())
                 if _DRAWN_ON.search(found.text[:m.start()][-60:])]
    used += [sp for sp in found.strengths
             if _USE_WORDS.match(sp.text) or _DRAWN_ON.search(found.text[:sp.start][-60:])]
    return _mask(found.text, used)


# A use word a few words before a strength, in the same phrase: "drawing on her eleven years of
# careful bookkeeping".
_DRAWN_ON = re.compile(r"\b(?:using|uses|use|drawing\s+on|draws\s+on|building\s+on|builds\s+on|"
                       r"leaning\s+on|relying\s+on|thanks\s+to|with|from)\b[^,.;:]{0,45}$",
                       re.IGNORECASE)


def _breach(found: _Findings, context: ClientContext) -> tuple[re.Match[str], Known] | None:
    """The step a condition of supervision forbids, and that barrier, when the goal takes the
    step and says nothing that lifts it (settings.yaml achievable.conflicts with `breaches`)."""
    rules = [r for r in _settings()["achievable"]["conflicts"] if r.get("breaches")]
    if not rules:
        return None
    doing = _uses_masked(found, context)
    for rule in rules:
        need = _rx(rule["goal"]).search(doing)
        if not need:
            continue
        # The condition may be recorded as a barrier of the case or as a condition itself.
        for barrier in (*context.barriers, *context.conditions):
            if not _barrier_of(rule["barrier"], barrier):
                continue
            if (_rx(rule["lifted_by"]).search(found.text)
                    or _lifted_by_words(found.text, barrier)):
                continue
            return need, barrier
    return None


@lru_cache(maxsize=1024)
def _meaning(known: Known) -> frozenset[str]:
    """What a goal, condition or priority of the case speaks of. Where a wanted thing is ("a
    quiet room near the church") is not what is wanted: a goal about Mass serves no room. A goal
    that says those very words still names it (`_mention`)."""
    near = _rx(_settings()["relevant"]["near"])
    return concepts(" . ".join(near.sub(" ", words) for words in (known.text, *known.says)))


def _relevant(found: _Findings, context: ClientContext | None) -> Criterion:
    """Relevant by meaning: the goal speaks of a concept (synonyms.yaml) or uses the case's own
    words for one of the client's goals, a condition or an agreed priority."""
    if context is None:
        return _criterion("relevant", None, "relevant.unknown", "relevant.tip.unknown")
    # A step a condition forbids ("a bookkeeping job" under a money-handling ban) serves none of
    # the client's goals while the condition stands.
    breach = _breach(found, context)
    if breach is not None:
        need, barrier = breach
        return Criterion("relevant", False, "relevant.not_met.breach",
                         _message("relevant.not_met.breach", words=need.group(0),
                                  who=context.name, barrier=_fact_words(barrier)),
                         _message("relevant.tip", who=context.name,
                                  goal=context.own_goals[0].text if context.own_goals else ""),
                         need.span())
    # Only the phrases that say a strength is used ("with support from his sister") are left
    # out; a case's word for a strength may also be the goal's outcome ("become a mechanic").
    used = [sp for sp in found.strengths
            if _USE_WORDS.match(sp.text) or _USED.search(found.text[:sp.start][-40:])]
    # A time frame says when, not what: "for the rest of her probation" serves no supervision goal.
    # Nor does where it happens or how it gets there: "a job at a medical office" serves no
    # health goal, "with Lupe driving her" no transport priority.
    # A case strength the goal draws on ("Using their 8 years as an Army vehicle technician")
    # is how, not what: its words serve nothing by themselves.
    how = _rx(r"\b(?:" + _settings()["how_words"] + r")\b[^,.;:]{0,45}$", False)
    drawn = [span for _, span in _case_mentions(found, context.strengths)
             if how.search(found.text[:span.start][-60:])]
    told = _mask(found.text, used + drawn + found.times)
    mine = concepts(_blank_places(told, means=True))
    # A goal that is only a way of getting somewhere ("take the early bus to the Harrow clinic")
    # is for what is there.
    if not mine - {"transport"}:
        mine = concepts(_blank_places(told, means=True, places=False))
    # A means serves its ends: an ID or a bank account serves work and a home of one's own.
    # A goal too vague to be a step ("address financial issues") is no means to anything.
    # What the goal speaks of comes first, in the client's own goals, the conditions and the
    # priorities; what it is only a means to after ("get a photo ID" serves a home).
    served = concept_serves()
    means = (mine.union(*(served.get(c, ()) for c in mine))
             if _specific(found).met else mine)

    def serves(known: Known, ours: frozenset[str], by_name: bool) -> bool:
        if by_name and _mention(found.text, known):
            return True
        return bool(ours & _meaning(known))

    own = ("relevant.met.goal", context.own_goals, "goal")
    condition = ("relevant.met.condition", context.conditions, "condition")
    priority = ("relevant.met.priority", context.priorities, "fact")
    # The case's own words for a thing are looked for once, in the first pass.
    for ours, by_name in ((mine, True), (means, False)) if means != mine else ((mine, True),):
        for key, items, field in (own, condition, priority):
            for known in items:
                if serves(known, ours, by_name):
                    return _criterion("relevant", True, key, who=context.name,
                                      **{field: _fact_words(known) if field == "fact"
                                         else known.text})
    example = context.own_goals[0].text if context.own_goals else ""
    return _criterion("relevant", False, "relevant.not_met", "relevant.tip", who=context.name,
                      goal=example)


def _flags(found: _Findings, who: str, their: str) -> tuple[Flag, ...]:
    flags_text = _messages()["flags"]
    flags: list[Flag] = []

    def add(kind: str, span: Span, offer: str | None = None) -> None:
        wording = flags_text[kind].format(words=span.text, offer=offer or "", who=who)
        flags.append(Flag(kind, span.start, span.end, span.text, wording))

    for span, in_name in found.labels:
        add("label_in_name" if in_name else "stigmatizing_label", span, span.entry.offer)
    for span in found.core_deficits:
        add("negative_framing", span, _reframe(span.entry.offer, who, their))
    if not found.actions:
        for span in found.vague:
            add("vague", span, span.entry.offer)
    if not found.times:
        for span in found.measures:
            if span.entry.frequency:
                add("bare_frequency", span)
    return tuple(sorted(flags, key=lambda f: (f.start, f.end)))


def _rewrite(text: str, found: _Findings, context: ClientContext | None) -> str | None:
    """The goal with its labels and known deficit phrasings replaced, every other word kept; None
    when there is nothing known to fix, or when a deficit phrasing would be left standing (a
    suggestion must not keep the words it was made to replace)."""
    subject = context.subject if context else _guess_subject(found.text)
    possessive = {"he": "his", "she": "her"}.get(subject, "their")
    who = context.name if context else "the client"
    edits: list[tuple[int, int, str]] = []
    try:
        rewrites = _joined_rewrites(found)
    except _Unrewritable:
        return None
    for span in rewrites:
        edits.append((span[0], span[1], _agree(span[2].format(pronoun=possessive,
                                                               subject=subject), subject)))
    for start, end, new in _label_edits(text, found, who):
        if not any(start < e and s < end for s, e, _ in edits):
            edits.append((start, end, new))
    if not edits:
        return None
    out = text
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    out = _tidy(out, who)
    if _still_deficit(out, found):
        return None
    return out[:1].upper() + out[1:]


_COORDINATED = re.compile(r"\s*,?\s*(?:and|or|nor|&)\s+", re.IGNORECASE)
_STOP_VERB = re.compile(r"(?:avoid|abstain\s+from|refrain\s+from|stop|quit|give\s+up|not|never)\s+",
                        re.IGNORECASE)


# After "avoid X and", these begin a second object of the same "avoid" ("and the party scene",
# "and using drugs"), not a new action ("and attend a class").
_GOVERNED = re.compile(r"(?:the|a|an|his|her|their|my|old|bad|negative|any|all|other|former|"
                       r"\w+ing)\b", re.IGNORECASE)


class _Unrewritable(Exception):
    """A deficit phrasing whose second half has no known positive wording."""


def _joined_rewrites(found: _Findings) -> list[tuple[int, int, str]]:
    """Known rewrites, with a coordinated second object folded in: in "stop drinking and using
    drugs" the stop governs both, so both are rewritten ("maintain sobriety and a drug-free
    life"), not the first alone."""
    lex = Lexicon.load()
    out: list[tuple[int, int, str]] = []
    for span in found.rewrites:
        start, end, offer = span.start, span.end, span.entry.offer
        verb = _STOP_VERB.match(found.text, span.start)
        joint = _COORDINATED.match(found.text, end)
        if verb and joint:
            rest = found.text[joint.end():]
            probe = verb.group(0) + rest
            second = next((r for r in lex.find("rewrites", probe) if r.start == 0), None)
            if second is not None:
                extra = second.end - len(verb.group(0))
                end = joint.end() + extra
                offer = offer + " and " + _drop_shared_verb(offer, second.entry.offer)
            elif _GOVERNED.match(rest):
                raise _Unrewritable(rest)
        out.append((start, end, offer))
    return out


def _drop_shared_verb(first: str, second: str) -> str:
    """'maintain a drug-free life' after 'maintain sobriety and' reads 'a drug-free life'."""
    head = first.split()[0]
    return second[len(head) + 1:] if second.split()[0] == head else second


def _agree(offer: str, subject: str) -> str:
    """'they wants' is not English: a plural subject takes the plain verb."""
    if subject != "they":
        return offer
    def plain(m: re.Match[str]) -> str:
        verb = m.group(1)
        if verb.endswith("ies"):
            verb = verb[:-3] + "y"
        elif verb.endswith(("sses", "ches", "shes", "xes", "zes")):
            verb = verb[:-2]
        elif verb.endswith("s") and not verb.endswith("ss"):
            verb = verb[:-1]
        return f"they {verb}"

    return re.sub(r"\bthey (\w+s)\b", plain, offer)


_ARTICLE = r"(?:(?:the|a|an|this|our|that|my|your)\s+)"
_LINKED = re.compile(r"(?:\s+|\s*-\s*)")


def _label_edits(text: str, found: _Findings, who: str) -> list[tuple[int, int, str]]:
    """One edit per run of labels: "the mentally ill offender Lorraine" is one person, named
    once; "who is an addict" is a clause that only labels, so it goes; "is an offender" keeps
    the sentence and says it person-first."""
    spans = sorted((s for s, in_name in found.labels if not in_name), key=lambda s: s.start)
    runs: list[list[Span]] = []
    for span in spans:
        if runs and _LINKED.fullmatch(text[runs[-1][-1].end:span.start] or " "):
            runs[-1].append(span)
        else:
            runs.append([span])
    edits = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        clause = re.search(r",?\s*\b(?:who|that)\s+(?:is|was|are|were|has\s+been|have\s+been)\s+"
                           + _ARTICLE + r"?(?:[\w-]+\s+)?$", text[:start], re.IGNORECASE)
        if clause:
            after = re.match(r"\s*,", text[end:])
            cut_end = end + (after.end() if after else 0)
            keep = "," if (after and clause.group(0).lstrip().startswith(",") is False) else ""
            edits.append((clause.start(), cut_end, keep + (" " if not after else "")))
            continue
        predicate = re.search(r"\b(?:is|was|are|were|be|being|been|as)\s+(an?\s+|the\s+)?$",
                              text[:start], re.IGNORECASE)
        if predicate:
            offer = _plain_offer(run[-1].entry.offer or "")
            a = "an" if offer[:1].lower() in "aeiou" else "a"
            begin = predicate.start(1) if predicate.group(1) else start
            edits.append((begin, end, f"{a} {offer}"))
            continue
        article = re.search(r"\b" + _ARTICLE + r"$", text[:start], re.IGNORECASE)
        if article:
            start = article.start()
        name = re.match(r"\s+" + re.escape(who) + r"\b", text[end:])
        if name:
            end += name.end()
        elif re.match(r"\s+(?-i:[A-Z])[a-z]+\b(?!\s+(?:Program|Court|Centre|Center|Services))",
                      text[end:]):
            # "Homeless Marcus will ...": the name is already there; the label just goes.
            edits.append((start, end + 1, ""))
            continue
        edits.append((start, end, who))
    return edits


def _plain_offer(offer: str) -> str:
    """The first person-first wording of a label's replacement, without asides."""
    return re.split(r"\s+/\s+|\s*\(", offer)[0].strip()


def _tidy(text: str, who: str) -> str:
    """Spaces, commas and a name said twice, after edits."""
    out = re.sub(r"\b(" + re.escape(who) + r")(?:\s*,?\s*\1\b)+(\s*,(?=\s))?", r"\1", text)
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)
    out = re.sub(r",\s*,", ",", out)
    out = re.sub(r",(\s*[.;:!?])", r"\1", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return re.sub(r"^[,;:\s]+", "", out)


def _still_deficit(out: str, found: _Findings) -> bool:
    """True when a phrasing the review flags as a deficit core survives in the rewrite."""
    lex = Lexicon.load()
    flagged = {d.text.lower() for d in found.core_deficits}
    # Most rewrites keep none of the flagged words at all: no need to review the rewrite whole.
    if not flagged & {d.text.lower() for d in lex.find("deficits", normalise(out))}:
        return False
    after = _Findings.collect(normalise(out), lex)
    kept = {d.text.lower() for d in after.core_deficits}
    return any(d.text.lower() in kept for d in found.core_deficits)


def _guess_subject(text: str) -> str:
    lower = text.lower()
    his = len(re.findall(r"\b(?:his|he|him)\b", lower))
    her = len(re.findall(r"\b(?:her|she)\b", lower))
    if his > her:
        return "he"
    if her > his:
        return "she"
    return "they"


@lru_cache(maxsize=1)
def _messages() -> dict[str, Any]:
    return load_yaml("messages.yaml")


@lru_cache(maxsize=1)
def _settings() -> dict[str, Any]:
    return load_yaml("settings.yaml")


def criterion_names() -> dict[str, dict[str, str]]:
    """Each criterion's letter and display name, in the order they are shown."""
    return dict(_messages()["criteria"])


def feedback_wording() -> dict[str, Any]:
    """The wording of feedback from the messages data file (summary lines, flag texts)."""
    return _messages()
