"""Live group exercises: a join code; the room rewrites one referral goal, fills in one row of a
case's assessment chart, responds to a client's line or answers a follow-up event (what they would
say and one ladder step); the supervisor's wall shows each answer with its review."""

from __future__ import annotations

import io
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Mapping

from casecoach import course, identity
from casecoach._data import section
from casecoach.assessment import TEXT_COLUMNS, ChartRow, RowReview, domains, review_row
from casecoach.conversation import Judgement, check_utterance, judge_response
from casecoach.errors import CasecoachError
from casecoach.goals import TEXT_CRITERIA, GoalReview, check_text, criterion_names, review_goal
from casecoach.scenarios import LADDER, FollowUp, ReferralGoal, Scenario, get_scenario
from casecoach.store import Store

GOAL, CHART_ROW, RESPONSE, FOLLOW_UP = "goal", "chart_row", "response", "follow_up"
KINDS = (GOAL, CHART_ROW, RESPONSE, FOLLOW_UP)
# The findings of the response judge that a supervisor would stop the room for.
SLIPS = frozenset({"sympathy", "label", "righting_reflex", "warning",
                   "advice_without_permission", "judgement", "boundary"})

# No 0/O, 1/I/L: a code read aloud to a room of forty is typed right the first time.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Exercise:
    """One exercise: a referral goal to rewrite (kind "goal", item the goal's id), a chart row
    to fill in (kind "chart_row", item the life domain), a client's line to respond to (kind
    "response", item "line-N": the case's N-th practice line of its first meeting) or a
    follow-up event to answer (kind "follow_up", item the event's id)."""

    id: int
    code: str
    scenario: Scenario
    kind: str
    item: str
    created_by: str
    closed: bool
    names_shown: bool
    spotlight: str | None

    @property
    def goal(self) -> ReferralGoal | None:
        """The referral goal to rewrite; None for a chart-row exercise."""
        return next((g for g in self.scenario.referral_goals if g.id == self.item), None) \
            if self.kind == GOAL else None

    @property
    def domain(self) -> str | None:
        """The chart row's life domain; None for a goal exercise."""
        return self.item if self.kind == CHART_ROW else None

    @property
    def client_line(self) -> str | None:
        """The client's line to respond to; None for the other kinds."""
        return response_lines(self.scenario).get(self.item) if self.kind == RESPONSE else None

    @property
    def event(self) -> FollowUp | None:
        """The follow-up event to answer; None for the other kinds."""
        return follow_up_events(self.scenario).get(self.item) if self.kind == FOLLOW_UP \
            else None

    @property
    def task(self) -> str:
        """What the room is asked to do, in one line (wording in messages.yaml, group)."""
        wording = section("messages.yaml", "group")
        if self.kind == FOLLOW_UP:
            return wording["task_follow_up"].format(week=self.event.week, text=self.event.text)
        if self.kind == RESPONSE:
            return wording["task_response"].format(line=self.client_line)
        if self.kind == CHART_ROW:
            return wording["task_row"].format(domain=domains()[self.item])
        return wording["task_goal"].format(goal=self.goal.text)


@dataclass(frozen=True)
class WallEntry:
    """One trainee's latest submission with its review: a rewrite and its GoalReview, or a chart
    row (its cells in `cells`, `text` all of them) and its RowReview. `trainee` is who it is
    (the store's owner: a login, or a name with a browser id, identity.person); `name` how the
    wall shows them ("Ana", and "Ana (2)" for another person of that name)."""

    trainee: str
    text: str
    revision: int
    submitted_at: datetime
    review: GoalReview | RowReview | Judgement | FollowUpReview
    cells: dict[str, str] | None = None
    name: str = ""
    latest: bool = True  # in a history (see history): whether this version is the one the wall shows

    @property
    def shown_name(self) -> str:
        """The name the wall shows when names are shown (the owner's name when none was set)."""
        return self.name or identity.name_of(self.trainee)


@dataclass(frozen=True)
class FollowUpReview:
    """A follow-up answer judged as the follow-up page judges it: the findings on what the
    trainee would say (followups.review_said) and the feedback on the step (judge_pick)."""

    said: tuple  # of followups.Finding
    pick: Any    # followups.PickFeedback; None for a stored answer without a known step

    @property
    def said_ok(self) -> bool:
        """Every finding on what they would say is met."""
        return all(f.met for f in self.said)


@dataclass(frozen=True)
class SummaryRow:
    """One bar of the room's summary: how many of the latest answers meet `key` (for a ladder
    step of a follow-up event: picked it; `fits` says whether the step fits the event)."""

    key: str
    label: str
    met: int
    fits: bool | None = None


def new_code(length: int = 5) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def chart_rows(scenario: Scenario) -> list[str]:
    """The life domains a chart-row exercise can use for this case: those its key covers."""
    keyed = {k["domain"] for k in scenario.raw["assessment_key"] if k.get("facts")}
    return [d for d in domains() if d in keyed]


def response_lines(scenario: Scenario) -> dict[str, str]:
    """The client's lines a response exercise can use for this case ("line-N": the line), from
    the practice lines of its first meeting (scenarios/first-meetings); none without one."""
    from casecoach.first_meeting import load_script, meeting_ids

    if scenario.id not in meeting_ids():
        return {}
    return {f"line-{i}": c.client for i, c in enumerate(load_script(scenario.id).choices)}


def follow_up_events(scenario: Scenario) -> dict[str, FollowUp]:
    """The follow-up events a follow-up exercise can use for this case (id: the event), in week
    order; none for a case whose file has no ladder (Scenario.follow_up_gap)."""
    if scenario.follow_up_gap:
        return {}
    return {e.id: e for e in scenario.follow_ups}


def check_follow_up(event: FollowUp, answer: Mapping[str, object]) -> dict[str, str]:
    """A follow-up answer ({"said": what they would say, "step": one ladder step of the event}),
    cleaned, or a CasecoachError naming the part that is wrong."""
    if not isinstance(answer, Mapping):
        raise CasecoachError(f"expected what you say and a step, got {type(answer).__name__}",
                             field="follow_up")
    said = check_utterance(answer.get("said") or "", where="follow_up.said")
    step = answer.get("step")
    if not step:
        raise CasecoachError("pick one response on the ladder before you submit",
                             field="follow_up.step")
    if step not in {s.step for s in event.ladder}:
        raise CasecoachError(f"unknown ladder step '{step}' (one of {', '.join(LADDER)})",
                             field="follow_up.step")
    return {"said": said, "step": str(step)}


def create(store: Store, scenario_id: str, item: str, supervisor: str,
           kind: str = GOAL) -> Exercise:
    """A new exercise with a fresh join code: one referral goal of a case to rewrite (item is
    the goal's id) or one row of its chart to fill in (kind "chart_row", item the domain)."""
    scenario = get_scenario(scenario_id)
    if kind not in KINDS:
        raise CasecoachError(f"unknown kind of exercise '{kind}' (one of {', '.join(KINDS)})",
                             field="kind")
    if kind == GOAL and item not in {g.id for g in scenario.referral_goals}:
        raise CasecoachError(f"case '{scenario_id}' has no referral goal '{item}'", field="goal")
    if kind == CHART_ROW and item not in chart_rows(scenario):
        raise CasecoachError(f"case '{scenario_id}' has no key for the chart row '{item}' "
                             f"(one of {', '.join(chart_rows(scenario))})", field="domain")
    if kind == RESPONSE and item not in response_lines(scenario):
        raise CasecoachError(f"case '{scenario_id}' has no client line '{item}' (one of "
                             f"{', '.join(response_lines(scenario)) or 'none'})", field="line")
    if kind == FOLLOW_UP and item not in follow_up_events(scenario):
        raise CasecoachError(f"case '{scenario_id}' has no follow-up event '{item}' (one of "
                             f"{', '.join(follow_up_events(scenario)) or 'none'})",
                             field="event")
    for _ in range(10):
        code = new_code()
        if store.exercise(code) is None:
            store.create_exercise(code, scenario_id, item, supervisor, kind=kind)
            return join(store, code)
    raise CasecoachError("could not find a free join code; try again")


def join(store: Store, code: str) -> Exercise:
    """The exercise with this code, or a clear error for a code that does not exist."""
    row = store.exercise(normalise_code(code))
    if row is None:
        raise CasecoachError(f"no exercise has the code '{code.strip()}': check it with your "
                             f"supervisor", field="code")
    return Exercise(row["id"], row["code"], get_scenario(row["scenario_id"]),
                    row.get("kind") or GOAL, row["item"], row["created_by"],
                    row["closed_at"] is not None, bool(row["names_shown"]), row["spotlight"])


def started_by(store: Store, supervisor: str, limit: int = 20) -> list[Exercise]:
    """The exercises this supervisor started, open ones first, then the newest: the list a
    supervisor resumes or reopens from."""
    found = []
    for row in store.exercises_by(supervisor)[:limit]:
        try:
            found.append(join(store, row["code"]))
        except CasecoachError:
            continue  # its case file is gone: nothing to resume
    return sorted(found, key=lambda e: e.closed)


def label(exercise: Exercise) -> str:
    """How an exercise is listed for its supervisor: code, task, open or closed."""
    state = section("messages.yaml", "room")["closed" if exercise.closed else "open"]
    return f"{exercise.code} · {exercise.scenario.first_name}: {exercise.task} · {state}"


def check_row(cells: Mapping[str, object]) -> dict[str, str]:
    """A chart row's four cells, stripped, or a CasecoachError naming the cell that is wrong."""
    if not isinstance(cells, Mapping):
        raise CasecoachError(f"expected the row's cells, got {type(cells).__name__}",
                             field="row")
    unknown = set(cells) - set(TEXT_COLUMNS)
    if unknown:
        raise CasecoachError(f"unknown column(s) {', '.join(sorted(map(str, unknown)))} "
                             f"(one of {', '.join(TEXT_COLUMNS)})", field="row")
    clean = {}
    for column in TEXT_COLUMNS:
        value = cells.get(column) or ""
        clean[column] = check_text(value, where=f"row.{column}") if str(value).strip() else ""
    if not any(clean.values()):
        raise CasecoachError("is empty: fill in at least one cell of the row before you submit",
                             field="row")
    return clean


def submit(store: Store, exercise: Exercise, trainee: str,
           answer: str | Mapping[str, object]) -> int:
    """A trainee's answer (or a revision of it): the rewrite's text, or the chart row's cells
    ({"now", "wants", "strengths", "barriers"}), the response, or for a follow-up event what
    they would say and the step ({"said", "step"}). Refused once the exercise is closed.

    `trainee` is the person (identity.person: their login, or their name with their browser's
    id, so that two people of one name are two answers); a bare name is kept as it is."""
    trainee = trainee.strip()
    if not identity.name_of(trainee).strip():
        raise CasecoachError("enter your name before you submit", field="name")
    if exercise.kind == CHART_ROW:
        text = json.dumps(check_row(answer), ensure_ascii=False)
    elif exercise.kind == RESPONSE:
        text = check_utterance(answer, where="response")
    elif exercise.kind == FOLLOW_UP:
        text = json.dumps(check_follow_up(exercise.event, answer), ensure_ascii=False)
    else:
        text = check_text(answer, where="rewrite")
    current = store.exercise(exercise.code)
    if current is None or current["closed_at"] is not None:
        raise CasecoachError("this exercise is closed: your supervisor has stopped taking answers")
    return store.submit(exercise.id, trainee, text)


def wall(store: Store, exercise: Exercise) -> list[WallEntry]:
    """Every trainee's latest submission, reviewed against the case, in the order each trainee
    first submitted: a revision keeps its place, so "Trainee 2" stays Trainee 2."""
    rows = sorted(store.submissions_for(exercise.id), key=lambda r: r["id"])
    names = identity.labels(r["trainee"] for r in rows)
    return [replace(e, name=names[e.trainee]) for e in _entries(exercise, rows)]


def history(store: Store, exercise: Exercise) -> list[WallEntry]:
    """Every kept version of every answer, each reviewed as the wall reviews the latest: the
    trainees in the wall's order (first submission first, with the wall's names), each one's
    versions oldest first; `revision` is the version's number and `latest` marks the one the
    wall shows. An answer stored before schema version 6 has only the version it was at then:
    its earlier texts were never kept."""
    versions = store.versions_for(exercise.id)
    kept = {v["submission_id"] for v in versions}
    # Read after the versions: an answer sent in between is there, as its latest.
    rows = versions + [{**r, "submission_id": r["id"]} for r in store.submissions_for(exercise.id)
                       if r["id"] not in kept]
    rows.sort(key=lambda r: (r["submission_id"], r["revision"]))
    names = identity.labels(r["trainee"] for r in rows)
    last = {r["trainee"]: r["revision"] for r in rows}
    return [replace(e, name=names[e.trainee], latest=e.revision == last[e.trainee])
            for e in _entries(exercise, rows)]


def _entries(exercise: Exercise, rows: list[dict[str, Any]]) -> list[WallEntry]:
    if exercise.kind == CHART_ROW:
        entries = []
        for r in rows:
            cells = _cells(r["text"])
            row = ChartRow(exercise.item, **cells)
            entries.append(WallEntry(r["trainee"], row.text(), r["revision"], r["submitted_at"],
                                     review_row(exercise.scenario, row), cells))
        return entries
    if exercise.kind == RESPONSE:
        return [WallEntry(r["trainee"], r["text"], r["revision"], r["submitted_at"],
                          judge_response(r["text"], exercise.client_line))
                for r in rows]
    if exercise.kind == FOLLOW_UP:
        from casecoach.followups import judge_pick, review_said

        entries = []
        for r in rows:
            answer = _follow_up_answer(r["text"], exercise.event)
            review = FollowUpReview(
                tuple(review_said(exercise.scenario, exercise.event, answer["said"])),
                judge_pick(exercise.scenario, exercise.event, answer["step"])
                if answer["step"] else None)
            entries.append(WallEntry(r["trainee"], answer["said"], r["revision"],
                                     r["submitted_at"], review, answer))
        return entries
    context = exercise.scenario.context()
    return [WallEntry(r["trainee"], r["text"], r["revision"], r["submitted_at"],
                      review_goal(r["text"], context))
            for r in rows]


def _cells(stored: str) -> dict[str, str]:
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict):  # written by hand or by another program: show it as "now"
        return {c: (stored if c == "now" else "") for c in TEXT_COLUMNS}
    return {c: str(data.get(c) or "") for c in TEXT_COLUMNS}


def _follow_up_answer(stored: str, event: FollowUp) -> dict[str, str]:
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict):  # written by another program: the words, no step yet
        data = {"said": stored}
    step = data.get("step")
    # A step the event's ladder does not have is shown as no pick, never as another step.
    return {"said": str(data.get("said") or ""),
            "step": step if step in {s.step for s in event.ladder} else ""}


def room_summary(exercise: Exercise, entries: list[WallEntry]) -> list[SummaryRow]:
    """For the room's latest answers: how many meet each criterion of a rewrite (and are
    strengths-based), or, for a chart row, how many found each fact of the case's key, wrote what
    the client wants in their words, and described barriers rather than the person."""
    wording = section("messages.yaml", "group")
    if exercise.kind == FOLLOW_UP:
        from casecoach.followups import ladder_labels

        labels = ladder_labels()
        rows = [SummaryRow(s.step, wording["step_fits" if s.fits else "step_not_fit"].format(
                    step=labels[s.step]),
                    sum(e.review.pick is not None and e.review.pick.step == s.step
                        for e in entries), s.fits)
                for s in exercise.event.ladder]
        rows.append(SummaryRow("said_ok", wording["said_ok"],
                               sum(e.review.said_ok for e in entries)))
        return rows
    if exercise.kind == RESPONSE:
        counts = wording["response_counts"]

        def code(e: WallEntry) -> str:
            judged = e.review
            sub = judged.question_type or judged.reflection_type
            return f"{sub}_{judged.behaviour}" if sub else judged.behaviour

        rows = [SummaryRow(key, counts[key], sum(code(e) == key for e in entries))
                for key in ("open_question", "closed_question", "simple_reflection",
                            "complex_reflection", "input", "other")]
        rows.append(SummaryRow("no_slip", counts["no_slip"],
                               sum(not SLIPS & set(e.review.kinds()) for e in entries)))
        return rows
    if exercise.kind == CHART_ROW:
        key = next(k for k in exercise.scenario.raw["assessment_key"]
                   if k["domain"] == exercise.item)
        rows = [SummaryRow(fact_id, exercise.scenario.fact(fact_id).text,
                           sum(any(f.id == fact_id for f in e.review.found) for e in entries))
                for fact_id in key["facts"]]
        rows.append(SummaryRow("own_words", wording["own_words"],
                               sum(bool(e.review.own_words) for e in entries)))
        rows.append(SummaryRow("no_labels", wording["no_labels"],
                               sum(not e.review.labels for e in entries)))
        return rows
    names = criterion_names()
    rows = [SummaryRow(name, names[name]["name"], sum(bool(e.review[name].met) for e in entries))
            for name in TEXT_CRITERIA]
    rows.append(SummaryRow("strengths_based", wording["strengths_based"],
                           sum(e.review.strengths_based for e in entries)))
    return rows


def set_state(store: Store, exercise: Exercise, *, closed: bool | None = None,
              names_shown: bool | None = None, spotlight: str | None | bool = False) -> Exercise:
    values: dict[str, Any] = {}
    if closed is not None:
        values["closed_at"] = datetime.now(timezone.utc) if closed else None
    if names_shown is not None:
        values["names_shown"] = int(names_shown)
    if spotlight is not False:
        values["spotlight"] = spotlight
    store.update_exercise(exercise.id, **values)
    return join(store, exercise.code)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): OWASP's
# advice is to start such a cell with a single quote, which shows it as the text it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as typed: text starting with = + - @ tab or CR gets a
    leading single quote (OWASP, CSV injection); numbers and other values are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _aware(moment: datetime) -> datetime:
    """The store keeps UTC; SQLite hands it back without a time zone, PostgreSQL with one."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def export_csv(entries: list[WallEntry], names_shown: bool = True,
               exercise: Exercise | None = None) -> str:
    """The exercise as CSV, one row per entry: every version of each answer when given a
    history (the supervisor's export), or each latest answer when given the wall. Each row has
    the exercise's code, case and item, the trainee (their name, or "Trainee N" numbered as the
    wall numbers them), the answer, its version, how many versions the trainee submitted, whether
    it is the latest (the one the wall shows), when it was submitted (ISO 8601 with its time
    zone) and its review (each criterion of a rewrite; for a chart row, the key facts found and
    missed and the labels; for a follow-up event, the step, whether it fits, the words and the
    findings not met). Every text cell is safe to open in a spreadsheet (safe_cell)."""
    import pandas as pd  # only the supervisor's export needs it

    chart = exercise is not None and exercise.kind == CHART_ROW
    about = ["exercise", "case", "item"]
    response = exercise is not None and exercise.kind == RESPONSE
    follow_up = exercise is not None and exercise.kind == FOLLOW_UP
    when = ["revisions", "version", "latest", "submitted_at"]
    if chart:
        columns = [*about, "trainee", *TEXT_COLUMNS, *when, "found", "key_items", "missed",
                   "own_words", "labels"]
    elif response:
        columns = [*about, "trainee", "response", *when, "behaviour", "type", "findings"]
    elif follow_up:
        columns = [*about, "trainee", "step", "step_fits", "said", *when, "said_ok",
                   "findings_not_met"]
    else:
        columns = [*about, "trainee", "rewrite", *when, *TEXT_CRITERIA, "strengths_based"]
    where = ({"exercise": exercise.code, "case": exercise.scenario.id, "item": exercise.item}
             if exercise is not None else {})
    numbers: dict[str, int] = {}   # "Trainee N" as the wall numbers them: by first answer
    counts: dict[str, int] = {}
    for entry in entries:
        numbers.setdefault(entry.trainee, len(numbers) + 1)
        counts[entry.trainee] = max(counts.get(entry.trainee, 0), entry.revision)
    rows = []
    for entry in entries:
        row = {**where,
               "trainee": entry.shown_name if names_shown else f"Trainee {numbers[entry.trainee]}",
               "version": entry.revision, "revisions": counts[entry.trainee],
               "latest": entry.latest,
               "submitted_at": _aware(entry.submitted_at).isoformat()}
        if chart:
            review = entry.review
            row.update(entry.cells or {})
            row.update(found=len(review.found), key_items=len(review.found) + len(review.missed),
                       missed="; ".join(f.text for f in review.missed),
                       own_words=bool(review.own_words),
                       labels="; ".join(n.text for n in review.labels))
        elif follow_up:
            review = entry.review
            row.update(step=review.pick.step if review.pick else "",
                       step_fits=review.pick.fits if review.pick else "",
                       said=entry.text, said_ok=review.said_ok,
                       findings_not_met="; ".join(f.criterion for f in review.said
                                                  if not f.met))
        elif response:
            judged = entry.review
            row.update(response=entry.text, behaviour=judged.behaviour,
                       type=judged.question_type or judged.reflection_type or "",
                       findings="; ".join(judged.kinds()))
        else:
            row["rewrite"] = entry.text
            row.update({name: entry.review[name].met for name in TEXT_CRITERIA})
            row["strengths_based"] = entry.review.strengths_based
        rows.append({key: safe_cell(value) for key, value in row.items()})
    frame = pd.DataFrame(rows, columns=columns)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def progress_csv(table) -> str:
    """The progress table (progress_table) as CSV, every text cell safe_cell'd: a trainee's name
    or cohort code is typed by them."""
    return table.map(safe_cell).to_csv(index=False)


def progress_table(store: Store, modules: list[str]):
    """Cohort × trainee × module as a pandas table: 'done' (with score), 'started (n attempts)'
    or blank."""
    import pandas as pd  # only the supervisor's dashboard needs it

    rows = store.progress_rows()
    if not rows:
        return pd.DataFrame(columns=["cohort", "trainee", *modules])
    frame = pd.DataFrame(rows)
    notes = {owner: course.load_notes(store, owner) for owner in frame["owner"].unique()}

    def state(r) -> str:
        # A score is shown with what it is out of (kept in the trainee's note), never bare.
        scored = [n for n in notes[r["owner"]].get(r["module"], [])
                  if n.score is not None and n.out_of]
        if pd.notna(r["completed_at"]):
            return "done" + (f" ({scored[0].score}/{scored[0].out_of})" if scored else "")
        attempts = int(r["attempts"])
        return f"started ({attempts} attempt{'s' if attempts != 1 else ''})" if attempts \
            else "started"

    frame["state"] = frame.apply(state, axis=1)
    table = frame.pivot_table(index=["cohort", "owner"], columns="module", values="state",
                              aggfunc="first").reindex(columns=modules).astype(object).fillna("")
    table = table.reset_index().rename(columns={"owner": "trainee"})
    # A name typed in two browsers is two people: shown "Ana" and "Ana (2)" (identity.labels).
    table["trainee"] = table["trainee"].map(identity.labels(table["trainee"]))
    table.columns.name = None
    return table
