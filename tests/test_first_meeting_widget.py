"""The first meeting page's widget without a browser: say lines, read the thread and summary."""

from __future__ import annotations

from widgets.first_meeting import FirstMeeting, FirstMeetingModule


def view(case: str = "marcus-art") -> FirstMeeting:
    module = FirstMeetingModule([case])
    return module.view(case)


def test_the_thread_opens_with_the_clients_line():
    """Before the trainee speaks, the thread holds the client's opening, under their name."""
    v = view()
    assert "Marcus:" in v._thread.value and "here I am" in v._thread.value
    assert v.turns == 0 and not v.over


def test_a_line_shows_its_code_feedback_and_the_clients_answer():
    """Saying an open question shows it coded, with what worked and the next step, and the client
    answers with a fact; the box is cleared."""
    v = view()
    v._input.value = "Tell me about your art."
    v._say.click()
    thread = v._thread.value
    assert "(question, open)" in thread and "What worked" in thread and "Next step" in thread
    assert 'data-fact="f-art-skill"' in thread
    assert v._input.value == "" and v.turns == 1


def test_typed_text_is_escaped():
    """What the trainee types is shown escaped, never as markup."""
    v = view()
    v.say("<img src=x onerror=alert(1)> Tell me more")
    assert "<img" not in v._thread.value and "&lt;img" in v._thread.value


def test_rapport_is_shown_in_words_and_icon_and_falls_after_a_label():
    """The rapport line has a label and an icon; a label from the trainee makes it guarded."""
    v = view()
    v.say("As an ex-offender you need to take this seriously.")
    assert v.rapport.startswith("Guarded")
    assert "🔒" in v._rapport_html.value and "Guarded" in v._rapport_html.value


def test_ending_shows_the_summary_and_starting_again_clears_it():
    """End the meeting: the summary with counts, measures, facts and moments to revisit appears;
    Start again goes back to the opening."""
    v = view()
    v.say("Did you come by bus?")
    v.say("Tell me about your family.")
    v._end.click()
    assert v.over and "Reflections per question" in v._summary.value
    assert "Two moments to revisit" in v._summary.value
    assert "Wants regular time with his daughter Kiara" in v._summary.value
    v._again.click()
    assert not v.over and v.turns == 0 and v._summary.value == ""


def test_an_empty_line_is_refused_with_a_notice():
    """Saying nothing gets an alert and no turn."""
    v = view()
    assert v.say("   ") is None
    assert 'role="alert"' in v._notice.value and v.turns == 0


def test_what_the_client_told_starts_the_chart_and_keeps_what_was_charted(tmp_path):
    """'Start the chart from what you learned' saves the trainee's chart of the case with each
    told fact in its row, in the client's words, after what the trainee had written there; the
    assessment page then opens it for the same trainee."""
    from casecoach.store import Store
    from widgets.assessment_chart import DRAFT_KIND, AssessmentChart, saved_chart
    from casecoach.scenarios import get_scenario

    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    marcus = get_scenario("marcus-art")
    earlier = AssessmentChart(marcus, None, store=store, owner="sam")
    earlier.set_cell("housing", "now", "At a shelter")
    v = view()
    v.store = store
    assert v.seed_chart("sam") is False and "not told you anything" in v._seeded.value
    v.say("Tell me about your art.")
    v.say("What is it like at the shelter for you?")
    v.end()
    assert "cc-seed-chart" in v.children[-2].children[0]._dom_classes
    assert v.seed_chart("sam") is True
    chart = saved_chart(store, "sam", "marcus-art")
    housing = chart.row("housing").now
    assert housing.startswith("At a shelter") and "thirty nights" in housing
    assert "portraits" in chart.row("vocational").now.lower()
    assert "02-assessment.ipynb?trainee=sam&amp;case=marcus-art" in v._seeded.value
    v.seed_chart("sam")   # twice: nothing noted twice
    assert saved_chart(store, "sam", "marcus-art").row("housing").now.count("thirty nights") == 1
    assert store.load_draft("sam", DRAFT_KIND, "marcus-art") is not None


def test_starting_the_chart_needs_a_name():
    v = view()
    v.say("Tell me about your art.")
    assert v.seed_chart("local") is False and "start page" in v._seeded.value


def test_the_drill_checks_a_pick_and_explains_every_response():
    """A pick is checked against the best response; every response shows its note with a mark
    in icon and words, the score counts a line once, and the next line follows."""
    from widgets.first_meeting import ChoiceDrillModule

    drill = ChoiceDrillModule(["marcus-art"]).view("marcus-art")
    assert drill.check() is None and "Pick one" in drill._result.value
    drill._options.value = 1
    result = drill._check.click() or drill.check()
    assert result.right and drill.done == 1 and drill.right == 1
    html = drill._result.value
    assert html.count("cc-choice-option") == 4 and "Best response" in html
    assert "Misses something" in html and "(your pick)" in html
    drill.check(0)  # a second check of the same line does not count again
    assert drill.done == 1 and "1 of 1" in drill._score.value
    drill._next.click()
    assert "art program inside" in drill._client.value and drill._result.value == ""
