"""The "First meeting" role-play: how the client answers, rapport, the summary, the authored files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casecoach.errors import CasecoachError
from casecoach.first_meeting import Meeting, MeetingScript, load_script, meeting_ids
from casecoach.scenarios import scenario_ids

REPO = Path(__file__).resolve().parents[1]

SCRIPT = {"opening": "My PO said I had to come.",
          "shares": [{"fact": "f-art", "says": "I draw portraits.", "topics": ["art", "draw"]},
                     {"fact": "f-kid", "says": "My daughter, Kiara.", "topics": ["family"]},
                     {"fact": "f-bed", "says": "I'm at the shelter."}],
          "short": ["Yeah."], "guarded": ["I don't know."]}


def meeting() -> Meeting:
    return Meeting(MeetingScript.from_data(SCRIPT, case="test", source="test.yaml"))


def test_the_client_opens():
    """Before the trainee speaks, the client's line is the opening."""
    assert meeting().client_line == "My PO said I had to come."


def test_an_open_question_draws_out_the_fact_its_words_point_to():
    """An open question about family draws out the family fact, not the first one listed."""
    m = meeting()
    turn = m.say("Tell me about your family.")
    assert (turn.reaction, turn.fact, turn.reply) == ("draws_out", "f-kid", "My daughter, Kiara.")


def test_a_complex_reflection_draws_out_the_next_fact():
    """A complex reflection draws out the next fact not yet shared and raises rapport."""
    m = meeting()
    before = m.rapport().value
    turn = m.say("It sounds like coming here wasn't your idea, and you're not sure it will help.")
    assert turn.reaction == "draws_out" and turn.fact == "f-art"
    assert m.rapport().value == before + 1


def test_a_closed_question_gets_a_short_answer():
    """A closed question gets one of the case's short answers and no fact."""
    turn = meeting().say("Did you come by bus?")
    assert (turn.reaction, turn.reply, turn.fact) == ("closed", "Yeah.", None)


@pytest.mark.parametrize("line", [
    "As an ex-offender, you need to take this seriously.",
    "You need to understand that your choices got you here.",
    "I know exactly how you feel.",
])
def test_a_label_lecture_or_sympathy_makes_the_client_guarded(line):
    """A label, a lecture or sympathy gets a guarded answer and lowers rapport to guarded."""
    m = meeting()
    turn = m.say(line)
    assert (turn.reaction, turn.reply, turn.fact) == ("guarded", "I don't know.", None)
    assert m.rapport().label.startswith("Guarded")


def test_a_guarded_client_warms_to_good_lines_before_telling_more():
    """Once guarded, good lines get brief answers but rebuild rapport; then the client tells a
    fact again."""
    m = meeting()
    m.say("I know exactly how you feel.")
    for line in ("What would make today worth your time?", "You'd rather be somewhere else."):
        wary = m.say(line)
        assert wary.reaction == "wary" and wary.fact is None
    told = m.say("Tell me about your family.")
    assert told.fact == "f-kid"


def test_rapport_is_said_in_text_and_icon():
    """The rapport indicator has a label and an icon, not only a number."""
    level = meeting().rapport()
    assert level.label and level.icon


def test_the_meeting_ends_when_every_fact_is_shared():
    """When the client has told every fact the meeting is over, and another line is refused."""
    m = meeting()
    for line in ("Tell me about your art.", "Tell me about your family.",
                 "What's it like where you're staying?"):
        m.say(line)
    assert m.over
    with pytest.raises(CasecoachError, match="over"):
        m.say("What else?")


def test_the_summary_counts_ratios_facts_and_two_moments():
    """The summary counts questions and reflections, gives the reflection-to-question ratio and the
    open share beside their thresholds, the facts shared, and two moments with a better line."""
    m = meeting()
    for line in ("Did you come by bus?", "Tell me about your art.",
                 "As an ex-offender, you need to take this seriously.",
                 "So drawing portraits matters a lot to you.", "Did you eat today?"):
        m.say(line)
    s = m.summary()
    assert s.counts["open_questions"] == 1 and s.counts["closed_questions"] == 2
    assert s.counts["simple_reflections"] + s.counts["complex_reflections"] == 1
    measures = {x.name: x for x in s.measures}
    assert measures["reflection_to_question"].value == pytest.approx(0.33)
    assert measures["reflection_to_question"].verdict == "below 1.0"
    assert measures["open_share"].value == pytest.approx(0.33)
    assert s.facts[0] == "f-art"
    assert [moment.turn for moment in s.revisit] == [1, 3]
    assert "label" in s.revisit[1].why and s.revisit[1].better


def test_a_script_naming_a_fact_the_case_lacks_is_refused():
    """A share whose fact is not in the case is an error naming the field."""
    with pytest.raises(CasecoachError, match=r"shares\[0\]\.fact.*not a fact"):
        MeetingScript.from_data(SCRIPT, case="test", source="t.yaml", fact_ids={"f-kid"})


@pytest.mark.parametrize("case", meeting_ids())
def test_every_shipped_meeting_loads_against_its_case(case):
    """Every shipped first meeting passes its schema and names only facts of its case."""
    script = load_script(case)
    assert script.opening and len(script.shares) >= 5


def test_every_case_has_a_first_meeting():
    """Each shipped case has its first meeting."""
    assert meeting_ids() == scenario_ids()


def test_a_schema_error_names_file_field_and_line(tmp_path, monkeypatch):
    """A meeting file with a misspelt field is refused with the file, the field and the line."""
    folder = tmp_path / "scenarios"
    shutil.copytree(REPO / "scenarios", folder)
    path = folder / "first-meetings" / "marcus-art.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    says: \"I draw.",
                                                             "    sayz: \"I draw.", 1),
                    encoding="utf-8")
    monkeypatch.setenv("CASECOACH_SCENARIOS", str(folder))
    with pytest.raises(CasecoachError) as caught:
        load_script("marcus-art")
    message = str(caught.value)
    assert "marcus-art.yaml:" in message and "shares[0]" in message


def test_the_first_meeting_comes_right_after_the_start_page():
    """Engagement comes first: the course goes from the start page to the first meeting, then to
    the SMART(S) goals."""
    from casecoach import course
    before, after = course.neighbours("08-first-meeting")
    assert (before.key, after.key) == ("00-start-here", "01-smart-goals")


@pytest.mark.parametrize("case", meeting_ids())
def test_every_case_has_pick_the_best_lines_and_each_best_is_not_a_closed_question(case):
    """Each case has practice lines; a best response is never a closed question or advice by
    the judge's own reading, so the drill and the judge do not contradict each other there."""
    from casecoach.first_meeting import pick

    choices = load_script(case).choices
    assert len(choices) >= 2
    for choice in choices:
        best = pick(choice, choice.best)
        assert best.right and all(o.note for o in choice.options)
        judged = best.judgements[choice.best]
        assert judged.question_type != "closed" and judged.behaviour != "input", choice.client
        assert not pick(choice, (choice.best + 1) % len(choice.options)).right


def test_a_best_that_is_not_an_option_names_file_and_field(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    shutil.copytree(REPO / "scenarios", folder)
    path = folder / "first-meetings" / "marcus-art.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  best: 1\n", "  best: 3\n", 1)
                    .replace("  best: 0\n", "  best: 7\n", 1), encoding="utf-8")
    monkeypatch.setenv("CASECOACH_SCENARIOS", str(folder))
    with pytest.raises(CasecoachError) as caught:
        load_script("marcus-art")
    assert "marcus-art.yaml:" in str(caught.value) and "choices[" in str(caught.value)
