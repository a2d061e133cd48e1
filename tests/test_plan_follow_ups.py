"""A real client's follow-ups after the plan: checked in the core, kept with the plan."""

from __future__ import annotations

import json
from datetime import date

import pytest

from casecoach._data import section
from casecoach.errors import CasecoachError
from casecoach.plan import FollowUp, Plan, PlanGoal, Step, check_plan, length_findings

LINE = section("settings.yaml", "limits")["fields"]["line"]


def plan_with_follow_ups() -> Plan:
    """A plan with one goal and two follow-ups recorded out of date order."""
    goal = PlanGoal("Within 30 days, Dana will apply to 3 apartments with her sister Keisha.",
                    "housing", "I want my own place",
                    (Step("Call the Housing Hub", "client", "", date(2026, 3, 20)),))
    return Plan("Dana Price", date(2026, 3, 15), (goal,), caseworker="Sam",
                follow_ups=(FollowUp.make("2026-04-02", "Got the flat on Elm Street",
                                          "Praised the three applications she sent"),
                            FollowUp.make(date(2026, 3, 22), "Lost her ride to the Hub",
                                          "Problem-solved together: a bus pass",
                                          "Step 1 by bus, not with Keisha")))


def test_a_plan_with_follow_ups_round_trips_through_json():
    """A plan's follow-ups (date, what happened, response, plan change) come back unchanged
    after to_dict, JSON and from_dict."""
    plan = plan_with_follow_ups()
    back = Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert back == plan
    assert back.follow_ups[1] == FollowUp(date(2026, 3, 22), "Lost her ride to the Hub",
                                          "Problem-solved together: a bus pass",
                                          "Step 1 by bus, not with Keisha")


def test_history_lists_follow_ups_in_date_order():
    """The plan's history is its follow-ups by date, whatever order they were added in."""
    assert [f.when for f in plan_with_follow_ups().history] == [date(2026, 3, 22),
                                                                 date(2026, 4, 2)]


def test_an_old_saved_plan_without_follow_ups_still_opens():
    """A plan saved before follow-ups existed (no follow_ups key, or null) opens with none."""
    old = {"client_name": "Dana Price", "plan_date": "2026-03-15", "caseworker": "Sam",
           "goals": [{"text": "Apply to 3 apartments", "steps": []}], "strengths": [],
           "declined": [], "right_to_decline_explained": True, "scenario_id": "workspace"}
    assert Plan.from_dict(old).follow_ups == ()
    assert Plan.from_dict({**old, "follow_ups": None}).follow_ups == ()
    assert Plan.from_dict(old).goals[0].text == "Apply to 3 apartments"


@pytest.mark.parametrize("when, happened, field, message", [
    (None, "Lost her ride", "follow_up.date",
     "The new follow-up needs the date it happened: pick it."),
    ("2026-02-30", "Lost her ride", "follow_up.date",
     "The new follow-up: '2026-02-30' is not a date like 2026-03-15."),
    ("2026-03-22", "   ", "follow_up.happened",
     "The new follow-up needs a few words on what happened."),
])
def test_a_follow_up_without_a_date_or_what_happened_is_refused_naming_the_field(
        when, happened, field, message):
    """A follow-up needs a real date and a few words on what happened; the error names which."""
    with pytest.raises(CasecoachError) as caught:
        FollowUp.make(when, happened)
    assert caught.value.field == field
    assert caught.value.message == message


@pytest.mark.parametrize("part, label", [("happened", "what happened"),
                                         ("response", "the response"),
                                         ("plan_change", "the plan change")])
def test_a_follow_up_part_longer_than_the_settings_allow_is_refused_naming_it(part, label):
    """Each part of a follow-up may have settings.yaml's limits.fields.line characters; one more
    is refused with the part's name, its length and the limit."""
    parts = {"happened": "Called", "response": "", "plan_change": ""}
    FollowUp.make("2026-03-22", **{**parts, part: "x" * LINE})
    with pytest.raises(CasecoachError) as caught:
        FollowUp.make("2026-03-22", **{**parts, part: "x" * (LINE + 1)})
    assert caught.value.field == f"follow_up.{part}"
    assert caught.value.message == (f"The new follow-up: {label} is {LINE + 1:,} characters "
                                    f"long, more than the {LINE:,} it may have: shorten it.")


def test_a_saved_follow_up_that_is_broken_says_which_one_and_which_field():
    """Opening a plan whose second follow-up has no 'what happened' names follow-up 2."""
    data = plan_with_follow_ups().to_dict()
    data["follow_ups"][1]["happened"] = ""
    with pytest.raises(CasecoachError) as caught:
        Plan.from_dict(data)
    assert str(caught.value) == ("follow_ups[2].happened: Follow-up 2 needs a few words on what "
                                 "happened.")
    data["follow_ups"] = "not a list"
    with pytest.raises(CasecoachError, match="follow_ups: must be a list, not str"):
        Plan.from_dict(data)


def test_the_plan_checks_and_check_lengths_cover_follow_ups():
    """A follow-up made too long after the fact (not through make) is a length finding of the
    plan's checks, naming the follow-up, and check_lengths refuses the plan before a save."""
    plan = plan_with_follow_ups()
    long = FollowUp(date(2026, 4, 9), "Called", "y" * (LINE + 5))
    plan = Plan(plan.client_name, plan.plan_date, plan.goals, follow_ups=(long,))
    expected = (f"Follow-up 1: the response is {LINE + 5:,} characters long, more than the "
                f"{LINE:,} it may have: shorten it.")
    assert [f.message for f in length_findings(plan)] == [expected]
    assert expected in [f.message for f in check_plan(plan).problems]
    with pytest.raises(CasecoachError, match="Follow-up 1: the response"):
        plan.check_lengths()
