"""Priorities and plan checks (casecoach.priorities, casecoach.plan)."""

from __future__ import annotations

from datetime import date

import pytest

from casecoach.errors import CasecoachError
from casecoach.plan import ClientProfile, Plan, PlanGoal, Step, case_for, check_plan
from casecoach.priorities import review_priorities
from casecoach.scenarios import get_scenario

TODAY = date(2026, 11, 22)
GOAL = ("Within 4 weeks, Marcus will apply to 3 housing programs with support from his sister "
        "Denise.")


@pytest.fixture(scope="module")
def marcus():
    return get_scenario("marcus-art")


def good_goal(**changes) -> PlanGoal:
    goal = PlanGoal(GOAL, "housing", "I want my own place", (
        Step("Call the housing hub", "client", "Marcus", date(2026, 11, 25), "harrow-housing-hub"),
        Step("Visit two programs", "support person", "Denise", date(2026, 12, 5))))
    return PlanGoal(**{**goal.__dict__, **changes})


def kinds(review) -> list[tuple[str, bool, int | None, int | None]]:
    return [(f.check, f.ok, f.goal, f.step) for f in review.findings]


def test_priorities_matching_the_key_are_named_with_their_reasons(marcus):
    """Picks in the key's order agree, and each says why with the practice's reasons."""
    review = review_priorities(marcus, ["housing", "vocational", "health"])
    assert review.agreed == 3 and review.too_many is None
    first = review.notes[0]
    assert first.agrees and first.key_rank == 1
    assert "a basic need that blocks everything else" in first.message


def test_a_priority_outside_the_key_is_explained_not_just_marked(marcus):
    """A pick the key does not have says what the key starts with, and why."""
    review = review_priorities(marcus, ["social"])
    note = next(n for n in review.notes if n.domain == "social")
    assert not note.agrees
    assert "The key starts with Daily living and housing because" in note.message
    assert any(n.domain == "housing" and n.rank is None for n in review.notes)


def test_a_fourth_priority_gets_a_warning_that_says_why(marcus):
    """More than three priorities warns that too many goals set a client up to fail."""
    review = review_priorities(marcus, ["housing", "vocational", "health", "social"])
    assert "Too many goals at once sets a client up to fail" in review.too_many


def test_unknown_or_repeated_priorities_are_refused(marcus):
    """A domain that does not exist, or one picked twice, is a clear error."""
    with pytest.raises(CasecoachError, match="unknown life domain"):
        review_priorities(marcus, ["hobbies"])
    with pytest.raises(CasecoachError, match="once"):
        review_priorities(marcus, ["housing", "housing"])


def test_a_good_plan_passes_every_check(marcus):
    """Few goals, SMART(S) wording, client's words, owned and dated steps, right to decline."""
    plan = Plan("Marcus Reid", TODAY, (good_goal(),), right_to_decline_explained=True)
    review = check_plan(plan, marcus.context())
    assert review.ready, [f.message for f in review.problems]
    assert [k[0] for k in kinds(review)] == ["few_goals", "smarts", "own_words", "steps",
                                             "decline"]


def test_every_plan_problem_is_found_with_where_it_is(marcus):
    """A goal with no steps, a step without a date, dates out of order or before the plan date."""
    steps = (Step("Call", "client", "", date(2026, 12, 1)),
             Step("Visit", "client", "", date(2026, 11, 28)),
             Step("Sign", "client", "", None),
             Step("Plan", "nobody", "", date(2026, 11, 1)))
    plan = Plan("Marcus Reid", TODAY, (good_goal(steps=steps), good_goal(steps=(), client_words="")))
    found = [k for k in kinds(check_plan(plan, marcus.context())) if not k[1]]
    assert found == [("order", False, 1, 2), ("date", False, 1, 3), ("owner", False, 1, 4),
                     ("date", False, 1, 4), ("order", False, 1, 4),
                     ("own_words", False, 2, None), ("steps", False, 2, None),
                     ("decline", False, None, None)]


def test_more_than_three_active_goals_is_flagged_but_paused_ones_do_not_count(marcus):
    """Four active goals are too many; pausing one brings the plan back within the limit."""
    four = Plan("Marcus Reid", TODAY, (good_goal(),) * 4, right_to_decline_explained=True)
    assert ("few_goals", False, None, None) in kinds(check_plan(four, marcus.context()))
    paused = Plan("Marcus Reid", TODAY, (good_goal(),) * 3 + (good_goal(active=False),),
                  right_to_decline_explained=True)
    assert ("few_goals", True, None, None) in kinds(check_plan(paused, marcus.context()))


def test_a_deficit_goal_in_a_plan_names_the_unmet_criteria(marcus):
    """A goal still written in deficit terms is not ready, and the check says which criteria."""
    plan = Plan("Marcus Reid", TODAY, (good_goal(text="Offender will avoid negative peers."),))
    message = next(f.message for f in check_plan(plan, marcus.context()).findings
                   if f.check == "smarts")
    assert "positive framing" in message and "time bound" in message


def test_plan_round_trips_and_bad_dates_are_clear():
    """A plan saved as a dict comes back equal; an unreadable date names its field."""
    plan = Plan("Dana Price", TODAY, (good_goal(),), caseworker="Sam", declined=("AA",),
                right_to_decline_explained=True)
    assert Plan.from_dict(plan.to_dict()) == plan
    with pytest.raises(CasecoachError, match="step.due: '31/12' is not a date"):
        Plan.from_dict({"client_name": "Dana", "plan_date": "2026-11-22",
                        "goals": [{"text": "x", "steps": [{"text": "y", "due": "31/12"}]}]})
    with pytest.raises(CasecoachError, match="client's name"):
        Plan.from_dict({"client_name": "", "plan_date": "2026-11-22"})


def test_a_real_client_profile_gives_context_without_a_key():
    """A workspace profile judges achievable and relevant against the client's own words."""
    profile = ClientProfile("Dana Price", "she/her", own_goals=("I want my own place",),
                            strengths=("Forklift licence",), barriers=("No car; buses only",))
    case = case_for(profile)
    assert case.first_name == "Dana" and case.raw["assessment_key"] == []
    plan = Plan("Dana Price", TODAY, (PlanGoal("Within 30 days, Dana will apply to 3 apartments "
                                               "with her sister's help.", "housing",
                                               "I want my own place",
                                               (Step("Call", "client", "", date(2026, 12, 1)),)),),
                right_to_decline_explained=True)
    assert check_plan(plan, case.context()).ready


def test_priorities_are_complete_once_as_many_as_the_key_are_picked(marcus):
    """One pick is a start; three picks (the key has three) complete the task."""
    assert not review_priorities(marcus, ["housing"]).complete
    assert review_priorities(marcus, ["housing", "social", "health"]).complete
