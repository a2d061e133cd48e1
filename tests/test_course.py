"""The course (pages in order, links that carry the trainee, progress notes) and the coach's verdict."""

from __future__ import annotations

import re

import pytest

from casecoach import course
from casecoach.errors import CasecoachError
from casecoach.goals import review_goal
from casecoach.practice import not_checked, passes, summarise_drill
from casecoach.store import Store

GOOD = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support "
        "from his sister Denise.")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'course.sqlite'}")


def test_the_course_runs_from_the_start_page_to_the_follow_ups():
    """The modules are in order, start page first; each knows the one before and after it."""
    assert [p.key for p in course.modules()] == [
        "00-start-here", "08-first-meeting", "01-smart-goals", "02-assessment", "03-priorities",
        "04-action-plan", "09-follow-ups"]
    before, after = course.neighbours("02-assessment")
    assert (before.key, after.key) == ("01-smart-goals", "03-priorities")
    assert course.neighbours("00-start-here")[0] is None
    assert course.neighbours("04-action-plan")[1].key == "09-follow-ups"
    assert course.neighbours("09-follow-ups")[1] is None


def test_pages_beside_the_course_have_no_previous_or_next_and_exercises_count():
    """The workspace, the supervisor's and the join page sit beside the course; joining counts."""
    assert course.neighbours("05-workspace") == (None, None)
    assert "07-join-exercise" in [p.key for p in course.tracked()]
    assert "05-workspace" not in [p.key for p in course.tracked()]


def test_an_unknown_page_is_a_clear_error():
    """Asking for a page the course does not have names the known ones."""
    with pytest.raises(CasecoachError, match="no page 'nope'.*00-start-here"):
        course.page("nope")


def test_links_carry_the_name_and_cohort_encoded_and_never_the_anonymous_default():
    """Names with spaces, ampersands and markup are URL-encoded; 'local' and empty values stay out."""
    assert course.href("01-smart-goals", "Ana & <b>Bo</b>", "C 1") == (
        "01-smart-goals.ipynb?trainee=Ana+%26+%3Cb%3EBo%3C%2Fb%3E&cohort=C+1")
    assert course.href("01-smart-goals", "local", "") == "01-smart-goals.ipynb"
    assert course.href("02-assessment", "Sam", "", case="marcus-art") == (
        "02-assessment.ipynb?trainee=Sam&case=marcus-art")


def test_state_says_what_was_done_and_a_score_only_with_its_total():
    """Not started; started with attempts; completed with 7/10 from the note, never a bare score."""
    assert course.state(None, []) == "not started"
    assert course.state({"attempts": 3, "completed_at": None}, []) == "started · 3 attempt(s)"
    assert course.state({"attempts": 0, "completed_at": None}, []) == "started"
    done = {"attempts": 10, "completed_at": "2026-01-01", "score": 7}
    assert course.state(done, []) == "completed"
    drill = course.Note("01-smart-goals", "the drill", score=7, out_of=10, slot="drill")
    assert course.state(done, [drill]) == "completed · score 7/10"


def test_notes_are_kept_per_trainee_and_page_and_come_back_in_course_order(store):
    """A saved note is the trainee's alone; the goal and the drill of one module are kept apart."""
    course.save_note(store, "ana", course.Note("01-smart-goals", "the drill, goal 4 of 10",
                                               slot="drill"))
    course.save_note(store, "ana", course.Note("01-smart-goals", "Marcus's goal", {"goal": "g"},
                                               slot="goal"))
    course.save_note(store, "ana", course.Note("02-assessment", "Marcus's chart",
                                               {"case": "marcus-art"}))
    notes = course.load_notes(store, "ana")
    assert [n.slot for n in notes["01-smart-goals"]] == ["goal", "drill"]
    assert notes["02-assessment"][0].params == {"case": "marcus-art"}
    assert course.load_notes(store, "ben") == {}


def test_a_note_for_a_slot_the_page_does_not_keep_is_refused(store):
    """Only the things course.yaml lists for a page can be noted."""
    with pytest.raises(CasecoachError, match="keeps no note 'drill'"):
        course.save_note(store, "ana", course.Note("02-assessment", "x", slot="drill"))


def test_the_anonymous_visitor_keeps_no_notes(store):
    """Without a name there is nobody to link back for: nothing is saved."""
    course.save_note(store, "local", course.Note("02-assessment", "x"))
    assert course.load_notes(store, "local") == {}


@pytest.mark.parametrize("rewrite, why", [
    ("", "write your rewrite first"),
    ("Get a job.", "at least 5 words .* \\(this one has 3\\)"),
    ("Parolee must find suitable housing.", "the referral goal as written"),
])
def test_a_rewrite_that_is_not_an_attempt_says_why_it_was_not_checked(rewrite, why):
    """Empty, too short or pasted back: the reason comes from the messages file."""
    message = not_checked("Parolee must find suitable housing.", rewrite)
    assert message.startswith("Not checked") and re.search(why, message)


def test_a_real_rewrite_is_checked():
    """Five words or more that differ from the referral goal are an attempt."""
    assert not_checked("Parolee must find suitable housing.", GOOD) is None


def test_the_drill_score_is_the_per_goal_verdicts():
    """The score counts the rewrites whose verdict passes; a goal not checked does not pass.

    Reviewed without a case, so the verdict rests on the text criteria alone."""
    good, weak = review_goal(GOOD), review_goal("Marcus will stop drinking.")
    assert passes(good) and not passes(weak)
    result = summarise_drill([good, weak, None])
    assert (result.score, result.checked) == ("1/3", 2)
    assert result.met_counts["positive_framing"] == 1


def test_a_goal_with_a_criterion_unmet_does_not_pass_even_if_strengths_based():
    """Strengths-based but with no time frame: the verdict is not yet, naming what is missing."""
    from casecoach.practice import verdict

    review = review_goal("Marcus will apply to 3 fair-chance, parole-approved housing programs with support "
                         "from his sister Denise.")
    assert review.strengths_based and review["time_bound"].met is False
    assert not passes(review) and "Time-bound" in verdict(review)
