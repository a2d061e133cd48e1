"""Follow-ups: findings on what is said, the ladder pick, going back, the timeline, authored events."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from casecoach.assessment import ChartRow, review_row
from casecoach.followups import (Played, changed_scenario, judge_pick, review_goal_revision,
                                 review_row_revision, review_said, row_as_charted, timeline)
from casecoach.scenarios import LADDER, check_scenario, get_scenario, load_scenario, scenario_dir

MARCUS_TEXT = (scenario_dir() / "marcus-art.yaml").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def marcus():
    return get_scenario("marcus-art")


def met(findings) -> dict[str, bool]:
    return {f.criterion: f.met for f in findings}


# --- what the trainee says ------------------------------------------------------------------

def test_a_setback_answer_that_listens_first_meets_every_finding(marcus):
    """Thanks, an acknowledgement and an open question, no consequence: all four findings met."""
    said = ("Thank you for calling me first, Marcus. That sounds like a rough night. "
            "What happened on the way home?")
    assert met(review_said(marcus, marcus.follow_ups[0], said)) == {
        "acknowledge_first": True, "open_question": True, "no_threat_first": True,
        "no_labels": True}


def test_a_setback_answer_that_leads_with_the_violation_fails_three_findings(marcus):
    """A consequence in the first sentence comes before any acknowledgement or question."""
    findings = review_said(marcus, marcus.follow_ups[0],
                           "This is a curfew violation, Marcus. I'm sorry. How did it happen?")
    assert met(findings) == {"acknowledge_first": False, "open_question": False,
                             "no_threat_first": False, "no_labels": True}
    threat = next(f for f in findings if f.criterion == "no_threat_first")
    assert "violation" in threat.message and (threat.start, threat.end) == (17, 26)


def test_a_consequence_after_listening_is_not_a_threat_first(marcus):
    """Acknowledgement and an open question first, a consequence later: all met."""
    said = ("I'm glad you told me. What would help you get home in time? The officer will "
            "talk about the violation, and I will be there with you.")
    assert all(met(review_said(marcus, marcus.follow_ups[0], said)).values())


def test_a_yes_no_question_is_not_an_open_question(marcus):
    """'Did you miss the bus?' and 'Why did you...' do not count as open questions."""
    for said in ("Thanks for calling. Did you miss the bus?",
                 "Thanks for calling. Why did you stay so late?"):
        assert met(review_said(marcus, marcus.follow_ups[0], said))["open_question"] is False
    assert met(review_said(marcus, marcus.follow_ups[0],
                           "Thanks for calling. Tell me about the evening."))["open_question"]


def test_a_label_is_found_with_its_person_first_replacement(marcus):
    """Calling the client an offender fails no_labels and offers the person-first words."""
    findings = review_said(marcus, marcus.follow_ups[0],
                           "Thanks for calling. What happened? Offenders on parole get one chance.")
    label = next(f for f in findings if f.criterion == "no_labels")
    assert label.met is False and "Offenders" in label.message and "person" in label.message


def test_a_success_answer_praises_the_step_by_name_first(marcus):
    """Praise in the first sentence that names what Marcus did meets both success findings."""
    findings = review_said(marcus, marcus.follow_ups[1],
                           "Well done for asking the coordinator, Marcus! How did it feel?")
    assert met(findings) == {"praise_first": True, "praise_specific": True, "no_labels": True}
    specific = next(f for f in findings if f.criterion == "praise_specific")
    assert "asking" in specific.message


def test_general_praise_after_business_fails_both_success_findings(marcus):
    """Plans first and a bare 'great' later: praise is neither first nor specific."""
    findings = review_said(marcus, marcus.follow_ups[1],
                           "Now we need to update the plan. Great.")
    assert met(findings) == {"praise_first": False, "praise_specific": False,
                             "no_labels": True}


def test_nothing_said_is_one_finding_asking_for_words(marcus):
    """An empty answer gets one not-met finding, not a checklist of failures."""
    assert met(review_said(marcus, marcus.follow_ups[0], "   ")) == {"not_said": False}


# --- the ladder -----------------------------------------------------------------------------

def test_the_lowest_fitting_step_is_named_as_the_place_to_start(marcus):
    """Problem-solving is the lowest step that fits the curfew setback."""
    pick = judge_pick(marcus, marcus.follow_ups[0], "problem_solve")
    assert (pick.fits, pick.verdict, pick.proportionate) == (True, "fits_lowest", True)
    assert "timetable" in pick.why


def test_a_higher_fitting_step_points_to_the_lower_one(marcus):
    """Speaking with the officer fits, and the feedback names the lower step to start with."""
    pick = judge_pick(marcus, marcus.follow_ups[0], "speak_with_officer")
    assert pick.verdict == "fits_not_lowest" and "Problem-solve together" in pick.message


def test_proportionality_too_low_too_high_and_not_here(marcus):
    """Reinforcing alone is too little, a sanction too much, more contact does not fit here."""
    event = marcus.follow_ups[0]
    assert judge_pick(marcus, event, "reinforce").verdict == "too_low"
    assert judge_pick(marcus, event, "formal_sanction").verdict == "too_high"
    assert judge_pick(marcus, event, "more_contact").verdict == "not_here"


def test_a_step_that_penalises_declining_names_the_right_to_refuse(marcus):
    """The sanction would make Marcus's services depend on the guild he is thinking of leaving."""
    event = marcus.follow_ups[0]
    sanction = judge_pick(marcus, event, "formal_sanction")
    assert sanction.penalises_declining and not sanction.proportionate
    assert "refuse a service without losing the others" in sanction.decline_note
    assert "may decline" in judge_pick(marcus, event, "problem_solve").decline_note


def test_no_decline_note_where_the_client_declines_nothing(marcus):
    """A success where nothing is declined carries no right-to-decline note."""
    assert judge_pick(marcus, marcus.follow_ups[2], "reinforce").decline_note == ""


def test_an_unknown_step_is_refused(marcus):
    """A step off the ladder is a clear error naming the ladder."""
    with pytest.raises(ValueError, match="reinforce, problem_solve"):
        judge_pick(marcus, marcus.follow_ups[0], "shout")


# --- going back -----------------------------------------------------------------------------

def test_the_changed_case_has_the_new_fact_in_the_chart_key(marcus):
    """After the curfew event the legal row of the key expects the last bus too."""
    after = changed_scenario(marcus, marcus.follow_ups[:1])
    assert "f-last-bus" in {f.id for f in after.facts}
    row = review_row(after, row_as_charted(marcus, "legal"))
    assert [f.id for f in row.missed] == ["f-last-bus"]
    assert changed_scenario(marcus, ()) is marcus


def test_a_lost_fact_leaves_the_case_and_its_keys():
    """Abdi's carpool ends with the day shifts: gone from the facts and every key."""
    abdi = get_scenario("abdi-family")
    after = changed_scenario(abdi, abdi.follow_ups[:1])
    assert "f-carpool" not in {f.id for f in after.facts}
    assert all("f-carpool" not in row["facts"] for key in ("assessment_key", "priority_key")
               for row in after.raw[key])
    after.context()  # the goal review's view of the case still builds


def test_a_row_revision_records_the_new_fact_only_in_new_words(marcus):
    """Unchanged is said so; a new entry naming the bus meets records_added; another does not."""
    event, before = marcus.follow_ups[0], row_as_charted(marcus, "legal")
    assert met(review_row_revision(marcus, event, before, before)) == {"unchanged": False}
    good = replace(before, barriers=before.barriers + "\nLast bus home leaves at 9:15, before "
                                                      "open studio ends")
    assert met(review_row_revision(marcus, event, before, good)) == {"records_added": True}
    vague = replace(before, barriers=before.barriers + "\nHe was late once")
    assert met(review_row_revision(marcus, event, before, vague)) == {"records_added": False}


def test_a_row_revision_drops_a_lost_fact_or_says_it_ended():
    """Abdi's row may drop the carpool or say it has ended, not keep counting on it."""
    abdi = get_scenario("abdi-family")
    event, before = abdi.follow_ups[0], row_as_charted(abdi, "social")
    kept = replace(before, barriers="Two buses to his appointments")
    assert met(review_row_revision(abdi, event, before, kept)) == {"drops_lost": False}
    dropped = replace(before, strengths="", barriers="Two buses to his appointments")
    assert met(review_row_revision(abdi, event, before, dropped)) == {"drops_lost": True}
    ended = replace(before, strengths="The co-worker from his mosque who drives him no longer "
                                      "covers day shifts")
    assert met(review_row_revision(abdi, event, before, ended)) == {"drops_lost": True}


def test_a_goal_revision_must_use_the_new_support_in_words_it_adds(marcus):
    """The guild goal is credited for naming Teresa's ride, not for what it already said."""
    event = marcus.follow_ups[1]
    before = marcus.rewrites_for("rg-peers")[0].text
    ride = before.replace("leaving in time", "getting a ride home with Teresa in time")
    assert met(review_goal_revision(marcus, event, before, ride)) == {"goal_uses_added": True}
    assert met(review_goal_revision(marcus, event, before, before + " He will go.")) == {
        "goal_uses_added": False}


def test_a_goal_revision_must_not_rest_on_a_declined_service():
    """Nathan's goal may not keep the anger management group he declined."""
    nathan = get_scenario("nathan-ticket")
    event = next(e for e in nathan.follow_ups if e.id == "fu-group-declined")
    before = nathan.rewrites_for("rg-anger")[0].text
    circle = "Over 3 months, Nathan will attend 10 of the weekly circles with Elder Marion."
    group = "Over 3 months, Nathan will attend the anger management group every week."
    assert met(review_goal_revision(nathan, event, before, circle)) == {
        "goal_respects_decline": True}
    assert met(review_goal_revision(nathan, event, before, group)) == {
        "goal_respects_decline": False}


# --- the timeline ---------------------------------------------------------------------------

def test_the_timeline_shows_the_step_back_and_the_goal_status(marcus):
    """A revised chart row puts assessment and plan again at week 5; the ride revises a goal."""
    played = [Played("fu-curfew", True, "problem_solve", True, True),
              Played("fu-ride", True, "reinforce", True, True)]
    line = timeline(marcus, played, "fu-mural")
    assert [(s.week, s.stage) for s in line.stages] == [
        (0, "outreach"), (0, "assessment"), (0, "plan"), (5, "coordination"),
        (5, "assessment"), (5, "plan"), (5, "coordination"), (7, "coordination"),
        (7, "plan"), (7, "coordination"), (10, "coordination")]
    peers = next(g for g in line.goals if g.goal == "rg-peers")
    assert (peers.status, peers.since) == ("revised", 7)
    assert line.next_check_in == 12
    text = line.lines()
    assert text[0] == "Marcus's case, week by week" and text[-1] == "Next check-in: week 12"
    assert any(t.startswith("Week 5: Setback (▼)") for t in text)
    assert not any("Offender" in t for t in text)  # goals are named by their model rewrite


def test_more_frequent_contact_brings_the_next_check_in_closer():
    """A fitting pick of more frequent contact sets the next check-in one week out."""
    lorraine = get_scenario("lorraine-peer")
    line = timeline(lorraine, [Played("fu-warning-signs", True, "more_contact", True, False)])
    assert line.next_check_in == 4 + 1
    unrevised = timeline(lorraine, [], "fu-warning-signs")
    assert {g.status for g in unrevised.goals if g.goal == "rg-meds"} == {"review"}


def test_the_timeline_picture_and_text_escape_authored_words(marcus):
    """An event text with markup comes out escaped in the list and as text in the SVG."""
    from widgets._timeline import timeline_html, timeline_svg

    event = replace(marcus.follow_ups[0], text="<script>alert(1)</script> & more")
    case = replace(marcus, follow_ups=(event,) + marcus.follow_ups[1:])
    html = timeline_html(timeline(case, [], "fu-curfew"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert 'alt="Marcus' in html
    svg = timeline_svg(timeline(case, [], "fu-curfew"))
    assert svg.lstrip().startswith("<?xml") and "Setback, wk 5" in svg


# --- authored events ------------------------------------------------------------------------

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "marcus-art.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, start: str = "follow_ups:") -> int:
    offset = text.index(needle, text.index(start))
    return text[:offset].count("\n") + 1


def problems(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in check_scenario(write(tmp_path, text))]


def test_every_shipped_case_has_three_events_and_one_back_to_assessment():
    """Each case: at least three follow-ups, a full ladder each, one going back to assessment."""
    from casecoach.scenarios import all_scenarios

    for case in all_scenarios():
        assert len(case.follow_ups) >= 3, case.id
        assert any(e.revisit and e.revisit.stage == "assessment" for e in case.follow_ups)
        assert all(tuple(s.step for s in e.ladder) == LADDER for e in case.follow_ups)
        assert {"setback", "success"} <= {e.kind for e in case.follow_ups}
        assert case.follow_up_gap is None


def test_a_ladder_out_of_order_names_the_step_and_its_line(tmp_path):
    """Swapping two steps of the first event's ladder is one error at the first misplaced one."""
    text = MARCUS_TEXT.replace("      - step: reinforce\n", "      - step: problem_tmp\n", 1)
    text = text.replace("      - step: problem_solve\n", "      - step: reinforce\n", 1)
    text = text.replace("      - step: problem_tmp\n", "      - step: problem_solve\n", 1)
    line = line_of(text, "- step: problem_solve")
    assert problems(tmp_path, text) == [
        f"{tmp_path}/marcus-art.yaml:{line}: follow_ups[0].ladder[0].step: 'problem_solve' is "
        f"out of place: the ladder goes {', '.join(LADDER)}, every step once, lowest first"]


def test_an_unknown_ladder_step_is_a_schema_error_with_its_line(tmp_path):
    """A step name off the ladder lists the allowed ones."""
    text = MARCUS_TEXT.replace("      - step: more_contact\n", "      - step: more_calls\n", 1)
    line = line_of(text, "- step: more_calls")
    assert problems(tmp_path, text) == [
        f"{tmp_path}/marcus-art.yaml:{line}: follow_ups[0].ladder[4].step: 'more_calls' is not "
        f"one of: {', '.join(LADDER)}"]


def test_a_ladder_where_nothing_fits_is_an_error(tmp_path):
    """The mural event with every step marked not fitting says to mark one."""
    start = MARCUS_TEXT.index("  - id: fu-mural")
    tail = MARCUS_TEXT[start:].replace("fits: true", "fits: false")
    found = problems(tmp_path, MARCUS_TEXT[:start] + tail)
    assert len(found) == 1 and re.search(r"marcus-art.yaml:\d+: follow_ups\[2\].ladder: no step "
                                         r"fits", found[0])


def test_broken_references_in_changes_and_revisits_name_their_fields(tmp_path):
    """A lost fact, a revisited goal and a revisited row that do not exist, each with its line."""
    text = MARCUS_TEXT.replace("    revisit:\n      stage: plan\n      goal: rg-peers",
                               "    revisit:\n      stage: plan\n      goal: rg-friends")
    text = text.replace("      stage: assessment\n      domain: legal\n",
                        "      stage: assessment\n", 1)
    text = text.replace("    step_words: [mural,", "    changes:\n      lose: [f-nowhere]\n"
                        "    step_words: [mural,")
    found = problems(tmp_path, text)
    name = f"{tmp_path}/marcus-art.yaml"
    assert f"{name}:{line_of(text, 'stage: assessment')}: follow_ups[0].revisit.stage: going " \
           f"back to assessment needs `domain`: one of housing, financial, vocational, family, " \
           f"social, health, spirituality, legal" in found
    assert f"{name}:{line_of(text, 'goal: rg-friends')}: follow_ups[1].revisit.goal: going back " \
           f"to the plan needs `goal`: a referral goal of this case (known: rg-employment, " \
           f"rg-housing, rg-money, rg-peers)" in found
    assert f"{name}:{line_of(text, 'lose: [f-nowhere]')}: follow_ups[2].changes.lose[0]: refers " \
           f"to fact 'f-nowhere', which does not exist" in found
    assert any("follow_ups[2].changes: an event that changes the case needs a `revisit`" in p
               for p in found)


def test_a_success_without_step_words_and_a_stray_decline_flag(tmp_path):
    """A success needs the words for the client's step; penalises_declining needs `declines`."""
    text = re.sub(r"    step_words: \[mural,.*\n", "", MARCUS_TEXT)
    start = text.index("  - id: fu-ride")
    text = text[:start] + text[start:].replace(
        "        why: \"Nothing here calls for a sanction.\"\n",
        "        why: \"Nothing here calls for a sanction.\"\n        penalises_declining: true\n", 1)
    found = problems(tmp_path, text)
    assert any(re.search(r":\d+: follow_ups\[2\]\.kind: a success needs `step_words`", p)
               for p in found)
    assert any(re.search(r":\d+: follow_ups\[1\]\.ladder\[6\]\.penalises_declining: only an "
                         r"event where the client declines", p) for p in found)


def test_fewer_than_three_events_or_none_back_to_assessment(tmp_path):
    """Two events is a schema error; three with no return to assessment is a rule error."""
    start = MARCUS_TEXT.index("  - id: fu-mural")
    found = problems(tmp_path, MARCUS_TEXT[:start])
    assert len(found) == 1 and "follow_ups: " in found[0] and "is too short" in found[0]
    no_back = MARCUS_TEXT.replace("      stage: assessment\n      domain: legal",
                                  "      stage: plan\n      goal: rg-peers")
    assert any(p.endswith("follow_ups: at least one event must send the trainee back to "
                          "assessment (`revisit: {stage: assessment, domain: ...}`)")
               for p in problems(tmp_path, no_back))


def test_a_version_2_file_still_loads_and_says_why_it_has_no_follow_ups(tmp_path):
    """An older case loads; the follow-up module leaves it out with a clear reason."""
    start = MARCUS_TEXT.index("advocacy:")
    version_2 = MARCUS_TEXT[:start].replace("    at_outcome: true\n", "")  # a version 3 field
    old = version_2.replace("schema_version: 3", "schema_version: 2") + (
        "follow_ups:\n  - id: fu-a\n    kind: setback\n    week: 2\n    text: \"A setback.\"\n"
        "    good_response: \"Listen first.\"\n")
    case = load_scenario(write(tmp_path, old))
    assert case.follow_ups[0].ladder == ()
    assert case.follow_up_gap == ("marcus-art.yaml is schema_version 2: its follow-ups have no "
                                  "response ladder; version 3 adds one (see "
                                  "scenarios/schema-v3.json)")


def test_validate_prints_file_line_field_for_a_bad_event(tmp_path):
    """`casecoach validate FILE` exits 1 and prints file:line: field for a broken ladder."""
    text = MARCUS_TEXT.replace("      - step: more_contact\n", "      - step: more_calls\n", 1)
    path = write(tmp_path, text)
    result = subprocess.run([sys.executable, "-m", "casecoach.cli", "validate", str(path)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert f"{path}:{line_of(text, '- step: more_calls')}: follow_ups[0].ladder[4].step: " \
           f"'more_calls' is not one of" in result.stdout + result.stderr


# --- linking and advocacy -------------------------------------------------------------------

def test_every_shipped_model_note_meets_every_check():
    """Each case's model advocacy note is person-first, says the client agreed, names a strength
    and makes one specific ask."""
    from casecoach.followups import review_note
    from casecoach.scenarios import all_scenarios

    for case in all_scenarios():
        assert all(met(review_note(case, case.advocacy["model"])).values()), case.id


def test_a_note_with_a_label_no_consent_no_strength_and_a_vague_ask(marcus):
    """Every note finding fails with its reason; a vague ask is named as vague."""
    from casecoach.followups import review_note

    findings = review_note(marcus, "The offender was late. Could you help him?")
    assert met(findings) == {"person_first": False, "consent": False, "names_strength": False,
                             "one_specific_ask": False}
    ask = next(f for f in findings if f.criterion == "one_specific_ask")
    assert "neither what exactly nor by when" in ask.message


def test_a_note_with_two_asks_is_told_to_keep_one(marcus):
    """Two requests: one_specific_ask fails and counts them; an empty note is one finding."""
    from casecoach.followups import review_note

    text = ("Marcus has agreed that I write. He taught drawing to beginners inside. "
            "Could you approve a 10 p.m. return on Thursdays? Would you call me by Friday?")
    ask = next(f for f in review_note(marcus, text) if f.criterion == "one_specific_ask")
    assert not ask.met and "2 asks" in ask.message
    assert met(review_note(marcus, "")) == {"not_written": False}


def test_an_advocacy_note_after_an_unknown_event_is_an_error(tmp_path):
    """advocacy.after names a follow-up of the case, with its line."""
    text = MARCUS_TEXT.replace("  after: fu-curfew", "  after: fu-nowhere")
    line = line_of(text, "after: fu-nowhere", start="advocacy:")
    assert problems(tmp_path, text) == [
        f"{tmp_path}/marcus-art.yaml:{line}: advocacy.after: refers to follow-up 'fu-nowhere', "
        f"which does not exist"]


# --- the page's widget, without a browser ---------------------------------------------------

def test_the_follow_up_widget_plays_a_case_and_holds_next_until_going_back(marcus):
    """Next waits for what is said, a pick and the revision; the advocacy note shows with its
    event; going back shows before and after; the last event finishes the case."""
    from widgets.follow_ups import FollowUpCase

    view = FollowUpCase(marcus)
    assert view._next.disabled and view._note_box.layout.display == ""
    view.say("Thank you for calling, Marcus. What happened on the way home?")
    view.pick("problem_solve")
    assert view._next.disabled  # still to go back to the chart
    editor = view.go_back()
    assert "Before: the row as it stood" in view._back.children[1].children[0].value
    assert view.finish_revision() is False  # nothing revised yet
    editor.set_cells(barriers=editor.cells["barriers"] + "\n" + "His last bus home leaves at "
                                                                 "9:15, before open studio ends")
    assert view.finish_revision() and not view._next.disabled
    view.advance()
    assert view.event.id == "fu-ride" and view._note_box.layout.display == "none"
    assert "Week 5: Assessment" in view._timeline.value
