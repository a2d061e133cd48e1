"""The response judge: what one thing a caseworker says does (MI behaviour codes) and how it lands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from casecoach._data import DATA_DIR, load_yaml
from casecoach.errors import CasecoachError
from casecoach.language import _AFTER, _BEFORE, normalise, stem, typed_text

RULES_FILE = "conversation.yaml"
BEHAVIOURS = ("question", "reflection", "input", "other")
POSITIVE_KINDS = frozenset({"affirmation", "specific_praise", "firm_but_fair"})
FINDING_KINDS = ("sympathy", "label", "righting_reflex", "warning", "advice_without_permission",
                 "judgement", "boundary", "affirmation", "specific_praise", "firm_but_fair")
_LISTS = ("acknowledgements", "structuring", "wh_statements", "rhetorical", "open_questions",
          "closed_questions", "summary_starts", "reflection_starts", "input_starts",
          "affirmation_markers", "complex_markers")
_WHEN = ("always", "asked", "unmarked")
_SINGLE = ("leads", "reflection_tags", "feelings", "reported")
# A sentence ends at . ! ? or … followed by a space or the end, except after an abbreviation.
_SENTENCE_END = re.compile(r"(?<!\bp\.m)(?<!\ba\.m)(?<!\bdr)(?<!\bst)(?<!\bmr)(?<!\bmrs)(?<!\bms)"
                           r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?…]+[\"')\]]*(?=\s|$)",
                           re.IGNORECASE)
_CLAUSE = re.compile(r"\s*(?:[,;:]|\s[-–—]\s|\.\.\.)\s*")
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


@dataclass(frozen=True)
class Finding:
    """One practice finding: its kind, where it is in the text, why it matters, a better line."""

    kind: str
    start: int
    end: int
    text: str
    why: str
    better: str

    @property
    def positive(self) -> bool:
        return self.kind in POSITIVE_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "why": self.why, "better": self.better}


@dataclass(frozen=True)
class Feedback:
    """What worked first, then one next step."""

    worked: str
    next_step: str

    def to_dict(self) -> dict[str, str]:
        return {"worked": self.worked, "next_step": self.next_step}


@dataclass(frozen=True)
class Judgement:
    """The judge's reading of one response: behaviour code, its type, findings and feedback."""

    text: str
    client: str | None
    behaviour: str
    question_type: str | None
    reflection_type: str | None
    findings: tuple[Finding, ...]
    feedback: Feedback

    def kinds(self) -> list[str]:
        return [f.kind for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "behaviour": self.behaviour,
                "question_type": self.question_type, "reflection_type": self.reflection_type,
                "findings": [f.to_dict() for f in self.findings],
                "feedback": self.feedback.to_dict()}


@dataclass(frozen=True)
class _Sentence:
    """One sentence of a turn: where it is, where its core starts (after lead words), its code."""

    start: int
    end: int
    core: int
    kind: str          # question | reflection | input | affirmation | other
    subtype: str | None = None


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    reason: str
    why: str | None = None
    better: str | None = None
    when: str = "always"     # asked: only with a question mark; unmarked: only without one
    code: str | None = None  # a statement with this finding is coded so (a disclosure: other)


class Rules:
    """The compiled rules of conversation.yaml; build with `Rules.load()` (cached) or `from_data`."""

    def __init__(self, data: dict, source: str) -> None:
        self.source = source
        self.data = data
        self.max_chars = int(data["limits"]["max_chars"])
        self.max_file_bytes = int(data["limits"]["file_bytes"])
        t = data["thresholds"]
        self.simple_overlap = float(t["simple_overlap"])
        self.new_words_complex = int(t["new_words_complex"])
        self.stacked_closed = int(t["stacked_closed"])
        self.fragment_words = int(t["fragment_words"])
        self.precedence = tuple(data["precedence"])
        self.stopwords = frozenset(str(w).lower() for w in data["stopwords"])
        self.next_step_order = tuple(data["next_step_order"])
        self.messages = data["messages"]
        self.self_words = frozenset(str(w).lower() for w in data.get("self_words", ()))
        self.second_person = frozenset(str(w).lower() for w in data.get("second_person", ()))

    @classmethod
    def load(cls) -> "Rules":
        return _load_default()

    @classmethod
    def from_data(cls, data: object, source: str = RULES_FILE) -> "Rules":
        if not isinstance(data, dict) or data.get("version") != 1:
            raise CasecoachError("expected a mapping with 'version: 1'", file=source)
        for key in ("limits", "thresholds", "precedence", "stopwords", "findings", "permission",
                    "next_step_order", "messages", *_LISTS, *_SINGLE):
            if key not in data:
                raise CasecoachError("is missing", file=source, field=key)
        if sorted(data["precedence"]) != sorted(["question", "input", "affirmation", "reflection",
                                                 "other"]):
            raise CasecoachError("must list question, input, affirmation, reflection and other "
                                 "once each", file=source, field="precedence")
        rules = cls(data, source)
        # Sentence-level groups are tried where a sentence (or clause) starts; one alternation each.
        # starts[name][asked]: the group's entries that apply with (True) or without a "?".
        rules.starts = {name: {asked: _alternation(data[name], source, name, anchored=True,
                                                   asked=asked) for asked in (True, False)}
                        for name in ("acknowledgements", "structuring", "wh_statements",
                                     "rhetorical", "open_questions", "closed_questions",
                                     "summary_starts", "reflection_starts", "input_starts")}
        rules.anywhere = {name: _alternation(data[name], source, name, anchored=False)
                          for name in ("affirmation_markers", "complex_markers")}
        rules.leads = _compile(_single(data, "leads", source), source, "leads.pattern",
                               prefix="^", suffix="")
        rules.tag = _compile(_single(data, "reflection_tags", source), source,
                             "reflection_tags.pattern", prefix="", suffix="")
        rules.feelings = _compile(_single(data, "feelings", source), source, "feelings.pattern")
        rules.reported = _compile(_single(data, "reported", source), source, "reported.pattern",
                                  prefix="^", suffix=_AFTER)
        rules.ack = _alternation(data["acknowledgements"], source, "acknowledgements",
                                 anchored=True, whole=True)
        permission = data["permission"]
        rules.permission_asked = _compile(_single(permission, "asked", source, "permission"),
                                          source, "permission.asked.pattern")
        rules.permission_requested = _compile(
            _single(permission, "requested", source, "permission"), source,
            "permission.requested.pattern")
        findings = data["findings"]
        if not isinstance(findings, dict):
            raise CasecoachError("must be a mapping of finding kinds to entries", file=source,
                                 field="findings")
        rules.findings = {}
        for kind, entries in findings.items():
            if kind not in FINDING_KINDS:
                raise CasecoachError(f"unknown finding kind; the kinds are "
                                     f"{', '.join(FINDING_KINDS)}", file=source,
                                     field=f"findings.{kind}")
            rules.findings[kind] = tuple(_pattern(e, source, f"findings.{kind}[{i}]")
                                         for i, e in enumerate(_entries(entries, source,
                                                                        f"findings.{kind}")))
        for kind in (*rules.findings, "stacked_closed_questions"):
            text = rules.messages.get("findings", {}).get(kind)
            if not isinstance(text, dict) or not text.get("why") or not text.get("better"):
                raise CasecoachError("needs 'why' and 'better'", file=source,
                                     field=f"messages.findings.{kind}")
        for part in ("worked", "next_step"):
            if not isinstance(rules.messages.get("feedback", {}).get(part), dict):
                raise CasecoachError("is missing", file=source, field=f"messages.feedback.{part}")
        return rules

    # Set by from_data.
    starts: dict[str, dict[bool, re.Pattern[str]]]
    anywhere: dict[str, re.Pattern[str]]
    leads: re.Pattern[str]
    tag: re.Pattern[str]
    feelings: re.Pattern[str]
    reported: re.Pattern[str]
    ack: re.Pattern[str]
    permission_asked: re.Pattern[str]
    permission_requested: re.Pattern[str]
    findings: dict[str, tuple[_Pattern, ...]]


def _entries(raw: object, source: str, field: str) -> list:
    if not isinstance(raw, list) or not raw:
        raise CasecoachError("must be a non-empty list of entries", file=source, field=field)
    return raw


def _single(data: dict, key: str, source: str, parent: str = "") -> str:
    item = data.get(key)
    field = f"{parent}.{key}" if parent else key
    if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
        raise CasecoachError("needs a 'pattern' string", file=source, field=field)
    if not item.get("reason"):
        raise CasecoachError("needs a 'reason' (its source or why it is there)", file=source,
                             field=field)
    return item["pattern"]


def _pattern(item: object, source: str, field: str) -> _Pattern:
    if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
        raise CasecoachError("each entry needs a 'pattern' string", file=source, field=field)
    if not item.get("reason"):
        raise CasecoachError("each entry needs a 'reason' (its source or why it is there)",
                             file=source, field=field)
    when = item.get("when", "always")
    if when not in _WHEN:
        raise CasecoachError(f"'when' must be one of {', '.join(_WHEN)}", file=source,
                             field=f"{field}.when")
    code = item.get("code")
    if code is not None and code not in BEHAVIOURS:
        raise CasecoachError(f"'code' must be one of {', '.join(BEHAVIOURS)}", file=source,
                             field=f"{field}.code")
    return _Pattern(_compile(item["pattern"], source, f"{field}.pattern"), item["reason"],
                    item.get("why"), item.get("better"), when, code)


def _compile(pattern: str, source: str, field: str, prefix: str = _BEFORE,
             suffix: str = _AFTER) -> re.Pattern[str]:
    try:
        return re.compile(prefix + "(?:" + pattern + ")" + suffix, re.IGNORECASE)
    except re.error as exc:
        raise CasecoachError(f"pattern is not a valid regular expression: {exc}", file=source,
                             field=field) from exc


def _alternation(raw: object, source: str, name: str, *, anchored: bool, whole: bool = False,
                 asked: bool | None = None) -> re.Pattern[str]:
    entries = [_pattern(e, source, f"{name}[{i}]")
               for i, e in enumerate(_entries(raw, source, name))]
    skip = {True: "unmarked", False: "asked", None: ""}[asked]
    parts = [e.regex.pattern[len(_BEFORE):-len(_AFTER)] for e in entries if e.when != skip]
    body = "(?:" + "|".join(parts or ["(?!)"]) + ")"
    if whole:  # the whole sentence, one acknowledgement or several ("Okay, thanks.")
        return re.compile(r"^" + body + r"(?:[\s,.!…-]+" + body + r")*[\s,.!?…]*$",
                          re.IGNORECASE)
    return re.compile(("^" if anchored else _BEFORE) + body + _AFTER, re.IGNORECASE)


@lru_cache(maxsize=1)
def _load_default() -> Rules:
    return Rules.from_data(load_yaml(RULES_FILE), str(DATA_DIR / RULES_FILE))


def check_utterance(text: object, *, where: str = "response", rules: Rules | None = None) -> str:
    """The response text, stripped, or a CasecoachError saying what is wrong with it."""
    stripped = typed_text(text, where)
    if not stripped:
        raise CasecoachError("is empty: write what you would say to the client", field=where)
    limit = (rules or Rules.load()).max_chars
    if len(stripped) > limit:
        raise CasecoachError(f"is {len(stripped)} characters long; one response has at most "
                             f"{limit} (conversation.yaml, limits.max_chars)", field=where)
    return stripped


def judge_response(text: str, client: str | None = None, rules: Rules | None = None) -> Judgement:
    """Code one caseworker response (and the client's line before it, if given) and give feedback."""
    rules = rules or Rules.load()
    text = check_utterance(text, rules=rules)
    client = check_utterance(client, where="client", rules=rules) if client else None
    norm = normalise(text)
    client_norm = normalise(client) if client else None
    client_words = _content(client_norm, rules) if client_norm else None
    sentences = [_code(norm, start, end, client_words, rules)
                 for start, end in _split(norm)]
    kinds = {s.kind for s in sentences}
    if "input" in kinds:
        # "Would it be okay if I shared an idea? ..." asks leave to inform: the turn informs.
        asking = [s for s in sentences if s.kind == "question"]
        if asking and all(rules.permission_asked.search(norm[s.start:s.end]) for s in asking):
            kinds.discard("question")
    top = next(k for k in rules.precedence if k in kinds)
    behaviour = "other" if top == "affirmation" else top
    question_type = reflection_type = None
    if behaviour == "question":
        question_type = "open" if any(s.kind == "question" and s.subtype == "open"
                                      for s in sentences) else "closed"
    elif behaviour == "reflection":
        reflection_type = "complex" if any(s.kind == "reflection" and s.subtype == "complex"
                                           for s in sentences) else "simple"
    findings = _findings(text, norm, client_norm, sentences, rules)
    feedback = _feedback(behaviour, question_type, reflection_type, findings, sentences, norm,
                         client_norm, rules)
    return Judgement(text, client, behaviour, question_type, reflection_type, tuple(findings),
                     feedback)


def _split(text: str) -> Iterator[tuple[int, int]]:
    """The sentences of a text as (start, end), leading spaces left out."""
    position = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, position, m.end())
        position = m.end()
    yield from _trimmed(text, position, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _content(text: str, rules: Rules) -> set[str]:
    """The stems of a text's content words, for comparing a reflection with the client's line."""
    out = set()
    for word in _WORD.findall(text.lower()):
        word = word.strip("'-")
        if word and word not in rules.stopwords and len(word) > 2:
            out.add(stem(word))
    return out


def _strip_leads(sentence: str, rules: Rules) -> int:
    m = rules.leads.match(sentence)
    return m.end() if m else 0


def _code(text: str, start: int, end: int, client_words: set[str] | None,
          rules: Rules) -> _Sentence:
    sentence = text[start:end]
    core_at = _strip_leads(sentence, rules)
    core = sentence[core_at:]
    bare = core.rstrip(" .!?…\"')")
    asks = sentence.rstrip(" \"')").endswith("?")
    starts = {name: group[asks] for name, group in rules.starts.items()}

    def made(kind: str, subtype: str | None = None) -> _Sentence:
        return _Sentence(start, end, start + core_at, kind, subtype)

    def reflection(body: str) -> _Sentence:
        return made("reflection", _complexity(body, client_words, rules))

    if not bare or rules.ack.match(sentence) or rules.ack.match(core):
        return made("other")
    tag = rules.tag.search(bare + "?") if asks else None
    if tag and tag.start() > 0:
        body = bare[:tag.start()]
        if not _question_start(body, rules, asks=False):
            return reflection(body)
    if starts["wh_statements"].match(bare):
        return reflection(bare)
    if starts["rhetorical"].match(bare):
        return made("input")
    question = _question_start(bare, rules, asks)
    if question:
        return made("question", question)
    if asks:
        if (starts["reflection_starts"].match(bare) or starts["summary_starts"].match(bare)) \
                and _looks_reflective(bare, rules) or _overlaps(bare, client_words, rules):
            return reflection(bare)
        return made("question", "closed")
    for kind in ("sympathy", "boundary"):
        for entry in rules.findings.get(kind, ()):
            if entry.code and entry.regex.search(bare):
                return made(entry.code)
    if rules.anywhere["affirmation_markers"].search(bare):
        return made("affirmation")
    if starts["structuring"].match(bare):
        return made("other")
    if starts["summary_starts"].match(bare):
        return reflection(bare)
    advice = not rules.reported.match(bare) and any(
        p.regex.search(bare) for p in rules.findings.get("advice_without_permission", ()))
    if client_words and not advice and _overlaps(bare, client_words, rules):
        return reflection(bare)
    if advice or any(rules.findings[kind][0].regex.search(bare) for kind in
                     ("righting_reflex", "warning") if kind in rules.findings) \
            or any(starts["input_starts"].match(clause) for clause in [bare, *_clauses(bare, rules)]):
        return made("input")
    if starts["reflection_starts"].match(bare):
        return reflection(bare)
    words = _WORD.findall(bare.lower())
    if len(words) <= rules.fragment_words and (client_words or rules.feelings.search(bare)):
        return reflection(bare)
    if words and words[0] in rules.self_words:
        return made("other")  # about the caseworker, not information for the client
    if any(w in rules.second_person for w in words) or rules.feelings.search(bare) \
            or rules.anywhere["complex_markers"].search(bare):
        return reflection(bare)  # a statement about the client that gives no information
    return made("input")


def _clauses(sentence: str, rules: Rules) -> list[str]:
    """The clauses of a sentence (split at commas, semicolons, dashes), lead words set aside."""
    out = []
    for part in _CLAUSE.split(sentence):
        if part:
            out.append(part[_strip_leads(part, rules):])
    return out


def _question_start(sentence: str, rules: Rules, asks: bool) -> str | None:
    """open or closed when the sentence asks, else None. Without a question mark only its start
    counts ("Tell me about..."); with one, any clause may ask ("If you could, what would...?"), and
    one open question among closed ones makes it open."""
    clauses = [c for c in _clauses(sentence, rules) if c]
    found = None
    for clause in clauses if asks else clauses[:1]:
        if rules.starts["wh_statements"][asks].match(clause):
            return found
        if rules.starts["open_questions"][asks].match(clause):
            return "open"
        if found is None and rules.starts["closed_questions"][asks].match(clause):
            found = "closed"
    return found


def _looks_reflective(sentence: str, rules: Rules) -> bool:
    """A statement asked with a question mark still reflects when it names a feeling or meaning."""
    return bool(rules.feelings.search(sentence) or rules.anywhere["complex_markers"].search(sentence)
                or re.match(r"(?:it\s+)?(?:sounds|seems|looks|feels)\b", sentence, re.I))


def _overlaps(sentence: str, client_words: set[str] | None, rules: Rules) -> bool:
    if not client_words:
        return False
    words = _content(sentence, rules)
    return bool(words) and len(words & client_words) / len(words) >= rules.simple_overlap


def _complexity(body: str, client_words: set[str] | None, rules: Rules) -> str:
    """complex when the reflection adds a feeling, a meaning or a second side, else simple."""
    for m in rules.anywhere["complex_markers"].finditer(body):
        if client_words is None or not _content(m.group(0), rules) <= client_words \
                or not _content(m.group(0), rules):
            return "complex"
    for m in rules.feelings.finditer(body):
        if client_words is None or not _content(m.group(0), rules) <= client_words:
            return "complex"
    if client_words:
        words = _content(body, rules)
        new = words - client_words
        if words and len(new) >= rules.new_words_complex \
                and len(words & client_words) / len(words) < rules.simple_overlap:
            return "complex"
    return "simple"


def _message(rules: Rules, kind: str) -> dict[str, str]:
    return rules.messages["findings"][kind]


def _findings(text: str, norm: str, client: str | None, sentences: list[_Sentence],
              rules: Rules) -> list[Finding]:
    found: list[Finding] = []

    def add(kind: str, start: int, end: int, entry: _Pattern | None = None, **values: Any) -> None:
        if any(f.kind == kind and f.start < end and start < f.end for f in found):
            return
        message = _message(rules, kind)
        why = (entry.why if entry and entry.why else message["why"])
        better = (entry.better if entry and entry.better else message["better"])
        values.setdefault("text", text[start:end])
        found.append(Finding(kind, start, end, text[start:end], why.format(**values),
                             better.format(**values)))

    def sentence_of(position: int) -> _Sentence | None:
        return next((s for s in sentences if s.start <= position < s.end), None)

    permitted = bool(rules.permission_asked.search(norm)
                     or (client and rules.permission_requested.search(client)))
    warned = False
    for kind in FINDING_KINDS:
        for entry in rules.findings.get(kind, ()):
            for m in entry.regex.finditer(norm):
                if m.end() <= m.start():
                    continue
                if kind == "advice_without_permission":
                    s = sentence_of(m.start())
                    if permitted or (s and (s.kind in ("question", "reflection")
                                            or rules.reported.match(norm, s.core))):
                        continue
                if kind == "firm_but_fair":
                    s = sentence_of(m.start())
                    if warned or (s and s.kind != "input"):
                        continue
                if kind == "warning":
                    warned = True
                add(kind, m.start(), m.end(), entry)
    # An affirmation the finding patterns did not name is still one (the marker that coded it).
    for s in sentences:
        if s.kind == "affirmation" and not any(f.kind in ("affirmation", "specific_praise")
                                               and f.start < s.end and s.start < f.end
                                               for f in found):
            m = rules.anywhere["affirmation_markers"].search(norm, s.core, s.end)
            if m:
                add("affirmation", m.start(), m.end())
    closed = [s for s in sentences if s.kind == "question" and s.subtype == "closed"]
    if len(closed) >= rules.stacked_closed:
        add("stacked_closed_questions", closed[0].core, closed[-1].end, count=len(closed))
    # A judgement ("you should have") or a lecture ("you need to understand") is not also advice.
    judged = [f for f in found if f.kind in ("judgement", "righting_reflex", "warning")]
    found = [f for f in found if not (f.kind == "advice_without_permission"
                                      and any(f.start < j.end and j.start < f.end for j in judged))]
    return sorted(found, key=lambda f: (f.start, FINDING_KINDS.index(f.kind)
                                        if f.kind in FINDING_KINDS else len(FINDING_KINDS)))


def _feedback(behaviour: str, question_type: str | None, reflection_type: str | None,
              findings: list[Finding], sentences: list[_Sentence], norm: str, client: str | None,
              rules: Rules) -> Feedback:
    worked_text = rules.messages["feedback"]["worked"]
    next_text = rules.messages["feedback"]["next_step"]
    key = question_type or reflection_type or behaviour
    positive = [f for f in findings if f.positive]
    problems = [f for f in findings if not f.positive]
    if positive:
        worked = positive[0].why
    elif problems and behaviour in ("input", "other"):
        # What worked is the best sentence of the turn if it has one ("You're tired of it. You
        # should..."), else what the problem shows the caseworker meant well in.
        good = next((s for s in sentences if s.kind in ("reflection", "question")), None)
        if good is not None:
            worked = worked_text[good.subtype or good.kind]
        else:
            worked = _message(rules, problems[0].kind).get("worked") or worked_text["problem_first"]
    elif behaviour == "input":
        permitted = rules.permission_asked.search(norm) or (
            client and rules.permission_requested.search(client))
        worked = worked_text["input_permission" if permitted else "input"]
    else:
        worked = worked_text.get(key, worked_text["other"])
    order = {kind: i for i, kind in enumerate(rules.next_step_order)}
    problems.sort(key=lambda f: (order.get(f.kind, len(order)), f.start))
    if problems:
        next_step = problems[0].better
    elif positive:
        next_step = positive[0].better
    else:
        next_step = next_text.get(key, next_text["other"])
    return Feedback(worked, next_step)
