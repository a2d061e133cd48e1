"""Two people of one name outside the Hub: each browser's id keeps their answers and drafts apart."""

from __future__ import annotations

import csv
import io

import pytest

from casecoach import exercises as ex
from casecoach import identity
from casecoach.errors import CasecoachError
from casecoach.store import Store

ANA_1, ANA_2 = "a" * 32, "b" * 32  # two browsers' ids, as visit.js makes them (32 hex digits)
REWRITE = "Within 4 weeks, Marcus will apply to 3 housing programs with his sister Denise."


def test_a_name_with_a_browser_id_is_its_own_person_and_the_login_ignores_it():
    """Outside the Hub the person is the name and the browser id; under it, the login alone."""
    one, two = identity.person("Ana", ANA_1, {}), identity.person(" Ana ", ANA_2, {})
    assert one != two and identity.name_of(one) == identity.name_of(two) == "Ana"
    assert identity.person("Ana", ANA_1, {}) == one               # a reload: the same person
    assert identity.person(one, ANA_1, {}) == one                 # already a person: kept
    assert identity.person("Ana", "", {}) == "Ana"                # no id: the name, as before
    assert identity.person("Ana", "short", {}) == "Ana"           # not an id: ignored
    assert identity.person("Ana", "<script>alert(1)</script>xxxxxxxx", {}) == "Ana"
    assert identity.person("ana", ANA_1, {"JUPYTERHUB_USER": "ana"}) == "ana"
    assert identity.is_browser_owner(one) and not identity.is_browser_owner("Ana")
    with pytest.raises(CasecoachError, match="control characters"):
        identity.person("Ana\x1fbbbb", ANA_1, {})


def test_labels_number_the_second_person_of_a_name_and_never_repeat_one():
    """The first Ana shows "Ana", the second "Ana (2)"; a typed "Ana (2)" keeps its own label."""
    first, second = identity.person("Ana", ANA_1, {}), identity.person("Ana", ANA_2, {})
    assert identity.labels([first, "Ben", second]) == {first: "Ana", "Ben": "Ben",
                                                       second: "Ana (2)"}
    # An old row without a browser id is a person too, shown first as it came first.
    assert identity.labels(["Ana", first]) == {"Ana": "Ana", first: "Ana (2)"}
    typed = identity.person("Ana (2)", "c" * 32, {})
    shown = identity.labels([first, typed, second])
    assert shown == {first: "Ana", typed: "Ana (2)", second: "Ana (3)"}
    assert len(set(shown.values())) == 3


def test_two_anas_in_two_browsers_are_two_entries_on_the_wall_and_in_the_csv(tmp_path):
    """Both answers stay; the wall and the CSV show "Ana" and "Ana (2)" in first-come order;
    a revision from the first browser revises its own answer only."""
    store = Store.open(f"sqlite:///{tmp_path / 'wall.db'}")
    exercise = ex.create(store, "marcus-art", "rg-housing", "sup")
    first, second = identity.person("Ana", ANA_1, {}), identity.person("Ana", ANA_2, {})
    assert ex.submit(store, exercise, first, "Marcus will find housing.") == 1
    assert ex.submit(store, exercise, second, REWRITE) == 1
    assert ex.submit(store, exercise, first, "Within 2 weeks, Marcus will call 2 landlords.") == 2
    entries = ex.wall(store, exercise)
    assert [(e.name, e.revision, e.text) for e in entries] == [
        ("Ana", 2, "Within 2 weeks, Marcus will call 2 landlords."), ("Ana (2)", 1, REWRITE)]
    rows = list(csv.DictReader(io.StringIO(ex.export_csv(entries, True, exercise))))
    assert {r["trainee"] for r in rows} == {"Ana", "Ana (2)"}
    assert "\x1f" not in ex.export_csv(entries, True, exercise)


def test_the_join_page_keys_answers_by_this_browser(monkeypatch, tmp_path):
    """Two join pages, each opened with its browser's id, both as "Ana": two answers on the wall,
    labelled apart when names are shown; a page opened again in the first browser revises its
    answer."""
    from widgets import SupervisorWall, TraineeExercise, page_visit

    store = Store.open(f"sqlite:///{tmp_path / 'room.db'}")
    wall = SupervisorWall(store=store, supervisor="sup")
    wall.start("marcus-art", "rg-housing")

    def ana_submits(browser: str, text: str) -> TraineeExercise:
        monkeypatch.setenv("QUERY_STRING", f"trainee=Ana&browser={browser}&code={wall.exercise.code}")
        assert page_visit() == ("Ana", "")
        page = TraineeExercise(store=store, trainee="Ana")
        page.join(wall.exercise.code)
        page.coach.value = text
        page.submit()
        return page

    assert ana_submits(ANA_1, "Marcus will find housing.").revision == 1
    assert ana_submits(ANA_2, REWRITE).revision == 1
    assert ana_submits(ANA_1, "Within 2 weeks, Marcus will call 2 landlords.").revision == 2
    wall.refresh()
    assert [e.name for e in wall.entries] == ["Ana", "Ana (2)"]
    assert "Trainee 1" in wall._wall.value and "Trainee 2" in wall._wall.value
    wall._set(names_shown=True)
    assert '<b>Ana</b>' in wall._wall.value and '<b>Ana (2)</b>' in wall._wall.value
    assert "\x1f" not in wall._wall.value
    assert [label for label, _v in wall._spotlight.options] == [
        "Spotlight: none", "Spotlight: Ana", "Spotlight: Ana (2)"]


def test_drafts_and_progress_are_this_browsers_and_an_older_draft_is_still_found(monkeypatch,
                                                                                tmp_path):
    """A goal draft saved in one browser is not another's of the same name; a draft kept under
    the bare name (before browser ids) is found until the person saves their own; the progress
    table shows two Anas apart."""
    from widgets import page_visit
    from widgets._services import Recorder
    from widgets.goal_coach import _Drafts

    store = Store.open(f"sqlite:///{tmp_path / 'drafts.db'}")
    store.save_draft("Ana", "goal", "marcus-art/rg-housing", {"text": "saved before ids"})

    def in_browser(browser: str) -> _Drafts:
        monkeypatch.setenv("QUERY_STRING", f"trainee=Ana&browser={browser}")
        page_visit()
        return _Drafts(store, "")

    first = in_browser(ANA_1)
    assert first.load("goal", "marcus-art/rg-housing") == {"text": "saved before ids"}
    first.save("goal", "marcus-art/rg-housing", {"text": "first Ana's"})
    Recorder("01-smart-goals", store_=store).attempt()
    second = in_browser(ANA_2)
    assert second.load("goal", "marcus-art/rg-housing") == {"text": "saved before ids"}
    second.save("goal", "marcus-art/rg-housing", {"text": "second Ana's"})
    Recorder("01-smart-goals", store_=store).attempt()
    assert in_browser(ANA_1).load("goal", "marcus-art/rg-housing") == {"text": "first Ana's"}
    assert store.load_draft("Ana", "goal", "marcus-art/rg-housing") == {"text": "saved before ids"}
    table = ex.progress_table(store, ["01-smart-goals"])
    assert sorted(table["trainee"]) == ["Ana", "Ana (2)"]
    assert "\x1f" not in ex.progress_csv(table)


def test_under_the_hub_the_browser_id_is_ignored_and_none_is_made(monkeypatch):
    """In room mode the person is the login: an id in the address is dropped, the header hands
    none to the browser, and a page without one makes none."""
    from widgets import page_visit
    from widgets.page import CourseHeader, current_visit, person

    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("QUERY_STRING", f"trainee=ben&browser={ANA_1}")
    assert page_visit() == ("ana", "")
    assert person("ana") == "ana" and current_visit() == ("ana", "")
    assert 'data-browser=""' in CourseHeader("07-join-exercise")._html.value


def test_a_page_opened_without_an_id_makes_one_and_hands_it_to_the_browser(monkeypatch):
    """Outside the Hub a page whose address has no (valid) id works under a new one, shown in
    the header for visit.js to keep; an address with an id keeps it."""
    from widgets import page_visit
    from widgets.page import CourseHeader, person

    monkeypatch.setenv("QUERY_STRING", "trainee=Ana&browser=not-an-id")
    page_visit()
    header = CourseHeader("07-join-exercise")
    made = header.browser
    assert identity.browser_id(made) and f'data-browser="{made}"' in header._html.value
    assert identity.name_of(person("Ana")) == "Ana" and person("Ana").endswith(made)
    monkeypatch.setenv("QUERY_STRING", f"trainee=Ana&browser={ANA_1}")
    page_visit()
    assert header.browser == ANA_1 and person("Ana") == identity.person("Ana", ANA_1, {})
