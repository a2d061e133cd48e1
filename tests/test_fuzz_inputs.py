"""Fuzzing with hypothesis: the loaders and the goal review return or raise CasecoachError, never anything else."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecoach import _yaml
from casecoach.errors import CasecoachError
from casecoach.goals import review_goal
from casecoach.plan import ClientProfile, Plan, check_plan
from casecoach.resources import COLUMNS, load_directory
from casecoach.scenarios import get_scenario, load_scenario

MARCUS = Path(__file__).parents[1] / "scenarios" / "marcus-art.yaml"
FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
# A whole case is checked per example (schema, lines, references): fewer, on a shared machine.
FEW = settings(FUZZ, max_examples=30)

# Characters that mean something to YAML, CSV or the review, and some that mean trouble.
_SYNTAX = "[]{}:,-&*!|>'\"#%@`?<= \n\t\r\\;/.0123456789abcxyzAZ\x00\x0b\x1b\u202e\u2028é—“”"
yaml_like = st.text(alphabet=_SYNTAX, max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                              max_size=4),
    max_leaves=20)


def _outcome(call) -> object:
    """The call's result, or the CasecoachError it raised; any other exception fails the test."""
    try:
        return call()
    except CasecoachError as exc:
        assert str(exc)  # a message to show
        return exc


@FUZZ
@given(yaml_like)
def test_the_yaml_loader_returns_or_raises_casecoach_error(text):
    """Any text given to the safe loader is data or a CasecoachError with a message."""
    _outcome(lambda: _yaml.parse(text, "fuzz.yaml"))


@FUZZ
@given(st.lists(st.sampled_from(["a: &x [1, 2]\n", "b: *x\n", "c: [*x, *x, *x]\n",
                                 "d: &y {k: *x}\n", "e: {<<: *y, k: 2}\n", "f: &z [*z]\n",
                                 "a: 1\n", "- 1\n", "[[[[[[\n", "? k\n: v\n", "g: !!binary x\n",
                                 "h: !!python/object:os.system ls\n"]), max_size=12))
def test_anchors_aliases_and_tags_in_any_order_load_or_are_refused(lines):
    """Anchors, aliases, merges, unknown tags and broken nesting in any order: data or
    CasecoachError, never a Python object from a tag."""
    result = _outcome(lambda: _yaml.parse("".join(lines), "fuzz.yaml"))
    if not isinstance(result, CasecoachError):
        assert result[1] is None or result[1].tag.startswith("tag:yaml.org,2002:")


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, prefix + (i,))


_SCENARIO = yaml.safe_load(MARCUS.read_text(encoding="utf-8"))
_SCENARIO_PATHS = list(_paths(_SCENARIO))[1:]


@FEW
@given(st.sampled_from(_SCENARIO_PATHS), json_values)
def test_a_scenario_with_any_field_replaced_loads_or_lists_problems(tmp_path_factory, where,
                                                                    value):
    """A real case with one field (anywhere) replaced by any value: a Scenario, or
    CasecoachError listing problems."""
    data = copy.deepcopy(_SCENARIO)
    target = data
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    path = tmp_path_factory.mktemp("case") / "marcus-art.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _outcome(lambda: load_scenario(path))


@FUZZ
@given(yaml_like)
def test_any_text_as_a_scenario_file_loads_or_lists_problems(tmp_path_factory, text):
    """Any text in a scenario file: CasecoachError (or, by chance, a Scenario)."""
    path = tmp_path_factory.mktemp("case") / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _outcome(lambda: load_scenario(path))


csv_cells = st.text(alphabet="ab ,;\"\n\r=+-@:09-\x00é", max_size=25)


@FUZZ
@given(st.lists(st.lists(csv_cells, min_size=0, max_size=14), max_size=5),
       st.permutations(list(COLUMNS)))
def test_any_directory_csv_loads_or_lists_problems(tmp_path_factory, rows, columns):
    """A directory with its columns in any order and any cells: a Directory or InvalidFile."""
    path = tmp_path_factory.mktemp("dir") / "directory.csv"
    path.write_text("\n".join([",".join(columns)] + [",".join(r) for r in rows]),
                    encoding="utf-8")
    _outcome(lambda: load_directory(path))


_CONTEXT = get_scenario("marcus-art").context()


@FUZZ
@given(st.text(max_size=400), st.booleans())
def test_the_goal_review_returns_or_raises_casecoach_error(text, with_context):
    """Any text, with or without a client's context: a review or CasecoachError."""
    _outcome(lambda: review_goal(text, _CONTEXT if with_context else None))


review_words = st.lists(st.sampled_from(
    ["Within", "4", "weeks", "by", "June", "1", ",", "Marcus", "will", "not", "never", "avoid",
     "apply", "to", "3", "housing", "programs", "with", "his", "sister", "Denise", "drive",
     "evenings", "offender", "addict", "sober", "after", "that", "for", "the", "months", "$500",
     "every", "day", "online", "at", "the", "clinic", "2026-13-45", "February", "30", "“", "”",
     "'", "(", ")", ";", "…", "\u202e"]), max_size=40).map(" ".join)


@FUZZ
@given(review_words, st.booleans())
def test_the_goal_review_of_goal_like_word_salad_returns_or_raises(text, with_context):
    """Words the review looks for, in any order and number: a review or CasecoachError."""
    _outcome(lambda: review_goal(text, _CONTEXT if with_context else None))


@FUZZ
@given(st.dictionaries(st.sampled_from(["client_name", "plan_date", "goals", "caseworker",
                                        "strengths", "declined", "right_to_decline_explained",
                                        "scenario_id"]), json_values))
def test_a_saved_plan_of_any_shape_is_read_or_refused(data):
    """A plan body from the store, whatever its shape: a Plan, or CasecoachError. A Plan read
    is checked without raising."""
    result = _outcome(lambda: Plan.from_dict(data))
    if isinstance(result, Plan):
        _outcome(lambda: check_plan(result))


@FUZZ
@given(st.dictionaries(st.sampled_from(["name", "pronouns", "languages", "own_goals",
                                        "strengths", "barriers", "conditions"]), json_values))
def test_a_profile_of_any_shape_is_read_or_refused(data):
    """A workspace profile, whatever its shape: a ClientProfile, or CasecoachError."""
    _outcome(lambda: ClientProfile.from_dict(data))


@pytest.mark.parametrize("text", ["a: b: c", "[", "a: *nothing", "\x00", "a:\n\t- b"])
def test_known_broken_yaml_says_where(text):
    """Known kinds of broken YAML each give a CasecoachError with the file and a line."""
    with pytest.raises(CasecoachError) as caught:
        _yaml.parse(text, "fuzz.yaml")
    assert caught.value.file == "fuzz.yaml"
