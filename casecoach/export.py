"""The client's action plan as a document to take home: one content model, rendered to PDF and DOCX."""

# Libraries, and why these:
# - python-docx writes DOCX that Word and LibreOffice open and a caseworker can still edit; it is the
#   maintained, pure-Python standard for the format (lxml underneath), with real styles, tables and
#   footers rather than HTML pretending to be a document.
# - reportlab lays out PDF itself (platypus: paragraphs, tables that split across pages and repeat
#   their header, page templates), needs no browser, LibreOffice or system library, and ships the
#   Bitstream Vera TrueType fonts, which we embed so curly quotes, accents and dashes render the same
#   on every machine instead of depending on whatever fonts the OS has.
# Both run locally: nothing about the client leaves the machine.

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Union

from casecoach._data import load_yaml
from casecoach.errors import CasecoachError
from casecoach.plan import Plan, PlanGoal, Step
from casecoach.resources import Directory, Resource, cached_directory

__all__ = ["Document", "Section", "Paragraph", "Table", "Signatures", "plan_document",
           "export_pdf", "export_docx", "file_name"]

# A table cell is one or more lines: the first is the main text, the rest are details under it.
Cell = tuple[str, ...]


@dataclass(frozen=True)
class Paragraph:
    """A run of text; kind is body, lead, quote, subheading, bullet or note."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Table:
    """A table with a header row; widths are fractions of the text width, one per column."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]


@dataclass(frozen=True)
class Signatures:
    """Signature and date lines, one pair per signer, with the signer's name under the line."""

    signers: tuple[str, ...]
    sign_label: str
    date_label: str


Block = Union[Paragraph, Table, Signatures]


@dataclass(frozen=True)
class Section:
    """A heading (empty for none) and its blocks, in reading order."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """Everything the plan document says, in order; both renderers draw exactly this."""

    title: str
    subtitle: str
    footer: str
    page_label: str  # with {page} and {pages}
    sections: tuple[Section, ...]
    author: str = ""

    def text(self) -> str:
        """All the words of the document in reading order, one block per line (for checks)."""
        lines = [self.title, self.subtitle]
        for section in self.sections:
            if section.heading:
                lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines.append(block.text)
                elif isinstance(block, Table):
                    lines.append(" | ".join(block.columns))
                    lines.extend(" | ".join(" ".join(cell) for cell in row) for row in block.rows)
                else:
                    lines.extend(block.signers)
        return "\n".join(lines)


# -- content -----------------------------------------------------------------------------------

_STEP_WIDTHS = (0.29, 0.16, 0.24, 0.31)


def plan_document(plan: Plan, directory: Directory | None = None) -> Document:
    """The plan as a document addressed to the client; resources are looked up in `directory`
    (the directory in use when None and a step names a resource)."""
    words = _wording()
    if directory is None and any(s.resource_id for g in plan.goals for s in g.steps):
        directory = cached_directory()
    long_date = _long_date(plan.plan_date)
    subtitle = (words["made_with"] if plan.caseworker.strip() else words["made_on"]).format(
        caseworker=plan.caseworker.strip(), date=long_date)
    sections = [Section("", (Paragraph(words["intro"], "lead"),))]

    active = plan.active_goals
    wants = tuple(Paragraph(_quoted(g.client_words), "quote") for g in active
                  if g.client_words.strip())
    if wants:
        sections.append(Section(words["what_you_want"],
                                (Paragraph(words["what_you_want_intro"]),) + wants))

    domains = _domain_names()
    for n, goal in enumerate(active, start=1):
        sections.append(_goal_section(n, goal, plan, directory, words, domains))

    if plan.strengths:
        sections.append(Section(words["strengths_heading"], (
            Paragraph(words["strengths_intro"]),
            *(Paragraph(s.strip(), "bullet") for s in plan.strengths if s.strip()))))

    choices: list[Block] = []
    if plan.right_to_decline_explained:
        choices.append(Paragraph(words["right_to_decline"]))
    declined = [d.strip() for d in plan.declined if d.strip()]
    if declined:
        choices.append(Paragraph(words["declined_intro"]))
        choices.extend(Paragraph(d, "bullet") for d in declined)
    if choices:
        sections.append(Section(words["choices_heading"], tuple(choices)))

    on_hold = [g for g in plan.goals if not g.active]
    if on_hold:
        held: list[Block] = [Paragraph(words["on_hold_intro"])]
        for goal in on_hold:
            parts = [_quoted(goal.client_words)] if goal.client_words.strip() else []
            if goal.text.strip():
                parts.append(goal.text.strip())
            held.append(Paragraph(" — ".join(parts), "bullet"))
        sections.append(Section(words["on_hold_heading"], tuple(held)))

    if plan.follow_ups:
        history: list[Block] = [Paragraph(words["follow_ups_intro"])]
        for follow_up in plan.history:
            history.append(Paragraph(_long_date(follow_up.when), "subheading"))
            history.append(Paragraph(follow_up.happened.strip()))
            if follow_up.response.strip():
                history.append(Paragraph(words["follow_up_response"].format(
                    text=follow_up.response.strip())))
            if follow_up.plan_change.strip():
                history.append(Paragraph(words["follow_up_plan_change"].format(
                    text=follow_up.plan_change.strip())))
        sections.append(Section(words["follow_ups_heading"], tuple(history)))

    caseworker = (words["caseworker_signer"].format(caseworker=plan.caseworker.strip())
                  if plan.caseworker.strip() else words["caseworker_alone"])
    sections.append(Section(words["signatures_heading"], (
        Paragraph(words["signatures_intro"]),
        Signatures((plan.client_name.strip(), caseworker), words["sign_line"],
                   words["date_line"]))))

    return _clean(Document(
        title=words["title"].format(name=plan.client_name.strip()),
        subtitle=subtitle,
        footer=words["footer"].format(name=_shortened(plan.client_name.strip(), _FOOTER_NAME),
                                      date=_short_date(plan.plan_date)),
        page_label=words["page"],
        sections=tuple(sections),
        author=plan.caseworker.strip()))


def _goal_section(n: int, goal: PlanGoal, plan: Plan, directory: Directory | None,
                  words: dict[str, Any], domains: dict[str, str]) -> Section:
    domain = domains.get(goal.domain, goal.domain.strip())
    heading = (words["goal_heading"].format(n=n, domain=domain) if domain
               else words["goal_heading_plain"].format(n=n))
    blocks: list[Block] = []
    if goal.text.strip():
        blocks += [Paragraph(words["goal_agreed"], "subheading"), Paragraph(goal.text.strip())]
    if goal.steps:
        blocks.append(Paragraph(words["steps_heading"], "subheading"))
        columns = words["columns"]
        blocks.append(Table(
            (columns["step"], columns["who"], columns["due"], columns["resource"]),
            tuple((( step.text.strip(),), _who(step, plan, words),
                   (_long_date(step.due, keep_together=True) if step.due else words["no_date"],),
                   _resource_cell(step.resource_id, directory, words))
                  for step in goal.steps),
            _STEP_WIDTHS))
    strengths = list(dict.fromkeys(s.strength.strip() for s in goal.steps if s.strength.strip()))
    if strengths:
        blocks.append(Paragraph(words["builds_on"].format(strengths="; ".join(strengths)), "note"))
    return Section(heading, tuple(blocks))


def _who(step: Step, plan: Plan, words: dict[str, Any]) -> Cell:
    name = step.who.strip()
    if step.owner == "caseworker" and not name:
        name = plan.caseworker.strip()
    if step.owner == "client" or not name:
        return (words["owner_alone"].get(step.owner, name or step.owner),)
    role = words["owner_role"].get(step.owner, step.owner)
    return (name, role) if role else (name,)


def _resource_cell(resource_id: str, directory: Directory | None, words: dict[str, Any]) -> Cell:
    resource_id = resource_id.strip()
    if not resource_id:
        return (words["no_resource"],)
    if directory is None or resource_id not in directory:
        return (words["not_in_directory"].format(id=resource_id),)
    r: Resource = directory.get(resource_id)
    lines = [r.name]
    for key, value in (("address", r.address), ("phone", r.phone), ("hours", r.hours.text),
                       ("transit", r.transit)):
        if value.strip() and value.strip().lower() != "none":
            lines.append(words[key].format(**{key: value.strip()}))
    return tuple(lines)


def _quoted(text: str) -> str:
    text = text.strip().strip("\"“”").strip()
    return f"“{text}”"


def _long_date(day: date, keep_together: bool = False) -> str:
    """'Tuesday 25 November 2026'; kept together, a narrow column breaks it only after the day."""
    words = _wording()
    space = "\u00a0" if keep_together else " "
    return (f"{words['weekdays'][day.weekday()]} {day.day}{space}{words['months'][day.month - 1]}"
            f"{space}{day.year}")


def _short_date(day: date) -> str:
    return f"{day.day} {_wording()['months'][day.month - 1]} {day.year}"


@lru_cache(maxsize=1)
def _wording() -> dict[str, Any]:
    return load_yaml("messages.yaml")["export"]


@lru_cache(maxsize=1)
def _domain_names() -> dict[str, str]:
    return {key: spec["name"] for key, spec in load_yaml("domains.yaml")["domains"].items()}


# -- writing safely ----------------------------------------------------------------------------

# Characters a document must not carry: C0 and C1 controls (python-docx refuses them, and they
# mean nothing on paper; a tab becomes a space, a line break stays), and the bidi embeddings,
# overrides and isolates that make text read in another order than it is stored.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ufffe\uffff\ud800-\udfff]")
_FOOTER_NAME = 40      # the footer is one line under every page
_PROPERTY = 255        # Word's limit for a document property (title, author, subject)
_LONG_WORD = 60        # a run without a space longer than this is broken (PDF) ...
_PIECE = 24            # ... into pieces that fit the narrowest column's line


def _clean(value: Any) -> Any:
    """The document with every string cleaned of control characters, however deep."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value.replace("\t", " "))
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: _clean(getattr(value, f.name))
                                            for f in dataclasses.fields(value)})
    return value


def _shortened(text: str, most: int) -> str:
    """`text`, cut at a word to at most `most` characters with an ellipsis when longer."""
    if len(text) <= most:
        return text
    cut = text[:most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most // 2:] else cut).rstrip() + "…"


def _breakable(text: str) -> str:
    """A very long run without spaces (a pasted link, a row of characters) split into pieces:
    reportlab otherwise tries each character as a break, for every layout pass of every cell
    (a plan of such fields took minutes)."""
    return re.sub(r"\S{%d,}" % (_LONG_WORD + 1),
                  lambda m: " ".join(m.group(0)[i:i + _PIECE]
                                     for i in range(0, len(m.group(0)), _PIECE)), text)


def file_name(plan: Plan, kind: str) -> str:
    """A file name for the plan that is safe on every system whatever the client is called:
    "plan-renee-2026-03-15.pdf" for "Renée O'Brien/Smith <b>"; letters without accents, digits and
    hyphens only, "client" when nothing is left."""
    if kind not in ("pdf", "docx"):
        raise CasecoachError(f"cannot export as '{kind}': pdf or docx", field="kind")
    first = (plan.client_name.split() or [""])[0]
    plain = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40].strip("-") or "client"
    return f"plan-{slug}-{plan.plan_date.isoformat()}.{kind}"


def _write_atomically(path: str | os.PathLike[str], render: Callable[[Path], None]) -> Path:
    """Render into a temporary file beside the target, then move it into place in one step, so
    the target is either the whole new document or untouched. The file is readable by its owner
    only (mkstemp's 0600): it holds a client's details."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise CasecoachError(f"cannot save the plan: the folder {folder} {what}", file=str(target))
    if target.is_dir():
        raise CasecoachError("cannot save the plan: that is a folder, give a file name",
                             file=str(target))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise CasecoachError(f"cannot save the plan in {folder}: {exc.strerror or exc}",
                             file=str(target)) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        render(temp)
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
    except OSError as exc:
        raise CasecoachError(f"cannot save the plan: {exc.strerror or exc}",
                             file=str(target)) from exc
    except CasecoachError:
        raise
    except Exception as exc:  # a layout or library error: say so, and name the file
        raise CasecoachError(f"could not make the document: {exc}", file=str(target)) from exc
    finally:
        temp.unlink(missing_ok=True)
    return target


def export_pdf(plan: Plan, path: str | os.PathLike[str],
               directory: Directory | None = None) -> Path:
    """Write the plan as a PDF at `path` (replacing it whole, or not at all); return the path.
    A plan with a field over settings.yaml's limits is refused (CasecoachError)."""
    plan.check_lengths()
    document = plan_document(plan, directory)
    return _write_atomically(path, lambda temp: _render_pdf(document, temp))


def export_docx(plan: Plan, path: str | os.PathLike[str],
                directory: Directory | None = None) -> Path:
    """Write the plan as a Word document at `path` (replacing it whole, or not at all).
    A plan with a field over settings.yaml's limits is refused (CasecoachError)."""
    plan.check_lengths()
    document = plan_document(plan, directory)
    return _write_atomically(path, lambda temp: _render_docx(document, temp))


# -- look --------------------------------------------------------------------------------------

_INK = "#1F2A30"         # body text: near-black, softer than pure black
_ACCENT = "#1E5B66"      # headings, table header: a calm dark teal
_MUTED = "#5B6870"       # details, footer
_TINT = "#EEF4F5"        # quote background, alternate table rows
_RULE = "#C9D6D9"        # table lines


# -- PDF (reportlab) ---------------------------------------------------------------------------

_FONT = "CasecoachVera"


@lru_cache(maxsize=1)
def _pdf_fonts() -> str:
    """Register reportlab's own Bitstream Vera TTFs once; embedded, so no OS font is needed."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = Path(reportlab.__file__).parent / "fonts"
    for suffix, filename, bold, italic in (("", "Vera.ttf", 0, 0), ("-Bold", "VeraBd.ttf", 1, 0),
                                           ("-Italic", "VeraIt.ttf", 0, 1),
                                           ("-BoldItalic", "VeraBI.ttf", 1, 1)):
        pdfmetrics.registerFont(TTFont(_FONT + suffix, str(fonts / filename)))
        addMapping(_FONT, bold, italic, _FONT + suffix)
    return _FONT


def _pdf_styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    font = _pdf_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, bulletFontName=font,
                          textColor=HexColor(_INK), spaceAfter=6)
    return {
        "title": ParagraphStyle("title", base, fontName=font + "-Bold", fontSize=24, leading=29,
                                textColor=HexColor(_ACCENT), spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=11, leading=15,
                                   textColor=HexColor(_MUTED), spaceAfter=0),
        "heading": ParagraphStyle("heading", base, fontName=font + "-Bold", fontSize=15,
                                  leading=19, textColor=HexColor(_ACCENT), spaceBefore=16,
                                  spaceAfter=6, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", base, fontName=font + "-Bold", fontSize=9,
                                     leading=12, textColor=HexColor(_MUTED), spaceBefore=6,
                                     spaceAfter=3),
        "body": base,
        "lead": ParagraphStyle("lead", base, fontSize=11, leading=16, spaceAfter=2),
        "note": ParagraphStyle("note", base, fontName=font + "-Italic", fontSize=9.5, leading=13,
                               textColor=HexColor(_MUTED), spaceBefore=6),
        "quote": ParagraphStyle("quote", base, fontName=font + "-Italic", fontSize=11.5,
                                leading=16, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=2, spaceAfter=3),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=12.5, spaceAfter=0),
        "cell_detail": ParagraphStyle("cell_detail", base, fontSize=8.5, leading=11,
                                      textColor=HexColor(_MUTED), spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", base, fontName=font + "-Bold", fontSize=9,
                                    leading=12, textColor=HexColor("#FFFFFF"), spaceAfter=0),
        "sign_name": ParagraphStyle("sign_name", base, fontSize=9, leading=12,
                                    textColor=HexColor(_MUTED), spaceAfter=0),
    }


def _render_pdf(document: Document, path: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, HRFlowable,
                                    KeepTogether, PageTemplate, Paragraph as P, Spacer,
                                    Table as T)

    styles = _pdf_styles()
    margin = 20 * mm
    width = A4[0] - 2 * margin
    top, bottom = 18 * mm, 22 * mm

    def para(text: str, style: str, bold: bool = False) -> P:
        body = escape(_breakable(text))
        return P(f"<b>{body}</b>" if bold else body, styles[style],
                 bulletText="•" if style == "bullet" else None)

    story: list[Any] = [para(document.title, "title"), para(document.subtitle, "subtitle"),
                        Spacer(1, 8),
                        HRFlowable(width="100%", thickness=1.2, color=HexColor(_ACCENT),
                                   spaceBefore=0, spaceAfter=12)]
    previous: list[Any] = []   # what the section before put into the story
    previous_section: Section | None = None
    for section in document.sections:
        flow: list[Any] = [para(section.heading, "heading")] if section.heading else []
        quotes: list[str] = []
        for block in (*section.blocks, None):
            if isinstance(block, Paragraph) and block.kind == "quote":
                quotes.append(block.text)  # consecutive quotes share one tinted block
                continue
            if quotes:
                flow += [_pdf_quotes(quotes, width, para), Spacer(1, 8)]
                quotes = []
            if block is None:
                break
            if isinstance(block, Paragraph):
                flow.append(para(block.text, block.kind))
            elif isinstance(block, Table):
                flow.append(_pdf_table(block, width, para))
            else:
                flow.append(_pdf_signatures(block, width, para))
        # A section without a table moves whole to the next page rather than split. A goal may
        # run on to the next page (its table repeats its header row), but only once its heading,
        # wording and first step fit on this one.
        # The signatures never sit alone on the last page: they keep with the end of the section
        # before (the whole of a section without a table, else the last row of its table).
        if any(isinstance(b, Signatures) for b in section.blocks) and previous_section:
            del story[-len(previous):]
            story += _keep_with_end(previous, previous_section, flow, width, para,
                                    A4[1] - top - bottom)
            continue
        first_table = next((b for b in section.blocks if isinstance(b, Table)), None)
        if first_table is not None:
            lead = flow[:next(i for i, f in enumerate(flow) if isinstance(f, T))]
            needed = _height([*lead, _pdf_table(first_table, width, para, first_rows=1)], width)
            previous = [CondPageBreak(needed + 6), *flow]
        else:
            previous = [KeepTogether(flow)]
        story += previous
        previous_section = section

    footer, page_label = document.footer, document.page_label
    font = _pdf_fonts()

    class NumberedCanvas(Canvas):
        """Draws the footer once the page count is known ("Page 2 of 3" on multi-page plans)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setStrokeColor(HexColor(_RULE))
                self.setLineWidth(0.5)
                self.line(margin, 14 * mm, A4[0] - margin, 14 * mm)
                self.setFont(font, 8.5)
                self.setFillColor(HexColor(_MUTED))
                self.drawString(margin, 9.5 * mm, footer)
                if total > 1:
                    self.drawRightString(A4[0] - margin, 9.5 * mm,
                                         page_label.format(page=self._pageNumber, pages=total))
                super().showPage()
            super().save()

    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin,
                          topMargin=top, bottomMargin=bottom,
                          title=_shortened(document.title, _PROPERTY),
                          author=_shortened(document.author, _PROPERTY),
                          subject=_shortened(document.subtitle, _PROPERTY),
                          creator="casecoach", lang="en", initialFontName=_pdf_fonts(),
                          initialFontSize=10.5)
    # No frame padding: text, tables, rules and the footer share one left and right edge.
    frame = Frame(margin, bottom, width, A4[1] - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="text")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=NumberedCanvas)


def _keep_with_end(previous: list[Any], section: Section, flow: list[Any], width: float,
                   para: Callable[..., Any], page: float) -> list[Any]:
    """`previous` (the story of `section`) followed by `flow`, with `flow` kept on one page with
    the end of `previous`: the whole section when it has no table and fits a page (else its last
    paragraph), the whole section when it has a one-row table, else the last row of its table and
    what follows the table (that row is drawn as a table of its own, without the header, so the
    rest of the table may stay on the page before). `page` is the text height of a page."""
    from reportlab.platypus import KeepTogether, Table as T

    tables = [b for b in section.blocks if isinstance(b, Table)]
    if len(previous) == 1 and isinstance(previous[0], KeepTogether):
        content = list(previous[0]._content)
        if _height([*content, *flow], width) <= page:
            return [KeepTogether([*content, *flow])]
        return [*content[:-1], KeepTogether([content[-1], *flow])]
    head, body = previous[:1], previous[1:]   # the CondPageBreak, then the section's flowables
    last = max(i for i, f in enumerate(body) if isinstance(f, T)) if tables else -1
    if not tables or len(tables[-1].rows) < 2:
        return [*head, KeepTogether([*body, *flow])]
    block, n = tables[-1], len(tables[-1].rows)
    return [*head, *body[:last], _pdf_table(block, width, para, first_rows=n - 1),
            KeepTogether([_pdf_table(block, width, para, from_row=n - 1), *body[last + 1:],
                          *flow])]


def _height(flowables: list[Any], width: float) -> float:
    """The height these flowables take in a column of this width, spacing included."""
    return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


def _pdf_table(block: Table, width: float, para: Callable[..., Any],
               first_rows: int | None = None, from_row: int | None = None) -> Any:
    """Header row in the accent colour, banded rows; a cell's first line is its main text, the
    resource column's name in bold over its details. `first_rows` draws only the first few;
    `from_row` only the rows from that one on, without the header (the end of a table)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table as T, TableStyle

    head = [] if from_row else [[para(c, "cell_head") for c in block.columns]]
    last = len(block.columns) - 1
    rows = [[[para(cell[0], "cell", bold=(i == last and len(cell) > 1)),
              *(para(line, "cell_detail") for line in cell[1:])]
             for i, cell in enumerate(row)] for row in block.rows[from_row:first_rows]]
    # splitInRow: a step too long for one page continues on the next instead of failing.
    table = T([*head, *rows], colWidths=[w * width for w in block.widths],
              repeatRows=len(head), splitInRow=1)
    style = [("FONT", (0, 0), (-1, -1), _pdf_fonts()),
             *([("BACKGROUND", (0, 0), (-1, 0), HexColor(_ACCENT))] if head else []),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 6),
             ("RIGHTPADDING", (0, 0), (-1, -1), 6),
             ("TOPPADDING", (0, 0), (-1, -1), 6),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
             ("LINEBELOW", (0, len(head)), (-1, -1), 0.5, HexColor(_RULE)),
             ("BOX", (0, 0), (-1, -1), 0.5, HexColor(_RULE))]
    # Every second step is tinted, counted over the whole table even when drawing its end.
    first = (from_row or 0) + 1
    style += [("BACKGROUND", (0, r), (-1, r), HexColor(_TINT))
              for r, n in enumerate(range(first, first + len(rows)), start=len(head)) if n % 2 == 0]
    table.setStyle(TableStyle(style))
    return table


def _pdf_quotes(quotes: list[str], width: float, para: Callable[..., Any]) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table as T, TableStyle

    table = T([[para(q, "quote")] for q in quotes], colWidths=[width], splitInRow=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), _pdf_fonts()),
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(_TINT)),
        ("LINEBEFORE", (0, 0), (0, -1), 3, HexColor(_ACCENT)),
        ("LEFTPADDING", (0, 0), (-1, -1), 14),
        ("RIGHTPADDING", (0, 0), (-1, -1), 14),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 11)]))
    return table


def _pdf_signatures(block: Signatures, width: float, para: Callable[..., Any]) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table as T, TableStyle

    gap = 0.06 * width
    widths = [0.6 * width, gap, width - 0.6 * width - gap]
    rows: list[list[Any]] = []
    style: list[tuple] = [("FONT", (0, 0), (-1, -1), _pdf_fonts()),
                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    for signer in block.signers:
        top = len(rows)
        rows.append(["", "", ""])
        rows.append([para(f"{block.sign_label}: {signer}", "sign_name"), "",
                     para(block.date_label, "sign_name")])
        style += [("LINEBELOW", (0, top), (0, top), 0.8, HexColor(_INK)),
                  ("LINEBELOW", (2, top), (2, top), 0.8, HexColor(_INK)),
                  ("TOPPADDING", (0, top), (-1, top), 30),
                  ("BOTTOMPADDING", (0, top + 1), (-1, top + 1), 10)]
    table = T(rows, colWidths=widths)
    table.setStyle(TableStyle(style))
    return table


# -- DOCX (python-docx) ------------------------------------------------------------------------

def _render_docx(document: Document, path: Path) -> None:
    import docx
    from docx.shared import Cm, Pt, RGBColor

    out = docx.Document()
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    width = section.page_width - section.left_margin - section.right_margin

    ink, accent, muted = (RGBColor.from_string(c.lstrip("#")) for c in (_INK, _ACCENT, _MUTED))
    styles = out.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = "Calibri", Pt(11), ink
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, space_before in (("Title", 26, 0), ("Heading 1", 16, 18),
                                     ("Heading 2", 10, 8)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = "Calibri", Pt(size), True
        style.font.color.rgb = accent if name != "Heading 2" else muted
        style.paragraph_format.space_before = Pt(space_before)
        style.paragraph_format.space_after = Pt(4 if name == "Title" else 6)
        style.paragraph_format.keep_with_next = True
        _east_asia_font(style, "Calibri")
    _drop_border(styles["Title"])

    core = out.core_properties
    core.title, core.author, core.subject = (_shortened(t, _PROPERTY) for t in (
        document.title, document.author, document.subtitle))
    core.comments = "Made with casecoach"

    _styled(out, document.title, "Title")
    subtitle = out.add_paragraph()
    run = subtitle.add_run(document.subtitle)
    run.font.color.rgb, run.font.size = muted, Pt(11.5)
    _bottom_rule(subtitle, _ACCENT)
    subtitle.paragraph_format.space_after = Pt(14)

    for part in document.sections:
        if part.heading:
            _styled(out, part.heading, "Heading1")
        # Like the PDF: a goal's heading and wording stay with its table's first step, and the
        # signatures stay on one page with their heading.
        signing = any(isinstance(b, Signatures) for b in part.blocks)
        table_ahead = any(isinstance(b, Table) for b in part.blocks)
        for block in part.blocks:
            if isinstance(block, Paragraph):
                p = _docx_paragraph(out, block, muted)
                p.paragraph_format.keep_with_next = signing or table_ahead
            elif isinstance(block, Table):
                _docx_table(out, block, width, muted)
                table_ahead = False
            else:
                _docx_signatures(out, block, width, muted)

    _docx_footer(section, document, muted)
    out.save(str(path))


def _styled(out: Any, text: str, style_id: str) -> Any:
    """A paragraph in a template style, named by id: python-docx's lookup by name scans every
    style in the template each time and was half the time of an export."""
    paragraph = out.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _docx_paragraph(out: Any, block: Paragraph, muted: Any) -> Any:
    from docx.shared import Cm, Pt

    if block.kind == "subheading":
        p = _styled(out, block.text, "Heading2")
    elif block.kind == "bullet":
        p = _styled(out, block.text, "ListBullet")
    elif block.kind == "quote":
        p = out.add_paragraph()
        run = p.add_run(block.text)
        run.italic, run.font.size = True, Pt(12)
        fmt = p.paragraph_format
        fmt.left_indent, fmt.space_before, fmt.space_after = Cm(0.4), Pt(2), Pt(8)
        _shade_paragraph(p, _TINT, _ACCENT)
    elif block.kind == "note":
        p = out.add_paragraph()
        run = p.add_run(block.text)
        run.italic, run.font.color.rgb, run.font.size = True, muted, Pt(10)
        p.paragraph_format.space_before = Pt(6)
    else:
        p = out.add_paragraph(block.text)
        if block.kind == "lead":
            p.runs[0].font.size = Pt(11.5)
    return p


def _docx_table(out: Any, block: Table, width: int, muted: Any) -> None:
    from docx.shared import Pt, RGBColor

    table = out.add_table(rows=1, cols=len(block.columns))
    table.style = out.styles["Table Grid"]
    table.autofit = False
    widths = [int(w * width) for w in block.widths]
    for column, w in zip(table.columns, widths):
        column.width = w  # the grid, which LibreOffice reads; Word reads each cell's width
    for cell, text, w in zip(table.rows[0].cells, block.columns, widths):
        cell.width = w
        cell.paragraphs[0].paragraph_format.keep_with_next = True  # header with the first step
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(10), RGBColor(0xFF, 0xFF, 0xFF)
        _shade_cell(cell, _ACCENT)
    _row_flags(table.rows[0], header=True)
    for r, row in enumerate(block.rows):
        cells = table.add_row().cells
        for c, (cell, lines, w) in enumerate(zip(cells, row, widths)):
            cell.width = w
            first = cell.paragraphs[0]
            run = first.add_run(lines[0])
            run.font.size = Pt(9.5)
            run.bold = c == 3 and len(lines) > 1
            for line in lines[1:]:
                detail = cell.add_paragraph().add_run(line)
                detail.font.size, detail.font.color.rgb = Pt(8.5), muted
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(2)
            if r % 2 == 1:
                _shade_cell(cell, _TINT)
        _row_flags(table.rows[-1], header=False)
    _table_borders(table, _RULE)


def _docx_signatures(out: Any, block: Signatures, width: int, muted: Any) -> None:
    from docx.shared import Cm, Pt

    widths = [int(0.6 * width), int(0.06 * width), width - int(0.66 * width)]
    table = out.add_table(rows=0, cols=3)
    table.autofit = False
    for column, w in zip(table.columns, widths):
        column.width = w
    for n, signer in enumerate(block.signers):
        line = table.add_row()
        line.height = Cm(1.5)
        for c, cell in enumerate(line.cells):
            cell.width = widths[c]
            cell.paragraphs[0].paragraph_format.keep_with_next = True
            if c != 1:
                _cell_bottom_border(cell, _INK)
        label = table.add_row()
        for c, (cell, text) in enumerate(zip(label.cells, (f"{block.sign_label}: {signer}", "",
                                                            block.date_label))):
            cell.width = widths[c]
            cell.paragraphs[0].paragraph_format.keep_with_next = n < len(block.signers) - 1
            if text:
                run = cell.paragraphs[0].add_run(text)
                run.font.size, run.font.color.rgb = Pt(9.5), muted
        _row_flags(line, header=False)
        _row_flags(label, header=False)


def _docx_footer(section: Any, document: Document, muted: Any) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    footer = section.footer.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    # The template's Footer style has centre and right tabs for US Letter; one right tab at the
    # A4 text edge replaces them, so the page number sits flush right.
    footer.style.paragraph_format.tab_stops.clear_all()
    footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    pieces: list[tuple[str, str | None]] = [(document.footer + "\t", None)]
    label = document.page_label
    for token, field in (("{page}", "PAGE"), ("{pages}", "NUMPAGES")):
        before, _, label = label.partition(token)
        pieces += [(before, None), ("", field)]
    pieces.append((label, None))
    for text, field in pieces:
        if field:
            _field(footer, field, muted)
        elif text:
            run = footer.add_run(text)
            run.font.size, run.font.color.rgb = Pt(8.5), muted


# python-docx has no API for shading, borders, fields or repeated header rows: the few
# WordprocessingML elements below are written directly, each in the place the schema orders it
# (ECMA-376 part 1, §17), since Word rejects properties out of order.

_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
            "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
            "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"),
    "trPr": ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
             "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
              "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"),
}


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _local(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _put(parent: Any, child: Any) -> None:
    """Add `child` to a properties element in schema order, replacing one of the same kind."""
    order = _ORDER[_local(parent)]
    name = _local(child)
    for old in [c for c in parent if _local(c) == name]:
        parent.remove(old)
    rank = order.index(name)
    for sibling in parent:
        if _local(sibling) in order and order.index(_local(sibling)) > rank:
            sibling.addprevious(child)
            return
    parent.append(child)


def _shade_cell(cell: Any, colour: str) -> None:
    _put(cell._tc.get_or_add_tcPr(), _el("w:shd", val="clear", color="auto",
                                         fill=colour.lstrip("#")))


def _cell_bottom_border(cell: Any, colour: str) -> None:
    borders = _el("w:tcBorders")
    borders.append(_el("w:bottom", val="single", sz="6", space="0", color=colour.lstrip("#")))
    _put(cell._tc.get_or_add_tcPr(), borders)


def _row_flags(row: Any, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _put(tr_pr, _el("w:cantSplit"))
    if header:
        _put(tr_pr, _el("w:tblHeader"))


def _table_borders(table: Any, colour: str) -> None:
    tbl_pr = table._tbl.tblPr
    borders = _el("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{edge}", val="single", sz="4", space="0",
                           color=colour.lstrip("#")))
    _put(tbl_pr, borders)
    margins = _el("w:tblCellMar")
    for edge, size in (("top", "80"), ("left", "110"), ("bottom", "80"), ("right", "110")):
        margins.append(_el(f"w:{edge}", w=size, type="dxa"))
    _put(tbl_pr, margins)


def _shade_paragraph(paragraph: Any, fill: str, bar: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = _el("w:pBdr")
    borders.append(_el("w:left", val="single", sz="24", space="8", color=bar.lstrip("#")))
    _put(p_pr, borders)
    _put(p_pr, _el("w:shd", val="clear", color="auto", fill=fill.lstrip("#")))


def _bottom_rule(paragraph: Any, colour: str) -> None:
    borders = _el("w:pBdr")
    borders.append(_el("w:bottom", val="single", sz="10", space="6", color=colour.lstrip("#")))
    _put(paragraph._p.get_or_add_pPr(), borders)


def _drop_border(style: Any) -> None:
    """The default template's Title has a blue rule under it; ours has its own under the date."""
    p_pr = style.element.get_or_add_pPr()
    for border in [c for c in p_pr if _local(c) == "pBdr"]:
        p_pr.remove(border)


def _east_asia_font(style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _field(paragraph: Any, code: str, colour: Any) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's word processor fills in."""
    from docx.shared import Pt

    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        run.font.size, run.font.color.rgb = Pt(8.5), colour
        if kind:
            run._r.append(_el("w:fldChar", fldCharType=kind))
        elif text.strip() == code:
            instr = _el("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
