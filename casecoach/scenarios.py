"""Scenario cases: loading, checking (version, schema, cross-references) and the case model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import yaml

from casecoach import _yaml
from casecoach._data import REPO_SCENARIOS, scenario_dir
from casecoach.errors import CasecoachError, InvalidFile, Problem
from casecoach.goals import ClientContext, Known
from casecoach.language import concept_ids

# Older files are read with their own schema and still load: version 2 only adds optional fields,
# and version 1 and 2 follow-ups have no response ladder (the follow-up module leaves such a case
# out and says why: `Scenario.follow_up_gap`).
SCHEMA_VERSIONS = (1, 2, 3)
CURRENT_VERSION = 3
# The graduated ladder of responses to a follow-up event, lowest first (schema-v3.json).
LADDER = ("reinforce", "problem_solve", "adjust_plan", "add_support", "more_contact",
          "speak_with_officer", "formal_sanction")
__all__ = ["InvalidFile", "Problem", "Scenario", "scenario_dir", "load_scenario", "get_scenario"]


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    tag: str
    domain: str
    indirect: bool
    says: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    lifted_by: tuple[str, ...] = ()
    # A barrier that stands only before the outcome (a lease needs proof of income), not before
    # the steps toward it (applying, asking, looking).
    at_outcome: bool = False

    def known(self, barrier_text: dict[str, str] | None = None) -> Known:
        """The fact as the goal review reads it, with the barriers it lifts spelt out."""
        lifts = tuple((barrier_text or {}).get(b, b) for b in self.addresses)
        return Known(self.text, self.says, lifts, self.id, self.domain, self.blocks,
                     self.lifted_by, self.at_outcome)


@dataclass(frozen=True)
class ClientGoal:
    id: str
    words: str
    domain: str
    says: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralGoal:
    id: str
    text: str
    domain: str


@dataclass(frozen=True)
class ModelRewrite:
    referral_goal: str
    text: str
    uses_facts: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class LadderStep:
    step: str
    fits: bool
    why: str
    penalises_declining: bool = False

    @property
    def rank(self) -> int:
        """Its height on the ladder: 0 for reinforce up to 6 for a formal sanction."""
        return LADDER.index(self.step)


@dataclass(frozen=True)
class Revisit:
    stage: str  # "assessment" (a chart row) or "plan" (a goal)
    why: str
    domain: str = ""
    goal: str = ""


@dataclass(frozen=True)
class FollowUp:
    """One event after intake, as it reaches the caseworker, with its ladder of responses."""

    id: str
    kind: str  # "setback" or "success"
    week: int
    channel: str
    sender: str
    text: str
    good_response: str
    ladder: tuple[LadderStep, ...] = ()
    step_words: tuple[str, ...] = ()
    declines: str = ""
    lose: tuple[str, ...] = ()
    add: tuple[Fact, ...] = ()
    revisit: Revisit | None = None

    def step(self, step: str) -> LadderStep:
        return next(s for s in self.ladder if s.step == step)

    @property
    def changes_case(self) -> bool:
        return bool(self.lose or self.add)


@dataclass(frozen=True)
class Scenario:
    """One fictional client case, checked and ready for the modules."""

    id: str
    title: str
    summary: str
    client: dict[str, Any]
    intake: str
    facts: tuple[Fact, ...]
    client_goals: tuple[ClientGoal, ...]
    conditions: tuple[dict[str, str], ...]
    referral_goals: tuple[ReferralGoal, ...]
    model_rewrites: tuple[ModelRewrite, ...]
    raw: dict[str, Any]
    path: Path
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def advocacy(self) -> dict[str, str] | None:
        """The case's linking and advocacy item (to, purpose, after, model), if it has one."""
        return self.raw.get("advocacy")

    @property
    def follow_up_gap(self) -> str | None:
        """Why the follow-up module cannot use this case (a file older than version 3, whose
        events have no ladder), or None."""
        version = self.raw.get("schema_version")
        if version is not None and version < 3:
            return (f"{self.path.name} is schema_version {version}: its follow-ups have no "
                    f"response ladder; version 3 adds one (see scenarios/schema-v3.json)")
        return None

    @property
    def first_name(self) -> str:
        return self.client["name"].split()[0]

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def strengths(self) -> tuple[Fact, ...]:
        """Strength and support facts, the ones a goal can build on."""
        return tuple(f for f in self.facts if f.tag in ("strength", "support"))

    def rewrites_for(self, referral_goal_id: str) -> tuple[ModelRewrite, ...]:
        return tuple(r for r in self.model_rewrites if r.referral_goal == referral_goal_id)

    def context(self) -> ClientContext:
        """What the goal review needs to judge achievable and relevant for this client: the
        client's own goals, conditions, barriers, strengths and priorities, each with the other
        words the case gives for it."""
        barriers = {f.id: f.text for f in self.facts if f.tag == "barrier"}
        # A goal serves a priority when it works on what stands in the way or what is hoped
        # for; the strengths of a priority are what the goal may use, not what it serves.
        priority_facts = [self.fact(i) for row in self.raw.get("priority_key", [])
                          for i in row["facts"] if self.fact(i).tag in ("barrier", "aspiration")]
        return ClientContext(
            name=self.first_name,
            pronouns=self.client["pronouns"],
            own_goals=tuple(Known(g.words, g.says, (), g.id) for g in self.client_goals),
            conditions=tuple(Known(c["text"], tuple(c.get("says", ())), (), c["id"])
                             for c in self.conditions),
            barriers=tuple(f.known() for f in self.facts if f.tag == "barrier"),
            strengths=tuple(f.known(barriers) for f in self.strengths()),
            priorities=tuple(f.known() for f in priority_facts),
            transport=self.client.get("constraints", {}).get("transport", ""),
            available=tuple(self.client.get("constraints", {}).get("available", ())),
        )


@lru_cache(maxsize=None)
def _schema(version: int = CURRENT_VERSION) -> dict[str, Any]:
    return json.loads((REPO_SCENARIOS / f"schema-v{version}.json").read_text(encoding="utf-8"))


def load_scenario(path: str | Path, resource_ids: set[str] | None = None) -> Scenario:
    """Read and check one scenario file; raise InvalidFile listing every problem found.

    With `resource_ids` (the ids of a resource directory), every resource a key names must be one.
    """
    path = Path(path)
    data, lines = _read_yaml(path)
    problems = _check(data, lines, path, resource_ids)
    if problems:
        raise InvalidFile(problems)
    return _build(data, path)


def check_scenario(path: str | Path, resource_ids: set[str] | None = None) -> list[Problem]:
    """Every problem in one scenario file (empty when it is valid)."""
    try:
        load_scenario(path, resource_ids)
    except InvalidFile as exc:
        return exc.problems
    return []


def scenario_ids(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or scenario_dir()).glob("*.yaml"))


def get_scenario(scenario_id: str, directory: Path | None = None) -> Scenario:
    """The shipped (or $CASECOACH_SCENARIOS) case with this id."""
    folder = directory or scenario_dir()
    path = folder / f"{scenario_id}.yaml"
    if not path.exists():
        known = ", ".join(scenario_ids(folder)) or "none"
        raise CasecoachError(f"no scenario '{scenario_id}' in {folder} (known: {known})",
                             field="scenario")
    stat = path.stat()
    ids = _default_resource_ids()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size,
                        frozenset(ids) if ids is not None else None)


@lru_cache(maxsize=64)
def _load_cached(path: str, _mtime_ns: int, _size: int,
                 resource_ids: frozenset[str] | None) -> Scenario:
    """A checked case, read again only when its file changes (pages and exercises ask often)."""
    return load_scenario(path, set(resource_ids) if resource_ids is not None else None)


def _default_resource_ids() -> set[str] | None:
    """The directory's ids, or None when it cannot be read (checked by validate)."""
    from casecoach.resources import directory_ids

    return directory_ids()


def all_scenarios(directory: Path | None = None) -> list[Scenario]:
    return [get_scenario(i, directory) for i in scenario_ids(directory)]


def _read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    try:
        data, node = _yaml.read(path)
    except _yaml.Refused:
        raise  # past a limit: not a file to list problems of (validate exits 2)
    except CasecoachError as exc:
        raise InvalidFile([Problem(exc.file or str(path), exc.line, "", exc.message)]) from exc
    lines: dict[tuple, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            lines[child] = key.start_mark.line + 1
            _index_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines)


def _field(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(lines: dict[tuple, int], path: tuple) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _check(data: Any, lines: dict[tuple, int], path: Path,
           resource_ids: set[str] | None) -> list[Problem]:
    name = str(path)

    def problem(where: tuple, message: str) -> Problem:
        return Problem(name, _line(lines, where), _field(where), message)

    if not isinstance(data, dict):
        return [problem((), "a scenario is a YAML mapping (key: value lines)")]
    version = data.get("schema_version")
    if version is None:
        return [problem((), "missing 'schema_version' (this program reads versions "
                             f"{', '.join(map(str, SCHEMA_VERSIONS))})")]
    if version not in SCHEMA_VERSIONS:
        return [problem(("schema_version",),
                        f"version {version!r} is not supported; this program reads "
                        f"{', '.join(map(str, SCHEMA_VERSIONS))}")]
    validator = jsonschema.Draft202012Validator(_schema(version))
    problems = [problem(tuple(e.absolute_path), _schema_message(e))
                for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))]
    if problems:
        return problems
    return [problem(where, message)
            for where, message in _cross_references(data, path, resource_ids)]


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "additionalProperties":
        return error.message + (f" (check the spelling against scenarios/schema-v"
                                f"{CURRENT_VERSION}.json)")
    if error.validator == "enum":
        return f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    return error.message


def _cross_references(data: dict[str, Any], path: Path,
                      resource_ids: set[str] | None) -> list[tuple[tuple, str]]:
    """Rules the schema cannot say: ids unique and every reference resolving."""
    found: list[tuple[tuple, str]] = []
    if data["id"] != path.stem:
        found.append((("id",), f"'{data['id']}' must equal the file name '{path.stem}'"))
    for section in ("facts", "client_goals", "conditions", "referral_goals", "follow_ups"):
        seen: dict[str, int] = {}
        for i, item in enumerate(data[section]):
            if item["id"] in seen:
                found.append(((section, i, "id"),
                              f"duplicate id '{item['id']}' (also {section}[{seen[item['id']]}])"))
            seen.setdefault(item["id"], i)
    facts = {f["id"] for f in data["facts"]}
    barriers = {f["id"] for f in data["facts"] if f["tag"] == "barrier"}
    for i, fact in enumerate(data["facts"]):
        if fact.get("addresses") and fact["tag"] not in ("strength", "support"):
            found.append((("facts", i, "addresses"),
                          f"only a strength or support lifts a barrier; this fact is a "
                          f"{fact['tag']}"))
        barrier_only = [k for k in ("blocks", "lifted_by", "at_outcome") if k in fact]
        if barrier_only and fact["tag"] != "barrier":
            found.append((("facts", i, barrier_only[0]),
                          f"only a barrier blocks goals or is lifted; this fact is a "
                          f"{fact['tag']}"))
        known_concepts = concept_ids()
        for j, concept in enumerate(fact.get("blocks", [])):
            if concept not in known_concepts:
                found.append((("facts", i, "blocks", j),
                              f"'{concept}' is not a concept of synonyms.yaml (known: "
                              f"{', '.join(sorted(known_concepts))})"))
        for j, barrier in enumerate(fact.get("addresses", [])):
            if barrier not in barriers:
                found.append((("facts", i, "addresses", j),
                              f"refers to '{barrier}', which is not a barrier fact of this case"))
    referrals = {g["id"] for g in data["referral_goals"]}
    for i, rewrite in enumerate(data["model_rewrites"]):
        if rewrite["referral_goal"] not in referrals:
            found.append((("model_rewrites", i, "referral_goal"),
                          f"refers to referral goal '{rewrite['referral_goal']}', which does not "
                          f"exist (known: {', '.join(sorted(referrals))})"))
        for j, fact in enumerate(rewrite["uses_facts"]):
            if fact not in facts:
                found.append((("model_rewrites", i, "uses_facts", j),
                              f"refers to fact '{fact}', which does not exist"))
    for section in ("assessment_key", "priority_key"):
        for i, item in enumerate(data[section]):
            for j, fact in enumerate(item["facts"]):
                if fact not in facts:
                    found.append(((section, i, "facts", j),
                                  f"refers to fact '{fact}', which does not exist"))
    if resource_ids is not None:
        for i, row in enumerate(data["assessment_key"]):
            for j, resource in enumerate(row.get("resources", [])):
                if resource not in resource_ids:
                    found.append((("assessment_key", i, "resources", j),
                                  f"refers to resource '{resource}', which is not in the "
                                  f"resource directory"))
    if data.get("schema_version", 0) >= 3:
        found += _follow_up_references(data, facts, referrals)
    for goal in sorted(referrals - {r["referral_goal"] for r in data["model_rewrites"]}):
        index = next(i for i, g in enumerate(data["referral_goals"]) if g["id"] == goal)
        found.append((("referral_goals", index, "id"),
                      f"referral goal '{goal}' has no model rewrite"))
    return found


def _follow_up_references(data: dict[str, Any], facts: set[str],
                          referrals: set[str]) -> list[tuple[tuple, str]]:
    """Version 3's follow-up rules: every ladder complete and in order with a step that fits,
    every change and revisit resolving, and one event that sends the trainee back to assessment."""
    from casecoach.assessment import domains

    found: list[tuple[tuple, str]] = []
    barriers = {f["id"] for f in data["facts"] if f["tag"] == "barrier"}
    added: dict[str, str] = {}  # facts added by the events so far (in week order): id -> tag
    events = data["follow_ups"]
    for i, event in sorted(enumerate(events), key=lambda pair: pair[1]["week"]):
        where = ("follow_ups", i)
        steps = [entry["step"] for entry in event["ladder"]]
        for j, step in enumerate(steps):
            if step != LADDER[j]:
                found.append((where + ("ladder", j, "step"),
                              f"'{step}' is out of place: the ladder goes "
                              f"{', '.join(LADDER)}, every step once, lowest first"))
                break
        if not any(entry["fits"] for entry in event["ladder"]):
            found.append((where + ("ladder",), "no step fits: mark at least one `fits: true`"))
        for j, entry in enumerate(event["ladder"]):
            if entry.get("penalises_declining") and not event.get("declines"):
                found.append((where + ("ladder", j, "penalises_declining"),
                              "only an event where the client declines a service (`declines`) "
                              "can have a step that penalises declining"))
        if event["kind"] == "success" and not event.get("step_words"):
            found.append((where + ("kind",), "a success needs `step_words`: the words naming "
                                             "the step the client took, which praise must name"))
        changes = event.get("changes", {})
        for j, fact in enumerate(changes.get("lose", [])):
            if fact not in facts:
                found.append((where + ("changes", "lose", j),
                              f"refers to fact '{fact}', which does not exist"))
        for j, fact in enumerate(changes.get("add", [])):
            at = where + ("changes", "add", j)
            if fact["id"] in facts or fact["id"] in added:
                found.append((at + ("id",), f"'{fact['id']}' is already a fact of the case: an "
                                            f"added fact needs a new id"))
            if fact.get("addresses") and fact["tag"] not in ("strength", "support"):
                found.append((at + ("addresses",), f"only a strength or support lifts a "
                                                   f"barrier; this fact is a {fact['tag']}"))
            for k, barrier in enumerate(fact.get("addresses", [])):
                if barrier not in barriers and added.get(barrier) != "barrier":
                    found.append((at + ("addresses", k),
                                  f"refers to '{barrier}', which is not a barrier of this case "
                                  f"(nor one an earlier event adds)"))
            for k, concept in enumerate(fact.get("blocks", [])):
                if concept not in concept_ids():
                    found.append((at + ("blocks", k),
                                  f"'{concept}' is not a concept of synonyms.yaml"))
        for fact in changes.get("add", []):
            added[fact["id"]] = fact["tag"]
        revisit = event.get("revisit")
        if (changes.get("lose") or changes.get("add")) and revisit is None:
            found.append((where + ("changes",), "an event that changes the case needs a "
                                                "`revisit`: the chart row or goal it touches"))
        if revisit is not None:
            if revisit["stage"] == "assessment":
                if revisit.get("domain") not in domains():
                    found.append((where + ("revisit", "domain" if "domain" in revisit
                                           else "stage"),
                                  "going back to assessment needs `domain`: one of "
                                  f"{', '.join(domains())}"))
            elif revisit.get("goal") not in referrals:
                found.append((where + ("revisit", "goal" if "goal" in revisit else "stage"),
                              f"going back to the plan needs `goal`: a referral goal of this "
                              f"case (known: {', '.join(sorted(referrals))})"))
    advocacy = data.get("advocacy")
    if advocacy is not None and advocacy["after"] not in {e["id"] for e in events}:
        found.append((("advocacy", "after"), f"refers to follow-up '{advocacy['after']}', which "
                                             f"does not exist"))
    if not any(e.get("revisit", {}).get("stage") == "assessment" for e in events):
        found.append((("follow_ups",), "at least one event must send the trainee back to "
                                       "assessment (`revisit: {stage: assessment, domain: ...}`)"))
    return found


def _fact(f: dict[str, Any]) -> Fact:
    return Fact(f["id"], f["text"], f["tag"], f["domain"], f["indirect"],
                tuple(f.get("says", ())), tuple(f.get("addresses", ())),
                tuple(f.get("blocks", ())), tuple(f.get("lifted_by", ())),
                bool(f.get("at_outcome", False)))


def _follow_up(e: dict[str, Any]) -> FollowUp:
    changes = e.get("changes", {})
    revisit = e.get("revisit")
    return FollowUp(
        e["id"], e["kind"], e["week"], e.get("channel", "call"), e.get("from", ""), e["text"],
        e["good_response"],
        tuple(LadderStep(s["step"], s["fits"], s["why"], s.get("penalises_declining", False))
              for s in e.get("ladder", ())),
        tuple(e.get("step_words", ())), e.get("declines", ""),
        tuple(changes.get("lose", ())), tuple(_fact(f) for f in changes.get("add", ())),
        Revisit(revisit["stage"], revisit["why"], revisit.get("domain", ""),
                revisit.get("goal", "")) if revisit else None)


def _build(data: dict[str, Any], path: Path) -> Scenario:
    return Scenario(
        id=data["id"], title=data["title"], summary=data["summary"], client=data["client"],
        intake=data["intake"],
        facts=tuple(_fact(f) for f in data["facts"]),
        client_goals=tuple(ClientGoal(g["id"], g["words"], g["domain"], tuple(g.get("says", ())))
                           for g in data["client_goals"]),
        conditions=tuple(data["conditions"]),
        referral_goals=tuple(ReferralGoal(**g) for g in data["referral_goals"]),
        model_rewrites=tuple(ModelRewrite(r["referral_goal"], r["text"], tuple(r["uses_facts"]),
                                          r["why"]) for r in data["model_rewrites"]),
        raw=data, path=path,
        follow_ups=tuple(sorted((_follow_up(e) for e in data["follow_ups"]),
                                key=lambda e: e.week)),
    )
