"""The workspace without a browser: it never destroys a saved plan, and shows no training leftovers."""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

import ipywidgets as w
import pytest

from casecoach.store import Store
from widgets import Workspace
from widgets.plan_builder import PlanBuilder


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'plans.sqlite'}")


def started(store: Store, name: str = "Dana Price", owner: str = "cw") -> Workspace:
    """A workspace with a profile in use, a goal and a step, and a chart cell."""
    ws = Workspace(store, owner=owner)
    ws._name.value = name
    ws._lists["own_goals"].value = "I want my own place"
    ws._lists["strengths"].value = "Forklift licence\nSister Keisha"
    ws._use_profile()
    goal = ws.builder.editors[0]
    goal.text.value = "Within 30 days, Dana will apply to 3 apartments with her sister Keisha."
    goal.add_step().text.value = "Call the Housing Hub"
    ws.chart.set_cell("housing", "now", "Sleeping on a friend's couch")
    return ws


def buttons(ws: Workspace) -> dict[str, w.Button]:
    """The choices the message bar offers now, by CSS class."""
    return {next(c for c in b._dom_classes if c.startswith("cc-ws-")): b
            for b in ws._actions.children}


def html_of(widget) -> str:
    """Every HTML widget's text inside `widget`, joined."""
    found = []

    def walk(x):
        if isinstance(x, w.HTML):
            found.append(x.value)
        for child in getattr(x, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(found)


def test_use_this_profile_on_an_open_plan_keeps_the_chart_goals_and_steps(store):
    """Changing the profile of an opened plan and pressing Use this profile again updates the
    profile and the plan's name, and keeps every chart cell, goal and step."""
    plan_id = started(store).save_plan()
    ws = Workspace(store, owner="cw")
    ws.open_plan(plan_id)
    ws._name.value = "Dana Price-Okafor"
    ws._pronouns.value = "she/her"
    ws._use_profile()
    assert "the chart, goals and steps are kept" in ws.status
    assert ws.builder.current().client_name == "Dana Price-Okafor"
    assert ws.builder.editors[0].text.value.startswith("Within 30 days")
    assert [s.text.value for s in ws.builder.editors[0].steps] == ["Call the Housing Hub"]
    assert ws.chart.chart.row("housing").now == "Sleeping on a friend's couch"
    assert ws.builder.case.client["pronouns"] == "she/her"
    assert ws.dirty


def test_resources_picked_in_the_chart_are_saved_and_come_back(store):
    """A resource picked in a chart row is in the saved plan and picked again when it is opened,
    even one that matching would no longer suggest for that row."""
    from casecoach.assessment import Chart

    ws = started(store)
    first = ws.chart._pickers["housing"].options[0][1]
    ws.chart.set_cell("housing", "resources", (first,))
    plan_id = ws.save_plan()
    body = store.load_plan("cw", plan_id)
    assert Chart.from_dict(body["chart"]).row("housing").resources == (first,)
    other = Workspace(store, owner="cw")
    other.open_plan(plan_id)
    assert other.chart._pickers["housing"].value == (first,)
    assert not other.dirty

    offered = {v for _l, v in other.chart._pickers["housing"].options}
    elsewhere = next(v for _l, v in other.chart._pickers["legal"].options if v not in offered)
    rows = {**body["chart"]["rows"], "housing": {**body["chart"]["rows"]["housing"],
                                                 "resources": [first, elsewhere]}}
    store.save_plan("cw", {**body, "chart": {**body["chart"], "rows": rows}}, plan_id, version=1)
    again = Workspace(store, owner="cw")
    again.open_plan(plan_id)
    assert again.chart._pickers["housing"].value == (first, elsewhere)
    assert again.chart.current().row("housing").resources == (first, elsewhere)


def test_a_save_made_on_an_older_version_is_refused_with_reload_and_copy(store):
    """Two workspaces open version 1; the second to save is refused with a message naming the
    new version and the choice to reload it or save a copy; nothing of the first save is lost."""
    plan_id = started(store).save_plan()
    tab_a, tab_b = Workspace(store, owner="cw"), Workspace(store, owner="cw")
    tab_a.open_plan(plan_id)
    tab_b.open_plan(plan_id)
    tab_a.builder.editors[0].text.value = "Within 45 days, Dana will apply to 4 apartments."
    assert tab_a.save_plan() == plan_id and tab_a.plan_version == 2
    tab_b.builder.editors[0].text.value = "Within 60 days, Dana will apply to 5 apartments."
    assert tab_b.save_plan() is None
    assert "changed in another tab or window" in tab_b.status and "version 2" in tab_b.status
    assert set(buttons(tab_b)) == {"cc-ws-reload", "cc-ws-save-copy"}
    assert store.load_plan("cw", plan_id)["plan"]["goals"][0]["text"].startswith("Within 45")
    assert tab_b.dirty

    copy = buttons(tab_b)["cc-ws-save-copy"]
    copy.click()
    assert tab_b.plan_id not in (None, plan_id) and tab_b.plan_version == 1
    names = [p.client_name for p in store.list_plans("cw")]
    assert sorted(names) == ["Dana Price", "Dana Price (copy)"]
    assert store.load_plan("cw", tab_b.plan_id)["plan"]["goals"][0]["text"].startswith("Within 60")
    assert not tab_b.dirty and buttons(tab_b) == {}


def test_reload_after_a_refused_save_shows_the_saved_version(store):
    """Reload drops the refused work and opens what the other tab saved, at its version."""
    plan_id = started(store).save_plan()
    tab_a, tab_b = Workspace(store, owner="cw"), Workspace(store, owner="cw")
    tab_a.open_plan(plan_id)
    tab_b.open_plan(plan_id)
    tab_a.builder.editors[0].text.value = "Within 45 days, Dana will apply to 4 apartments."
    tab_a.save_plan()
    tab_b.builder.editors[0].text.value = "Mine"
    tab_b.save_plan()
    buttons(tab_b)["cc-ws-reload"].click()
    assert tab_b.builder.editors[0].text.value.startswith("Within 45")
    assert (tab_b.plan_version, tab_b.dirty) == (2, False)
    tab_b.builder.editors[0].text.value = "Within 50 days, Dana will apply to 4 apartments."
    assert tab_b.save_plan() == plan_id and tab_b.plan_version == 3


def test_unsaved_work_marks_the_page_and_saving_clears_the_mark(store):
    """Typing marks the workspace `cc-unsaved` (the template then asks before leaving); saving,
    or undoing the typing, clears it."""
    ws = Workspace(store, owner="cw")
    assert not ws.dirty and "cc-unsaved" not in ws._dom_classes
    ws._name.value = "Dana"
    assert ws.dirty and "cc-unsaved" in ws._dom_classes
    ws._name.value = ""
    assert not ws.dirty
    ws = started(store)
    assert "cc-unsaved" in ws._dom_classes
    ws.save_plan()
    assert "cc-unsaved" not in ws._dom_classes
    ws.chart.set_cell("health", "now", "Needs a GP")
    assert ws.dirty


def test_opening_another_plan_over_unsaved_work_asks_first(store):
    """With unsaved changes on screen, Open asks before dropping them; Keep leaves them."""
    plan_id = started(store).save_plan()
    ws = started(store, "Lee Ortiz")
    ws.open_plan(plan_id)
    assert ws._name.value == "Lee Ortiz" and "not saved" in ws.status
    buttons(ws)["cc-ws-keep"].click()
    assert ws._name.value == "Lee Ortiz" and ws.dirty
    ws.open_plan(plan_id)
    buttons(ws)["cc-ws-open-anyway"].click()
    assert ws._name.value == "Dana Price" and not ws.dirty


def test_delete_asks_to_confirm_and_can_be_undone_until_the_next_action(store):
    """Delete asks first; once confirmed the plan leaves the list and Undo brings it back whole;
    without Undo, the next action removes it for good."""
    ws = started(store)
    plan_id = ws.save_plan()
    ws.ask_delete(plan_id)
    assert "Delete Dana Price's saved plan?" in ws.status and "30 seconds" in ws.status
    buttons(ws)["cc-ws-keep"].click()
    assert [p.id for p in store.list_plans("cw")] == [plan_id]
    ws.ask_delete(plan_id)
    buttons(ws)["cc-ws-confirm-delete"].click()
    assert store.list_plans("cw") == [] and ws._saved.options == ()
    assert ws.dirty and ws.plan_id is None
    buttons(ws)["cc-ws-undo"].click()
    assert [p.id for p in store.list_plans("cw")] == [plan_id] and "is back" in ws.status
    assert (ws.plan_id, ws.plan_version, ws.dirty) == (plan_id, 1, False)

    ws.ask_delete(plan_id)
    buttons(ws)["cc-ws-confirm-delete"].click()
    ws._use_profile()   # the next action: the undo is over and the plan is gone for good
    assert buttons(ws) == {} and not store.restore_plan("cw", plan_id)
    assert ws.undo_delete() is False and "can no longer be undone" in ws.status


def test_an_undo_runs_out_after_its_time(store):
    """expire_undo (what the 30-second timer calls) takes the Undo away and purges the plan."""
    ws = started(store)
    plan_id = ws.save_plan()
    ws.ask_delete(plan_id)
    buttons(ws)["cc-ws-confirm-delete"].click()
    ws.expire_undo()
    assert buttons(ws) == {} and not store.restore_plan("cw", plan_id)


def test_steps_and_goals_can_be_removed(store):
    """Remove step and Remove this goal take them out of the plan, in the workspace and in the
    plan builder of a training case."""
    from casecoach.scenarios import get_scenario

    ws = started(store)
    goal = ws.builder.editors[0]
    goal.add_step().text.value = "View two rooms"
    goal.steps[0].children[-1].click()
    assert [s.text for s in ws.builder.current().goals[0].steps] == ["View two rooms"]
    ws.builder.add_goal()
    assert len(ws.builder.current().goals) == 2
    remove = next(b for b in ws.builder.editors[0].children[0].children
                  if "cc-remove-goal" in b._dom_classes)
    remove.click()
    assert len(ws.builder.current().goals) == 1 and ws.builder.current().goals[0].text == ""
    builder = PlanBuilder(get_scenario("marcus-art"))
    builder.add_goal().add_step()
    builder.editors[0].steps[0].children[-1].click()
    assert builder.current().goals[0].steps == ()
    builder.remove_goal(builder.editors[0])
    assert builder.current().goals == () and "no goals yet" in builder._checks.value


def test_the_workspace_shows_no_training_leftovers(store):
    """No empty intake box, no 'None' or empty fields in the client card, no '0 of 0 key items'."""
    ws = started(store)
    text = html_of(ws)
    assert "cc-intake" not in text and "Intake:" not in text
    assert "None" not in text and "· ·" not in text
    assert "key items" not in text
    assert not any("cc-intake" in c._dom_classes for c in ws.chart.children)
    assert "cc-reveal" not in repr(ws.chart.children)   # no key to compare with


def test_saved_plans_say_where_they_are_kept(store, tmp_path):
    """The list's caption names the SQLite file the plans are really in."""
    ws = Workspace(store, owner="cw")
    caption = html_of(ws.children[0])
    assert "Saved plans on this computer" in caption
    assert f'cc-ws-place">Kept in {(tmp_path / "plans.sqlite").resolve()}</div>' in caption


@pytest.mark.parametrize("name", ["a/b Okafor", "<b>Renée</b> O'Brien", "Zoë", "../../x"])
def test_an_export_never_fails_on_a_clients_name_and_shows_no_server_path(store, name):
    """PDF and DOCX export for any name: the file name is safe, the name is escaped in the page,
    no server path appears, and no copy of the plan is left on disk."""
    ws = started(store, name)
    before = set(Path(tempfile.gettempdir()).glob("casecoach-export-*"))
    for kind in ("pdf", "docx"):
        file_name = ws.builder.export(kind)
        assert file_name and re.fullmatch(r"plan-[a-z0-9-]+-\d{4}-\d\d-\d\d\.(pdf|docx)",
                                          file_name)
        link = ws.builder._download.value
        assert f'download="{file_name}"' in link and tempfile.gettempdir() not in link
        data = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
        assert data[:4] in (b"%PDF", b"PK\x03\x04")
    assert set(Path(tempfile.gettempdir()).glob("casecoach-export-*")) == before


def test_a_failed_export_names_no_server_path(store, monkeypatch):
    """When the document cannot be made, the message says why without the server's folders."""
    from casecoach import export
    from casecoach.errors import CasecoachError

    def refuse(plan, path, directory=None):
        raise CasecoachError("cannot save the plan: No space left on device", file=str(path))

    monkeypatch.setattr(export, "export_pdf", refuse)
    ws = started(store)
    assert ws.builder.export("pdf") is None
    message = ws.builder._download.value
    assert "No space left on device" in message and tempfile.gettempdir() not in message


def test_a_store_that_could_not_be_opened_when_the_page_started_is_used_once_it_can_be(
        tmp_path, monkeypatch):
    """A page whose store was busy or missing when its kernel started says saving is not
    available, and saves as soon as the store opens: the failure is not kept for good."""
    from casecoach import store as store_module
    from widgets import _services

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("CASECOACH_DB_URL", f"sqlite:///{blocked / 'casecoach.sqlite'}")
    monkeypatch.setattr(_services, "_RETRY_SECONDS", 0.0)
    store_module.default_store.cache_clear()
    try:
        ws = Workspace(owner="cw")
        assert ws.store is None
        ws._name.value = "Dana Price"
        ws._use_profile()
        assert ws.save_plan() is None
        assert "could not be opened" in ws.status

        monkeypatch.setenv("CASECOACH_DB_URL", f"sqlite:///{tmp_path / 'casecoach.sqlite'}")
        plan_id = ws.save_plan()
        assert plan_id is not None and "Saved (Dana Price)" in ws.status
        assert [p.client_name for p in Store.open(
            f"sqlite:///{tmp_path / 'casecoach.sqlite'}").list_plans("cw")] == ["Dana Price"]
    finally:
        store_module.default_store.cache_clear()


def record(ws: Workspace, when, happened: str, response: str = "", change: str = "") -> None:
    """Fill the follow-up form as a caseworker would, and press Add."""
    log = ws.follow_up_log
    log.when.value, log.happened.value = when, happened
    log.response.value, log.plan_change.value = response, change
    log.add()


def test_follow_ups_are_kept_with_the_plan_only_on_save_and_come_back_in_date_order(store):
    """Adding a follow-up marks the page unsaved; Save makes it a new version of the plan; the
    plan opened elsewhere lists the follow-ups in date order, escaped."""
    from datetime import date

    plan_id = started(store).save_plan()
    ws = Workspace(store, owner="cw")
    ws.open_plan(plan_id)
    assert not ws.dirty and "No follow-ups recorded yet." in html_of(ws.follow_up_log)
    record(ws, date(2026, 4, 2), "Got the <b>flat</b>", "Praised her applications")
    assert ws.dirty and ws.plan_version == 1
    record(ws, date(2026, 3, 22), "Lost her ride", "Bus pass together", "Step 1 by bus")
    other = Workspace(store, owner="cw")
    other.open_plan(plan_id)
    assert other.follow_up_log.follow_ups == ()   # nothing is stored until Save
    assert ws.save_plan() == plan_id and ws.plan_version == 2 and not ws.dirty
    other = Workspace(store, owner="cw")
    other.open_plan(plan_id)
    shown = html_of(other.follow_up_log)
    assert "Got the &lt;b&gt;flat&lt;/b&gt;" in shown and "<b>flat</b>" not in shown
    assert shown.index("2026-03-22") < shown.index("2026-04-02")
    assert "Plan change: Step 1 by bus" in shown and not other.dirty
    assert [f.happened for f in other.builder.current().history] == ["Lost her ride",
                                                                     "Got the <b>flat</b>"]


def test_removing_a_follow_up_marks_the_page_unsaved_and_save_drops_it(store):
    """Remove takes a follow-up out, the page is unsaved until Save, and the saved plan has it no
    more."""
    from datetime import date

    ws = started(store)
    record(ws, date(2026, 3, 22), "Lost her ride")
    record(ws, date(2026, 4, 2), "Got the flat")
    plan_id = ws.save_plan()
    remove = [b for b in ws.follow_up_log._list.children if isinstance(b, w.HBox)][0].children[1]
    remove.click()
    assert ws.dirty and [f.happened for f in ws.follow_up_log.follow_ups] == ["Got the flat"]
    ws.save_plan()
    again = Workspace(store, owner="cw")
    again.open_plan(plan_id)
    assert [f.happened for f in again.follow_up_log.follow_ups] == ["Got the flat"]


def test_a_follow_up_without_a_date_or_words_is_refused_and_keeps_what_was_typed(store):
    """Add without a date, or without what happened, says which is missing, records nothing,
    leaves the page as it was and keeps the form's text."""
    from datetime import date

    ws = started(store)
    ws.save_plan()
    record(ws, None, "Lost her <i>ride</i>", "Bus pass")
    log = ws.follow_up_log
    assert "The new follow-up needs the date it happened: pick it." in log._error.value
    assert (log.follow_ups, ws.dirty) == ((), False)
    assert (log.happened.value, log.response.value) == ("Lost her <i>ride</i>", "Bus pass")
    record(ws, date(2026, 3, 22), "  ")
    assert "The new follow-up needs a few words on what happened." in log._error.value
    assert log.follow_ups == () and not ws.dirty


def test_an_export_from_the_workspace_has_the_follow_ups(store):
    """The plan's document, exported from the workspace, has the follow-ups recorded on screen."""
    import base64 as b64
    import io
    from datetime import date

    import docx

    ws = started(store)
    record(ws, date(2026, 3, 22), "Lost her ride to the Hub", "Bus pass together")
    ws.builder.export("docx")
    link = ws.builder._download.value
    data = b64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Follow-ups" in text and "Lost her ride to the Hub" in text
    assert "What we did: Bus pass together" in text
