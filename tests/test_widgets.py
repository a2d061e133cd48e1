"""Widget tests without a browser: set traits or press buttons, read the feedback shown."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import traitlets

from casecoach.practice import GoalItem, goal_bank
from casecoach.scenarios import get_scenario
from widgets import GoalCoach, GoalDrill, GoalPractice, theme

GOOD = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support "
        "from his sister Denise.")


@pytest.fixture
def item() -> GoalItem:
    marcus = get_scenario("marcus-art")
    return GoalItem(marcus, marcus.referral_goals[0])


def criteria_shown(coach: GoalCoach) -> dict[str, str]:
    html = coach._feedback.value
    return dict(re.findall(r'data-criterion="(\w+)" data-met="(\w+)"', html))


def test_coach_shows_the_referral_goal_and_the_clients_strengths_and_words(item):
    """Beside the text box: the referral goal as written, the client's strengths and own words."""
    coach = GoalCoach(item, debounce=0)
    assert item.goal.text.split()[0] in coach._referral.value
    side = coach.children[0].children[1].value
    assert "Strengths and supports" in side and "Sister Denise" in side
    assert "I want my own place" in side


def test_typing_a_deficit_goal_marks_its_words_and_names_what_is_met_first(item):
    """A deficit rewrite gets its flags marked in the text, the met criteria first, one next step."""
    coach = GoalCoach(item, debounce=0)
    coach.value = "Offender will avoid drinking."
    html = coach._feedback.value
    assert '<mark class="cc-flag cc-flag-stigmatizing_label"' in html
    assert '<mark class="cc-flag cc-flag-negative_framing"' in html
    assert html.index("What works") < html.index("cc-checklist") < html.index("Next step")
    assert html.count("Next step") == 1
    assert criteria_shown(coach)["positive_framing"] == "false"


def test_a_good_rewrite_meets_every_criterion_with_the_case_as_context(item):
    """With the case as context, a good rewrite meets S, M, A, R, T and the strengths-based S."""
    coach = GoalCoach(item, debounce=0)
    coach.value = GOOD
    assert criteria_shown(coach) == {
        "specific": "true", "measurable": "true", "achievable": "true", "relevant": "true",
        "time_bound": "true", "strengths_based": "true", "positive_framing": "true",
        "builds_on_strength": "true"}
    assert f'data-review-len="{len(GOOD)}"' in coach._feedback.value


def test_every_state_has_text_and_a_labelled_icon_not_colour_alone(item):
    """Each checklist row carries an icon with an aria-label and a written state."""
    coach = GoalCoach(item, debounce=0)
    coach.value = "Get a job."
    rows = re.findall(r'<li class="cc-crit[^"]*"[^>]*>(.*?)</li>', coach._feedback.value)
    assert rows
    for row in rows:
        assert re.search(r'role="img" aria-label="(met|not met|needs the client)"', row)
        assert re.search(r'class="cc-state">(met|not met|needs the client)<', row)


def test_text_typed_by_the_trainee_is_escaped(item):
    """Markup typed into the box is shown as text, never run as HTML."""
    coach = GoalCoach(item, debounce=0)
    coach.value = '<img src=x onerror=alert(1)> will avoid <b>drinking</b>'
    html = coach._feedback.value
    assert "<img" not in html and "<b>drinking" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_models_are_hidden_until_a_real_attempt(item):
    """The model rewrite stays hidden for empty text or a pasted referral goal, and shows after."""
    coach = GoalCoach(item, debounce=0)
    assert coach._models.layout.display == "none"
    coach.check()
    coach.value = item.goal.text
    coach.check()
    assert coach.attempts == 0 and coach.models_visible is False
    coach.value = GOOD
    coach._check.click()
    assert coach.attempts == 1 and coach.models_visible is True
    assert coach._models.layout.display == "block"
    assert item.scenario.rewrites_for(item.goal.id)[0].text[:40] in coach._models.value
    assert "1 attempt" in coach._count.value


def test_typing_is_debounced_on_a_running_event_loop(item):
    """In a kernel, feedback waits for a pause in typing, then shows the latest text only."""
    async def type_and_pause() -> tuple[str, str]:
        coach = GoalCoach(item, debounce=0.05)
        coach.value = "Offender"
        coach.value = GOOD[:-1] + "s"  # a word still being typed
        before = coach._feedback.value
        await asyncio.sleep(0.2)
        return before, coach._feedback.value

    # A thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        before, after = pool.submit(asyncio.run, type_and_pause()).result()
    assert 'data-review-len="0"' in before
    assert f'data-review-len="{len(GOOD)}"' in after and "Offender" not in after


def test_a_finished_word_is_reviewed_at_once(item):
    """Typing a space or a full stop after a word reviews straight away, even on a running loop."""
    async def type_word() -> str:
        coach = GoalCoach(item, debounce=5.0)
        coach.value = "Offender will avoid drinking."
        return coach._feedback.value

    with ThreadPoolExecutor(1) as pool:
        html = pool.submit(asyncio.run, type_word()).result()
    assert 'data-review-len="29"' in html


def test_attempts_cannot_go_negative(item):
    """The attempts trait refuses a negative count."""
    coach = GoalCoach(item, debounce=0)
    with pytest.raises(traitlets.TraitError):
        coach.attempts = -1


def test_clearing_the_box_returns_to_the_prompt(item):
    """An empty box shows the prompt, not a stale review."""
    coach = GoalCoach(item, debounce=0)
    coach.value = GOOD
    coach.value = "   "
    assert 'data-review-len="0"' in coach._feedback.value
    assert coach.review is None


def test_practice_lists_every_referral_goal_and_keeps_text_when_switching():
    """The picker offers every referral goal of the cases; a rewrite survives switching away."""
    practice = GoalPractice(["marcus-art", "jade-diploma", "walter-parish"])
    keys = [key for _label, key in practice._picker.options]
    assert keys == [i.key for i in goal_bank(["marcus-art", "jade-diploma", "walter-parish"])]
    assert len(keys) >= 10
    first = practice.coach()
    first.value = GOOD
    practice.selected = keys[1]
    assert practice._slot.children[0] is not first
    practice.selected = keys[0]
    assert practice._slot.children[0] is first and first.value == GOOD


def test_drill_draws_ten_and_scores_at_the_end():
    """A drill draws 10 goals without repeats, steps through them and shows a score and advice."""
    drill = GoalDrill(n=10, seed=3)
    assert len({i.key for i in drill.items}) == 10
    for _ in range(10):
        drill.coaches[drill.position].value = "He will get a job soon."
        drill._next.click()
    assert drill.position == 10
    result = drill._result.value
    assert 'data-score="0/10"' in result
    assert "Practise next: <b>Time-bound</b>" in result


def test_theme_is_a_style_widget():
    """The theme widget carries the stylesheet, with the classes the coach uses."""
    html = theme().value
    assert html.startswith("<style>") and ".cc-checklist" in html


# --- the assessment chart -------------------------------------------------------------------

from casecoach.resources import cached_directory  # noqa: E402
from casecoach.store import Store  # noqa: E402
from widgets import AssessmentChart, AssessmentModule  # noqa: E402


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'drafts.sqlite'}")


def chart_for(store, owner="ana") -> AssessmentChart:
    return AssessmentChart(get_scenario("marcus-art"), cached_directory(), store, owner,
                           debounce=0)


def test_chart_feedback_and_picture_follow_the_entries(store):
    """Filling a row updates its feedback, its title and the strengths/barriers picture."""
    chart = chart_for(store)
    assert 'data-found="0"' in chart._picture.value
    chart.set_cell("housing", "now", "Men's shelter downtown, capped at 30 nights")
    chart.set_cell("housing", "barriers", "Landlords run background checks\nNo approved address")
    chart.set_cell("family", "strengths", "Sister Denise has him to dinner on Sundays")
    feedback = chart._row_feedback["housing"].value
    assert 'data-found="2"' in feedback and "You found 2" in feedback
    assert 'data-domain="housing" data-strengths="0" data-barriers="2"' in chart._picture.value
    assert 'data-domain="family" data-strengths="1" data-barriers="0"' in chart._picture.value
    assert chart._rows.get_title(0).startswith("Daily living and housing · 2/2 found")


def test_chart_flags_a_person_described_by_a_trait_and_escapes_the_words(store):
    """A barrier written as a trait is flagged; the trainee's markup is shown as text."""
    chart = chart_for(store)
    chart.set_cell("financial", "barriers", "He is irresponsible <script>x()</script>")
    html = chart._row_feedback["financial"].value
    assert "describes the person" in html
    assert "<script>" not in html


def test_resources_picked_get_fit_and_misfit_feedback(store):
    """Picking a resource that fits and one that does not: both are explained."""
    chart = chart_for(store)
    options = dict((v, label) for label, v in chart._pickers["housing"].options)
    assert "harrow-property-owners-listings" in options  # a near miss is offered too
    chart.set_cell("housing", "resources", ["harrow-housing-hub", "harrow-property-owners-listings"])
    html = chart._row_feedback["housing"].value
    assert "Harrow Housing Hub fits" in html
    assert "does not fit this client: does not serve people with records" in html


def test_unfinished_chart_is_kept_for_the_same_trainee_only(store):
    """A new page for the same trainee finds the draft; another trainee starts blank."""
    first = chart_for(store)
    first.set_cell("legal", "now", "10 p.m. curfew on parole")
    assert "Draft saved" in first.saved
    again = chart_for(store)
    assert again.chart.row("legal").now == "10 p.m. curfew on parole"
    assert again._cells[("legal", "now")].value == "10 p.m. curfew on parole"
    assert chart_for(store, owner="ben").chart.row("legal").now == ""


def test_module_offers_every_case_and_keeps_one_chart_each(store, monkeypatch):
    """The module's case picker lists the cases; switching keeps each chart's entries."""
    module = AssessmentModule(["marcus-art", "jade-diploma"], owner="test-owner")
    assert [v for _l, v in module._picker.options] == ["marcus-art", "jade-diploma"]
    module.chart().set_cell("housing", "now", "shelter")
    module.selected = "jade-diploma"
    module.selected = "marcus-art"
    assert module.chart().chart.row("housing").now == "shelter"


# --- priorities, plan builder, workspace ----------------------------------------------------

from datetime import date  # noqa: E402

from widgets import PlanBuilder, PriorityPicker, Workspace  # noqa: E402


def test_priority_picker_explains_and_warns_past_three():
    """Choosing priorities shows agreement with reasons; a fourth shows the warning."""
    picker = PriorityPicker(get_scenario("marcus-art"))
    picker.choose("housing", "vocational", "health")
    assert picker.picks == ("housing", "vocational", "health")
    assert 'data-agreed="3"' in picker._feedback.value
    picker.choose("housing", "vocational", "health", "social")
    assert 'data-too-many="true"' in picker._feedback.value
    picker.choose("housing", "housing")
    assert "picked once" in picker._feedback.value


def test_plan_builder_checks_update_as_steps_are_added():
    """A goal without steps is flagged; adding a dated, owned step clears that check."""
    builder = PlanBuilder(get_scenario("marcus-art"), cached_directory())
    editor = builder.add_goal()
    editor.text.value = GOOD
    editor.words.value = "I want my own place, even just a room"
    assert 'data-check="steps" data-ok="false"' in builder._checks.value
    step = editor.add_step()
    step.text.value = "Call the Harrow Housing Hub"
    # A week on: inside the goal's own "within 4 weeks" (a step after it is flagged).
    step.due.value = date.fromordinal(date.today().toordinal() + 7)
    step.resource.value = "harrow-housing-hub"
    builder._decline.value = True
    assert builder.review.ready, [f.message for f in builder.review.problems]
    assert 'data-ready="true"' in builder._checks.value
    assert builder.plan.goals[0].steps[0].resource_id == "harrow-housing-hub"


def fill_profile(ws: Workspace, name: str = "Dana Price") -> None:
    ws._name.value = name
    ws._lists["own_goals"].value = "I want my own place"
    ws._lists["strengths"].value = "Forklift licence\nSister Keisha"
    ws._use_profile()


def test_workspace_stores_nothing_until_save(store):
    """Filling in a real client's profile, chart and plan writes nothing to the store."""
    ws = Workspace(store, owner="cw")
    fill_profile(ws)
    ws.builder.editors[0].text.value = "Within 30 days, Dana will apply to 3 apartments."
    ws.chart.set_cell("housing", "now", "Sleeping on a friend's couch")
    assert store.list_plans("cw") == []
    assert "nothing is kept until you press Save" in ws.status


def test_workspace_save_reopen_edit_delete(store):
    """Save lists the plan; opening it restores profile, chart and plan; edits replace it."""
    ws = Workspace(store, owner="cw")
    fill_profile(ws)
    ws.builder.editors[0].text.value = "Within 30 days, Dana will apply to 3 apartments."
    ws.chart.set_cell("housing", "now", "Sleeping on a friend's couch")
    plan_id = ws.save_plan()
    assert [p.client_name for p in store.list_plans("cw")] == ["Dana Price"]
    other = Workspace(store, owner="cw")
    other.open_plan(plan_id)
    assert other._name.value == "Dana Price"
    assert other.builder.editors[0].text.value.startswith("Within 30 days")
    assert other.chart.chart.row("housing").now == "Sleeping on a friend's couch"
    other.builder.editors[0].text.value = "Within 60 days, Dana will apply to 5 apartments."
    assert other.save_plan() == plan_id
    assert store.load_plan("cw", plan_id)["plan"]["goals"][0]["text"].startswith("Within 60")
    other.delete_plan(plan_id)
    assert store.list_plans("cw") == [] and other._saved.options == ()


def test_workspace_refuses_a_nameless_client_and_a_failed_save_keeps_the_old(store, tmp_path):
    """No name: a clear message. A save the database refuses leaves the saved plan as it was."""
    import sqlite3

    ws = Workspace(store, owner="cw")
    ws._use_profile()
    assert "the client needs a name" in ws.status
    fill_profile(ws)
    plan_id = ws.save_plan()
    with sqlite3.connect(tmp_path / "drafts.sqlite") as conn:
        conn.execute("CREATE TRIGGER full BEFORE UPDATE ON plans BEGIN "
                     "SELECT RAISE(ABORT, 'database or disk is full'); END")
    ws.builder.editors[0].text.value = "changed"
    assert ws.save_plan() is None
    assert "Not saved" in ws.status and "unchanged" in ws.status
    assert store.load_plan("cw", plan_id)["plan"]["goals"][0]["text"] == ""


def test_a_chart_built_before_the_visit_is_known_takes_up_the_draft(store):
    """A preheated page builds the chart with no trainee; follow() then fills in their draft."""
    chart_for(store, owner="ana").set_cell("legal", "now", "10 p.m. curfew on parole")
    early = AssessmentChart(get_scenario("marcus-art"), cached_directory(), store, None,
                            debounce=0)
    assert early.chart.row("legal").now == "" and early.saved == ""
    early.follow("ana")
    assert early._cells[("legal", "now")].value == "10 p.m. curfew on parole"
    assert 'data-domain="legal"' in early._picture.value
    assert store.load_draft("local", "assessment-chart", "marcus-art") is None


def test_workspace_lists_plans_only_once_it_knows_the_caseworker(store):
    """A workspace built before the visit lists nothing; follow() shows that caseworker's plans."""
    store.save_plan("cw", {"client_name": "Dana Price", "plan": {}, "profile": {}})
    ws = Workspace(store, owner=None)
    assert ws._saved.options == ()
    ws.follow("cw")
    assert [label.split(" · ")[0] for label, _id in ws._saved.options] == ["Dana Price"]


def test_start_page_links_carry_the_name_and_show_progress(store):
    """Module links carry ?trainee=&cohort=; a finished module shows its score out of its total."""
    from casecoach.course import Note, save_note
    from widgets import StartPage

    store.record_progress("Sam", "01-smart-goals", cohort="NOV", attempts=3)
    store.record_progress("Sam", "01-smart-goals", score=7, completed=True)
    save_note(store, "Sam", Note("01-smart-goals", "the drill", score=7, out_of=10, slot="drill",
                                 open=False))
    page = StartPage("Sam", "NOV", store=store)
    cards = page._cards.value
    assert 'href="01-smart-goals.ipynb?trainee=Sam&amp;cohort=NOV"' in cards
    assert "completed · score 7/10" in cards and "not started" in cards


def test_supervisor_runs_a_chart_row_exercise_and_the_wall_escapes_and_marks_labels(store):
    """The supervisor switches to chart rows, a trainee fills one in with live feedback and
    submits; the wall shows the cells as text, marks the label, and the summary counts key items."""
    from widgets.group import SupervisorWall, TraineeExercise

    wall = SupervisorWall(store=store)
    goal_items = wall._item.options
    wall._kind.value = "chart_row"
    assert wall._item.description == "Chart row"
    assert ("Marcus: Daily living and housing", "marcus-art/housing") in wall._item.options
    assert set(wall._item.options).isdisjoint(goal_items)
    wall._item.value = "marcus-art/housing"
    wall.start(*wall._item.value.split("/"), kind=wall._kind.value)
    assert 'data-kind="chart_row"' in wall._code.value and "Daily living and housing" in wall._code.value

    trainee = TraineeExercise(store=store, trainee="Ana")
    trainee.join(wall.exercise.code)
    assert trainee.coach is None and trainee.row is not None
    assert "Marcus" in trainee.row.children[0].children[0].children[0].value  # the intake
    trainee.row.debounce = 0
    trainee.row.set_cells(now="He is an addict <script>x</script>", wants="I want my own place")
    assert 'data-labels="1"' in trainee.row._feedback.value
    assert trainee.submit() == 1
    wall.refresh()
    assert 'data-count="1"' in wall._wall.value
    assert "<script>" not in wall._wall.value and "&lt;script&gt;" in wall._wall.value
    assert re.search(r'He is an <mark class="cc-flag cc-flag-label"[^>]*>addict</mark>', wall._wall.value)
    assert 'data-criterion="no_labels" data-met="0"' in wall._summary.value
    assert 'data-criterion="own_words" data-met="1"' in wall._summary.value
    assert wall.export().startswith("exercise,case,item,trainee,now,wants,strengths,barriers")


def test_the_supervisors_export_has_every_version_and_the_wall_the_latest(store):
    """A trainee revises a chart row twice: the wall shows the third version only; the
    downloaded CSV has all three, each with its own cells and review, the last marked latest."""
    import base64
    import csv
    import io

    from widgets.group import SupervisorWall, TraineeExercise

    wall = SupervisorWall(store=store)
    wall.start("marcus-art", "housing", kind="chart_row")
    trainee = TraineeExercise(store=store, trainee="Ana")
    trainee.join(wall.exercise.code)
    trainee.row.debounce = 0
    for n, now in enumerate(["=He is an addict", "Sleeps at the shelter",
                             "Sleeps at the shelter, 30-night limit"], start=1):
        trainee.row.set_cells(now=now)
        assert trainee.submit() == n
    wall.refresh()
    assert 'data-count="1"' in wall._wall.value and "30-night limit" in wall._wall.value
    assert "He is an addict" not in wall._wall.value
    wall.export()
    data = re.search(r'href="data:text/csv;base64,([^"]+)"', wall._download.value).group(1)
    rows = list(csv.DictReader(io.StringIO(base64.b64decode(data).decode("utf-8"))))
    assert [(r["now"], r["version"], r["revisions"], r["latest"]) for r in rows] == [
        ("'=He is an addict", "1", "3", "False"), ("Sleeps at the shelter", "2", "3", "False"),
        ("Sleeps at the shelter, 30-night limit", "3", "3", "True")]
    assert [r["labels"] for r in rows][:2] == ["addict", ""]
    assert {r["trainee"] for r in rows} == {"Trainee 1"}


def test_trainee_sees_why_an_empty_row_or_a_wrong_code_is_refused(store):
    """Submitting an empty row, or joining with a code that does not exist, says what is wrong."""
    from casecoach import exercises
    from widgets.group import TraineeExercise

    exercise = exercises.create(store, "jade-diploma", "vocational", "sup", kind="chart_row")
    trainee = TraineeExercise(store=store, trainee="Bo")
    trainee.join("ZZZZZ")
    assert "no exercise has the code" in trainee._message.value
    trainee.join(exercise.code)
    assert trainee.submit() is None
    assert "fill in at least one cell" in trainee._message.value
    assert store.submissions_for(exercise.id) == []


def test_submit_sits_beside_check_above_the_feedback(store):
    """In a rewrite exercise the Submit button is in Check's row, so the growing checklist below
    cannot move it while the trainee clicks."""
    from casecoach import exercises
    from widgets.group import TraineeExercise

    exercise = exercises.create(store, "marcus-art", "rg-housing", "sup")
    trainee = TraineeExercise(store=store, trainee="Cy")
    trainee.join(exercise.code)
    row = next(c for c in trainee.coach.children[0].children[0].children
               if trainee.coach._check in getattr(c, "children", ()))
    assert any("cc-submit" in b._dom_classes for b in row.children)


def test_supervisor_runs_a_respond_to_the_client_exercise_with_the_rooms_counts(store):
    """The third kind: the room responds to a client's line with the judge's live feedback; the
    wall shows each response escaped with its code, the summary counts behaviours and slips, and
    the export has the code and findings, formula cells neutralised; a resumed exercise shows its
    line in the picker."""
    from casecoach import exercises
    from widgets.group import SupervisorWall, TraineeExercise

    wall = SupervisorWall(store=store)
    wall._kind.value = "response"
    assert wall._item.description == "Client's line"
    assert any(v == "marcus-art/line-0" for _, v in wall._item.options)
    wall._item.value = "marcus-art/line-0"
    wall.start(*wall._item.value.split("/"), kind=wall._kind.value)
    assert 'data-kind="response"' in wall._code.value and "curfew" in wall._code.value

    ana = TraineeExercise(store=store, trainee="Ana")
    ana.join(wall.exercise.code)
    assert ana.row is None and "curfew" in ana.coach._line.value
    ana.coach._box.value = "Keeping your curfew matters to you, and you still want to be among artists."
    assert 'data-behaviour="reflection"' in ana.coach._feedback.value
    assert ana.submit() == 1
    bo = TraineeExercise(store=store, trainee="Bo")
    bo.join(wall.exercise.code)
    bo.coach._box.value = "=You should just ask your PO <b>now</b>."
    assert bo.submit() == 1
    wall.refresh()
    assert 'data-count="2"' in wall._wall.value and "&lt;b&gt;" in wall._wall.value
    assert 'data-criterion="complex_reflection" data-met="1"' in wall._summary.value
    assert 'data-criterion="input" data-met="1"' in wall._summary.value
    assert 'data-criterion="no_slip" data-met="1"' in wall._summary.value
    csv_text = wall.export()
    assert csv_text.startswith("exercise,case,item,trainee,response,revisions,version,latest,"
                               "submitted_at,behaviour,type,findings")
    assert "'=You should" in csv_text and "advice_without_permission" in csv_text
    again = SupervisorWall(store=store)
    again.resume(wall.exercise.code)
    assert again._kind.value == "response" and again._item.value == "marcus-art/line-0"
    from casecoach.errors import CasecoachError

    with pytest.raises(CasecoachError, match="line-0"):  # a line the case lacks, with those it has
        exercises.create(store, "marcus-art", "line-9", "sup", kind="response")


def test_supervisor_runs_a_follow_up_event_and_the_summary_counts_the_ladder_picks(store):
    """The fourth kind: the room answers a follow-up event with words and one ladder step; the
    wall shows each pick and the words escaped, the summary counts each step in ladder order
    (saying which fit) and how many met the talk findings, and the export has the step, whether
    it fits and the words, formula cells neutralised; a step is required."""
    from casecoach import exercises
    from casecoach.errors import CasecoachError
    from casecoach.scenarios import LADDER
    from widgets.group import SupervisorWall, TraineeExercise

    wall = SupervisorWall(store=store)
    wall._kind.value = "follow_up"
    assert wall._item.description == "Follow-up event"
    assert any(v == "marcus-art/fu-curfew" for _, v in wall._item.options)
    wall._item.value = "marcus-art/fu-curfew"
    wall.start(*wall._item.value.split("/"), kind=wall._kind.value)
    assert 'data-kind="follow_up"' in wall._code.value and "10:40 p.m." in wall._code.value

    ana = TraineeExercise(store=store, trainee="Ana")
    ana.join(wall.exercise.code)
    assert 'data-event="fu-curfew"' in ana.coach.children[0].value
    ana.coach._say.value = ("Thank you for calling me first, Marcus. What happened on the way "
                            "home?")
    assert 'data-criterion="open_question" data-met="true"' in ana.coach._said.value
    assert ana.submit() is None  # no step picked yet: refused, and said
    assert "pick one response" in ana._message.value
    ana.coach._ladder.value = "problem_solve"
    assert ana.submit() == 1
    assert 'data-verdict="fits_lowest"' in ana.coach._picked.value  # the pick's feedback, after
    bo = TraineeExercise(store=store, trainee="Bo")
    bo.join(wall.exercise.code)
    bo.coach._say.value = "=You broke curfew, you <b>addict</b>. You will be breached."
    bo.coach._ladder.value = "formal_sanction"
    assert bo.submit() == 1

    wall.refresh()
    assert 'data-count="2"' in wall._wall.value and "&lt;b&gt;addict" in wall._wall.value
    assert "<b>addict" not in wall._wall.value
    assert 'data-step="problem_solve" data-fits="true"' in wall._wall.value
    assert 'data-step="formal_sanction" data-fits="false"' in wall._wall.value
    summary = wall._summary.value
    order = [summary.index(f'data-criterion="{step}"') for step in LADDER]
    assert order == sorted(order)  # ladder order, lowest first
    assert 'data-criterion="problem_solve" data-met="1" data-fits="true"' in summary
    assert 'data-criterion="formal_sanction" data-met="1" data-fits="false"' in summary
    assert 'data-criterion="adjust_plan" data-met="0" data-fits="true"' in summary
    assert "A formal sanction (does not fit)" in summary
    assert 'data-criterion="said_ok" data-met="1"' in summary

    csv_text = wall.export()
    assert csv_text.startswith("exercise,case,item,trainee,step,step_fits,said,revisions,"
                               "version,latest,submitted_at,said_ok,findings_not_met")
    lines = csv_text.splitlines()
    assert lines[1].split(",")[4:6] == ["problem_solve", "True"]
    assert lines[2].split(",")[4:6] == ["formal_sanction", "False"]
    assert "'=You broke curfew" in csv_text and "no_threat_first" in csv_text

    again = SupervisorWall(store=store)
    again.resume(wall.exercise.code)
    assert again._kind.value == "follow_up" and again._item.value == "marcus-art/fu-curfew"
    with pytest.raises(CasecoachError, match="fu-curfew"):  # an event the case lacks
        exercises.create(store, "marcus-art", "fu-nothing", "sup", kind="follow_up")
    with pytest.raises(CasecoachError, match="unknown ladder step"):
        exercises.submit(store, wall.exercise, "Cy", {"said": "Hello.", "step": "jail"})
