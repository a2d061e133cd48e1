"""The "First meeting" role-play: the response judge decides how a fictional client answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import yaml

from casecoach import _yaml
from casecoach._data import REPO_SCENARIOS, scenario_dir
from casecoach.conversation import Judgement, Rules, judge_response
from casecoach.errors import CasecoachError
from casecoach.assessment import Chart
from casecoach.scenarios import Scenario, get_scenario

REACTIONS = ("draws_out", "reflection", "affirmation", "closed", "wary", "neutral", "guarded")


@dataclass(frozen=True)
class Share:
    """A fact of the case the client tells when drawn out, in the client's words."""

    fact: str
    says: str
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    """One response of a pick-the-best item, with the trainer's note on it."""

    text: str
    note: str


@dataclass(frozen=True)
class Choice:
    """A pick-the-best item: a client's line, 3 or 4 responses (each with a note), the best."""

    client: str
    options: tuple[Option, ...]
    best: int


@dataclass(frozen=True)
class Pick:
    """A trainee's pick of a Choice: right or not, and the judge's reading of every option."""

    choice: Choice
    picked: int
    judgements: tuple[Judgement, ...]

    @property
    def right(self) -> bool:
        return self.picked == self.choice.best


def pick(choice: Choice, picked: int) -> Pick:
    """Judge a pick: every option is also read by the response judge (its code and findings
    are shown beside the trainer's note)."""
    if not 0 <= picked < len(choice.options):
        raise CasecoachError(f"pick one of the {len(choice.options)} responses", field="picked")
    return Pick(choice, picked, tuple(judge_response(o.text, choice.client)
                                      for o in choice.options))


@dataclass(frozen=True)
class MeetingScript:
    """One case's first meeting: the client's opening line, what they share, their short and
    guarded answers (a case may leave these to the defaults of conversation.yaml)."""

    case: str
    opening: str
    shares: tuple[Share, ...]
    short: tuple[str, ...] = ()
    guarded: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()

    @classmethod
    def from_data(cls, data: object, *, case: str, source: str,
                  fact_ids: Iterable[str] | None = None) -> "MeetingScript":
        """A script from authored data, or a CasecoachError naming the file and field."""
        where = "first_meeting"
        if not isinstance(data, dict):
            raise CasecoachError("must be a mapping with 'opening' and 'shares'", file=source,
                                 field=where)
        opening = data.get("opening")
        if not isinstance(opening, str) or not opening.strip():
            raise CasecoachError("needs the client's first line", file=source,
                                 field=f"{where}.opening")
        raw = data.get("shares")
        if not isinstance(raw, list) or not raw:
            raise CasecoachError("must list at least one fact the client can share", file=source,
                                 field=f"{where}.shares")
        known = set(fact_ids) if fact_ids is not None else None
        shares = []
        for i, item in enumerate(raw):
            at = f"{where}.shares[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("fact"), str) \
                    or not isinstance(item.get("says"), str) or not item["says"].strip():
                raise CasecoachError("each share needs 'fact' (a facts id) and 'says'",
                                     file=source, field=at)
            if known is not None and item["fact"] not in known:
                raise CasecoachError(f"'{item['fact']}' is not a fact of the case", file=source,
                                     field=f"{at}.fact")
            topics = item.get("topics", [])
            if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
                raise CasecoachError("'topics' must be a list of words", file=source,
                                     field=f"{at}.topics")
            shares.append(Share(item["fact"], item["says"].strip(),
                                tuple(t.lower() for t in topics)))
        lines = {}
        for key in ("short", "guarded"):
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                      for v in value):
                raise CasecoachError("must be a list of lines", file=source,
                                     field=f"{where}.{key}")
            lines[key] = tuple(v.strip() for v in value)
        choices = []
        for i, item in enumerate(data.get("choices", []) or []):
            at = f"{where}.choices[{i}]"
            options = item.get("options") if isinstance(item, dict) else None
            if not isinstance(options, list) or not 3 <= len(options) <= 4 or not all(
                    isinstance(o, dict) and str(o.get("text", "")).strip()
                    and str(o.get("note", "")).strip() for o in options):
                raise CasecoachError("needs 3 or 4 'options', each with 'text' and 'note'",
                                     file=source, field=f"{at}.options")
            best = item.get("best")
            if not isinstance(best, int) or not 0 <= best < len(options):
                raise CasecoachError(f"'best' must be the index (0 to {len(options) - 1}) of "
                                     f"one of the options", file=source, field=f"{at}.best")
            if not str(item.get("client", "")).strip():
                raise CasecoachError("needs the client's line", file=source, field=f"{at}.client")
            choices.append(Choice(item["client"].strip(),
                                  tuple(Option(o["text"].strip(), o["note"].strip())
                                        for o in options), best))
        return cls(case, opening.strip(), tuple(shares), lines["short"], lines["guarded"],
                   tuple(choices))


@dataclass(frozen=True)
class Rapport:
    """Where rapport stands: a number, and the text and icon that say it (never colour alone)."""

    value: int
    icon: str
    label: str


@dataclass(frozen=True)
class Turn:
    """One exchange: what the trainee said, how it was judged, how the client answered."""

    said: str
    judgement: Judgement
    reaction: str
    reply: str
    fact: str | None
    rapport: int


@dataclass(frozen=True)
class Measure:
    """One summary figure beside its thresholds."""

    name: str
    value: float | None
    verdict: str


@dataclass(frozen=True)
class Moment:
    """A line worth revisiting, with a better one."""

    turn: int
    said: str
    why: str
    better: str


@dataclass(frozen=True)
class Summary:
    """The end of a meeting in trainers' terms: counts, ratios against thresholds, facts shared,
    and the two moments to revisit."""

    counts: dict[str, int]
    measures: tuple[Measure, ...]
    facts: tuple[str, ...]
    revisit: tuple[Moment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts,
                "measures": [{"name": m.name, "value": m.value, "verdict": m.verdict}
                             for m in self.measures],
                "facts": list(self.facts),
                "revisit": [{"turn": m.turn, "said": m.said, "why": m.why, "better": m.better}
                            for m in self.revisit]}


@dataclass
class Meeting:
    """A first meeting in progress: say a line with `say`, read `turns`, `rapport()`, `summary()`."""

    script: MeetingScript
    rules: Rules = field(default_factory=Rules.load)
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._settings = self.rules.data["first_meeting"]
        self._rapport = int(self._settings["rapport"]["start"])
        self._used: dict[str, int] = {}

    @property
    def client_line(self) -> str:
        """What the client said last (their opening before the trainee speaks)."""
        return self.turns[-1].reply if self.turns else self.script.opening

    @property
    def shared(self) -> tuple[str, ...]:
        return tuple(t.fact for t in self.turns if t.fact)

    @property
    def over(self) -> bool:
        return len(self.turns) >= int(self._settings["max_turns"]) \
            or len(self.shared) == len(self.script.shares)

    def rapport(self) -> Rapport:
        level = [lv for lv in self._settings["levels"] if self._rapport >= lv["min"]][-1]
        return Rapport(self._rapport, level["icon"], level["label"])

    def say(self, text: str) -> Turn:
        """Judge the trainee's line, move rapport, and let the client answer."""
        if self.over:
            raise CasecoachError("the meeting is over; start a new one to practise again")
        judgement = judge_response(text, self.client_line, self.rules)
        reaction = self._reaction(judgement)
        steps = self._settings["steps"]
        bounds = self._settings["rapport"]
        self._rapport = max(bounds["min"], min(bounds["max"], self._rapport + steps[reaction]))
        fact = None
        if reaction in ("draws_out", "reflection"):
            share = self._next_share(judgement.text)
            if share is not None:
                fact, reply = share.fact, share.says
            else:
                reply = self._line("warm")
        elif reaction == "guarded":
            reply = self._line("guarded")
        elif reaction == "closed":
            reply = self._line("short")
        elif reaction == "wary":
            reply = self._line("wary")
        elif reaction == "affirmation":
            reply = self._line("warm")
        else:
            reply = self._line("neutral")
        turn = Turn(judgement.text, judgement, reaction, reply, fact, self._rapport)
        self.turns.append(turn)
        return turn

    def _reaction(self, judgement: Judgement) -> str:
        guarding = set(self._settings["guarding_kinds"])
        if any(f.kind in guarding for f in judgement.findings):
            return "guarded"
        if self._rapport <= int(self._settings["guarded_below"]) and judgement.behaviour in (
                "question", "reflection"):
            return "wary"  # a good line to a guarded client: a brief answer, and rapport grows
        if judgement.behaviour == "question":
            return "draws_out" if judgement.question_type == "open" else "closed"
        if judgement.behaviour == "reflection":
            return "draws_out" if judgement.reflection_type == "complex" else "reflection"
        if any(f.kind in ("affirmation", "specific_praise") for f in judgement.findings):
            return "affirmation"
        return "neutral"

    def _next_share(self, said: str) -> Share | None:
        """The fact the trainee's words lead to (its topics), else the next one not yet shared."""
        left = [s for s in self.script.shares if s.fact not in self.shared]
        lower = said.lower()
        return next((s for s in left if any(t in lower for t in s.topics)), left[0] if left
                    else None)

    def _line(self, kind: str) -> str:
        own = {"short": self.script.short, "guarded": self.script.guarded}.get(kind) or ()
        lines = own or tuple(self._settings["defaults"][kind])
        n = self._used.get(kind, 0)
        self._used[kind] = n + 1
        return lines[n % len(lines)]

    def summary(self) -> Summary:
        """Counts of open and closed questions and of reflections, the ratios beside their
        thresholds, the facts shared and the two moments to revisit."""
        judged = [t.judgement for t in self.turns]
        counts = {
            "open_questions": sum(j.question_type == "open" for j in judged),
            "closed_questions": sum(j.question_type == "closed" for j in judged),
            "simple_reflections": sum(j.reflection_type == "simple" for j in judged),
            "complex_reflections": sum(j.reflection_type == "complex" for j in judged),
            "input": sum(j.behaviour == "input" for j in judged),
            "other": sum(j.behaviour == "other" for j in judged)}
        questions = counts["open_questions"] + counts["closed_questions"]
        reflections = counts["simple_reflections"] + counts["complex_reflections"]
        thresholds = self._settings["thresholds"]
        text = self._settings["messages"]
        measures = (
            self._measure("reflection_to_question", reflections / questions if questions else None,
                          thresholds, text, "no_questions"),
            self._measure("open_share", counts["open_questions"] / questions if questions
                          else None, thresholds, text, "no_questions"),
            self._measure("complex_share", counts["complex_reflections"] / reflections
                          if reflections else None, thresholds, text, "no_reflections"))
        return Summary(counts, measures, self.shared, self._revisit())

    @staticmethod
    def _measure(name: str, value: float | None, thresholds: dict, text: dict,
                 none: str) -> Measure:
        if value is None:
            return Measure(name, None, text[none])
        bounds = thresholds[name]
        level = "good" if value >= bounds["good"] else "fair" if value >= bounds["fair"] \
            else "below"
        return Measure(name, round(value, 2), text[level].format(**bounds))

    def _revisit(self) -> tuple[Moment, ...]:
        """The two lines most worth another try: a line that made the client guarded first, then
        closed questions, then information or a simple reflection, then any line with a next
        step; a greeting or an acknowledgement last. Earliest first among equals."""
        weight = self._settings["revisit_weights"]

        def rank(i: int) -> tuple[float, int]:
            turn = self.turns[i]
            key = turn.reaction if turn.reaction in weight else "other"
            if turn.reaction == "neutral" and turn.judgement.behaviour == "other" \
                    and not turn.judgement.findings:
                key = "greeting"
            return -float(weight.get(key, 0)), i

        ranked = sorted(range(len(self.turns)), key=rank)
        moments = []
        for i in ranked[:2]:
            turn = self.turns[i]
            problems = [f for f in turn.judgement.findings if not f.positive]
            if problems:
                why, better = problems[0].why, problems[0].better
            elif turn.reaction == "closed" and turn.judgement.behaviour == "question":
                why = self._settings["messages"]["revisit_closed"]
                better = turn.judgement.feedback.next_step
            else:
                why, better = turn.judgement.feedback.worked, turn.judgement.feedback.next_step
            moments.append(Moment(i + 1, turn.said, why, better))
        return tuple(sorted(moments, key=lambda m: m.turn))


MEETINGS_DIR = "first-meetings"


def _meetings_dir(directory: Path | None = None) -> Path:
    return (directory or scenario_dir()) / MEETINGS_DIR


def meeting_ids(directory: Path | None = None) -> list[str]:
    """The cases that have a first meeting (a file in the scenario folder's first-meetings/)."""
    return sorted(p.stem for p in _meetings_dir(directory).glob("*.yaml"))


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads((REPO_SCENARIOS / MEETINGS_DIR / "schema.json").read_text(encoding="utf-8"))


def load_script(case: str, directory: Path | None = None) -> MeetingScript:
    """A case's first meeting, checked against its schema and the case's facts; a CasecoachError
    names the file, the field and, where it can, the line."""
    path = _meetings_dir(directory) / f"{case}.yaml"
    if not path.is_file():
        raise CasecoachError(f"no first meeting for case '{case}' (cases with one: "
                             f"{', '.join(meeting_ids(directory)) or 'none'})")
    data, node = _yaml.read(path)
    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]"
                         for p in error.absolute_path).replace(".[", "[")
        raise CasecoachError(error.message, file=str(path), field=where or "(file)",
                             line=_line_of(node, list(error.absolute_path)))
    facts = [f.id for f in get_scenario(case, directory).facts]
    return MeetingScript.from_data(data, case=case, source=str(path), fact_ids=facts)


def _line_of(node: Any, path: list) -> int | None:
    """The line of a value in a composed YAML node, following a field path as far as it goes."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def seed_chart(scenario: Scenario, meeting: Meeting, chart: Chart | None = None,
               note: str = "{says}") -> Chart:
    """A chart of the case started from what the client told in the meeting: each fact told goes
    into its life domain's "what is going on now" cell, in the client's own words (`note` with
    {says}), after whatever the trainee already wrote there. Nothing charted is replaced, and a
    fact already noted is not noted twice."""
    chart = chart if chart is not None else Chart.blank(scenario.id)
    said = {share.fact: share.says for share in meeting.script.shares}
    for fact_id in meeting.shared:
        fact = scenario.fact(fact_id)
        line = note.format(says=said.get(fact_id, fact.text))
        current = chart.row(fact.domain).now
        if line in current:
            continue
        chart = chart.with_cell(fact.domain, "now", f"{current.rstrip()}\n{line}".strip())
    return chart
