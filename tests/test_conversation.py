"""The response judge: MI coding conventions, every finding kind, feedback and the rules file."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pytest

from casecoach._data import load_yaml
from casecoach.conversation import (FINDING_KINDS, RULES_FILE, Rules, check_utterance,
                                    judge_response)
from casecoach.errors import CasecoachError

DATA = Path(__file__).parent / "data"


def code(text: str, client: str | None = None) -> tuple[str, str | None]:
    j = judge_response(text, client)
    return j.behaviour, j.question_type or j.reflection_type


def kinds(text: str, client: str | None = None) -> list[str]:
    return judge_response(text, client).kinds()


# --- coding conventions -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Can you tell me about your daughter?",
    "Could you tell me a bit about the art program?",
    "Tell me about your week.",
    "Tell me about your week",
    "Walk me through a normal day.",
    "What brings you in today?",
    "How have things been since you got out?",
    "I'm curious what got you into lettering.",
    "So, what brings you in today",
    "Okay, and what happened after that?",
    "Jo, tell me about the engines you worked on.",
    "If you could change one thing, what would it be?",
])
def test_open_questions(text):
    """'Can you tell me about...?', 'Tell me about...' and what/how questions are open, with or
    without a question mark and after spoken leads."""
    assert code(text) == ("question", "open")


@pytest.mark.parametrize("text", [
    "How often do you see Kiara?",
    "Did you go to the clinic?",
    "Okay, and how long have you been out?",
    "So did you go",
    "Are you staying at the shelter tonight?",
    "When is your next check-in?",
    "What time does your shift start?",
    "Anything else?",
    "Still at the shelter?",
    "You went to the interview?",
    "Can you tell me when your hearing is?",
    "Tell me if the time works.",
    "I wonder if you'd be open to calling them today.",
])
def test_closed_questions(text):
    """'How often...?', 'Did you...?', fact questions, yes/no fragments and a statement asked
    about a fact are closed questions."""
    assert code(text) == ("question", "closed")


def test_one_open_question_among_closed_makes_the_turn_open():
    """A turn that asks 'Who...' and then 'what...' in one question is open (one open question
    is enough)."""
    assert code("Who can you count on, and what do they do for you?") == ("question", "open")


@pytest.mark.parametrize("text, client", [
    ("So you're tired of the shelter, right?", "I'm so tired of the shelter."),
    ("You're not sleeping well, yeah?", "I've been sleeping badly."),
    ("Your PO's fine with evening classes, is that right?", "My PO is okay with evening classes."),
])
def test_a_restatement_ending_in_right_is_a_reflection(text, client):
    """A statement that restates the client's meaning is a reflection even when it ends in
    'right?' or 'yeah?'."""
    assert code(text, client) == ("reflection", "simple")


def test_a_check_on_its_own_is_a_closed_question():
    """'Is that right?' with nothing before it asks: a closed question."""
    assert code("Is that right?") == ("question", "closed")


@pytest.mark.parametrize("text, client", [
    ("You're tired of the shelter.", "I'm so tired of the shelter."),
    ("You feel stuck.", "I feel stuck."),
    ("Eleven days out.", "I've been out eleven days."),
])
def test_simple_reflections_stay_with_the_clients_words(text, client):
    """Restating the client's words, their own feeling word included, is a simple reflection."""
    assert code(text, client) == ("reflection", "simple")


@pytest.mark.parametrize("text, client", [
    ("It sounds like the shelter is wearing you down.", "I'm so tired of the shelter."),
    ("You're ready for a place of your own.", "I'm so tired of the shelter."),
    ("Part of you wants the guild, and part of you doesn't want to risk the curfew.", None),
    ("Being a real part of Kiara's life matters a lot to you.", "I want to see my daughter."),
    ("Feeling stuck.", None),
    ("Let me see if I've got this: the shelter ends soon and your PO needs an address.", None),
])
def test_complex_reflections_add_feeling_meaning_or_a_second_side(text, client):
    """A reflection that adds a feeling, a meaning, a second side or sums up is complex."""
    assert code(text, client) == ("reflection", "complex")


@pytest.mark.parametrize("text", [
    "The clinic on Fifth opens at nine.",
    "You should call the guild today.",
    "One option is the evening class, another is the Saturday studio.",
    "I can write you a referral to the legal clinic.",
    "If you bring your release card, they can start the ID application.",
    "Why don't you just apply to the warehouse?",
    "Okay, so the shelter has a bed till the twentieth.",
    "Would it be okay if I shared an idea? The sign shops downtown take freelancers.",
])
def test_information_advice_options_and_offers_are_input(text):
    """Information, advice (also put as 'Why don't you...?'), options and offers are input; a
    permission question followed by the information is input too."""
    assert code(text) == ("input", None)


@pytest.mark.parametrize("text", [
    "Hi Marcus, good to meet you.",
    "Mm-hm.",
    "Uh-huh.",
    "Okay, thanks.",
    "See you Thursday, Walter.",
    "Today we'll go over your plan and then set the next meeting.",
    "Let's start with housing.",
    "You're really resourceful.",
    "You went to every check-in this month, well done.",
    "I know exactly how you feel.",
])
def test_greetings_acknowledgements_structuring_and_affirmations_are_other(text):
    """Greetings, acknowledgements, structuring, affirmations and sympathy are other."""
    assert code(text) == ("other", None)


def test_a_question_after_a_reflection_makes_the_turn_a_question():
    """Reflection then question: the client answers the question, so the turn is a question."""
    assert code("It sounds like the shelter's been rough. What would a better place look like?",
                "I'm so tired of the shelter.") == ("question", "open")


def test_reflection_then_advice_is_input_and_worked_names_the_reflection():
    """Reflection then advice is heard as advice; the feedback still says the reflection worked."""
    j = judge_response("You're tired of it. You should call the co-op today.",
                       "I'm so tired of the shelter.")
    assert (j.behaviour, j.kinds()) == ("input", ["advice_without_permission"])
    assert j.feedback.worked.startswith("A simple reflection")


# --- findings ------------------------------------------------------------------------------------

def finding(text: str, kind: str, client: str | None = None):
    found = [f for f in judge_response(text, client).findings if f.kind == kind]
    assert found, f"no {kind} in {text!r}: {kinds(text, client)}"
    return found[0]


def test_sympathy_is_found_with_its_span_why_and_a_better_line():
    """'I know exactly how you feel' is sympathy: span on the words, why names empathy, a better
    line reflects instead."""
    text = "Oh, I know exactly how you feel."
    f = finding(text, "sympathy")
    assert text[f.start:f.end] == f.text == "I know exactly how you feel"
    assert "empathy" in f.why and f.better.startswith("Reflect")


def test_identifying_with_the_client_is_sympathy():
    """'The same thing happened to me' identifies with the client (sympathy)."""
    assert kinds("The same thing happened to me when I got divorced.") == ["sympathy"]


def test_a_label_is_found_and_named_in_the_why():
    """A label ('ex-offender') is a finding that quotes the word and offers person-first words."""
    f = finding("As an ex-offender, you'll have a harder time with landlords.", "label")
    assert f.text == "ex-offender" and "'ex-offender'" in f.why


def test_the_righting_reflex_is_not_also_counted_as_advice():
    """'You need to understand...' is the righting reflex, not a second advice finding."""
    assert kinds("You need to understand that your choices got you here.") == ["righting_reflex"]


def test_a_threat_is_a_warning_and_not_firm_but_fair():
    """A condition stated as a threat is a warning; the next step is the firm-but-fair line."""
    j = judge_response("If you miss one more check-in I'll have no choice but to violate you.")
    assert j.kinds() == ["warning"]
    assert "condition" in j.feedback.next_step


def test_advice_without_permission_and_with_it():
    """Advice is flagged when nobody asked; not after asking leave, nor when the client asked."""
    assert kinds("You should call the guild today.") == ["advice_without_permission"]
    assert kinds("If you're open to it, you could try the guild's mentor program.") == []
    assert kinds("You could try the guild's mentor program.",
                 client="What should I do about the portfolio?") == []


def test_advice_inside_a_reflection_is_the_clients_not_advice():
    """'You feel like you have to prove yourself' reports the client; it is not advice."""
    j = judge_response("You feel like you have to prove yourself twice over.")
    assert (j.behaviour, j.kinds()) == ("reflection", [])


def test_judgement_you_should_have():
    """'You should have...' is a judgement (and not also advice), with a forward-looking line."""
    j = judge_response("You should have called your PO before you moved.")
    assert j.kinds() == ["judgement"]
    assert "next time" in j.feedback.next_step


def test_stacked_closed_questions_span_the_questions():
    """Three closed questions in one turn are stacked; the span runs from the first to the last."""
    text = "Okay. Did you call? Did they answer? Was it the right number?"
    f = finding(text, "stacked_closed_questions")
    assert f.text == "Did you call? Did they answer? Was it the right number?"
    assert "3 closed questions" in f.why


def test_one_closed_question_is_not_stacked():
    """A single closed question is no finding."""
    assert kinds("Did you call?") == []


@pytest.mark.parametrize("text, why", [
    ("My brother was inside too, so I get it.", "personal lives"),
    ("When I was drinking I did the same thing.", "personal lives"),
    ("I promise I'll get you an apartment.", "promises"),
    ("I'll talk to the judge and get the curfew lifted.", "promises"),
    ("Don't worry, I won't tell your PO about this.", "promises"),
    ("Here's my personal cell.", "outside work"),
    ("We should grab a coffee sometime after work.", "outside work"),
])
def test_boundaries_disclosure_promises_and_contact_outside_work(text, why):
    """Personal disclosure, a promise outside the role and contact outside work cross a boundary,
    each with its own why."""
    assert why in finding(text, "boundary").why


def test_an_affirmation_of_a_strength():
    """Naming a real strength is an affirmation: a positive finding, said first in the feedback."""
    j = judge_response("You're really resourceful.")
    assert j.kinds() == ["affirmation"] and j.findings[0].positive
    assert j.feedback.worked == j.findings[0].why


def test_specific_praise_of_a_step_taken():
    """Praise that names the step ('You got your ID on your own, that's a big step') is specific
    praise, spanning the step and the praise."""
    f = finding("You got your ID on your own, that's a big step.", "specific_praise")
    assert f.text == "You got your ID on your own, that's a big step"


def test_generic_praise_is_an_acknowledgement_without_a_finding():
    """'Well done.' on its own names no step: other, with no praise finding."""
    j = judge_response("Well done.")
    assert (j.behaviour, j.kinds()) == ("other", [])


def test_firm_but_fair_condition_without_threat():
    """A condition said plainly ('Your curfew is ten, and I have to let your PO know') is firm but
    fair; stated inside a reflection it is not."""
    assert set(kinds("Your curfew is ten, and I have to let your PO know if it's missed.")) == {
        "firm_but_fair"}
    assert kinds("So the guild is Thursday nights and your curfew is ten.",
                 "The curfew is ten and the guild meets Thursday nights.") == []


def test_every_finding_kind_has_wording_and_is_exercised():
    """Every finding kind the judge knows has why and better in the rules file."""
    messages = load_yaml(RULES_FILE)["messages"]["findings"]
    for kind in (*FINDING_KINDS, "stacked_closed_questions"):
        assert messages[kind]["why"] and messages[kind]["better"]


# --- feedback -----------------------------------------------------------------------------------

def test_feedback_says_what_worked_first_then_one_next_step():
    """A closed question gets credit for the fact it gets, then a way to open it."""
    j = judge_response("Did you go to the clinic?")
    assert "closed question" in j.feedback.worked
    assert '"What"' in j.feedback.next_step


def test_feedback_is_never_only_a_label():
    """Even a turn with a label says what worked before the next step."""
    j = judge_response("Addicts like you need a program.")
    assert j.feedback.worked and j.feedback.next_step
    assert j.feedback.next_step == j.findings[0].better


def test_to_dict_follows_the_contract():
    """to_dict has the keys of DESIGN.md's contract, findings with kind, span, why and better."""
    d = judge_response("You should call the guild today.").to_dict()
    assert list(d) == ["text", "behaviour", "question_type", "reflection_type", "findings",
                       "feedback"]
    assert list(d["findings"][0]) == ["kind", "start", "end", "text", "why", "better"]
    assert list(d["feedback"]) == ["worked", "next_step"]


# --- input and the rules file --------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("   ", "is empty"),
    ("x" * 2001, "at most 2000"),
    ("bad\x00byte", "control characters"),
    (42, "expected text"),
])
def test_bad_input_says_what_is_wrong(text, message):
    """Empty, overlong, binary or non-text input is a CasecoachError saying what is wrong."""
    with pytest.raises(CasecoachError, match=message):
        check_utterance(text)


def test_a_rule_without_a_reason_is_refused_with_its_field():
    """Each rule needs a reason; the error names the field."""
    data = copy.deepcopy(load_yaml(RULES_FILE))
    del data["open_questions"][0]["reason"]
    with pytest.raises(CasecoachError, match=r"open_questions\[0\].*reason"):
        Rules.from_data(data, "conversation.yaml")


def test_a_broken_pattern_is_refused_with_its_field():
    """A pattern that is not a regular expression is reported with its field path."""
    data = copy.deepcopy(load_yaml(RULES_FILE))
    data["findings"]["label"][0]["pattern"] = "(unclosed"
    with pytest.raises(CasecoachError, match=r"findings\.label\[0\]\.pattern"):
        Rules.from_data(data, "conversation.yaml")


def test_a_trainer_can_change_the_wording():
    """The feedback comes from the rules file: changed wording is what the judge says."""
    data = copy.deepcopy(load_yaml(RULES_FILE))
    data["messages"]["feedback"]["worked"]["open"] = "Nice and open."
    rules = Rules.from_data(data, "conversation.yaml")
    assert judge_response("Tell me about your week.", rules=rules).feedback.worked == \
        "Nice and open."


def test_the_development_set_is_large_and_covers_every_class():
    """The dev set has at least 600 labelled utterances, every class and type among them."""
    with open(DATA / "utterances_dev.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 600
    assert {r["behaviour"] for r in rows} == {"question", "reflection", "input", "other"}
    assert {r["question_type"] for r in rows if r["behaviour"] == "question"} == {"open",
                                                                                 "closed"}
    assert {r["reflection_type"] for r in rows if r["behaviour"] == "reflection"} == {
        "simple", "complex"}
