"""The client's plan document: PDF and DOCX say the same things, in the client's order and words."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pypdf
import pypdfium2
import pytest

from casecoach import export
from casecoach.errors import CasecoachError
from casecoach.export import Paragraph, Table, export_docx, export_pdf, plan_document
from casecoach.language import label_spans
from casecoach.plan import Plan, PlanGoal, Step
from casecoach.resources import cached_directory

HOUSING_WORDS = "I want my own place, even just a room, where Kiara can come on a Saturday."
ART_WORDS = "I want to get paid for art. Signs, murals, design, anything with a brush in my hand."
HEALTH_WORDS = "I need my blood pressure pills before they run out."
RIGHT_TO_DECLINE = ("You can say no to any service in this plan. Saying no to one service will "
                    "not cost you any of the others.")


def marcus_plan() -> Plan:
    """Marcus Reid's plan: three goals from his case, resources from the shipped directory."""
    housing = PlanGoal(
        text="Within 4 weeks, before his 30 shelter nights are used, Marcus will apply to at least "
             "3 fair-chance or transitional housing programs, with support from his sister Denise, "
             "and bring the home he chooses to his parole officer for approval.",
        domain="housing", client_words=HOUSING_WORDS,
        steps=(
            Step("Go to the Housing Hub’s evening hours and ask for fair-chance landlord "
                 "referrals", "client", "Marcus", date(2026, 11, 24), "harrow-housing-hub",
                 "your sister Denise, who receives your mail"),
            Step("Call Foundry Lane House about a room and a parole-approved stay", "caseworker",
                 "", date(2026, 11, 27), "foundry-lane-house", "your steady reporting record"),
            Step("Pass on landlords’ replies that come to her address", "support person",
                 "Denise Reid", date(2026, 12, 4), "harrow-tenant-line",
                 "your sister Denise, who receives your mail"),
        ))
    art = PlanGoal(
        text="By the end of his eighth week home, Marcus will put together a portfolio of at "
             "least 10 pieces and send it with applications to 4 sign, print or mural "
             "businesses, using the lettering skills from his two years at the sign shop.",
        domain="vocational", client_words=ART_WORDS,
        steps=(
            Step("Photograph 10 new pieces and add the coordinator’s letter (“the class would "
                 "not have run without him”)", "client", "", date(2026, 12, 11), "",
                 "your portrait and lettering skills"),
            Step("Meet the fair-chance employment adviser to pick 4 businesses and write a "
                 "short résumé", "agency", "Harrow Fair Chance Employment Services",
                 date(2026, 12, 18), "harrow-fair-chance-employment",
                 "your two years at the sign shop"),
            Step("Take your portfolio to Harrow Sign & Mural Works", "client", "",
                 date(2027, 1, 8), "harrow-sign-and-mural-works",
                 "your portrait and lettering skills"),
        ))
    health = PlanGoal(
        text="Within 2 weeks, Marcus will see a doctor at the community health centre and "
             "collect a 30-day supply of his blood pressure medication, with his caseworker "
             "booking the first visit.",
        domain="health", client_words=HEALTH_WORDS,
        steps=(
            Step("Book a reentry clinic visit", "caseworker", "Renée Okafor", date(2026, 11, 19),
                 "harrow-community-health-centre", "you asked for help early"),
            Step("Collect the 30-day bridge supply", "client", "", date(2026, 11, 26),
                 "harrow-medication-access", "you asked for help early"),
        ))
    return Plan(client_name="Marcus Reid", plan_date=date(2026, 11, 17), caseworker="Renée Okafor",
                goals=(housing, art, health),
                strengths=("You draw portraits and hand lettering, and helped run the art program",
                           "You keep careful written accounts of your money",
                           "Denise, your sister, and Kiara’s mother back you up"),
                declined=("Weekly group budgeting class",), right_to_decline_explained=True)


def flat(text: str) -> str:
    """Whitespace (line breaks from wrapping, no-break spaces) made single spaces."""
    return " ".join(text.split())


def docx_text(path: Path) -> tuple[str, list[str]]:
    """All the DOCX's text in body order, and the kind ('p' or 'table') of each body item."""
    document = docx.Document(str(path))
    parts, kinds = [], []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            kinds.append("table")
            parts.append(" ".join(cell.text for row in item.rows for cell in row.cells))
        else:
            kinds.append("p")
            parts.append(item.text)
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    return flat("\n".join(parts) + "\n" + footer), kinds


def pdf_text(path: Path) -> str:
    return flat("\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, object]:
    """Marcus's plan written once as DOCX and PDF, with the text each file gives back."""
    folder = tmp_path_factory.mktemp("export")
    plan = marcus_plan()
    docx_path = export_docx(plan, folder / "marcus-plan.docx", cached_directory())
    pdf_path = export_pdf(plan, folder / "marcus-plan.pdf", cached_directory())
    text, kinds = docx_text(docx_path)
    return {"docx": docx_path, "pdf": pdf_path, "docx_text": text, "docx_kinds": kinds,
            "pdf_text": pdf_text(pdf_path)}


FORMATS = ["docx_text", "pdf_text"]


def test_document_model_puts_the_clients_words_before_any_step_table():
    """The shared document quotes every goal in the client's words before the first step table."""
    document = plan_document(marcus_plan(), cached_directory())
    blocks = [b for s in document.sections for b in s.blocks]
    first_table = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
    quotes = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.kind == "quote"]
    assert len(quotes) == 3 and max(quotes) < first_table
    assert blocks[quotes[0]].text == f"“{HOUSING_WORDS}”"


def test_docx_quotes_the_clients_words_before_the_first_step_table(exported):
    """In the DOCX body, the paragraph with the client's own words comes before the first table."""
    document = docx.Document(str(exported["docx"]))
    items = list(document.iter_inner_content())
    words_at = next(i for i, item in enumerate(items)
                    if not isinstance(item, docx.table.Table) and HOUSING_WORDS in item.text)
    table_at = next(i for i, item in enumerate(items) if isinstance(item, docx.table.Table))
    assert words_at < table_at


def test_pdf_quotes_the_clients_words_before_the_first_step(exported):
    """In the PDF's text, all three goals in the client's words come before the first step."""
    text = exported["pdf_text"]
    first_step = text.index("Go to the Housing Hub")
    for words in (HOUSING_WORDS, ART_WORDS, HEALTH_WORDS):
        assert text.index(flat(words)) < first_step


@pytest.mark.parametrize("kind", FORMATS)
def test_each_step_shows_who_by_when_and_where_with_phone(exported, kind):
    """Every step's owner, readable date, and resource name, address, phone and hours appear."""
    text = exported[kind]
    for expected in (
        "Tuesday 24 November 2026", "Friday 27 November 2026", "Friday 4 December 2026",
        "Friday 8 January 2027", "Thursday 19 November 2026",
        "Renée Okafor your caseworker", "Denise Reid backing you up", "You",
        "Harrow Housing Hub", "212 Dock Street, Harrow (east side)", "Phone 555-0101",
        "Open Mon-Fri 09:00-17:00; Tue 17:00-19:30",
        "Foundry Lane House", "Phone 555-0102",
        "Harrow Sign & Mural Works", "Phone 555-0126",
        "Harrow Community Health Centre", "Phone 555-0166",
        "Harrow Medication Access Program", "Phone 555-0177",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("kind", FORMATS)
def test_unknown_resource_is_shown_by_id_as_not_in_the_directory(exported, kind):
    """A resource id the directory does not have is printed with '(not in the directory)'."""
    assert "harrow-tenant-line (not in the directory)" in exported[kind]


@pytest.mark.parametrize("kind", FORMATS)
def test_signature_and_date_lines_for_client_and_caseworker(exported, kind):
    """The document ends with a signature and a date line for Marcus and for his caseworker."""
    text = exported[kind]
    client = text.index("Signature: Marcus Reid")
    caseworker = text.index("Signature: Renée Okafor, your caseworker")
    assert client < caseworker and text.count("Date") >= 2
    assert text.index("Signatures") < client


@pytest.mark.parametrize("kind", FORMATS)
def test_right_to_decline_and_declined_services_are_stated(exported, kind):
    """The client reads that saying no to one service costs none of the others, and what was declined."""
    text = exported[kind]
    assert RIGHT_TO_DECLINE in text
    assert "Weekly group budgeting class" in text


@pytest.mark.parametrize("kind", FORMATS)
def test_strengths_and_what_each_goal_builds_on_are_listed(exported, kind):
    """The client's strengths and each goal's strengths appear in the document."""
    text = exported[kind]
    assert "Your strengths" in text
    assert "You keep careful written accounts of your money" in text
    assert "This builds on: your portrait and lettering skills; your two years at the sign shop." in text


@pytest.mark.parametrize("kind", FORMATS)
def test_no_stigmatising_label_outside_names(exported, kind):
    """Nothing in the exported text labels the person (labels inside proper names are allowed)."""
    labels = [span.text for span, in_name in label_spans(exported[kind]) if not in_name]
    assert labels == []


@pytest.mark.parametrize("kind", FORMATS)
def test_curly_quotes_and_accents_survive(exported, kind):
    """Typographic quotes, apostrophes and accented letters come back out of the file unchanged."""
    text = exported[kind]
    for expected in ("“the class would not have run without him”", "résumé", "Renée",
                     "Housing Hub’s", f"“{HOUSING_WORDS}”"):
        assert expected in text, expected


def test_pdf_numbers_its_pages_and_embeds_its_own_font(exported):
    """A multi-page PDF says 'Page 1 of N' and uses only the Vera fonts it embeds, no OS font."""
    reader = pypdf.PdfReader(str(exported["pdf"]))
    pages = len(reader.pages)
    assert pages > 1 and f"Page 1 of {pages}" in exported["pdf_text"]
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("+BitstreamVeraSans" in name for name in fonts), fonts


def test_docx_footer_has_page_number_fields(exported):
    """The DOCX footer carries PAGE and NUMPAGES fields for the word processor to fill in."""
    footer = docx.Document(str(exported["docx"])).sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_first_page_renders_to_png(exported, artifacts):
    """The PDF's first page renders to artifacts/plan-page1.png, an image with real content on it."""
    target = artifacts / "plan-page1.png"
    pdf = pypdfium2.PdfDocument(str(exported["pdf"]))
    try:
        image = pdf[0].render(scale=1.5).to_pil()
    finally:
        pdf.close()
    image.save(target)
    assert target.stat().st_size > 20_000
    dark = sum(image.convert("L").histogram()[:200])
    assert image.width > 800 and dark / (image.width * image.height) > 0.02


def test_goals_on_hold_are_listed_apart_without_step_tables():
    """An inactive goal is not numbered with the active ones; it is listed under 'On hold for now'."""
    plan = marcus_plan()
    paused = PlanGoal(text="Join the art guild’s Thursday open studio within 2 months.",
                      domain="social", active=False,
                      client_words="I want to be around other artists.")
    document = plan_document(replace(plan, goals=plan.goals + (paused,)), cached_directory())
    headings = [s.heading for s in document.sections]
    assert "Goal 4: Social supports and leisure" not in headings
    on_hold = next(s for s in document.sections if s.heading == "On hold for now")
    assert any("I want to be around other artists." in b.text for b in on_hold.blocks)
    assert not any(isinstance(b, Table) for b in on_hold.blocks)
    assert headings.index("On hold for now") < headings.index("Signatures")


def test_without_right_to_decline_recorded_the_sentence_is_left_out():
    """The right-to-decline sentence is printed only when the plan records it was explained."""
    plan = replace(marcus_plan(), right_to_decline_explained=False, declined=())
    assert RIGHT_TO_DECLINE not in plan_document(plan, cached_directory()).text()


@pytest.mark.parametrize("exporter", [export_docx, export_pdf])
def test_missing_folder_raises_naming_the_path(tmp_path, exporter):
    """Saving into a folder that does not exist raises CasecoachError naming it; nothing is made."""
    target = tmp_path / "no-such-folder" / "plan.out"
    with pytest.raises(CasecoachError, match="no-such-folder") as caught:
        exporter(marcus_plan(), target, cached_directory())
    assert str(target) in str(caught.value)
    assert not target.parent.exists()


@pytest.mark.parametrize("exporter", [export_docx, export_pdf])
def test_unwritable_target_raises_and_leaves_no_file(tmp_path, exporter):
    """A target that cannot be written as a file (here a folder) raises; no file is left beside it."""
    target = tmp_path / "plan.out"
    target.mkdir()
    with pytest.raises(CasecoachError, match="plan.out"):
        exporter(marcus_plan(), target, cached_directory())
    assert target.is_dir() and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("exporter", [export_docx, export_pdf])
def test_parent_that_is_a_file_raises(tmp_path, exporter):
    """A path under something that is a file, not a folder, raises CasecoachError naming the path."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(CasecoachError, match="is not a folder"):
        exporter(marcus_plan(), blocker / "plan.out", cached_directory())


@pytest.mark.parametrize("exporter,renderer", [(export_docx, "_render_docx"),
                                               (export_pdf, "_render_pdf")])
def test_failed_export_keeps_the_old_file_and_leaves_no_part_file(tmp_path, monkeypatch,
                                                                   exporter, renderer):
    """When writing fails halfway, the earlier file at the target is untouched and no temp remains."""
    target = tmp_path / "plan.out"
    target.write_bytes(b"the plan from last week")

    def half_written(document, path):
        Path(path).write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, renderer, half_written)
    with pytest.raises(CasecoachError, match="No space left on device") as caught:
        exporter(marcus_plan(), target, cached_directory())
    assert str(target) in str(caught.value)
    assert target.read_bytes() == b"the plan from last week"
    assert list(tmp_path.iterdir()) == [target]


def test_permission_refused_when_saving_raises_and_keeps_the_old_file(tmp_path, monkeypatch):
    """A refusal at the moment the file is put in place raises CasecoachError; the old file stays."""
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old")

    def refuse(source, destination):
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr(export.os, "replace", refuse)
    with pytest.raises(CasecoachError, match="Permission denied"):
        export_pdf(marcus_plan(), target, cached_directory())
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_export_replaces_an_existing_file_and_returns_its_path(tmp_path):
    """Exporting over an earlier plan replaces it whole and returns the target path."""
    target = tmp_path / "plan.docx"
    target.write_bytes(b"old")
    assert export_docx(marcus_plan(), str(target)) == target
    assert HOUSING_WORDS in docx_text(target)[0]
    assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"]
    assert os.stat(target).st_size > 10_000


@pytest.mark.parametrize("exporter,reader", [(export_docx, lambda p: docx_text(p)[0]),
                                             (export_pdf, pdf_text)])
def test_markup_characters_are_printed_as_typed(tmp_path, exporter, reader):
    """Angle brackets and ampersands a caseworker types come out literally, not as formatting."""
    plan = Plan(client_name="Ana <b>Ruiz</b> & Łukasz", plan_date=date(2026, 1, 5),
                goals=(PlanGoal("Open a bank account by 30 January 2026 with <help> & ID.",
                                client_words="I want my own money & a card"),))
    text = reader(exporter(plan, tmp_path / "plan.out"))
    assert "Ana <b>Ruiz</b> & Łukasz: your plan" in text
    assert "<help> & ID" in text and "“I want my own money & a card”" in text


def test_a_step_longer_than_a_page_still_exports(tmp_path):
    """A pasted step too long for one page (as long as settings.yaml lets a step be) continues
    on the next page instead of failing."""
    words = " ".join(f"word{i}" for i in range(250))
    assert len(words) <= 2000
    plan = Plan(client_name="Sam Lee", plan_date=date(2026, 1, 5), goals=(
        PlanGoal("Find a job by 1 March 2026.", steps=(Step(words, due=date(2026, 2, 1)),)),))
    reader = pypdf.PdfReader(str(export_pdf(plan, tmp_path / "long.pdf")))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) >= 2 and "word0 " in text and "word249" in text


def _page_texts(plan: Plan, folder: Path) -> list[str]:
    path = export_pdf(plan, folder / "plan.pdf")
    document = pypdfium2.PdfDocument(str(path))
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


@pytest.mark.parametrize("declined", [9, 12, 33])
def test_signatures_keep_with_the_choices_before_them(tmp_path, declined):
    """However long the section before them, the signatures share their page with its end
    (lengths at which they used to move to a page of their own)."""
    plan = replace(marcus_plan(), declined=tuple(
        f"Service number {i} with a long enough name to fill a line" for i in range(declined)))
    pages = _page_texts(plan, tmp_path)
    before, _, _ = pages[-1].partition("Signatures")
    assert "Service number" in before and len(pages) > 1


@pytest.mark.parametrize("steps", [4, 5, 17])
def test_signatures_keep_with_the_last_step_of_a_table_before_them(tmp_path, steps):
    """With a goal's step table just before them, the signatures take its last step along to
    their page rather than sit there alone."""
    goal = PlanGoal("Within 4 weeks, Dana will apply to 3 housing programs with her sister.",
                    "housing", "I want a place",
                    tuple(Step(f"Step {i} to do with enough words to take up a bit of room",
                               "client", "", date(2030, 1, 1 + i)) for i in range(steps)))
    pages = _page_texts(Plan("Dana Price", date(2026, 1, 1), (goal,)), tmp_path)
    before, _, _ = pages[-1].partition("Signatures")
    assert f"Step {steps - 1} to do" in before and len(pages) > 1
    assert sum(page.count("Step ") - page.count("Steps") for page in pages) >= steps


@pytest.mark.parametrize("name, expected", [
    ("Dana Price", "plan-dana-2026-03-15.pdf"), ("a/b Smith", "plan-a-b-2026-03-15.pdf"),
    ("<b>Renée</b>", "plan-b-renee-b-2026-03-15.pdf"), ("Zoë", "plan-zoe-2026-03-15.pdf"),
    ("../../etc", "plan-etc-2026-03-15.pdf"), ("李 明", "plan-client-2026-03-15.pdf")])
def test_export_file_names_are_safe_whatever_the_clients_name(name, expected):
    """A file name has ASCII letters, digits and hyphens only: no slash, markup or accent."""
    assert export.file_name(Plan(name, date(2026, 3, 15)), "pdf") == expected


def test_pdf_and_docx_list_the_follow_ups_in_date_order_without_control_characters(tmp_path):
    """A plan's follow-ups are a Follow-ups section in both files: each day, what happened, what
    was done and the plan change, oldest first, with control characters stripped."""
    from casecoach.plan import FollowUp

    plan = replace(marcus_plan(), follow_ups=(
        FollowUp.make("2026-12-09", "Foundry Lane House offered a room\x07 from January",
                      "Reinforced: named the three applications he sent"),
        FollowUp.make("2026-11-30", "Missed the Housing Hub\u202e evening hours: the bus was late",
                      "Problem-solved together: an earlier bus", "Step 1 moved to Thursday")))
    texts = {"docx": docx_text(export_docx(plan, tmp_path / "p.docx", cached_directory()))[0],
             "pdf": pdf_text(export_pdf(plan, tmp_path / "p.pdf", cached_directory()))}
    for kind, text in texts.items():
        start = text.index("Follow-ups")
        first = text.index("Monday 30 November 2026", start)
        second = text.index("Wednesday 9 December 2026", start)
        assert first < text.index("Missed the Housing Hub evening hours: the bus was late") \
            < text.index("What we did: Problem-solved together: an earlier bus") \
            < text.index("Change to the plan: Step 1 moved to Thursday") < second, kind
        assert second < text.index("Foundry Lane House offered a room from January") \
            < text.index("What we did: Reinforced: named the three applications he sent"), kind
        assert "\x07" not in text and "\u202e" not in text, kind
        assert text.index("Follow-ups") < text.index("Signatures"), kind


def test_a_plan_without_follow_ups_has_no_follow_ups_section():
    """No follow-ups recorded: the document has no empty Follow-ups heading."""
    headings = [s.heading for s in plan_document(marcus_plan(), cached_directory()).sections]
    assert "Follow-ups" not in headings and "Signatures" in headings
