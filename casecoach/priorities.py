"""Priorities: a few agreed focuses, checked against a case's priority key with the practice's reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from casecoach._data import plural, section
from casecoach.assessment import domains, domains_of
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
            own = _own_reasons(scenario, domain)
            template = words["not_in_key"] if own else words["not_in_key_plain"]
            notes.append(PriorityNote(domain, rank, None, False, template.format(
                domain=names[domain], who=who, reasons=_reasons(own))))
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
    agreed = sum(n.agrees for n in notes if n.rank is not None)   # every ✓ beside a pick
    form = words["summary_single"] if len(picks) == 1 else words["summary"]
    summary = (words["summary_none"] if not picks else plural(form, agreed).format(
        agreed=agreed, n=len(picks), k=len(key), who=who))
    ordered = sorted(notes, key=lambda n: (not n.agrees, n.rank or 99))
    return PriorityReview(tuple(picks), tuple(ordered), too_many, summary,
                          min(limit, len(key)))


def _own_reasons(scenario: Scenario, domain: str) -> list[str]:
    """The practice's reasons the case itself gives for one area: the client's own goal there, a
    condition about it, a barrier to a basic need in it."""
    reasons = []
    if any(g.domain == domain for g in scenario.client_goals):
        reasons.append("client_priority")
    if any(domain in domains_of(c["text"]) for c in scenario.conditions):
        reasons.append("condition")
    if domain in _settings()["basic_need_domains"] and any(
            f.domain == domain and f.tag == "barrier" for f in scenario.facts):
        reasons.append("basic_need")
    return reasons


def _reasons(keys: Sequence[str]) -> str:
    names = reason_names()
    return "; ".join(names[k] for k in keys)


def _wording() -> Any:
    return section("messages.yaml", "priorities")


def _settings() -> Any:
    return section("settings.yaml", "plan")
