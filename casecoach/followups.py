"""Follow-ups: what the trainee says to the client, the ladder pick, going back, the case's timeline."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Sequence

from casecoach._data import load_yaml
from casecoach.assessment import ChartRow, domains, entries
from casecoach.language import label_spans, normalise, phrase_alternation
from casecoach.scenarios import LADDER, FollowUp, Scenario

DATA_FILE = "followups.yaml"
__all__ = ["Finding", "PickFeedback", "review_said", "judge_pick", "changed_scenario",
           "row_as_charted", "review_row_revision", "review_goal_revision", "revisit_label",
           "goal_label", "Played", "Timeline", "timeline", "wording", "ladder_labels"]


@dataclass(frozen=True)
class Finding:
    """One thing judged in what the trainee says: criterion, met or not, where, the message key."""

    criterion: str
    met: bool
    start: int | None = None  # the words it rests on, as offsets into the text
    end: int | None = None
    message: str = ""         # the wording from followups.yaml, filled in for this case

    @property
    def key(self) -> str:
        return f"{self.criterion}.{'met' if self.met else 'not_met'}"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load_yaml(DATA_FILE)


def wording() -> dict[str, Any]:
    """The module's data file (words, findings, ladder, channels, timeline)."""
    return _data()


def ladder_labels() -> dict[str, str]:
    """Each ladder step's label, lowest first."""
    return {step: _data()["ladder"][step] for step in LADDER}


@lru_cache(maxsize=None)
def _pattern(kind: str) -> re.Pattern[str]:
    return re.compile(phrase_alternation(_data()["words"][kind]["terms"]), re.IGNORECASE)


def _start_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(r"\s*" + phrase_alternation(_data()["words"][kind]["terms"]),
                      re.IGNORECASE)


# A sentence ends at . ! or ? followed by a space or the end, not inside "10 p.m." or "e.g.".
_SENTENCE_END = re.compile(r"(?<!\bp\.m)(?<!\ba\.m)(?<!\be\.g)(?<!\bi\.e)[.!?]+(?=\s|$)",
                           re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return pattern.search(text)


def _open_question(text: str) -> tuple[int, int] | None:
    """The first open question or prompt ("Tell me ..."): a sentence starting with an open word
    that is not a yes/no start."""
    opens, closed = _start_pattern("open_question_starts"), _start_pattern("closed_question_starts")
    for start, end in _sentences(text):
        sentence = text[start:end]
        lead = re.sub(r"^\W*(?:and|so|okay|ok|well|now)\W+", "", sentence, flags=re.IGNORECASE)
        offset = start + len(sentence) - len(lead)
        asks = sentence.rstrip().endswith("?") or re.match(r"\s*(tell me|walk me through|help me "
                                                           r"understand)", lead, re.IGNORECASE)
        if asks and opens.match(lead) and not (closed.match(lead) and not re.match(
                r"\s*(can|could) you tell me", lead, re.IGNORECASE)):
            return offset, end
    return None


def _fill(template: str, scenario: Scenario, **values: Any) -> str:
    return template.format(first=scenario.first_name, **values)


def _finding(scenario: Scenario, criterion: str, met: bool, span: tuple[int, int] | None = None,
             **values: Any) -> Finding:
    text = _data()["findings"][criterion]["met" if met else "not_met"]
    start, end = span if span else (None, None)
    return Finding(criterion, met, start, end, _fill(text, scenario, **values))


def review_said(scenario: Scenario, event: FollowUp, said: str) -> list[Finding]:
    """Every follow-up finding on what the trainee says to the client after this event.

    A success: praise first, and praise that names the step the client took. A setback: an
    acknowledgement and an open question before any consequence, no consequence or threat in
    the first sentence. Both: no labels."""
    text = normalise(said or "")
    if not text.strip():
        return [_finding(scenario, "not_said", False)]
    sentences = _sentences(text)
    first_end = sentences[0][1] if sentences else len(text)
    found: list[Finding] = []
    consequence = _first(_pattern("consequence"), text)
    cut = consequence.start() if consequence else len(text)
    if event.kind == "success":
        praise = [m for m in _pattern("praise").finditer(text)]
        first_praise = praise[0] if praise else None
        found.append(_finding(scenario, "praise_first", bool(first_praise and
                                                             first_praise.start() < first_end),
                              first_praise.span() if first_praise else None))
        steps = re.compile(phrase_alternation(list(event.step_words)), re.IGNORECASE)
        named = None
        for start, end in sentences:
            if _pattern("praise").search(text, start, end):
                named = steps.search(text, start, end)
                if named:
                    break
        found.append(_finding(scenario, "praise_specific", named is not None,
                              named.span() if named else None,
                              words=named.group(0) if named else "",
                              example=f"“{event.step_words[0]}”" if event.step_words else ""))
    else:
        ack = _first(_pattern("acknowledgement"), text)
        found.append(_finding(scenario, "acknowledge_first", bool(ack and ack.start() < cut),
                              ack.span() if ack else None))
        question = _open_question(text)
        found.append(_finding(scenario, "open_question", bool(question and question[0] < cut),
                              question, words=f"“{text[question[0]:question[1]].strip()}”"
                              if question else ""))
        threat_first = consequence is not None and consequence.start() < first_end
        found.append(_finding(scenario, "no_threat_first", not threat_first,
                              consequence.span() if threat_first else None,
                              words=consequence.group(0) if consequence else ""))
    labels = [span for span, in_name in label_spans(text) if not in_name]
    if labels:
        span = labels[0]
        suggestion = f"“{span.entry.offer}”" if span.entry.offer else "the person's name"
        found.append(_finding(scenario, "no_labels", False, (span.start, span.end),
                              words=span.text, suggestion=suggestion))
    else:
        found.append(_finding(scenario, "no_labels", True))
    return found


@dataclass(frozen=True)
class PickFeedback:
    """Feedback on the ladder step the trainee picked for an event."""

    step: str
    fits: bool
    verdict: str        # fits_lowest, fits_not_lowest, too_high, too_low, not_here
    why: str            # the event's own reason for this step
    message: str        # proportionality, from followups.yaml
    decline_note: str   # the right to decline a service, when the event has one ("" if not)
    penalises_declining: bool

    @property
    def proportionate(self) -> bool:
        return self.fits and not self.penalises_declining


def judge_pick(scenario: Scenario, event: FollowUp, step: str) -> PickFeedback:
    """Whether the picked step fits the event, why, and how it sits on the ladder against the
    steps that fit (the lowest that fits is where to start); the right to decline where the
    client declines a service."""
    if step not in LADDER:
        raise ValueError(f"unknown ladder step '{step}' (one of {', '.join(LADDER)})")
    labels, words = ladder_labels(), _data()["pick"]
    entry = event.step(step)
    fitting = [s for s in event.ladder if s.fits]
    lowest, highest = fitting[0], fitting[-1]
    if entry.fits:
        verdict = "fits_lowest" if entry.step == lowest.step else "fits_not_lowest"
    elif entry.rank > highest.rank:
        verdict = "too_high"
    elif entry.rank < lowest.rank:
        verdict = "too_low"
    else:
        verdict = "not_here"
    message = words[verdict].format(lowest=labels[lowest.step], highest=labels[highest.step],
                                    fitting="; ".join(labels[s.step] for s in fitting))
    note = ""
    if event.declines:
        template = words["penalises" if entry.penalises_declining else "declines"]
        note = template.format(first=scenario.first_name, service=event.declines,
                               pronoun=_subject(scenario))
    return PickFeedback(step, entry.fits, verdict, entry.why, message, note,
                        entry.penalises_declining)


def _subject(scenario: Scenario) -> str:
    return scenario.client.get("pronouns", "they/them").split("/")[0]


def changed_scenario(scenario: Scenario, events: Iterable[FollowUp]) -> Scenario:
    """The case after these events: facts they lose are gone, facts they add are in, and the
    chart key follows (an added fact is expected in its domain's row), so the chart and goal
    checks judge the case as it now stands."""
    lost: set[str] = set()
    added = []
    for event in events:
        lost |= set(event.lose)
        added += [f for f in event.add if f.id not in lost]
    if not lost and not added:
        return scenario
    raw = dict(scenario.raw)
    keep = lambda ids: [i for i in ids if i not in lost]  # noqa: E731
    key = [dict(row, facts=keep(row["facts"])) for row in raw.get("assessment_key", [])]
    for fact in added:
        row = next((r for r in key if r["domain"] == fact.domain), None)
        if row is None:
            row = {"domain": fact.domain, "facts": [], "note": ""}
            key.append(row)
        row["facts"] = row["facts"] + [fact.id]
    raw["assessment_key"] = key
    raw["priority_key"] = [dict(row, facts=keep(row["facts"]))
                           for row in raw.get("priority_key", [])]
    facts = tuple(f for f in scenario.facts if f.id not in lost) + tuple(added)
    raw["facts"] = [f for f in raw.get("facts", []) if f["id"] not in lost] + [
        {"id": f.id, "text": f.text, "tag": f.tag, "domain": f.domain, "indirect": f.indirect}
        for f in added]
    return replace(scenario, facts=facts, raw=raw)


def row_as_charted(scenario: Scenario, domain: str) -> ChartRow:
    """A chart row as a trainee who charted the case key would have it before the event: the
    domain's key facts, each in its column (the starting point when no saved row exists)."""
    if domain not in domains():
        raise ValueError(f"unknown life domain '{domain}'")
    key = next((r for r in scenario.raw.get("assessment_key", []) if r["domain"] == domain),
               {"facts": []})
    by_tag: dict[str, list[str]] = {"strength": [], "support": [], "barrier": [],
                                    "aspiration": []}
    for fact_id in key["facts"]:
        fact = scenario.fact(fact_id)
        by_tag[fact.tag].append(fact.text)
    goals = [g.words for g in scenario.client_goals if g.domain == domain]
    return ChartRow(domain, now="", wants="\n".join(goals + by_tag["aspiration"]),
                    strengths="\n".join(by_tag["strength"] + by_tag["support"]),
                    barriers="\n".join(by_tag["barrier"]))


# --- the monitoring view ----------------------------------------------------------------------

@dataclass(frozen=True)
class Played:
    """What the trainee did with one event: whether what they said met every finding, the step
    they picked and whether it fits, and whether they went back and revised."""

    event: str
    said_ok: bool | None = None
    step: str = ""
    step_fits: bool | None = None
    revised: bool = False


@dataclass(frozen=True)
class StagePoint:
    week: int
    stage: str


@dataclass(frozen=True)
class EventPoint:
    week: int
    event: FollowUp
    played: Played | None


@dataclass(frozen=True)
class GoalStatus:
    goal: str       # referral goal id
    label: str      # the goal as the case states it
    status: str     # active, review, revised
    since: int | None


@dataclass(frozen=True)
class Timeline:
    """The case as monitored: the stages visited in order, the events reached, each goal's
    status and the next check-in."""

    scenario: Scenario
    stages: tuple[StagePoint, ...]
    events: tuple[EventPoint, ...]
    goals: tuple[GoalStatus, ...]
    next_check_in: int
    current_week: int

    def lines(self) -> list[str]:
        """The text equivalent of the picture, one line per item, in order."""
        text, labels = _data()["timeline"]["text"], _data()["timeline"]["stages"]
        kinds, statuses = _data()["kinds"], _data()["timeline"]["goal_status"]
        out = [text["title"].format(first=self.scenario.first_name)]
        waiting = list(self.events)
        # In the order they happened: each event right after the week's move to coordination.
        for stage in self.stages:
            out.append(text["stage_line"].format(week=stage.week, stage=labels[stage.stage]))
            if stage.stage == "coordination" and waiting and waiting[0].week == stage.week:
                point = waiting.pop(0)
                out.append(text["event_line"].format(
                    week=point.week, kind=kinds[point.event.kind]["label"],
                    icon=kinds[point.event.kind]["icon"], text=point.event.text))
        for goal in self.goals:
            status = statuses[goal.status]
            since = f", week {goal.since}" if goal.since is not None else ""
            out.append(text["goal_line"].format(goal=goal.label, status=status["label"],
                                                icon=status["icon"], since=since))
        out.append(text["next_check_in"].format(week=self.next_check_in))
        return out


def timeline(scenario: Scenario, played: Sequence[Played], current: str | None = None
             ) -> Timeline:
    """The monitoring view of a case after the events played so far (in week order) and the
    one now open (`current`)."""
    settings = _data()["timeline"]
    by_id = {p.event: p for p in played}
    reached = [e for e in scenario.follow_ups if e.id in by_id or e.id == current]
    stages = [StagePoint(0, "outreach"), StagePoint(0, "assessment"), StagePoint(0, "plan")]
    status = {g.id: ("active", None) for g in scenario.referral_goals}
    gap = settings["check_in_weeks"]
    week = 0
    for event in reached:
        week = event.week
        stages.append(StagePoint(week, "coordination"))
        done = by_id.get(event.id)
        if event.revisit is not None:
            touched = ([event.revisit.goal] if event.revisit.stage == "plan" else
                       [g.id for g in scenario.referral_goals if g.domain == event.revisit.domain])
            revised = bool(done and done.revised)
            for goal in touched:
                status[goal] = ("revised", week) if revised else ("review", week)
            if revised:
                stages.append(StagePoint(week, event.revisit.stage))
                if event.revisit.stage == "assessment":
                    stages.append(StagePoint(week, "plan"))
                stages.append(StagePoint(week, "coordination"))
        if done and done.step == "more_contact" and done.step_fits:
            gap = settings["more_contact_weeks"]
        elif done and done.step:
            gap = settings["check_in_weeks"]
    goals = tuple(GoalStatus(g.id, goal_label(scenario, g.id), *status[g.id])
                  for g in scenario.referral_goals)
    events = tuple(EventPoint(e.week, e, by_id.get(e.id)) for e in reached)
    return Timeline(scenario, tuple(stages), events, goals, week + gap, week)


# --- going back -------------------------------------------------------------------------------

def _revision_finding(scenario: Scenario, criterion: str, met: bool, **values: Any) -> Finding:
    text = _data()["revision"]["findings"][criterion]["met" if met else "not_met"]
    return Finding(criterion, met, None, None, _fill(text, scenario, **values))


def _hint(fact) -> str:
    return f"“{fact.text}”"


def review_row_revision(scenario: Scenario, event: FollowUp, before: ChartRow,
                        after: ChartRow) -> list[Finding]:
    """Going back to a chart row: the entries the trainee added record each fact the event adds
    to this row's domain, and the row no longer counts on a fact the event took away (it may
    keep it if it says it has ended). `scenario` is the case before the event."""
    from casecoach.assessment import mentions

    if after.text().strip() == before.text().strip():
        return [_revision_finding(scenario, "unchanged", False)]
    domain = after.domain
    old = {e.strip() for e in entries(before.text())}
    new_entries = [e for e in entries(after.text()) if e.strip() not in old]
    new_text = "\n".join(new_entries)
    ended = _pattern_of(_data()["revision"]["lost_words"]["terms"])
    found = []
    for fact in event.add:
        if fact.domain == domain:
            found.append(_revision_finding(scenario, "records_added", mentions(fact, new_text),
                                           fact=fact.text, hint=_hint(fact)))
    for fact_id in event.lose:
        fact = scenario.fact(fact_id)
        if fact.domain != domain:
            continue
        still = [e for e in entries(after.text()) if mentions(fact, e) and not ended.search(e)]
        found.append(_revision_finding(scenario, "drops_lost", not still, fact=fact.text))
    return found


def review_goal_revision(scenario: Scenario, event: FollowUp, before: str,
                         after: str) -> list[Finding]:
    """Going back to a plan goal: the revised goal builds on a fact the event adds (a new
    support, a new strength) and no longer rests on a service the client declined."""
    from casecoach.assessment import mentions
    from casecoach.scenarios import Fact

    if after.strip() == before.strip() or not after.strip():
        return [_revision_finding(scenario, "unchanged", False)]
    found = []
    added_words = _inserted(before, after)
    if event.add:
        used = next((f for f in event.add if mentions(f, added_words)), None)
        found.append(_revision_finding(scenario, "goal_uses_added", used is not None,
                                       fact=(used or event.add[0]).text,
                                       hint=_hint(event.add[0])))
    if event.declines:
        service = Fact("declined", event.declines, "barrier", "", False)
        found.append(_revision_finding(scenario, "goal_respects_decline",
                                       not mentions(service, after), service=event.declines))
    return found


def _inserted(before: str, after: str) -> str:
    """The words the revision put in (new or replacing others), so a goal is credited only for
    what the trainee wrote, not for what the goal already said."""
    from difflib import SequenceMatcher

    old, new = before.split(), after.split()
    parts = [" ".join(new[j1:j2]) for op, _i1, _i2, j1, j2 in
             SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op in ("insert", "replace")]
    return " … ".join(parts)


def _pattern_of(terms: list[str]) -> re.Pattern[str]:
    return re.compile(phrase_alternation(terms), re.IGNORECASE)


def revisit_label(scenario: Scenario, event: FollowUp) -> str:
    """Where the event sends the trainee: the chart row's name or the plan goal's."""
    if event.revisit is None:
        return ""
    if event.revisit.stage == "assessment":
        return domains()[event.revisit.domain]
    return goal_label(scenario, event.revisit.goal)


def goal_label(scenario: Scenario, goal_id: str) -> str:
    """A plan goal named by its life domain and the start of its model rewrite (the referral
    goal's own words are deficit-framed: the page never shows them as the plan's goal)."""
    goal = next(g for g in scenario.referral_goals if g.id == goal_id)
    rewrite = scenario.rewrites_for(goal_id)[0].text
    words = rewrite.split()
    short = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
    return f"{domains()[goal.domain]}: {short}"


def judge_said(said: str):
    """The response judge's reading of what was said (casecoach.conversation: behaviour code,
    practice findings, what worked and one next step), beside the follow-up findings; None when
    nothing was said or the judge cannot read it (it says why in the error it raises)."""
    from casecoach.conversation import judge_response
    from casecoach.errors import CasecoachError

    if not (said or "").strip():
        return None
    try:
        return judge_response(said)
    except CasecoachError:
        return None


# --- linking and advocacy ---------------------------------------------------------------------

def review_note(scenario: Scenario, text: str) -> list[Finding]:
    """The advocacy note's findings: person-first language, the client's consent, a named
    strength or support of the case, and one specific ask."""
    from casecoach.assessment import mentions

    data = _data()["note"]
    words = data["findings"]

    def finding(criterion: str, met: bool, key: str | None = None, span=None, **values) -> Finding:
        template = words[criterion][key or ("met" if met else "not_met")]
        start, end = span if span else (None, None)
        return Finding(criterion, met, start, end, _fill(template, scenario, **values))

    text = normalise(text or "")
    if not text.strip():
        return [finding("not_written", False)]
    found = []
    labels = [span for span, in_name in label_spans(text) if not in_name]
    if labels:
        span = labels[0]
        suggestion = f"“{span.entry.offer}”" if span.entry.offer else "the person's name"
        found.append(finding("person_first", False, span=(span.start, span.end), words=span.text,
                             suggestion=suggestion))
    else:
        found.append(finding("person_first", True))
    consent = _pattern_of(data["consent"]["terms"]).search(text)
    found.append(finding("consent", consent is not None, span=consent.span() if consent else None,
                         words=consent.group(0) if consent else ""))
    strength = next((f for f in scenario.strengths() if mentions(f, text)), None)
    found.append(finding("names_strength", strength is not None,
                         fact=strength.text if strength else ""))
    asks = _pattern_of(data["ask"]["terms"])
    polite = re.compile(r"\s*(?:could|would|can|will|may)\b", re.IGNORECASE)
    asking = [(s, e) for s, e in _sentences(text) if asks.search(text, s, e) or (
        text[s:e].rstrip().endswith("?") and polite.match(text, s))]
    if not asking:
        found.append(finding("one_specific_ask", False, "none"))
    elif len(asking) > 1:
        found.append(finding("one_specific_ask", False, "several", n=len(asking)))
    else:
        start, end = asking[0]
        sentence = text[start:end].strip()
        specific = re.search(data["specific"]["pattern"], sentence, re.IGNORECASE) is not None
        found.append(finding("one_specific_ask", specific, None if specific else "vague",
                             span=(start, end), words=sentence))
    return found
