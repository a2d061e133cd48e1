"""Scenario files: every shipped case loads; broken files give every error with file, line, field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casecoach.language import label_spans
from casecoach.practice import goal_bank
from casecoach.scenarios import (InvalidFile, check_scenario, get_scenario, load_scenario,
                                 scenario_dir, scenario_ids)

SHIPPED = scenario_ids()
MARCUS = (scenario_dir() / "marcus-art.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_shipped_scenario_loads(scenario_id):
    """Each shipped file passes version, schema and cross-reference checks."""
    scenario = get_scenario(scenario_id)
    assert scenario.id == scenario_id
    assert len(scenario.facts) >= 12
    assert len(scenario.referral_goals) >= 3
    assert all(scenario.rewrites_for(g.id) for g in scenario.referral_goals)


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_narration_uses_no_stigmatising_label(scenario_id):
    """Intake, summary, facts and follow-ups are person-first: the label lexicon finds nothing."""
    raw = get_scenario(scenario_id).raw
    fields = [raw["title"], raw["summary"], raw["intake"], raw["client"]["offence_history"]]
    fields += [f["text"] for f in raw["facts"]]
    fields += [e["text"] for e in raw["follow_ups"]] + [e["good_response"] for e in raw["follow_ups"]]
    fields += [r["text"] for r in raw["model_rewrites"]] + [r["why"] for r in raw["model_rewrites"]]
    found = [(span.text, text[:60]) for text in fields for span, in_name in label_spans(text)
             if not in_name]
    assert found == []


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_model_rewrites_are_themselves_strengths_based(scenario_id):
    """A trainer's model rewrite meets all seven criteria with its own case as context,
    achievable and relevant included: the page never shows a model the review would fault."""
    from casecoach.goals import CRITERIA, review_goal

    scenario = get_scenario(scenario_id)
    for rewrite in scenario.model_rewrites:
        review = review_goal(rewrite.text, scenario.context())
        assert [(c, review[c].why) for c in CRITERIA if not review[c].met] == [], rewrite.text


def test_goal_module_has_ten_referral_goals_from_three_cases():
    """The SMART(S) module has at least 10 referral goals from at least 3 cases."""
    bank = goal_bank()
    assert len(bank) >= 10 and len({i.scenario.id for i in bank}) >= 3


def write(tmp_path: Path, text: str, name: str = "marcus-art.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only(problems) -> str:
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_bad_yaml_names_the_line(tmp_path):
    """Broken YAML is reported with the line where the parser stopped."""
    text = MARCUS.replace("  pronouns: he/him", "  pronouns: [he/him")
    message = only(check_scenario(write(tmp_path, text)))
    assert re.match(r".*marcus-art.yaml:\d+: \(file\): not valid YAML", message)


def test_wrong_type_names_file_line_and_field(tmp_path):
    """A value of the wrong type names its field path and line."""
    text = MARCUS.replace("family_support: true", "family_support: yes please")
    path = write(tmp_path, text)
    assert only(check_scenario(path)) == (
        f"{path}:{line_of(text, 'family_support')}: client.family_support: "
        "'yes please' is not of type 'boolean'")


def test_missing_field(tmp_path):
    """A missing required field is named, at its parent's line."""
    text = MARCUS.replace("  culture:", "  cultur:")
    problems = [str(p) for p in check_scenario(write(tmp_path, text))]
    assert any("client: 'culture' is required" in p for p in problems)
    assert any("'cultur' was unexpected" in p for p in problems)


def test_dangling_reference(tmp_path):
    """A model rewrite pointing at a referral goal that does not exist is named, with its line."""
    text = MARCUS.replace("  - referral_goal: rg-money", "  - referral_goal: rg-cash")
    problems = [str(p) for p in check_scenario(write(tmp_path, text))]
    line = line_of(text, "referral_goal: rg-cash")
    assert f"marcus-art.yaml:{line}: model_rewrites[3].referral_goal: refers to referral goal " \
           "'rg-cash', which does not exist" in problems[0]
    assert any("referral goal 'rg-money' has no model rewrite" in p for p in problems)


def test_unknown_fact_in_a_key(tmp_path):
    """An assessment key naming a fact that is not in the case is an error."""
    text = MARCUS.replace("facts: [f-shelter, f-screening]", "facts: [f-shelter, f-nowhere]")
    problems = [str(p) for p in check_scenario(write(tmp_path, text))]
    assert "assessment_key[0].facts[1]: refers to fact 'f-nowhere'" in problems[0]


def test_unknown_domain(tmp_path):
    """A domain outside the eight life domains lists the allowed ones."""
    text = MARCUS.replace("    domain: vocational\n    indirect: false", "    domain: hobbies\n    indirect: false", 1)
    assert "facts[0].domain: 'hobbies' is not one of: housing, financial" in only(
        check_scenario(write(tmp_path, text)))


def test_wrong_version(tmp_path):
    """An unknown schema_version is refused before anything else."""
    path = write(tmp_path, re.sub(r"schema_version: \d+", "schema_version: 7", MARCUS))
    assert only(check_scenario(path)) == (
        f"{path}:1: schema_version: version 7 is not supported; this program reads 1, 2, 3")


def test_at_outcome_belongs_to_a_barrier_and_is_true_or_false(tmp_path):
    """`at_outcome` on a fact that is no barrier is named with its field; a value that is not
    true or false names its line."""
    text = MARCUS.replace("    says: [\"Denise\"", "    at_outcome: true\n    says: [\"Denise\"", 1)
    assert text != MARCUS
    problems = [str(p) for p in check_scenario(write(tmp_path, text))]
    assert any(".at_outcome: only a barrier blocks goals or is lifted; this fact is a support"
               in p for p in problems), problems
    text = MARCUS.replace("    at_outcome: true", "    at_outcome: sometimes", 1)
    path = write(tmp_path, text)
    assert only(check_scenario(path)) == (
        f"{path}:{line_of(text, 'at_outcome: sometimes')}: facts[{_fact_index(text, 'sometimes')}]"
        ".at_outcome: 'sometimes' is not of type 'boolean'")


def _fact_index(text: str, needle: str) -> int:
    """Which fact of the case's `facts` list holds the line with needle."""
    facts = text[text.index("\nfacts:"):text.index(needle)]
    return facts.count("\n  - id: ") - 1


def test_duplicate_id(tmp_path):
    """Two facts with one id are reported at the second."""
    text = MARCUS.replace("id: f-sign-shop", "id: f-art-skill")
    problems = [str(p) for p in check_scenario(write(tmp_path, text))]
    assert "facts[1].id: duplicate id 'f-art-skill' (also facts[0])" in problems[0]


def test_id_must_match_file_name(tmp_path):
    """A case's id is its file name, so modules can name it."""
    assert "id: 'marcus-art' must equal the file name 'other'" in only(
        check_scenario(write(tmp_path, MARCUS, "other.yaml")))


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    """Several schema errors in one file are all reported."""
    text = MARCUS.replace("age: 38", "age: -4").replace("setting: city", "setting: moon")
    with pytest.raises(InvalidFile) as caught:
        load_scenario(write(tmp_path, text))
    fields = [p.field for p in caught.value.problems]
    assert "client.age" in fields and "client.setting" in fields


def test_binary_and_unreadable_files(tmp_path):
    """A binary file or a missing one gets one clear problem."""
    blob = tmp_path / "x.yaml"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "not UTF-8" in only(check_scenario(blob)) or "NUL" in only(check_scenario(blob))
    assert "cannot read" in only(check_scenario(tmp_path / "missing.yaml"))


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_resource_in_a_key_fits_its_client(scenario_id):
    """The matching key agrees with the matcher: each keyed resource fits the client's needs."""
    from casecoach.resources import cached_directory, judge, needs_of

    scenario = get_scenario(scenario_id)
    directory = cached_directory()
    for row in scenario.raw["assessment_key"]:
        for resource in row.get("resources", []):
            verdict = judge(directory.get(resource), row["domain"], needs_of(scenario))
            assert verdict.fits, (row["domain"], resource, verdict.misses)


def test_the_cases_are_diverse_and_cover_the_five_service_areas():
    """Eight or more cases across gender, age, supervision and setting, all five service areas."""
    cases = [get_scenario(i) for i in SHIPPED]
    assert len(cases) >= 8
    clients = [c.client for c in cases]
    assert {c["supervision"] for c in clients} >= {"parole", "probation"}
    assert {c["setting"] for c in clients} >= {"city", "small town"}
    assert min(c["age"] for c in clients) <= 21 and max(c["age"] for c in clients) >= 55
    assert len({c["gender"] for c in clients}) >= 3
    assert {True, False} <= {c["family_support"] for c in clients}
    assert len({c["languages"][0] for c in clients}) >= 3
    domains = {f.domain for c in cases for f in c.facts}
    # housing & financial stability; health; education & training; legal; social & community
    assert {"housing", "financial", "health", "vocational", "legal", "social", "family"} <= domains
