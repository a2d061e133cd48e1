"""Priorities: a few agreed focuses, checked against a case's priority key with the practice's reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from casecoach._data import section
from casecoach.assessment import domains
from casecoach.errors import CasecoachError
from casecoach.scenarios import Scenario


@dataclass(frozen=True)
class PriorityNote:
    """Feedback on one pick (or on a key priority the trainee left out)."""

    domain: str
    rank: int | None          # the trainee's rank, None for a key priority not picked
    key_rank: int | None      # the key's rank, None when the key does not list it
    agrees: bool
    message: str


@dataclass(frozen=True)
class PriorityReview:
    picks: tuple[str, ...]
    notes: tuple[PriorityNote, ...]
    too_many: str | None
    summary: str
    needed: int = 3    # how many picks make the task complete: the key's count, up to the limit

    @property
    def complete(self) -> bool:
        """Enough priorities picked: as many as the key has, up to the limit."""
        return bool(self.picks) and len(self.picks) >= self.needed

    @property
    def agreed(self) -> int:
        return sum(n.agrees for n in self.notes if n.rank is not None)


def reason_names() -> dict[str, str]:
    return dict(_wording()["reasons"])


def review_priorities(scenario: Scenario, picks: Sequence[str]) -> PriorityReview:
    """Compare the trainee's ordered picks with the key: agreements named first, every
    disagreement explained with the key's reasons, a warning past the limit."""
    words = _wording()
    names = domains()
    unknown = [p for p in picks if p not in names]
    if unknown:
        raise CasecoachError(f"unknown life domain(s): {', '.join(unknown)}", field="priorities")
    if len(set(picks)) != len(picks):
        raise CasecoachError("each life domain can be picked once", field="priorities")
    key = {k["domain"]: k for k in scenario.raw["priority_key"]}
    limit = _settings()["max_active_goals"]
    who = scenario.first_name
    notes: list[PriorityNote] = []
    for rank, domain in enumerate(picks, start=1):
        entry = key.get(domain)
        if entry is None:
            first = min(key.values(), key=lambda k: k["rank"])
            notes.append(PriorityNote(domain, rank, None, False, words["not_in_key"].format(
                domain=names[domain], who=who, first=names[first["domain"]],
                reasons=_reasons(first["reasons"]), why=first["why"])))
        elif entry["rank"] == rank:
            notes.append(PriorityNote(domain, rank, rank, True, words["agrees"].format(
                domain=names[domain], rank=rank, reasons=_reasons(entry["reasons"]),
                why=entry["why"])))
        else:
            notes.append(PriorityNote(domain, rank, entry["rank"], True, words["other_rank"].format(
                domain=names[domain], rank=rank, key_rank=entry["rank"],
                reasons=_reasons(entry["reasons"]), why=entry["why"])))
    for domain, entry in sorted(key.items(), key=lambda kv: kv[1]["rank"]):
        if domain not in picks and entry["rank"] <= limit:
            notes.append(PriorityNote(domain, None, entry["rank"], False, words["missing"].format(
                domain=names[domain], key_rank=entry["rank"], reasons=_reasons(entry["reasons"]),
                why=entry["why"])))
    too_many = words["too_many"].format(n=len(picks), limit=limit) if len(picks) > limit else None
    agreed = sum(n.agrees for n in notes if n.rank is not None and n.rank <= limit)
    summary = (words["summary_none"] if not picks else
               words["summary"].format(agreed=agreed, n=min(len(picks), limit), who=who))
    ordered = sorted(notes, key=lambda n: (not n.agrees, n.rank or 99))
    return PriorityReview(tuple(picks), tuple(ordered), too_many, summary,
                          min(limit, len(key)))


def _reasons(keys: Sequence[str]) -> str:
    names = reason_names()
    return "; ".join(names[k] for k in keys)


def _wording() -> Any:
    return section("messages.yaml", "priorities")


def _settings() -> Any:
    return section("settings.yaml", "plan")
