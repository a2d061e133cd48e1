"""Live group exercises: a join code, trainees' rewrites of one referral goal, the room's wall."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from casecoach.errors import CasecoachError
from casecoach.goals import TEXT_CRITERIA, GoalReview, check_text, review_goal
from casecoach.scenarios import ReferralGoal, Scenario, get_scenario
from casecoach.store import Store

# No 0/O, 1/I/L: a code read aloud to a room of forty is typed right the first time.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Exercise:
    id: int
    code: str
    scenario: Scenario
    goal: ReferralGoal
    created_by: str
    closed: bool
    names_shown: bool
    spotlight: str | None


@dataclass(frozen=True)
class WallEntry:
    """One trainee's latest submission with its review."""

    trainee: str
    text: str
    revision: int
    submitted_at: datetime
    review: GoalReview


def new_code(length: int = 5) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create(store: Store, scenario_id: str, goal_id: str, supervisor: str) -> Exercise:
    """A new exercise on one referral goal of one case, with a fresh join code."""
    scenario = get_scenario(scenario_id)
    if goal_id not in {g.id for g in scenario.referral_goals}:
        raise CasecoachError(f"case '{scenario_id}' has no referral goal '{goal_id}'",
                             field="goal")
    for _ in range(10):
        code = new_code()
        if store.exercise(code) is None:
            store.create_exercise(code, scenario_id, goal_id, supervisor)
            return join(store, code)
    raise CasecoachError("could not find a free join code; try again")


def join(store: Store, code: str) -> Exercise:
    """The exercise with this code, or a clear error for a code that does not exist."""
    row = store.exercise(normalise_code(code))
    if row is None:
        raise CasecoachError(f"no exercise has the code '{code.strip()}': check it with your "
                             f"supervisor", field="code")
    scenario = get_scenario(row["scenario_id"])
    goal = next(g for g in scenario.referral_goals if g.id == row["item"])
    return Exercise(row["id"], row["code"], scenario, goal, row["created_by"],
                    row["closed_at"] is not None, bool(row["names_shown"]), row["spotlight"])


def submit(store: Store, exercise: Exercise, trainee: str, text: str) -> int:
    """A trainee's rewrite (or a revision of it); refused once the exercise is closed."""
    trainee = trainee.strip()
    if not trainee:
        raise CasecoachError("enter your name before you submit", field="name")
    current = store.exercise(exercise.code)
    if current is None or current["closed_at"] is not None:
        raise CasecoachError("this exercise is closed: your supervisor has stopped taking answers")
    return store.submit(exercise.id, trainee, check_text(text, where="rewrite"))


def wall(store: Store, exercise: Exercise) -> list[WallEntry]:
    """Every trainee's latest submission, reviewed against the case, oldest first."""
    context = exercise.scenario.context()
    return [WallEntry(r["trainee"], r["text"], r["revision"], r["submitted_at"],
                      review_goal(r["text"], context))
            for r in store.submissions_for(exercise.id)]


def room_summary(entries: list[WallEntry]) -> dict[str, int]:
    """How many of the room's latest rewrites meet each text criterion, and strengths-based."""
    counts = {name: sum(bool(e.review[name].met) for e in entries) for name in TEXT_CRITERIA}
    counts["strengths_based"] = sum(e.review.strengths_based for e in entries)
    return counts


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


def export_csv(entries: list[WallEntry], names_shown: bool = True) -> str:
    """The exercise as CSV: one row per trainee, their text, revisions and each criterion."""
    import pandas as pd  # only the supervisor's export needs it

    rows = []
    for number, entry in enumerate(entries, start=1):
        row = {"trainee": entry.trainee if names_shown else f"Trainee {number}",
               "rewrite": entry.text, "revisions": entry.revision,
               "submitted_at": entry.submitted_at.isoformat()}
        row.update({name: entry.review[name].met for name in TEXT_CRITERIA})
        row["strengths_based"] = entry.review.strengths_based
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["trainee", "rewrite", "revisions", "submitted_at",
                                        *TEXT_CRITERIA, "strengths_based"])
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def progress_table(store: Store, modules: list[str]):
    """Cohort × trainee × module as a pandas table: 'done' (with score), 'started (n attempts)'
    or blank."""
    import pandas as pd  # only the supervisor's dashboard needs it

    rows = store.progress_rows()
    if not rows:
        return pd.DataFrame(columns=["cohort", "trainee", *modules])
    frame = pd.DataFrame(rows)

    def state(r) -> str:
        if pd.notna(r["completed_at"]):
            return "done" + (f" ({int(r['score'])})" if pd.notna(r["score"]) else "")
        return f"started ({int(r['attempts'])} attempts)"

    frame["state"] = frame.apply(state, axis=1)
    table = frame.pivot_table(index=["cohort", "owner"], columns="module", values="state",
                              aggfunc="first").reindex(columns=modules).fillna("")
    table = table.reset_index().rename(columns={"owner": "trainee"})
    table.columns.name = None
    return table
