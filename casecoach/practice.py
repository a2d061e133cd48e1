"""Practice items for the goal module: the bank of referral goals, drills, and what counts as an attempt."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from casecoach._data import load_yaml
from casecoach.goals import TEXT_CRITERIA, GoalReview
from casecoach.scenarios import ReferralGoal, Scenario, all_scenarios, get_scenario


@dataclass(frozen=True)
class GoalItem:
    """One referral goal of one case, to be rewritten."""

    scenario: Scenario
    goal: ReferralGoal

    @property
    def key(self) -> str:
        return f"{self.scenario.id}/{self.goal.id}"

    @property
    def label(self) -> str:
        return f"{self.scenario.first_name}: {self.goal.text}"


def goal_bank(scenario_ids: Iterable[str] | None = None) -> list[GoalItem]:
    """Every referral goal of the given cases (all shipped cases when none are named)."""
    scenarios = ([get_scenario(i) for i in scenario_ids] if scenario_ids is not None
                 else all_scenarios())
    return [GoalItem(s, g) for s in scenarios for g in s.referral_goals]


def draw(bank: Sequence[GoalItem], n: int, seed: int | None = None) -> list[GoalItem]:
    """n items drawn at random without repeats (all of them, shuffled, when the bank is smaller)."""
    return random.Random(seed).sample(list(bank), min(n, len(bank)))


def is_attempt(original: str, rewrite: str) -> bool:
    """A real attempt: enough words, and not the referral goal pasted back."""
    return not_checked(original, rewrite) is None


def not_checked(original: str, rewrite: str) -> str | None:
    """Why a rewrite is not reviewed as an attempt (empty, too short, the referral goal pasted
    back), in the messages file's words; None when it is a real attempt."""
    words = re.findall(r"[\w'’-]+", rewrite)
    minimum = _coach_settings()["min_attempt_words"]
    if not words:
        return _coach_wording("empty")
    if len(words) < minimum:
        return _coach_wording("too_short", min=minimum, n=len(words))
    if _squash(rewrite) == _squash(original):
        return _coach_wording("unchanged")
    return None


def passes(review: GoalReview | None) -> bool:
    """The verdict of one rewrite, the same in the checklist and in the drill's score: a
    strengths-based SMART(S) goal, with no criterion unmet."""
    return review is not None and review.strengths_based and not review.unmet


def verdict(review: GoalReview) -> str:
    """The verdict in words: passes, or what is not met yet."""
    if passes(review):
        return _coach_wording("passes")
    names = load_yaml("messages.yaml")["criteria"]
    unmet = [names[c.name]["name"] for c in review.unmet]
    if not review.strengths_based and "positive_framing" not in {c.name for c in review.unmet}:
        unmet.append(names["builds_on_strength"]["name"])
    return _coach_wording("not_yet", criteria=", ".join(dict.fromkeys(unmet)))


def history_entry(text: str, review: GoalReview, at: str) -> dict:
    """One line of a goal's history: the rewrite, when, its verdict and what it did not meet."""
    return {"text": text, "at": at, "passes": passes(review), "verdict": verdict(review),
            "unmet": [c.name for c in review.unmet]}


def add_to_history(history: Sequence[dict], entry: dict) -> list[dict]:
    """The history with the newest entry first, kept to the settings' length."""
    return [entry, *history][:_coach_settings().get("history_size", 5)]


def merge_coach_draft(saved: dict | None, mine: dict) -> dict:
    """A goal's draft to save from this page (`mine`) over the one already kept (`saved`), which
    another tab or window of the same trainee may have written since this page read it: the text
    is this page's (the last typed), and no checked rewrite of either is lost. The history is the
    union of both, newest first, kept to the settings' length; attempts count both pages' checks."""
    if not isinstance(saved, dict):
        return dict(mine)
    ours = [h for h in mine.get("history", []) if isinstance(h, dict)]
    seen = {(h.get("at"), h.get("text")) for h in ours}
    theirs = [h for h in saved.get("history", []) if isinstance(h, dict)
              and (h.get("at"), h.get("text")) not in seen]
    history = sorted(ours + theirs, key=lambda h: str(h.get("at", "")), reverse=True)
    attempts = max(int(mine.get("attempts", 0)) + len(theirs), int(saved.get("attempts", 0)))
    return {**mine, "attempts": attempts,
            "history": history[:_coach_settings().get("history_size", 5)]}


def _coach_wording(key: str, **fields) -> str:
    return load_yaml("messages.yaml")["coach"][key].format(**fields)


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def debounce_seconds() -> float:
    """How long the goal coach waits after the last keystroke before it reviews."""
    return _coach_settings()["debounce_ms"] / 1000


@lru_cache(maxsize=1)
def _coach_settings() -> dict:
    return load_yaml("settings.yaml")["coach"]


@dataclass(frozen=True)
class DrillResult:
    """How a drill went: goals that pass (the per-goal verdict) out of all goals drawn,
    per-criterion counts over the rewrites that were checked, and what to practise next."""

    total: int
    passed: int
    checked: int
    met_counts: dict[str, int]
    practise_next: str | None

    @property
    def strengths_based(self) -> int:
        return self.passed

    @property
    def score(self) -> str:
        return f"{self.passed}/{self.total}"


def summarise_drill(reviews: Sequence[GoalReview | None]) -> DrillResult:
    """Score a finished drill by the per-goal verdicts (a goal not checked, None, does not pass)
    and name the criterion the checked rewrites missed most often (framing first on ties)."""
    checked = [r for r in reviews if r is not None]
    met = Counter({name: 0 for name in TEXT_CRITERIA})
    for review in checked:
        for name in TEXT_CRITERIA:
            met[name] += bool(review[name].met)
    missed = {name: len(checked) - met[name] for name in TEXT_CRITERIA}
    order = load_yaml("messages.yaml")["next_step_order"]
    worst = max(order, key=lambda n: (missed.get(n, 0), -order.index(n)))
    return DrillResult(
        total=len(reviews),
        passed=sum(passes(r) for r in checked),
        checked=len(checked),
        met_counts=dict(met),
        practise_next=worst if missed.get(worst, 0) else None,
    )
