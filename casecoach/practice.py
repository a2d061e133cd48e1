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
    words = re.findall(r"[\w'’-]+", rewrite)
    if len(words) < _coach_settings()["min_attempt_words"]:
        return False
    return _squash(rewrite) != _squash(original)


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
    """How a drill went: strengths-based goals, per-criterion counts, and what to practise next."""

    total: int
    strengths_based: int
    met_counts: dict[str, int]
    practise_next: str | None

    @property
    def score(self) -> str:
        return f"{self.strengths_based}/{self.total}"


def summarise_drill(reviews: Sequence[GoalReview]) -> DrillResult:
    """Score a finished drill and name the criterion missed most often (framing first on ties)."""
    met = Counter({name: 0 for name in TEXT_CRITERIA})
    for review in reviews:
        for name in TEXT_CRITERIA:
            met[name] += bool(review[name].met)
    missed = {name: len(reviews) - met[name] for name in TEXT_CRITERIA}
    order = load_yaml("messages.yaml")["next_step_order"]
    worst = max(order, key=lambda n: (missed.get(n, 0), -order.index(n)))
    return DrillResult(
        total=len(reviews),
        strengths_based=sum(r.strengths_based for r in reviews),
        met_counts=dict(met),
        practise_next=worst if missed.get(worst, 0) else None,
    )
