"""Field lengths and hostile text in plans: checked before the store or an export sees them, exports cleaned."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pypdf
import pytest
from test_store_databases import db_url, open_store, pg_server_url, store  # noqa: F401 (fixtures)

from harness import largest_plan

from casecoach import export
from casecoach.errors import CasecoachError
from casecoach.export import export_docx, export_pdf
from casecoach.plan import Plan, PlanGoal, Step, check_plan, length_findings
from casecoach.practice import goal_bank
from casecoach.scenarios import get_scenario
from widgets.goal_coach import GoalCoach
from widgets.plan_builder import PlanBuilder, Workspace

GOOD_GOAL = "Within 4 weeks, Marcus will apply to 3 fair-chance housing programs with his sister."
LONG_GOAL = "Within 4 weeks " + "word " * 1200     # 6,014 characters


# -- limits in the domain ------------------------------------------------------------------------

def test_every_field_over_its_limit_is_a_finding_of_the_plan():
    """Names, goals, steps and their lists over settings.yaml's limits are each named in the
    plan's checks, with length and limit."""
    plan = Plan("N" * 121, date(2026, 3, 1), (
        PlanGoal(LONG_GOAL.strip(), steps=(Step("s" * 2001, who="W" * 121),)),
        PlanGoal(GOOD_GOAL, steps=tuple(Step("call") for _ in range(21))),
    ), caseworker="C" * 200, declined=("d" * 2001,))
    assert [f.message for f in length_findings(plan)] == [
        "The client's name is 121 characters long, more than the 120 it may have: shorten it.",
        "The caseworker's name is 200 characters long, more than the 120 it may have: shorten "
        "it.",
        "Goal 1 is 6,014 characters long, more than the 5,000 it may have: shorten it.",
        "Goal 1, step 1 is 2,001 characters long, more than the 2,000 it may have: shorten it.",
        "Goal 1, step 1: the name of who does it is 121 characters long, more than the 120 it "
        "may have: shorten it.",
        "Goal 2's list of steps has 21, more than the 20 it may have: remove some.",
        "Declined service 1 is 2,001 characters long, more than the 2,000 it may have: shorten "
        "it.",
    ]
    findings = check_plan(plan).problems
    assert set(length_findings(plan)) <= set(findings)


def test_a_goal_the_review_refuses_is_a_finding_not_an_error():
    """A goal over the review's limit, or with control characters, is a plan finding; the plan
    check no longer raises (it did, and the page's checks stopped updating)."""
    plan = Plan("Dana", date(2026, 3, 1), (PlanGoal("Get a job\x0b by 1 June 2026."),
                                           PlanGoal(LONG_GOAL)))
    messages = [f.message for f in check_plan(plan).problems]
    assert "Goal 1 cannot be reviewed: it contains control characters (binary data?)." in messages
    assert ("Goal 2 is 6,014 characters long, more than the 5,000 it may have: shorten it."
            in messages)


def test_check_lengths_raises_with_the_first_and_a_count():
    """Plan.check_lengths names the first field over its limit and how many more there are."""
    plan = Plan("N" * 300, date(2026, 3, 1), caseworker="C" * 300)
    with pytest.raises(CasecoachError) as caught:
        plan.check_lengths()
    assert caught.value.message == ("The client's name is 300 characters long, more than the "
                                    "120 it may have: shorten it. (and 1 more)")
    largest_plan().check_lengths()


# -- the review panels -----------------------------------------------------------------------------

def test_plan_goal_over_the_limit_says_so_in_its_review_panel_and_recovers():
    """A 6,000-character plan goal shows a clear notice under it, and the panel reviews again
    once the goal is shortened (an uncaught error in the observer used to freeze it)."""
    builder = PlanBuilder(get_scenario("marcus-art"))
    editor = builder.add_goal()
    editor.text.value = LONG_GOAL
    assert editor.review.value == (
        '<div class="cc-notice" role="alert">This goal cannot be reviewed yet: it is 6014 '
        'characters long; a goal has at most 5000. Keep the goal to a sentence or two; the steps '
        'hold the detail.</div>')
    assert any("6,014 characters long" in f.message for f in builder.review.problems)
    editor.text.value = GOOD_GOAL
    assert 'class="cc-fb"' in editor.review.value
    assert not any(f.check == "length" for f in builder.review.findings)


def test_goal_coach_over_the_limit_says_so_and_recovers():
    """The goal coach shows the same notice for a rewrite over the limit, then reviews again."""
    coach = GoalCoach(goal_bank()[0], debounce=0)
    coach.value = LONG_GOAL
    assert "This goal cannot be reviewed yet: it is 6014 characters long" in coach._feedback.value
    assert coach.review is None
    coach.value = GOOD_GOAL
    assert coach.review is not None and 'class="cc-fb"' in coach._feedback.value


# -- the workspace: the same limits on SQLite and PostgreSQL, before the store -------------------

def _workspace(store, name: str) -> Workspace:
    workspace = Workspace(store=store, owner="sam")
    workspace._name.value = name
    workspace._use_profile()
    return workspace


def test_a_client_name_over_the_limit_is_refused_before_the_store(store):
    """A 300-character client name is refused with the limit on both databases (PostgreSQL
    raised a DataError where SQLite kept it); nothing is stored."""
    workspace = _workspace(store, "Dana Price")
    workspace._name.value = "N" * 300
    assert workspace.save_plan() is None
    assert "The client&#x27;s name is 300 characters long, more than the 120 it may have" in \
        workspace._message.value
    assert store.list_plans("sam") == []
    workspace._use_profile()
    assert "The client&#x27;s name is 300 characters long" in workspace._message.value


def test_a_plan_field_over_the_limit_is_not_saved_and_the_work_stays(store):
    """A caseworker name over the limit is refused with its message; the work stays on screen
    and saves once it is shortened."""
    workspace = _workspace(store, "Dana Price")
    workspace.builder._caseworker.value = "C" * 250
    assert workspace.save_plan() is None
    assert "The caseworker&#x27;s name is 250 characters long" in workspace._message.value
    assert store.list_plans("sam") == []
    workspace.builder._caseworker.value = "Sam Lee"
    assert workspace.save_plan() is not None
    assert [p.client_name for p in store.list_plans("sam")] == ["Dana Price"]


def test_a_name_at_the_limit_saves_as_a_copy_on_both_databases(store):
    """A 120-character name, saved as a copy (" (copy)" added), fits the store's column."""
    workspace = _workspace(store, "N" * 120)
    assert workspace.save_copy() is not None
    assert [p.client_name for p in store.list_plans("sam")] == ["N" * 120 + " (copy)"]


# -- exports ---------------------------------------------------------------------------------------

def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    body = [p.text for p in document.paragraphs]
    body += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(body + [p.text for p in document.sections[0].footer.paragraphs])


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


HOSTILE = Plan("Ana\x1b[31m Ruiz", date(2026, 3, 1), (
    PlanGoal("Within 4 weeks,\x0b Ana will open a bank account\x00 with her ID.",
             client_words="I want \u202emy own\u202c money\x07",
             steps=(Step("Call\tthe bank\x1f", "caseworker", "Bo\x08b", date(2026, 3, 5)),)),),
    caseworker="Sam\x0c Lee", declined=("Budget\x7f class\x85",), right_to_decline_explained=True)


@pytest.mark.parametrize("exporter,reader", [(export_docx, _docx_text), (export_pdf, _pdf_text)])
def test_control_and_bidi_characters_are_removed_from_exports(tmp_path, exporter, reader):
    """Vertical tab, ESC, NUL, bell, DEL, C1 controls and right-to-left overrides are taken out
    (DOCX export failed on them); a tab becomes a space; the words stay."""
    text = reader(exporter(HOSTILE, tmp_path / "plan.out"))
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
                   or 0x202a <= ord(c) <= 0x202e for c in text)
    flat = " ".join(text.split())
    for words in ("Ana[31m Ruiz", "open a bank account with her ID", "my own money",
                  "Call the bank", "Bob", "Sam Lee", "Budget class"):
        assert words in flat


def test_a_long_name_is_shortened_in_the_footer_and_document_properties(tmp_path):
    """A client name at the limit is whole in the title, shortened with an ellipsis in the
    one-line footer; Word's 255-character properties are never exceeded."""
    name = ("Maria-Fernanda " * 8)[:120].strip()
    plan = replace(HOSTILE, client_name=name, caseworker="C" * 120)
    path = export_docx(plan, tmp_path / "plan.docx")
    document = docx.Document(str(path))
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Maria-Fernanda Maria-Fernanda…") and name not in footer
    assert document.paragraphs[0].text == f"{name}: your plan"
    props = document.core_properties
    assert all(len(v) <= 255 for v in (props.title, props.author, props.subject))
    pdf = pypdf.PdfReader(str(export_pdf(plan, tmp_path / "plan.pdf")))
    assert "Maria-Fernanda Maria-Fernanda…" in pdf.pages[0].extract_text()


@pytest.mark.parametrize("exporter", [export_docx, export_pdf])
def test_a_plan_over_the_limits_is_refused_with_the_field_and_no_file_is_left(tmp_path,
                                                                             exporter):
    """An export of a plan with a caseworker name of 300 characters (DOCX failed on it) or a
    step of a megabyte (PDF never ended) is refused at once, saying which field; no .part."""
    for plan, message in (
            (replace(HOSTILE, caseworker="C" * 300), "The caseworker's name is 300 characters"),
            (replace(HOSTILE, goals=(PlanGoal(GOOD_GOAL, steps=(Step("x " * 500_000),)),)),
             "Goal 1, step 1 is 1,000,000 characters long")):
        with pytest.raises(CasecoachError, match=message):
            exporter(plan, tmp_path / "plan.out")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("exporter,reader", [(export_docx, _docx_text), (export_pdf, _pdf_text)])
def test_the_largest_allowed_plan_exports(tmp_path, exporter, reader):
    """Every field at its limit, steps without a space: the export ends with a whole document
    (bench/hostile_inputs.py prints how long it takes)."""
    path = exporter(largest_plan(), tmp_path / "plan.out")
    text = "".join(reader(path).split())
    assert text.count("y") >= 3 * 20 * 2000  # every step of the three active goals, whole


@pytest.mark.parametrize("name,expected", [
    ("..\u202egpj.exe", "plan-gpj-exe-2026-03-01.pdf"),
    ("\u2066..\u2069/..", "plan-client-2026-03-01.pdf"),
    ("Ｒｅｎéｅ", "plan-renee-2026-03-01.pdf"),
    ("-rf", "plan-rf-2026-03-01.pdf"),
])
def test_export_file_names_have_no_dots_bidi_or_leading_dash(name, expected):
    """A file name is ASCII letters, digits and hyphens: no '..', no right-to-left override, a
    full-width name falls back to ASCII."""
    assert export.file_name(Plan(name, date(2026, 3, 1)), "pdf") == expected


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_temporary_folder_is_removed_once_the_download_is_on_the_page(tmp_path, monkeypatch,
                                                                         kind):
    """The document is made in a private temporary folder that is gone once the page has the
    download, and gone too when the export is refused."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    builder = PlanBuilder(get_scenario("marcus-art"))
    builder.add_goal().text.value = GOOD_GOAL
    assert builder.export(kind) is not None
    assert "data:application/" in builder._download.value
    assert list(tmp_path.iterdir()) == []
    builder._caseworker.value = "C" * 300
    assert builder.export(kind) is None
    assert "The caseworker&#x27;s name is 300 characters long" in builder._download.value
    assert list(tmp_path.iterdir()) == []
