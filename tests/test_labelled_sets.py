"""The labelled goal sets the agreement bench reads (bench/goal_agreement.py) are well formed:
each row has its text and a 0/1 label per criterion, and an attempt names a shipped case and one
of its referral goals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from casecoach.goals import CRITERIA, TEXT_CRITERIA
from casecoach.scenarios import get_scenario

DATA = Path(__file__).parent / "data"
REAL = sorted(DATA.glob("real_goals*.csv"))
ATTEMPTS = sorted(DATA.glob("attempts_*.csv"))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("path", REAL + ATTEMPTS, ids=lambda p: p.name)
def test_every_row_has_text_and_binary_labels(path):
    criteria = CRITERIA if path in ATTEMPTS else TEXT_CRITERIA
    found = rows(path)
    assert found, path
    ids = [r["id"] for r in found]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids"
    for line, row in enumerate(found, start=2):
        assert row["text"].strip(), f"{path.name} line {line}: empty text"
        for name in criteria:
            assert row[name].strip() in ("0", "1"), f"{path.name} line {line}: {name}={row[name]!r}"


@pytest.mark.parametrize("path", ATTEMPTS, ids=lambda p: p.name)
def test_an_attempt_names_a_case_and_one_of_its_referral_goals(path):
    for line, row in enumerate(rows(path), start=2):
        scenario = get_scenario(row["case"])
        referral = {g.id for g in scenario.referral_goals}
        assert row["referral_goal"] in referral, f"{path.name} line {line}: {row['referral_goal']}"


SECOND = {DATA / "second_rater_real_goals.csv": (REAL, TEXT_CRITERIA),
          DATA / "second_rater_attempts.csv": (ATTEMPTS, CRITERIA)}


@pytest.mark.parametrize("path", sorted(SECOND), ids=lambda p: p.name)
def test_a_second_raters_labels_name_goals_of_the_first_sets(path):
    """bench/rater_agreement.py pairs each second label with the first by id, so ids are unique
    across the first sets and every second-rated id is one of them, labelled 0/1 throughout."""
    firsts, criteria = SECOND[path]
    ids = [r["id"] for first in firsts for r in rows(first)]
    assert len(ids) == len(set(ids)), "an id repeats across the labelled sets"
    second = rows(path)
    assert len(second) >= 80
    for line, row in enumerate(second, start=2):
        assert row["id"] in set(ids), f"{path.name} line {line}: unknown id {row['id']}"
        for name in criteria:
            assert row[name].strip() in ("0", "1"), f"{path.name} line {line}: {name}={row[name]!r}"
