"""Teach, don't show (issue 9): the chart's client card, "Show what I missed", the priorities page."""

from __future__ import annotations

import re

import pytest

from casecoach.resources import cached_directory
from casecoach.scenarios import get_scenario
from casecoach.store import Store
from widgets import AssessmentChart, PriorityModule, PriorityPicker
from widgets.assessment_chart import ChartRowEditor


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'drafts.sqlite'}")


@pytest.fixture(scope="module")
def marcus():
    return get_scenario("marcus-art")


def chart_for(store, owner="ana") -> AssessmentChart:
    return AssessmentChart(get_scenario("marcus-art"), cached_directory(), store, owner,
                           debounce=0)


def key_texts(scenario) -> list[str]:
    return [f.text for f in scenario.strengths()] + [g.words for g in scenario.client_goals]


def shown(html: str) -> str:
    """The text a person reads in an HTML fragment (tags dropped, entities kept escaped)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_client_card_shows_none_of_the_answers_before_charting(store, marcus):
    """A fresh chart's client card lists no strength, support or own word of the case key."""
    card = chart_for(store)._card.value
    assert "Marcus Reid" in card
    for text in key_texts(marcus):
        assert text.replace("'", "&#x27;") not in card


def test_the_client_card_fills_in_from_what_the_trainee_charted(store):
    """Strengths and wants the trainee writes appear on the card, escaped, as they wrote them."""
    chart = chart_for(store)
    chart.set_cell("vocational", "strengths", "Ran the art class inside\nLettering <b>signs</b>")
    chart.set_cell("family", "wants", "“I want Kiara to see me show up”")
    card = chart._card.value
    assert '<li class="cc-strength">Ran the art class inside</li>' in card
    assert "Lettering &lt;b&gt;signs&lt;/b&gt;" in card and "<b>signs" not in card
    assert "“I want Kiara to see me show up”" in card


def test_the_key_is_not_shown_before_a_real_attempt(store, marcus):
    """Before enough rows are charted, "Show what I missed" is disabled and reveals nothing."""
    chart = chart_for(store)
    chart.set_cell("housing", "now", "Shelter, capped at 30 nights")
    assert chart._reveal.disabled
    assert "Chart at least 3 rows" in chart._reveal_hint.value
    assert chart.show_missed() is False
    assert chart._missed.value == ""
    assert marcus.fact("f-screening").text not in shown(chart._missed.value)


def test_after_a_real_attempt_the_key_shows_only_what_was_missed(store, marcus):
    """Once three rows are charted, the reveal lists the key's facts the chart lacks, and not the
    ones it found."""
    chart = chart_for(store)
    chart.set_cell("housing", "now", "Shelter, capped at 30 nights")
    chart.set_cell("vocational", "strengths", "Helped run the art program inside for years")
    chart.set_cell("family", "strengths", "Sister Denise has him for dinner most Sundays")
    assert not chart._reveal.disabled
    assert chart.show_missed() is True
    panel = chart._missed.value
    assert 'data-fact="f-screening"' in panel and 'data-fact="f-blood-pressure"' in panel
    assert 'data-fact="f-shelter"' not in panel and 'data-fact="f-sister"' not in panel
    assert 'data-fact="f-id"' in panel


def test_the_chart_row_editor_card_fills_from_the_row_not_the_key(marcus):
    """The group exercise's row editor shows the row's own entries on the card, not the key's."""
    editor = ChartRowEditor(marcus, "family")
    assert marcus.fact("f-sister").text not in editor._card.value
    editor.set_cells(strengths="Denise, his sister, has him to dinner")
    assert "Denise, his sister, has him to dinner" in editor._card.value


def test_priorities_page_shows_the_trainees_own_chart_not_the_key(store, marcus):
    """The priorities page shows the trainee's saved chart; facts never charted do not appear."""
    chart = chart_for(store, owner="ana")
    chart.set_cell("housing", "barriers", "Landlords run background checks")
    assert "have not charted Marcus yet" in PriorityModule(
        ["marcus-art"], store=store).view()._chart.value
    side = PriorityModule(["marcus-art"], owner="ana", store=store).view()._chart.value
    assert "Landlords run background checks" in side
    assert marcus.fact("f-blood-pressure").text not in side
    assert marcus.fact("f-screening").text not in side
    assert "Landlords run background checks" not in PriorityModule(
        ["marcus-art"], owner="ben", store=store).view()._chart.value


def test_four_priorities_show_as_many_ticks_as_the_summary_counts(marcus):
    """With four picked, the summary counts the ✓ marks shown, out of the four picks."""
    picker = PriorityPicker(marcus)
    picker.choose("housing", "vocational", "social", "health")
    html = picker._feedback.value
    summary = re.search(r'<div class="cc-summary">([^<]*)</div>', html).group(1)
    ticks = len(re.findall(r'data-agrees="true"', html))
    assert summary.startswith(f"{ticks} of your 4 priorities")


def test_the_reveal_lists_the_clients_own_words_not_yet_in_the_wants_column(store, marcus):
    """After a real attempt, the client's own goals the wants column lacks are shown too."""
    chart = chart_for(store)
    chart.set_cell("housing", "wants", "“I want my own place, even a room, for Kiara”")
    chart.set_cell("vocational", "strengths", "Helped run the art program inside for years")
    chart.set_cell("family", "strengths", "Sister Denise has him for dinner most Sundays")
    chart.show_missed()
    panel = chart._missed.value
    assert 'data-goal="cg-place"' not in panel
    assert 'data-goal="cg-art-work"' in panel and "get paid for art" in panel


def test_a_preheated_priorities_page_shows_the_chart_once_it_knows_the_trainee(store):
    """A page built before the visit is known shows the trainee's chart after `follow`."""
    chart_for(store, owner="cy").set_cell("legal", "now", "Curfew at 10 p.m. on parole")
    module = PriorityModule(["marcus-art"], store=store)
    module.follow("cy")
    assert "Curfew at 10 p.m. on parole" in module.view()._chart.value


def test_the_cell_hints_use_the_cases_pronouns(store):
    """A he/him client's empty cells speak of "his life" and "him", not "their" and "them"."""
    chart = chart_for(store)
    hints = {c: chart._cells[("housing", c)].placeholder for c in ("now", "wants", "barriers")}
    assert hints["now"] == "What is happening in this part of his life today"
    assert "him" in hints["barriers"] and "them" not in hints["barriers"]


def test_what_was_typed_before_the_page_knew_the_trainee_is_saved_under_their_name(store):
    """On a busy server a preheated chart can take typing before it learns who opened it; that
    work is theirs, so following the trainee saves it under their name (nothing is lost)."""
    from widgets.assessment_chart import saved_chart

    chart = chart_for(store, owner="local")
    chart.set_cell("vocational", "strengths", "Lettered storefronts for a sign shop")
    chart.follow("Sam")
    draft = saved_chart(store, "Sam", "marcus-art")
    assert draft is not None
    assert "Lettered storefronts" in str(draft.to_dict())


def test_following_a_trainee_with_a_draft_shows_their_draft_not_the_typing(store):
    """A trainee who already has a draft gets it back; nothing typed before overwrites it."""
    from widgets.assessment_chart import saved_chart

    first = chart_for(store, owner="Sam")
    first.set_cell("housing", "now", "At the men's shelter")
    chart = chart_for(store, owner="local")
    chart.set_cell("vocational", "strengths", "Something else")
    chart.follow("Sam")
    assert "At the men's shelter" in str(saved_chart(store, "Sam", "marcus-art").to_dict())
    assert "Something else" not in str(saved_chart(store, "Sam", "marcus-art").to_dict())
