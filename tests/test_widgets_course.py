"""Widget tests without a browser: the header, work kept across visits, the drill's review, progress."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from casecoach.course import load_notes
from casecoach.resources import cached_directory
from casecoach.scenarios import get_scenario
from casecoach.store import Store
from widgets import page as page_module
from widgets.goal_coach import GoalDrill, GoalPractice
from widgets.group import StartPage, TraineeExercise
from widgets.page import CourseHeader, page_visit
from widgets.plan_builder import PlanModule

GOOD = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support "
        "from his sister Denise.")
WEAK = "Marcus will stop drinking and stay away from old friends."


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'work.sqlite'}")


@pytest.fixture
def visit(monkeypatch):
    """visit(query): the page's address as Voila gives it to the kernel."""
    def _visit(query: str):
        monkeypatch.setenv("QUERY_STRING", query)
        return page_visit()
    yield _visit
    page_module._VISIT.clear()
    page_module._QUERY.clear()


def hrefs(html: str) -> dict[str, str]:
    return {m[1]: m[0].replace("&amp;", "&")
            for m in re.findall(r'href="([^"]+)" data-page="([^"]+)"', html)}


def test_header_links_home_previous_and_next_carrying_the_name(visit):
    """Once the visit is known, Home, previous and next carry the encoded name and cohort."""
    header = CourseHeader("02-assessment")
    assert "No name yet" in header._html.value
    visit("trainee=Ana%20%26%20Bo&cohort=NOV")
    links = hrefs(header._html.value)
    assert links == {"00-start-here": "00-start-here.ipynb?trainee=Ana+%26+Bo&cohort=NOV",
                     "01-smart-goals": "01-smart-goals.ipynb?trainee=Ana+%26+Bo&cohort=NOV",
                     "03-priorities": "03-priorities.ipynb?trainee=Ana+%26+Bo&cohort=NOV"}
    assert "Working as Ana &amp; Bo" in header._html.value and "Module 3 of 6" in header._html.value


def test_header_escapes_a_name_typed_as_markup():
    """A name with markup is shown as text in the header, never as HTML."""
    header = CourseHeader("01-smart-goals")
    header.trainee = '<img src=x onerror="alert(1)">'
    assert "<img" not in header._html.value and "&lt;img" in header._html.value


def test_goal_coach_keeps_rewrites_attempts_and_history_across_visits(store):
    """Two checked rewrites come back on the next visit, newest first, each with its verdict."""
    practice = GoalPractice(["marcus-art"], owner="ana", store=store)
    coach = practice.coach()
    shown = []  # the verdict the checklist showed for each rewrite when it was checked
    for text in (WEAK, GOOD):
        coach.value = text
        coach.check()
        shown.append('data-passes="true"' in coach._feedback.value)
    again = GoalPractice(["marcus-art"], store=store)
    again.follow("ana")
    restored = again.coach()
    assert restored.value == GOOD and restored.attempts == 2
    assert [h["passes"] for h in restored.history] == shown[::-1]
    assert [h["text"] for h in restored.history] == [GOOD, WEAK]
    html = restored._history.value
    assert html.index("Within 4 weeks") < html.index("stop drinking")
    assert "Not yet" in html
    assert restored.models_visible


def test_goal_coach_in_two_tabs_loses_no_checked_rewrite_of_either(store):
    """Two pages of the same trainee on the same goal: each saves on every change, and neither
    wipes the rewrites the other checked; the text kept is the one typed last."""
    first = GoalPractice(["marcus-art"], owner="ana", store=store).coach()
    second = GoalPractice(["marcus-art"], owner="ana", store=store).coach()  # opened before any work
    first.value = WEAK
    first.check()
    first.value = GOOD
    first.check()
    later = GOOD.replace("4 weeks", "3 weeks")
    second.value = later
    second.check()
    first.value = GOOD + " "  # the first tab types on, from what it knows
    again = GoalPractice(["marcus-art"], store=store)
    again.follow("ana")
    kept = again.coach()
    assert kept.value == GOOD + " "
    assert sorted(h["text"] for h in kept.history) == sorted([WEAK, GOOD, later])
    assert kept.attempts == 3


def test_goal_coach_opens_the_goal_the_start_page_links_to(store):
    """follow(goal=...) selects that referral goal."""
    practice = GoalPractice(["marcus-art", "jade-diploma"], store=store)
    key = practice.bank[3].key
    practice.follow("ana", goal=key)
    assert practice.selected == key


def test_a_short_rewrite_says_why_it_was_not_checked_and_is_not_counted(store):
    """Check on three words shows the reason and leaves attempts and history alone."""
    coach = GoalPractice(["marcus-art"], owner="ana", store=store).coach()
    coach.value = "Get a job."
    coach.check()
    assert coach.attempts == 0 and coach.history == []
    assert "needs at least 5 words" in coach._why.value


def test_drill_is_resumed_where_the_trainee_left_it(store):
    """A drill left at goal 3 comes back with the same goals, the rewrites and the position."""
    drill = GoalDrill(n=5, seed=1, owner="ana", store=store)
    for text in (GOOD, WEAK):
        drill.coaches[drill.position].value = text
        drill.advance()
    drill.coaches[2].value = "half typed"
    drill._save()
    again = GoalDrill(n=5, seed=99, store=store)
    again.follow("ana")
    assert [i.key for i in again.items] == [i.key for i in drill.items]
    assert again.position == 2 and again.coaches[2].value == "half typed"
    assert "Goal 3 of 5" in again._status.value


def test_drill_score_matches_the_per_goal_checklists_and_reviews_each_goal(store):
    """The score equals the number of goals whose own checklist says it passes; each goal is
    listed with the rewrite and its checklist, and a short one says why it was not checked."""
    drill = GoalDrill(n=3, scenario_ids=["marcus-art"], seed=2, owner="ana", store=store)
    texts = [GOOD, WEAK, "Get a job."]
    for text in texts:
        drill.coaches[drill.position].value = text
        drill.advance()
    result = drill._result.value
    checklists = [c._feedback.value for c in drill.coaches]
    passing = sum('data-passes="true"' in html for html in checklists[:2])
    assert f'data-score="{passing}/3"' in result
    assert result.count('class="cc-drill-goal"') == 3
    for goal in drill.items:
        assert goal.goal.text.split()[0] in result
    assert "Marcus will stop drinking" in result and "cc-checklist" in result
    assert "needs at least 5 words" in result
    note = load_notes(store, "ana")["01-smart-goals"][0]
    assert (note.slot, note.score, note.out_of, note.open) == ("drill", passing, 3, False)


def test_action_plan_is_a_draft_per_trainee_and_case(store):
    """The plan a trainee built for a case is back, goals and steps, on the next visit."""
    plans = PlanModule(["marcus-art", "jade-diploma"], owner="ana", store=store)
    builder = plans.builder()
    editor = builder.editors[0]
    editor.text.value = GOOD
    editor.words.value = "I want my own place"
    step = editor.add_step()
    step.text.value = "Call the Harrow Housing Hub"
    step.due.value = date.today() + timedelta(days=7)
    builder._save_draft()
    again = PlanModule(["marcus-art", "jade-diploma"], store=store)
    again.follow("ana")
    plan = again.builder().current()
    assert [g.text for g in plan.goals] == [GOOD]
    assert [s.text for s in plan.goals[0].steps] == ["Call the Harrow Housing Hub"]
    assert again.builder("jade-diploma").current().goals[0].text == ""
    other = PlanModule(["marcus-art"], store=store)
    other.follow("ben")
    assert other.builder().current().goals[0].text == ""


def test_start_page_links_straight_back_to_what_is_in_progress(store):
    """A chart in progress is listed with its counts and a link that opens that case."""
    from widgets.assessment_chart import AssessmentModule

    module = AssessmentModule(["marcus-art", "jade-diploma"], owner=None)
    module.store = store
    module.follow("ana", case="jade-diploma")
    chart = module.chart("jade-diploma")
    chart.recorder._store = store
    chart.debounce = 0
    chart.set_cell("housing", "now", "Staying with her aunt for now")
    chart.set_cell("family", "wants", "I want to see my son every weekend")
    cards = StartPage("ana", store=store)._cards.value
    assert re.search(r"Jade&#x27;s chart: 2 of 8 rows filled, \d+/\d+ key items found", cards)
    assert 'href="02-assessment.ipynb?trainee=ana&amp;case=jade-diploma"' in cards
    assert "0 attempt" not in cards


def test_start_page_join_link_carries_the_name_and_exercises_count(store):
    """'Join a group exercise' carries the name; a submission shows up in the trainee's progress."""
    from casecoach import exercises

    cards = StartPage("Sam Lee", "NOV", store=store)._cards.value
    assert 'href="07-join-exercise.ipynb?trainee=Sam+Lee&amp;cohort=NOV"' in cards
    room = exercises.create(store, "marcus-art", "rg-housing", "sup")
    join = TraineeExercise(store=store)
    join.follow("Sam Lee", "NOV", code=room.code)
    join.coach.value = GOOD
    join.submit()
    cards = StartPage("Sam Lee", "NOV", store=store)._cards.value
    module = cards.split('data-module="07-join-exercise"')[1].split("</div>")[0]
    assert "started" in module and "not started" not in module
    assert f"exercise {room.code}: 1 submission(s)" in module
    assert f"code={room.code}" in module
