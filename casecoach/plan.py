"""Action plans: goals with steps (who, by when, resource, strength), and the checks of a good plan."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from casecoach._data import plural, section
from casecoach.errors import CasecoachError
from casecoach.goals import ClientContext, review_goal
from casecoach.language import Lexicon, normalise, stems

OWNERS = ("client", "caseworker", "support person", "agency")


@dataclass(frozen=True)
class Step:
    """One step toward a goal: what, who does it, by when, with which resource and strength."""

    text: str
    owner: str = "client"
    who: str = ""
    due: date | None = None
    resource_id: str = ""
    strength: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "owner": self.owner, "who": self.who,
                "due": self.due.isoformat() if self.due else None,
                "resource_id": self.resource_id, "strength": self.strength}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Step":
        return cls(text=str(data.get("text", "")), owner=str(data.get("owner", "client")),
                   who=str(data.get("who", "")), due=_date(data.get("due"), "step.due"),
                   resource_id=str(data.get("resource_id") or ""),
                   strength=str(data.get("strength", "")))


@dataclass(frozen=True)
class PlanGoal:
    """One agreed goal: the SMART(S) wording, the client's own words, its steps."""

    text: str
    domain: str = ""
    client_words: str = ""
    steps: tuple[Step, ...] = ()
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "domain": self.domain, "client_words": self.client_words,
                "steps": [s.to_dict() for s in self.steps], "active": self.active}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PlanGoal":
        return cls(text=str(data.get("text", "")), domain=str(data.get("domain", "")),
                   client_words=str(data.get("client_words", "")),
                   steps=tuple(Step.from_dict(s) for s in data.get("steps", [])),
                   active=bool(data.get("active", True)))


@dataclass(frozen=True)
class Plan:
    """A client's action plan: a few agreed goals, their steps, and what the client was told."""

    client_name: str
    plan_date: date
    goals: tuple[PlanGoal, ...] = ()
    caseworker: str = ""
    strengths: tuple[str, ...] = ()
    declined: tuple[str, ...] = ()
    right_to_decline_explained: bool = False
    scenario_id: str = ""
    follow_ups: tuple["FollowUp", ...] = ()

    @property
    def history(self) -> tuple["FollowUp", ...]:
        """The follow-ups in date order (those of one day in the order they were recorded)."""
        return in_date_order(self.follow_ups)

    @property
    def active_goals(self) -> tuple[PlanGoal, ...]:
        return tuple(g for g in self.goals if g.active)

    def check_lengths(self) -> None:
        """Raise CasecoachError when a field is longer, or a list has more, than settings.yaml
        allows (limits.fields): before the store or an export sees the plan."""
        found = length_findings(self)
        if found:
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise CasecoachError(found[0].message + more, field="plan")

    def to_dict(self) -> dict[str, Any]:
        return {"client_name": self.client_name, "plan_date": self.plan_date.isoformat(),
                "caseworker": self.caseworker, "goals": [g.to_dict() for g in self.goals],
                "strengths": list(self.strengths), "declined": list(self.declined),
                "right_to_decline_explained": self.right_to_decline_explained,
                "scenario_id": self.scenario_id,
                "follow_ups": [f.to_dict() for f in self.follow_ups]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Plan":
        """Rebuild a saved plan; a missing name or an unreadable date is a clear error."""
        if not str(data.get("client_name", "")).strip():
            raise CasecoachError("a plan needs the client's name", field="client_name")
        plan_date = _date(data.get("plan_date"), "plan_date")
        if plan_date is None:
            raise CasecoachError("a plan needs a date", field="plan_date")
        return cls(client_name=str(data["client_name"]).strip(), plan_date=plan_date,
                   goals=tuple(PlanGoal.from_dict(g) for g in data.get("goals", [])),
                   caseworker=str(data.get("caseworker", "")),
                   strengths=tuple(str(s) for s in data.get("strengths", [])),
                   declined=tuple(str(s) for s in data.get("declined", [])),
                   right_to_decline_explained=bool(data.get("right_to_decline_explained")),
                   scenario_id=str(data.get("scenario_id") or ""),
                   # A plan saved before follow-ups were recorded has none.
                   follow_ups=_follow_ups(data.get("follow_ups") or []))


@dataclass(frozen=True)
class FollowUp:
    """One follow-up with a real client after the plan: the day, what happened, the response,
    and any change it made to the plan."""

    when: date
    happened: str
    response: str = ""
    plan_change: str = ""

    @classmethod
    def make(cls, when: Any, happened: Any, response: Any = "", plan_change: Any = "",
             n: int | None = None) -> "FollowUp":
        """A checked follow-up: a date, something said about what happened, every part within
        settings.yaml's limits.fields.line; otherwise a CasecoachError naming the field (of
        follow-up `n` when given, of the new one when not)."""
        words = _wording()
        which = (words["follow_up_n"].format(n=n) if n is not None
                 else words["follow_up_new"])
        where = f"follow_ups[{n}]" if n is not None else "follow_up"
        try:
            day = _date(when, "date")
        except CasecoachError as exc:
            raise CasecoachError(words["follow_up_bad_date"].format(which=which, value=when),
                                 field=f"{where}.date") from exc
        if day is None:
            raise CasecoachError(words["follow_up_no_date"].format(which=which),
                                 field=f"{where}.date")
        parts = {"happened": str(happened or "").strip(), "response": str(response or "").strip(),
                 "plan_change": str(plan_change or "").strip()}
        if not parts["happened"]:
            raise CasecoachError(words["follow_up_no_happened"].format(which=which),
                                 field=f"{where}.happened")
        most = section("settings.yaml", "limits")["fields"]["line"]
        for key, text in parts.items():
            if len(text) > most:
                label = words["follow_up_parts"][key]
                raise CasecoachError(words["too_long"].format(
                    what=f"{which}: {label}", n=len(text), limit=most),
                    field=f"{where}.{key}")
        return cls(day, **parts)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.when.isoformat(), "happened": self.happened,
                "response": self.response, "plan_change": self.plan_change}

    @classmethod
    def from_dict(cls, data: dict[str, Any], n: int | None = None) -> "FollowUp":
        if not isinstance(data, dict):
            raise CasecoachError(f"must be a mapping, not {type(data).__name__}",
                                 field=f"follow_ups[{n}]")
        return cls.make(data.get("date"), data.get("happened"), data.get("response"),
                        data.get("plan_change"), n=n)


def in_date_order(follow_ups: Any) -> tuple[FollowUp, ...]:
    """Follow-ups by date, those of one day in the order they were recorded."""
    return tuple(sorted(follow_ups, key=lambda f: f.when))


def _follow_ups(items: Any) -> tuple[FollowUp, ...]:
    if not isinstance(items, (list, tuple)):
        raise CasecoachError(f"must be a list, not {type(items).__name__}", field="follow_ups")
    most = section("settings.yaml", "limits")["fields"]["follow_ups"]
    if len(items) > most:
        words = _wording()
        raise CasecoachError(words["too_many_parts"].format(
            what=words["fields"]["follow_ups"], n=len(items), limit=most), field="follow_ups")
    return tuple(FollowUp.from_dict(item, n) for n, item in enumerate(items, start=1))



def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CasecoachError(f"'{value}' is not a date like 2026-03-15", field=where) from exc


@dataclass(frozen=True)
class PlanFinding:
    """One check of the plan: passed or not, where (goal and step numbers), and why."""

    check: str
    ok: bool
    message: str
    goal: int | None = None
    step: int | None = None


@dataclass(frozen=True)
class PlanReview:
    findings: tuple[PlanFinding, ...]

    @property
    def problems(self) -> tuple[PlanFinding, ...]:
        return tuple(f for f in self.findings if not f.ok)

    @property
    def passed(self) -> tuple[PlanFinding, ...]:
        return tuple(f for f in self.findings if f.ok)

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def headline(self) -> str:
        """Ready to share, or how many things to fix first."""
        n = len(self.problems)
        return _wording()["ready"] if not n else plural(_wording()["to_fix"], n).format(n=n)


def check_plan(plan: Plan, context: ClientContext | None = None) -> PlanReview:
    """Every check of a plan, passed ones first in the messages; goals reviewed with the client."""
    words = _wording()
    limit = _settings()["max_active_goals"]
    findings: list[PlanFinding] = []

    def add(check: str, ok: bool, key: str, goal: int | None = None, step: int | None = None,
            **fields: Any) -> None:
        text = plural(words[key], fields.get("n", 0)).format(**fields)
        findings.append(PlanFinding(check, ok, text, goal, step))

    findings += length_findings(plan)
    too_long = {f.goal for f in findings if f.check == "length" and f.step is None}
    active = plan.active_goals
    if not plan.goals:
        add("goals", False, "no_goals")
    elif len(active) > limit:
        add("few_goals", False, "too_many", n=len(active), limit=limit)
    else:
        add("few_goals", True, "few_ok", n=len(active))
    for g_index, goal in enumerate(plan.goals, start=1):
        if not goal.text.strip():
            add("goal_text", False, "goal_empty", g_index, g=g_index)
            continue
        if g_index in too_long:
            continue  # the length finding says what to do; a review of it would only refuse
        try:
            review = review_goal(goal.text, context)
        except CasecoachError as exc:
            add("smarts", False, "goal_unreadable", g_index, g=g_index, error=exc.message)
            continue
        unmet = [c.name for c in review.criteria if c.met is False]
        if unmet:
            add("smarts", False, "goal_unmet", g_index, g=g_index,
                criteria=", ".join(c.replace("_", " ") for c in unmet))
        else:
            add("smarts", True, "goal_met", g_index, g=g_index)
        own = goal.client_words.strip()
        if own and (stems(own) & stems(goal.text) or _quoted(goal.text)):
            add("own_words", True, "own_words_ok", g_index, g=g_index)
        elif own:
            add("own_words", True, "own_words_linked", g_index, g=g_index)
        else:
            add("own_words", False, "own_words_missing", g_index, g=g_index)
        if not goal.steps:
            add("steps", False, "no_steps", g_index, g=g_index)
            continue
        previous: date | None = None
        frame = time_frame(goal.text, plan.plan_date)
        for s_index, step in enumerate(goal.steps, start=1):
            where = dict(g=g_index, s=s_index)
            if not step.text.strip():
                add("step_text", False, "step_empty", g_index, s_index, **where)
            if step.owner not in OWNERS:
                add("owner", False, "owner_missing", g_index, s_index, owners=", ".join(OWNERS),
                    **where)
            if step.due is None:
                add("date", False, "date_missing", g_index, s_index, **where)
                continue
            if step.due <= plan.plan_date:
                add("date", False, "date_before_plan", g_index, s_index,
                    due=step.due.isoformat(), plan=plan.plan_date.isoformat(), **where)
            if frame and step.due > frame[1]:
                add("time_frame", False, "step_after_time_frame", g_index, s_index,
                    due=step.due.isoformat(), frame=frame[0], deadline=frame[1].isoformat(),
                    **where)
            if previous and step.due < previous:
                add("order", False, "date_order", g_index, s_index, due=step.due.isoformat(),
                    before=previous.isoformat(), **where)
            previous = step.due
        if all(s.owner in OWNERS and s.due for s in goal.steps):
            add("steps", True, "steps_ok", g_index, g=g_index, n=len(goal.steps))
    if plan.right_to_decline_explained:
        add("decline", True, "decline_ok")
    else:
        add("decline", False, "decline_missing")
    return PlanReview(tuple(findings))


def length_findings(plan: Plan) -> list[PlanFinding]:
    """A finding for each field of the plan longer than settings.yaml allows (limits.fields,
    limits.max_goal_chars), and each list with more items; empty when all fit."""
    words, limits = _wording(), section("settings.yaml", "limits")
    most = limits["fields"]
    found: list[PlanFinding] = []

    def over(field: str, text: str, limit: int, goal: int | None = None,
             step: int | None = None, **where: Any) -> None:
        if len(text) > limit:
            what = words["fields"][field].format(g=goal, s=step, **where)
            found.append(PlanFinding("length", False, words["too_long"].format(
                what=what, n=len(text), limit=limit), goal, step))

    def too_many(field: str, items: tuple, limit: int, goal: int | None = None) -> None:
        if len(items) > limit:
            what = words["fields"][field].format(g=goal)
            found.append(PlanFinding("length", False, words["too_many_parts"].format(
                what=what, n=len(items), limit=limit), goal))

    over("client_name", plan.client_name, most["name"])
    over("caseworker", plan.caseworker, most["name"])
    too_many("goals", plan.goals, most["goals"])
    for g, goal in enumerate(plan.goals[:most["goals"]], start=1):
        over("goal", goal.text.strip(), limits["max_goal_chars"], g)
        over("client_words", goal.client_words, most["line"], g, step=None)
        too_many("steps", goal.steps, most["steps"], g)
        for s, step in enumerate(goal.steps[:most["steps"]], start=1):
            over("step", step.text, most["line"], g, s)
            over("who", step.who, most["name"], g, s)
            over("step_strength", step.strength, most["line"], g, s)
    for n, strength in enumerate(plan.strengths, start=1):
        over("strength", strength, most["line"], n=n)
    for n, declined in enumerate(plan.declined, start=1):
        over("declined", declined, most["line"], n=n)
    too_many("follow_ups", plan.follow_ups, most["follow_ups"])
    for n, follow_up in enumerate(plan.follow_ups, start=1):
        for part in ("happened", "response", "plan_change"):
            over(f"follow_up_{part}", getattr(follow_up, part), most["line"], n=n)
    return found


_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "semester": 120,
              "term": 120, "year": 365}
_COUNTS = {word: n for n, words in enumerate(
    [(), ("a", "one", "first"), ("two", "second", "couple"), ("three", "third", "few"),
     ("four", "fourth"), ("five", "fifth"), ("six", "sixth"), ("seven", "seventh"),
     ("eight", "eighth"), ("nine", "ninth"), ("ten", "tenth"), ("eleven", "eleventh"),
     ("twelve", "twelfth")]) for word in words}
_SPAN = re.compile(r"\b(\d+|[a-z]+)(?:st|nd|rd|th)?\s*-?\s*(day|week|fortnight|month|quarter|"
                   r"semester|term|year)s?\b")
_END_OF = re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?(week|month|year)\b")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                        r"(?:,?\s+(\d{4}))?\b")


_AFTER_THAT = re.compile(r"\s+(?:after\s+that|afterwards|thereafter|after\s+this)\b",
                         re.IGNORECASE)


def time_frame(goal_text: str, start: date) -> tuple[str, date] | None:
    """The goal's own time frame as (its words, the last day it allows), counted from the plan
    date: "within 4 weeks" is 28 days on, "by the end of his eighth week" 56, a date is itself.
    The latest one the goal names wins (a goal may have a first deadline and a longer habit);
    None when the goal's time is an event with no date ("before his parole review")."""
    norm = normalise(goal_text)
    latest: tuple[str, date] | None = None
    for span in Lexicon.load().find("times", norm):
        # "for the 3 months after that" runs on from the deadline before it.
        then = latest[1] if latest and _AFTER_THAT.match(norm, span.end) else start
        end = _span_end(span.text.lower(), then)
        if end is not None and (latest is None or end > latest[1]):
            latest = (span.text, end)
    return latest


def _span_end(phrase: str, start: date) -> date | None:
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", phrase)
    if iso:
        try:
            return date(*map(int, iso.groups()))
        except ValueError:
            return None
    named = _MONTH_DAY.search(phrase)
    if named:
        month, day, year = _MONTHS[named.group(1)], int(named.group(2)), named.group(3)
        try:
            when = date(int(year) if year else start.year, month, day)
        except ValueError:
            return None
        return when if year or when >= start else when.replace(year=start.year + 1)
    span = _SPAN.search(phrase)
    if span:
        count = int(span.group(1)) if span.group(1).isdigit() else _COUNTS.get(span.group(1), 1)
        return start + timedelta(days=count * _UNIT_DAYS[span.group(2)])
    end_of = _END_OF.search(phrase)
    if end_of:
        unit = end_of.group(1)
        if unit == "week":
            return start + timedelta(days=6 - start.weekday())
        if unit == "month":
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return date(start.year, 12, 31)
    return None


def _quoted(text: str) -> bool:
    return any(mark in text for mark in "\"“”")


def _wording() -> Any:
    return section("messages.yaml", "plan")


def _settings() -> Any:
    return section("settings.yaml", "plan")


@dataclass(frozen=True)
class ClientProfile:
    """A real client in the workspace, as the caseworker records them (no scenario, no key)."""

    name: str
    pronouns: str = "they/them"
    languages: tuple[str, ...] = ("English",)
    transport: str = "transit"
    available: tuple[str, ...] = ("weekday_daytime", "weekday_evening", "weekend")
    needs_fair_chance: bool = True
    own_goals: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else "the client"

    def context(self) -> ClientContext:
        return ClientContext(name=self.first_name, pronouns=self.pronouns,
                             own_goals=self.own_goals, conditions=self.conditions,
                             barriers=self.barriers, strengths=self.strengths)

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClientProfile":
        fields_ = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("languages", "available", "own_goals", "strengths", "barriers", "conditions"):
            if key in fields_:
                if not isinstance(fields_[key], (list, tuple)):
                    raise CasecoachError(f"must be a list, not {type(fields_[key]).__name__}",
                                         field=key)
                fields_[key] = tuple(str(x) for x in fields_[key])
        if not str(fields_.get("name", "")).strip():
            raise CasecoachError("the client needs a name", field="name")
        for key in ("name", "pronouns", "transport"):
            if key in fields_:
                fields_[key] = str(fields_[key])
        words, most = _wording(), section("settings.yaml", "limits")["fields"]
        name = str(fields_["name"])
        if len(name) > most["name"]:
            raise CasecoachError(words["too_long"].format(
                what=words["fields"]["profile_name"], n=len(name), limit=most["name"]),
                field="name")
        for key in ("own_goals", "strengths", "barriers", "conditions"):
            items = fields_.get(key, ())
            label = key.replace("_", " ")
            if len(items) > most["items"]:
                raise CasecoachError(words["too_many_parts"].format(
                    what=words["fields"]["profile_list"].format(list=label), n=len(items),
                    limit=most["items"]), field=key)
            for n, item in enumerate(items, start=1):
                if len(item) > most["line"]:
                    raise CasecoachError(words["too_long"].format(
                        what=words["fields"]["profile_item"].format(n=n, list=label),
                        n=len(item), limit=most["line"]), field=key)
        return cls(**fields_)


def case_for(profile: ClientProfile):
    """The profile as a case without a key, so the chart and matching serve real clients too."""
    from pathlib import Path

    from casecoach.scenarios import ClientGoal, Fact, Scenario

    facts = tuple(Fact(f"s{i}", text, "strength", "", False)
                  for i, text in enumerate(profile.strengths)) + tuple(
        Fact(f"b{i}", text, "barrier", "", False) for i, text in enumerate(profile.barriers))
    client = {"name": profile.name, "pronouns": profile.pronouns, "languages": list(profile.languages),
              "age": None, "gender": "", "culture": "", "supervision": "", "setting": "",
              "constraints": {"transport": profile.transport, "available": list(profile.available),
                              "needs_fair_chance": profile.needs_fair_chance}}
    return Scenario(id="workspace", title=profile.name, summary="", client=client, intake="",
                    facts=facts,
                    client_goals=tuple(ClientGoal(f"g{i}", words, "")
                                       for i, words in enumerate(profile.own_goals)),
                    conditions=tuple({"id": f"c{i}", "text": t}
                                     for i, t in enumerate(profile.conditions)),
                    referral_goals=(), model_rewrites=(),
                    raw={"assessment_key": [], "priority_key": []}, path=Path("workspace"))
