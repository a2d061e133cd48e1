"""The assessment chart: rows of life domains, and feedback on a trainee's chart against a case's key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from casecoach._data import load_yaml, plural, section
from casecoach.errors import CasecoachError
from casecoach.language import concepts, label_spans, normalise, phrase_pattern, stems
from casecoach.resources import ClientNeeds, Directory, Match, judge, match, needs_of
from casecoach.scenarios import ClientGoal, Fact, Scenario

TEXT_COLUMNS = ("now", "wants", "strengths", "barriers")
COLUMNS = TEXT_COLUMNS + ("resources",)


def domains() -> dict[str, str]:
    """The chart's rows in order: domain id -> name."""
    return {key: spec["name"] for key, spec in load_yaml("domains.yaml")["domains"].items()}


def domains_of(text: str) -> set[str]:
    """The life domains a text speaks of, by the words of domains.yaml."""
    return {key for key, regex in _domain_words().items() if regex.search(text)}


@lru_cache(maxsize=1)
def _domain_words() -> dict[str, re.Pattern[str]]:
    return {key: re.compile(r"\b(?:" + spec["words"] + r")\b", re.IGNORECASE)
            for key, spec in load_yaml("domains.yaml")["domains"].items()}


def column_names() -> dict[str, str]:
    return dict(_wording()["columns"])


def placeholders(scenario: Scenario | None = None) -> dict[str, str]:
    """The hint in each empty cell, with the case's pronouns (they/them without a case)."""
    forms = pronouns(scenario)
    return {c: text.format(**forms) for c, text in _wording()["placeholders"].items()}


@dataclass(frozen=True)
class ChartRow:
    """One life domain of a chart, as the trainee filled it in."""

    domain: str
    now: str = ""
    wants: str = ""
    strengths: str = ""
    barriers: str = ""
    resources: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n".join(getattr(self, c) for c in TEXT_COLUMNS)

    @property
    def empty(self) -> bool:
        return not self.text().strip() and not self.resources


@dataclass(frozen=True)
class Chart:
    """A whole chart for one case: one row per life domain."""

    scenario_id: str
    rows: tuple[ChartRow, ...]

    @classmethod
    def blank(cls, scenario_id: str) -> "Chart":
        return cls(scenario_id, tuple(ChartRow(d) for d in domains()))

    def row(self, domain: str) -> ChartRow:
        for row in self.rows:
            if row.domain == domain:
                return row
        raise CasecoachError(f"no row '{domain}' in the chart", field="domain")

    def with_cell(self, domain: str, column: str, value: Any) -> "Chart":
        """A copy with one cell changed."""
        if column not in COLUMNS:
            raise CasecoachError(f"unknown column '{column}' (one of {', '.join(COLUMNS)})",
                                 field="column")
        value = tuple(value) if column == "resources" else str(value)
        return replace(self, rows=tuple(replace(r, **{column: value}) if r.domain == domain
                                        else r for r in self.rows))

    def entries(self, column: str) -> tuple[str, ...]:
        """Every entry the trainee wrote in one column, row by row (what the client card shows)."""
        return tuple(e for r in self.rows for e in entries(getattr(r, column)))

    def to_dict(self) -> dict[str, Any]:
        return {"scenario_id": self.scenario_id,
                "rows": {r.domain: {c: (list(getattr(r, c)) if c == "resources"
                                        else getattr(r, c)) for c in COLUMNS}
                         for r in self.rows}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chart":
        """Rebuild a saved chart; unknown domains are dropped, missing ones come back blank."""
        saved = data.get("rows", {})
        rows = []
        for domain in domains():
            cells = saved.get(domain, {})
            rows.append(ChartRow(domain, **{c: str(cells.get(c, "")) for c in TEXT_COLUMNS},
                                 resources=tuple(str(r) for r in cells.get("resources", []))))
        return cls(str(data["scenario_id"]), tuple(rows))


@dataclass(frozen=True)
class LabelNote:
    """Words in a cell that describe the person instead of a barrier, with a reframe."""

    column: str
    text: str
    suggestion: str


@dataclass(frozen=True)
class ResourceNote:
    resource_id: str
    name: str
    fits: bool
    why: str


@dataclass(frozen=True)
class RowReview:
    """Feedback on one row: what was found, missed, misplaced or labelled; the resources."""

    domain: str
    found: tuple[Fact, ...]
    missed: tuple[Fact, ...]
    misplaced: tuple[tuple[Fact, str], ...]
    labels: tuple[LabelNote, ...]
    own_words: bool | None
    resources: tuple[ResourceNote, ...]
    missing_resources: tuple[str, ...]
    strengths_entered: int
    barriers_entered: int
    words_found: tuple[ClientGoal, ...] = ()    # the client's own goals here the wants cell says
    words_missed: tuple[ClientGoal, ...] = ()
    messages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def complete(self) -> bool:
        return not self.missed and not self.labels and not self.misplaced

    @property
    def next_step(self) -> str:
        """The one thing to do next on this row (always the last message)."""
        return self.messages[-1] if self.messages else ""


@dataclass(frozen=True)
class ChartReview:
    rows: tuple[RowReview, ...]

    @property
    def found(self) -> int:
        return sum(len(r.found) for r in self.rows)

    @property
    def total(self) -> int:
        return sum(len(r.found) + len(r.missed) for r in self.rows)

    @property
    def labels(self) -> int:
        return sum(len(r.labels) for r in self.rows)

    def row(self, domain: str) -> RowReview:
        return next(r for r in self.rows if r.domain == domain)


# A sentence ends at a full stop before a capital ("Has a job. Lives alone."), not inside "p.m."
_ENTRY_SPLIT = re.compile(r"[\n;•]+|(?<=\.)\s+(?=[A-Z\"“])")


def entries(cell: str) -> list[str]:
    """The separate items a trainee wrote in one cell (lines, semicolons, bullets or sentences)."""
    return [e.strip(" -*\t") for e in _ENTRY_SPLIT.split(cell) if e.strip(" -*\t")]


def mentions(fact: Fact | ClientGoal, text: str) -> bool:
    """True when the text mentions the fact (or the client's own goal) in the trainee's words:
    one of the case's alternatives for it ("vet tech"), or enough of its content words, where a
    concept of the synonym lexicon both say in other words counts as one word."""
    key_text = fact.text if isinstance(fact, Fact) else fact.words
    key_words = stems(key_text)
    shared = key_words & stems(text)
    # An alternative or a concept counts as one more word only when the words already shared do
    # not carry it: "shelter" in both is one word, not a word, an alternative and "housing".
    covered = set(shared)
    said = 0
    for words in _said(fact.says, text):
        if not words <= covered:
            said += 1
            covered |= words
    literal = " ".join(w for w in re.findall(r"[\w'’-]+", text) if stems(w) & shared)
    extra = (concepts(key_text) & concepts(text)) - concepts(literal)
    needed = min(_settings()["min_shared_words"], max(1, len(key_words) // 3))
    return len(shared) + said + len(extra) >= needed


def _said(alternatives: tuple[str, ...], text: str) -> list[set[str]]:
    """The words of each of the case's alternatives the text says, longest first."""
    norm = normalise(text)
    found = [a for a in alternatives if re.search(phrase_pattern(a), norm, re.IGNORECASE)]
    return [stems(a) or {a.lower()} for a in sorted(found, key=len, reverse=True)]


def charted_rows(chart: Chart) -> int:
    """How many rows the trainee has charted in earnest: enough different content words of their
    own (filler such as "a a a a" or "x" does not count)."""
    least = _settings()["attempt"]["min_row_words"]
    return sum(len(stems(row.text())) >= least for row in chart.rows)


def attempt_made(chart: Chart) -> bool:
    """True once the chart is a real attempt (settings.yaml, assessment.attempt): only then may
    the key be shown beside it."""
    return charted_rows(chart) >= _settings()["attempt"]["min_rows"]


def attempt_hint(scenario: Scenario, chart: Chart) -> str:
    """What the reveal button says: how far the chart is from a real attempt, or that it is one."""
    wording, rule = _wording(), _settings()["attempt"]
    if attempt_made(chart):
        return wording["reveal_ready"]
    return wording["reveal_locked"].format(need=rule["min_rows"], words=rule["min_row_words"],
                                           rows=charted_rows(chart))


def pronouns(scenario: Scenario | None) -> dict[str, str]:
    """The case's pronouns for feedback: {they}, {them}, {their} (he/him/his, she/her/her)."""
    client = scenario.client if scenario is not None else {}
    subject = str(client.get("pronouns", "they/them")).split("/")[0].strip().lower()
    forms = {"he": ("he", "him", "his"), "she": ("she", "her", "her")}.get(
        subject, ("they", "them", "their"))
    return dict(zip(("they", "them", "their"), forms))


def review_row(scenario: Scenario, row: ChartRow, directory: Directory | None = None,
               needs: ClientNeeds | None = None) -> RowReview:
    """Review one row against the case's assessment key."""
    wording = _wording()
    key = next((k for k in scenario.raw["assessment_key"] if k["domain"] == row.domain), None)
    key_facts = [scenario.fact(f) for f in key["facts"]] if key else []
    text = row.text()
    found = tuple(f for f in key_facts if mentions(f, text))
    missed = tuple(f for f in key_facts if f not in found)
    misplaced = []
    for fact in found:
        if fact.tag == "barrier" and mentions(fact, row.strengths) and not mentions(fact, row.barriers):
            misplaced.append((fact, "strengths"))
        if fact.tag in ("strength", "support") and mentions(fact, row.barriers) and not mentions(
                fact, row.strengths):
            misplaced.append((fact, "barriers"))
    labels = tuple(_labels(scenario, row))
    own_words = None
    if row.wants.strip():
        own_words = bool(re.search(_settings()["own_words"], row.wants, re.IGNORECASE))
    notes, missing = (), ()
    if directory is not None and (row.resources or key):
        notes, missing = _resource_notes(scenario, row, key, directory,
                                         needs or needs_of(scenario))
    goals = [g for g in scenario.client_goals if g.domain == row.domain]
    words_found = tuple(g for g in goals if row.wants.strip() and mentions(g, row.wants))
    words_missed = tuple(g for g in goals if g not in words_found)
    review = RowReview(row.domain, found, missed, tuple(misplaced), labels, own_words, notes,
                       missing, len(entries(row.strengths)), len(entries(row.barriers)),
                       words_found, words_missed)
    return replace(review, messages=tuple(_messages(scenario, row, review, wording)))


def key_notes(scenario: Scenario) -> dict[str, str]:
    """The key's note on a good entry, per domain (shown only after a real attempt)."""
    return {k["domain"]: k.get("note", "") for k in scenario.raw["assessment_key"]}


def review_chart(scenario: Scenario, chart: Chart, directory: Directory | None = None) -> ChartReview:
    needs = needs_of(scenario)
    return ChartReview(tuple(review_row(scenario, r, directory, needs) for r in chart.rows))


def suggestions(scenario: Scenario, row: ChartRow, directory: Directory,
                limit: int = 6) -> list[Match]:
    """Directory resources for a row: the best fits for this client and a few near misses, in
    name order, so that picking the ones that fit is the trainee's judgement."""
    facts = " ".join(f.text for f in scenario.facts
                     if f.domain == row.domain and f.tag in ("barrier", "aspiration"))
    wants = " ".join(g.words for g in scenario.client_goals if g.domain == row.domain)
    ranked = match(directory, row.domain, f"{row.text()} {wants} {facts}", needs_of(scenario),
                   limit=100)
    misses = _matching()["near_misses_shown"]
    near = [m for m in ranked if not m.fits][:misses]
    fits = [m for m in ranked if m.fits][: limit - len(near)]
    keyed = _keyed(scenario, row.domain)
    chosen = fits + near + [m for m in ranked if m.resource.id in keyed and m not in fits + near]
    return sorted(chosen, key=lambda m: m.resource.name)


def _keyed(scenario: Scenario, domain: str) -> set[str]:
    key = next((k for k in scenario.raw["assessment_key"] if k["domain"] == domain), None)
    return set(key.get("resources", [])) if key else set()


def _matching() -> Any:
    return section("settings.yaml", "matching")


def _labels(scenario: Scenario, row: ChartRow):
    """Labels anywhere, and barrier entries that describe the person ("he is lazy") as one note."""
    trait = re.compile(_settings()["person_not_barrier"], re.IGNORECASE)
    for column in TEXT_COLUMNS:
        cell = getattr(row, column)
        traits = list(trait.finditer(cell)) if column == "barriers" else []
        for m in traits:
            yield LabelNote(column, m.group(0).strip(), _reframe(scenario, row.domain, cell, m))
        for span, in_name in label_spans(cell):
            inside = any(m.start() <= span.start and span.end <= m.end() for m in traits)
            if not in_name and not inside:
                yield LabelNote(column, span.text, span.entry.offer or "")


def _reframe(scenario: Scenario, domain: str, cell: str, trait: re.Match) -> str:
    """The reframe of the trait matched, fitted to the entry: the entry's other words quoted."""
    wording = _wording()
    said = trait.group(0)
    template = next((t["reframe"] for t in wording["traits"]
                     if re.search(rf"\b(?:{t['words']})\b", said, re.IGNORECASE)),
                    wording["reframe_barrier"])
    rest = _ENTRY_SPLIT.split(cell[trait.end():], maxsplit=1)[0]
    rest = re.sub(rf"^\W*(?:(?:{wording['topic_lead']})\b\s*)?", "", rest.strip(),
                  flags=re.IGNORECASE).strip(" ,:-.")
    who = {"who": scenario.first_name, **pronouns(scenario)}
    topic = (f"“{rest}”" if rest else
             wording["topic_row"].format(domain=domains()[domain], **who))
    return template.format(topic=topic, **who)


def _resource_notes(scenario: Scenario, row: ChartRow, key: dict | None, directory: Directory,
                    needs: ClientNeeds):
    """Each picked resource judged for this client; the keyed ones not picked yet."""
    wording = _wording()
    keyed = set(key.get("resources", [])) if key else set()
    notes = []
    for resource_id in row.resources:
        if resource_id not in directory:
            notes.append(ResourceNote(resource_id, resource_id, False, wording["resource_unknown"]))
            continue
        resource = directory.get(resource_id)
        verdict = judge(resource, row.domain, needs)
        if verdict.misses:
            notes.append(ResourceNote(resource_id, resource.name, False, "; ".join(verdict.misses)))
        elif resource_id in keyed or resource.domain == row.domain:
            why = "; ".join(verdict.reasons[:3]) or wording["resource_in_key"]
            notes.append(ResourceNote(resource_id, resource.name, True, why))
        else:
            notes.append(ResourceNote(resource_id, resource.name, False,
                                      wording["resource_off_domain"].format(
                                          domain=domains()[row.domain])))
    missing = tuple(r for r in sorted(keyed) if r not in row.resources)
    return tuple(notes), missing


def _messages(scenario: Scenario, row: ChartRow, review: RowReview, wording: dict) -> list[str]:
    """Feedback in the practice's order: what was found first, then what to change, one next step."""
    who = scenario.first_name
    forms = pronouns(scenario)
    out = []
    if review.found:
        out.append(plural(wording["found"], len(review.found)).format(
            n=len(review.found), facts="; ".join(f.text for f in review.found)))
    for goal in review.words_found:
        out.append(wording["words_found"].format(who=who, words=goal.words, **forms))
    for note in review.resources:
        out.append((wording["resource_fits"] if note.fits else wording["resource_misses"]).format(
            name=note.name, why=note.why))
    for note in review.labels:
        out.append(wording["label"].format(words=note.text, column=column_names()[note.column],
                                           suggestion=note.suggestion))
    for fact, column in review.misplaced:
        said = next((e for e in entries(getattr(row, column)) if mentions(fact, e)),
                    getattr(row, column).strip())
        out.append(wording[f"misplaced_{column}"].format(words=said, who=who, **forms))
    if review.own_words is False:
        out.append(wording["own_words"].format(who=who, **forms))
    if row.empty:
        step = wording["start_row"].format(who=who, **forms)
    elif review.labels:
        step = wording["next_label"]
    elif review.missed:
        hint = review.missed[0]
        step = wording[f"next_missed_{hint.tag}"].format(who=who)
    elif review.missing_resources:
        step = wording["next_resource"].format(who=who)
    else:
        step = wording["row_done"]
    out.append(step)
    return out


def _wording() -> Any:
    return section("messages.yaml", "assessment")


def _settings() -> Any:
    return section("settings.yaml", "assessment")
