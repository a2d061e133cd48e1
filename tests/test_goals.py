"""Unit tests of the goal review (casecoach.goals): the rubric's edge cases and the contract."""

from __future__ import annotations

import pytest

from casecoach import CasecoachError
from casecoach.goals import CRITERIA, TEXT_CRITERIA, ClientContext, review_goal
from casecoach.scenarios import get_scenario


def met(text: str, context: ClientContext | None = None) -> dict[str, bool | None]:
    review = review_goal(text, context)
    return {c.name: c.met for c in review.criteria}


def flag_kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in review_goal(text).flags]


def test_full_smarts_goal_meets_every_text_criterion():
    """A goal with an action, a count, a deadline and a named support meets all five text criteria."""
    review = review_goal("Within 30 days, Dana will apply to 3 housing programs with support from "
                         "her aunt Rosa.")
    assert {c.name: c.met for c in review.criteria if c.name in TEXT_CRITERIA} == {
        "specific": True, "measurable": True, "time_bound": True, "positive_framing": True,
        "builds_on_strength": True}
    assert review.strengths_based is True
    assert review.flags == ()
    assert review.suggested_rewrite is None


def test_bare_frequency_is_not_time_bound_and_says_where_to_add_an_end():
    """A frequency with no end ("weekly") is measurable but not time-bound, and the tip says so."""
    review = review_goal("Marcus will attend AA meetings weekly.")
    assert review["measurable"].met is True
    assert review["time_bound"].met is False
    assert "weekly" in review["time_bound"].why
    assert "for the next 3 months" in review["time_bound"].tip
    assert [(f.kind, f.text) for f in review.flags] == [("bare_frequency", "weekly")]


@pytest.mark.parametrize("text,words", [
    ("Within 3 weeks, Marcus will view 2 rooms with his sister Denise's help.", "2 rooms"),
    ("By March 1, Rosa will tour three apartments near the school.", "three apartments"),
])
def test_viewing_a_counted_number_of_places_is_specific_and_measurable(text, words):
    review = review_goal(text)
    assert review["specific"].met and review["measurable"].met
    assert words in review["measurable"].why


@pytest.mark.parametrize("text,words", [
    ("Pt will report better sleep as evidenced by a PSQI score below 5 by 90 days.",
     "evidenced by a PSQI score"),
    ("I want to be there for my daughter's graduation in May.", "be there for my daughter"),
    ("Client will move in with his mother upon release.", "move in with"),
])
def test_evidence_clauses_dated_events_and_moves_are_specific(text, words):
    review = review_goal(text)
    assert review["specific"].met, review["specific"].why
    assert words in review["specific"].why


def test_staying_out_of_jail_is_not_a_specific_action():
    review = review_goal("I want to stay out of jail this time.")
    assert review["specific"].met is False and review["positive_framing"].met is False


def test_frequency_with_a_horizon_is_time_bound():
    """'Each week for 3 months' gives the frequency an end, so it is time-bound."""
    assert met("Attend two NA meetings each week for 3 months.")["time_bound"] is True


@pytest.mark.parametrize("text", [
    "Complete the anger management course without missing a session by June 30.",
    "Finish the 12-week welding course without any unexcused absences.",
    "Find a job without relying on day labour agencies.",
])
def test_without_qualifying_a_positive_behaviour_stays_positive(text):
    """'Without' after a real action only qualifies it; the goal is still positively framed."""
    review = review_goal(text)
    assert review["positive_framing"].met is True
    assert not [f for f in review.flags if f.kind == "negative_framing"]


def test_without_as_the_core_is_negative_framing():
    """'Live without drugs' has no action before 'without': the absence is the goal."""
    assert met("Live without drugs.")["positive_framing"] is False


@pytest.mark.parametrize("text", [
    "Reduce drug use to zero.",
    "Client will reduce his drinking to zero within 30 days.",
    "Decrease angry outbursts.",
])
def test_reduce_to_zero_is_not_positive_framing(text):
    """Reducing a problem, even 'to zero', keeps the problem at the centre of the goal."""
    review = review_goal(text)
    assert review["positive_framing"].met is False
    assert any(f.kind == "negative_framing" for f in review.flags)


def test_reduce_to_zero_is_still_measurable():
    """'To zero' is an amount someone can check, whatever the framing."""
    assert met("Reduce drug use to zero.")["measurable"] is True


@pytest.mark.parametrize("text,label", [
    ("Ray will attend the Offender Employment Program by March 1.", "Offender"),
    ("Complete the sex offender treatment program before her review.", "sex offender"),
])
def test_label_inside_a_programs_name_is_not_flagged_as_stigmatizing(text, label):
    """A label that is part of a program's name is the program's word, not the writer's."""
    assert flag_kinds(text) == [("label_in_name", label)]


def test_a_known_fellowship_name_is_not_a_label():
    """'Alcoholics Anonymous' is a name; nothing in it is flagged."""
    assert flag_kinds("Attend Alcoholics Anonymous twice a week for 90 days.") == []


def test_label_outside_a_name_is_flagged_with_a_person_first_suggestion():
    """'Offender' naming the person is flagged, with its span and a person-first replacement."""
    text = "Offender will obtain a state ID within 14 days."
    flags = review_goal(text).flags
    assert [(f.kind, f.start, f.end, f.text) for f in flags] == [
        ("stigmatizing_label", 0, 8, "Offender")]
    assert "person with a conviction" in flags[0].suggestion


@pytest.mark.parametrize("text,label", [
    ("The addict will attend treatment.", "addict"),
    ("Felon will find work.", "Felon"),
    ("Help the ex-con get an ID.", "ex-con"),
    ("The inmate will enrol in a GED class.", "inmate"),
    ("Parolee must report weekly.", "Parolee"),
    ("Client is non-compliant with treatment.", "non-compliant"),
    ("Client is resistant and manipulative.", "resistant"),
    ("Services for the mentally ill.", "the mentally ill"),
    ("Junkies need housing.", "Junkies"),
])
def test_stigmatizing_labels_are_flagged(text, label):
    """Each label from the lexicon is found as a whole word, plural and hyphenated forms included."""
    assert ("stigmatizing_label", label) in flag_kinds(text)


def test_alcoholic_as_an_adjective_is_not_a_label():
    """'Alcoholic beverages' describes drinks, not a person."""
    assert flag_kinds("Keep no alcoholic beverages at home.") == [("negative_framing", "no")]


@pytest.mark.parametrize("text,rewrite", [
    ("Avoid drinking.", "Maintain sobriety."),
    ("Client will stop missing appointments.", "Client will attend every appointment."),
    ("No contact with old friends who use.", "Spend time with people who support my recovery."),
])
def test_known_deficit_patterns_get_a_suggested_rewrite(text, rewrite):
    """The issue's three known patterns are rewritten in positive terms."""
    assert review_goal(text).suggested_rewrite == rewrite


def test_rewrite_replaces_a_label_with_the_clients_name_when_known():
    """With a case, the label in a referral goal becomes the client's first name."""
    marcus = get_scenario("marcus-art").context()
    review = review_goal("Offender will avoid drinking.", marcus)
    assert review.suggested_rewrite == "Marcus will maintain sobriety."


def test_no_rewrite_when_nothing_is_known_to_fix():
    """A goal with no known deficit pattern or label has no suggested rewrite."""
    assert review_goal("Improve his life.").suggested_rewrite is None


@pytest.mark.parametrize("text", [
    "Improve his life.", "Work on issues.", "Do better.", "Get his life together.",
    "Understand his triggers.", "Deal with anger.",
])
def test_vague_goals_are_not_specific_and_the_vague_words_are_flagged(text):
    """A goal that names only an effort or a state is not specific; the vague words are flagged."""
    review = review_goal(text)
    assert review["specific"].met is False
    assert any(f.kind == "vague" for f in review.flags)


@pytest.mark.parametrize("text", [
    "Obtain a lease by June 1.", "Submit 3 applications a week for 6 weeks.",
    "Attend 4 sessions within 30 days.", "Save $300 by the end of the month.",
    "Get a state ID card this month.",
])
def test_measurable_goals(text):
    """Counts, amounts and concrete deliverables are measurable."""
    assert met(text)["measurable"] is True


@pytest.mark.parametrize("text", [
    "Look for work.", "Attend counselling.", "Stay sober.", "Improve budgeting.",
])
def test_ongoing_states_without_a_count_are_not_measurable(text):
    """An ongoing activity with no count or completion point cannot be checked."""
    assert met(text)["measurable"] is False


@pytest.mark.parametrize("text", [
    "Open a bank account by June 1.", "Enrol in the GED class within 30 days.",
    "Apply for the housing voucher by the end of the month.",
    "Complete the parenting class this semester.", "Stay sober for 90 days.",
    "Obtain ID by 3/15.", "Finish the course before her parole review.",
    "Attend every check-in during his probation.", "Pay the fine by Friday.",
    "Start the job by 2027-01-15.", "Complete a 12-week program.", "Achieve one year of sobriety.",
    "During her senior year, list the entrance requirements of 2 colleges.",
])
def test_time_frames_are_found(text):
    """Dates, spans with an end and event deadlines make a goal time-bound."""
    assert met(text)["time_bound"] is True


@pytest.mark.parametrize("text", [
    "Attend AA weekly.", "Get a job soon.", "Look for housing as soon as possible.",
    "Pay $150 a month starting in February.", "Attend a 45-minute session each week.",
    "Meet at the next opportunity.",
])
def test_no_time_frame(text):
    """A bare frequency, 'soon', a session's length or a start date alone are not time frames."""
    assert met(text)["time_bound"] is False


@pytest.mark.parametrize("text", [
    "Avoid negative peers.", "Stop using drugs.", "Client will not drink.",
    "Refrain from violence.", "Have no new arrests.", "Stay away from the old neighbourhood.",
    "Quit smoking weed.", "Never miss an appointment.", "Limit screen time before bed.",
    "Get rid of my credit card debt.",
])
def test_deficit_cores_are_not_positive(text):
    """Stop, avoid, refrain, not do, or stay away: not positively framed (dead-man's test)."""
    assert met(text)["positive_framing"] is False


@pytest.mark.parametrize("text", [
    "Maintain sobriety.", "Stay sober.", "Keep a drug-free home.", "Remain housed.",
    "Stay in touch with her sister.", "Attend every appointment.",
])
def test_positive_states_are_positive(text):
    """Maintaining or keeping a wanted state is stated in positive terms."""
    assert met(text)["positive_framing"] is True


@pytest.mark.parametrize("text", [
    "Get a job using her forklift licence.", "Find housing with support from his sister.",
    "Volunteer through her church.", "Attend meetings with his AA sponsor.",
    "Building on the welding course he finished inside, apply to 3 shops.",
])
def test_goals_that_build_on_a_strength(text):
    """A named skill, credential, person or community resource that the goal uses counts."""
    assert met(text)["builds_on_strength"] is True


@pytest.mark.parametrize("text", [
    "Attend church.", "Call his mother.", "Stay in touch with her sister.",
    "Improve her parenting skills.", "Find an NA sponsor.", "Report to PO as directed.",
])
def test_goals_that_do_not_build_on_a_strength(text):
    """The goal's own activity, a person who is only its object, or a skill to develop do not."""
    assert met(text)["builds_on_strength"] is False


def test_achievable_and_relevant_need_the_client_without_context():
    """Without a case, achievable and relevant are null with a why and a tip."""
    review = review_goal("Get a job by June 1.")
    for name in ("achievable", "relevant"):
        assert review[name].met is None
        assert review[name].why and review[name].tip


def test_with_context_relevant_quotes_the_clients_own_goal():
    """With a case, a goal tied to the client's own goal is relevant and quotes their words."""
    marcus = get_scenario("marcus-art").context()
    review = review_goal("Within 4 weeks, Marcus will apply to 3 housing programs with his "
                         "sister Denise's help.", marcus)
    assert review["relevant"].met is True
    assert "I want my own place" in review["relevant"].why


def test_with_context_a_goal_that_clashes_with_a_barrier_is_not_achievable():
    """Driving to work is not achievable for a client whose barrier is a suspended licence."""
    context = ClientContext(name="Ana", pronouns="she/her", own_goals=("I want a job.",),
                            barriers=("Licence suspended for unpaid fines; no car",))
    review = review_goal("Within 30 days, Ana will drive to 5 job interviews.", context)
    assert review["achievable"].met is False
    assert "Licence suspended" in review["achievable"].why


def test_with_context_perfection_is_not_achievable():
    """'Never' asks for perfection: one slip fails the goal."""
    context = ClientContext(name="Ana", own_goals=("I want my kids back.",))
    review = review_goal("Ana will never miss a visit with her kids for 6 months.", context)
    assert review["achievable"].met is False
    assert "never" in review["achievable"].why


def test_with_context_a_goal_without_a_time_frame_is_judged_by_its_fit():
    """A feasible goal with no time frame is achievable; time_bound is what says it lacks one."""
    context = ClientContext(name="Ana", own_goals=("I want a job.",))
    review = review_goal("Ana will apply to 3 jobs.", context)
    assert review["achievable"].met is True
    assert review["time_bound"].met is False


def test_to_dict_follows_the_contract():
    """The JSON form has exactly the contract's keys, every criterion with met/why/tip."""
    data = review_goal("Avoid drinking.").to_dict()
    assert list(data) == ["text", "criteria", "strengths_based", "flags", "suggested_rewrite"]
    assert list(data["criteria"]) == list(CRITERIA)
    for criterion in data["criteria"].values():
        assert set(criterion) == {"met", "why", "tip"}
    assert data["flags"] == [{"kind": "negative_framing", "start": 0, "end": 5, "text": "Avoid",
                              "suggestion": data["flags"][0]["suggestion"]}]
    assert data["strengths_based"] is False


def test_every_finding_is_returned_not_just_the_first():
    """A goal with several problems reports all of them: label, two deficits, no time frame."""
    review = review_goal("Offender will avoid drinking and stay away from negative peers.")
    assert [(f.kind, f.text) for f in review.flags] == [
        ("stigmatizing_label", "Offender"), ("negative_framing", "avoid"),
        ("negative_framing", "stay away from")]
    assert [c.name for c in review.unmet] == ["measurable", "time_bound", "positive_framing",
                                              "builds_on_strength"]


def test_next_step_puts_framing_before_detail():
    """The one next step offered is positive framing before time frame or strength."""
    review = review_goal("Avoid drinking.")
    assert review.next_step().name == "positive_framing"


def test_met_criteria_point_at_the_words():
    """A met criterion quotes the trainee's words and keeps their span."""
    text = "Open a bank account by June 1 using her savings."
    review = review_goal(text)
    start, end = review["time_bound"].span
    assert text[start:end] == "by June 1"
    assert "“by June 1”" in review["time_bound"].why


def test_typographic_quotes_and_dashes_are_read_like_plain_ones():
    """Curly apostrophes (as phones type them) match like straight ones: "won’t" is a negation."""
    assert met("He won’t drink.")["positive_framing"] is False


@pytest.mark.parametrize("bad,message", [
    ("", "empty"), ("   \n ", "empty"), ("x" * 5001, "5001 characters"),
    ("goal\x00with nul", "control characters"), (b"\xff\xfe", "UTF-8"), (42, "expected text"),
])
def test_bad_input_raises_one_clear_error(bad, message):
    """Empty, too long, binary or non-text input raises CasecoachError saying what is wrong."""
    with pytest.raises(CasecoachError, match=message):
        review_goal(bad)


def test_review_is_deterministic():
    """The same text always gives the same review."""
    text = "Within 2 weeks, the client will call 3 landlords with his sister's help."
    assert review_goal(text).to_dict() == review_goal(text).to_dict()


def test_fewer_panic_attacks_shown_by_a_score_is_a_level_but_a_symptom_made_smaller():
    """A PHQ-9 level makes 'report fewer panic attacks' specific; the goal is still a symptom
    made smaller, so it fails positive framing (DESIGN) and says so where it is specific."""
    review = review_goal("Pt will report fewer panic attacks as evidenced by a PHQ-9 score below "
                         "10 by 90 days.")
    assert review["specific"].met and "symptom" in review["specific"].why
    assert review["positive_framing"].met is False
    assert "report fewer panic" in review["positive_framing"].why
