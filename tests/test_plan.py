"""Priorities and plan checks (casecoach.priorities, casecoach.plan)."""

from __future__ import annotations

from datetime import date

import pytest

from casecoach.errors import CasecoachError
from casecoach.plan import ClientProfile, Plan, PlanGoal, Step, case_for, check_plan
from casecoach.priorities import review_priorities
from casecoach.scenarios import get_scenario

TODAY = date(2026, 11, 22)
GOAL = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support from his sister "
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
    """A pick the key does not have says why it is not first now, in its own terms."""
    review = review_priorities(marcus, ["social"])
    note = next(n for n in review.notes if n.domain == "social")
    assert not note.agrees
    assert "is not among the key's priorities for Marcus now" in note.message
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


def test_four_picks_count_what_the_marks_show_against_the_real_denominator(marcus):
    """With four picks the summary counts every ✓ and says "of your 4", not "2 of your 3"."""
    review = review_priorities(marcus, ["housing", "vocational", "social", "health"])
    ticks = sum(n.agrees for n in review.notes if n.rank is not None)
    assert ticks == 3 == review.agreed
    assert review.summary.startswith("3 of your 4 priorities")
    assert "the key's 3" in review.summary


def test_one_pick_is_counted_in_the_singular(marcus):
    """One pick reads "Your 1 priority is", not a plural."""
    assert review_priorities(marcus, ["housing"]).summary == (
        "Your 1 priority is among the key's 3 for Marcus.")
    assert review_priorities(marcus, ["social"]).summary.startswith("Your 1 priority is not")


def test_a_pick_outside_the_key_gives_its_own_reasons_not_another_domains(marcus):
    """The ✗ for a domain the key leaves out never repeats the key's reasons for another domain."""
    review = review_priorities(marcus, ["social", "housing"])
    social = next(n for n in review.notes if n.domain == "social")
    housing = marcus.raw["priority_key"][0]
    assert not social.agrees
    assert housing["why"] not in social.message
    assert "a basic need that blocks everything else" not in social.message
    assert "Social" in social.message and "own priority" in social.message


def test_a_step_due_after_its_goals_time_frame_is_flagged(marcus):
    """A step months after a goal "within 4 weeks" is flagged and the plan is not ready."""
    late = good_goal(steps=(Step("Call the housing hub", "client", "Marcus", date(2026, 11, 25)),
                            Step("Visit two programs", "client", "Marcus", date(2027, 3, 1))))
    plan = Plan("Marcus Reid", TODAY, (late,), right_to_decline_explained=True)
    review = check_plan(plan, marcus.context())
    assert ("time_frame", False, 1, 2) in kinds(review)
    assert not review.ready
    message = next(f.message for f in review.findings if f.check == "time_frame")
    assert "2027-03-01" in message and "within 4 weeks" in message.lower()


def test_steps_inside_the_goals_time_frame_pass(marcus):
    """Steps due inside a goal's time frame raise no time-frame finding."""
    plan = Plan("Marcus Reid", TODAY, (good_goal(),), right_to_decline_explained=True)
    assert not [f for f in check_plan(plan, marcus.context()).findings if f.check == "time_frame"]


def test_a_goals_time_frame_counts_ordinals_dates_and_spans_after_that():
    """"Eighth week" is 56 days on, a habit "for 3 months after that" runs on from the first
    deadline, and an event with no date gives no time frame."""
    from casecoach.plan import time_frame

    assert time_frame("By the end of his eighth week home, he will send 4 applications.",
                      TODAY) == ("By the end of his eighth week", date(2027, 1, 17))
    words, end = time_frame("Within 3 weeks he will open an account, and for the 3 months after "
                            "that he will keep a weekly budget.", TODAY)
    assert end == date(2026, 12, 13) + (date(2027, 3, 13) - date(2026, 12, 13))
    assert time_frame("Before his parole review he will apply to 3 programs.", TODAY) is None


def test_plan_headline_says_one_thing_or_several_things_to_fix(marcus):
    """The plan's headline is singular or plural as it should be, never "thing(s)"."""
    one = Plan("Marcus Reid", TODAY, (), right_to_decline_explained=True)
    two = Plan("Marcus Reid", TODAY, (), right_to_decline_explained=False)
    assert check_plan(one, marcus.context()).headline == "1 thing to fix before the plan is ready."
    assert check_plan(two, marcus.context()).headline == "2 things to fix before the plan is ready."
