"""The assessment chart: eight life domains, filled in from an intake, with feedback and a picture."""

from __future__ import annotations

from html import escape
from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach.assessment import (TEXT_COLUMNS, Chart, ChartReview, ChartRow, RowReview,
                                  attempt_hint, attempt_made, column_names, domains, placeholders,
                                  review_chart, review_row, suggestions)
from casecoach.course import wording
from casecoach.errors import CasecoachError
from casecoach.practice import debounce_seconds
from casecoach.resources import Directory
from casecoach.scenarios import Scenario
from casecoach.store import Store
from widgets import _render
from widgets._a11y import captioned, live
from widgets.case_switcher import CaseSwitcher
from widgets._services import Debounce, ProcessStore, Recorder, directory
from widgets.page import person

DRAFT_KIND = "assessment-chart"


def intake_box(scenario: Scenario, client: w.HTML) -> w.Box:
    """The case's intake with the client card beside it (below it on a narrow screen). The card
    is the caller's: it fills in from what the trainee charts, never from the key."""
    intake = w.HTML(_render.intake_html(scenario))
    intake.add_class("cc-intake")
    client.add_class("cc-side")
    top = w.Box([w.VBox([intake], layout=w.Layout(flex="2 1 420px")), client])
    top.add_class("cc-row")
    return top


def cell_grid(values: dict[str, str], on_change,
              scenario: Scenario | None = None) -> tuple[dict[str, w.Textarea], w.Box]:
    """A row's text cells, each captioned, side by side (wrapping on narrow screens); the hints
    speak of the client with the case's pronouns."""
    names = column_names()
    hints = placeholders(scenario)
    areas, boxes = {}, []
    for column, value in values.items():
        area = w.Textarea(value=value, placeholder=hints[column], continuous_update=True,
                          layout=w.Layout(width="100%", height="6em"))
        area.add_class(f"cc-cell-{column}")
        captioned(area, names[column])
        area.observe(on_change, names="value")
        areas[column] = area
        boxes.append(w.VBox([area], layout=w.Layout(flex="1 1 220px")))
    grid = w.Box(boxes)
    grid.add_class("cc-cells")
    return areas, grid


class AssessmentChart(w.VBox):
    """A chart for one case; the trainee's entries are reviewed and saved as a draft as they go."""

    chart = traitlets.Instance(Chart, help="The chart as the trainee has filled it in.")
    saved = traitlets.Unicode("", help="When the draft was last saved, or why it could not be.")
    revealed = traitlets.Bool(False, help="Whether the trainee asked to see what the key has that "
                                          "the chart does not (allowed after a real attempt).")
    debounce = traitlets.Float(help="Seconds to wait after typing before reviewing and saving.")

    @traitlets.default("debounce")
    def _default_debounce(self) -> float:
        return debounce_seconds()

    def __init__(self, scenario: Scenario, directory: Directory | None = None,
                 store: Store | None = None, owner: str | None = "local",
                 recorder: Recorder | None = None, chart: Chart | None = None,
                 **kwargs) -> None:
        """`chart` fills it in from the start (a saved plan's chart), resources included."""
        super().__init__(**kwargs)
        self.scenario = scenario
        self.recorder = recorder
        self.directory = directory
        self.store = store
        self.owner = owner
        self.review: ChartReview | None = None
        self._later = Debounce(lambda: self._refresh(save=False))  # _changed saved already
        self._filling = False
        self._cells: dict[tuple[str, str], w.Textarea] = {}
        self._pickers: dict[str, w.SelectMultiple] = {}
        self._row_feedback: dict[str, w.HTML] = {}

        self.chart = chart or self._restore() or Chart.blank(scenario.id)
        self._picture = w.HTML()
        self._picture.add_class("cc-picture")
        self._status = w.HTML()
        self._status.add_class("cc-saved")
        self._announce = live(w.HTML())  # the summary line, read out when it changes
        self._announce.add_class("cc-sr-only")
        self._card = w.HTML()
        top = intake_box(scenario, self._card)
        self._reveal = w.Button(description=_render.reveal_label(), icon="",
                                tooltip="Compare your chart with the case key")
        self._reveal.add_class("cc-reveal")
        self._reveal.on_click(lambda _b: self.show_missed())
        self._reveal_hint = w.HTML()
        self._reveal_hint.add_class("cc-reveal-hint")
        self._missed = w.HTML()
        self._missed.add_class("cc-missed-panel")

        self._rows = w.Accordion(children=[self._row_view(d) for d in domains()])
        self._rows.add_class("cc-chart")
        for index, name in enumerate(domains().values()):
            self._rows.set_title(index, name)
        self._rows.selected_index = 0
        # A case with no intake (the workspace's real client) shows no empty intake box, and
        # one with no key nothing to compare with it.
        keyed = bool(scenario.raw.get("assessment_key"))
        self.children = ([top] if scenario.intake.strip() else []) + [
            self._picture, self._status, self._announce, self._rows] + (
            [w.HBox([self._reveal, self._reveal_hint]), self._missed] if keyed else [])
        self.add_class("cc-assessment")
        self._refresh(save=False)

    def follow(self, owner: str) -> None:
        """Work as this trainee from now on: their draft, if any, fills the chart.

        A preheated page builds the chart before it knows who opened it; this fills it in after."""
        self.owner = owner
        self.revealed = False
        draft = self._restore()
        typed_first = self._collect().to_dict() != Chart.blank(self.scenario.id).to_dict()
        if draft is not None:
            self._fill(draft)
        # On a busy server the page can take typing before it learns who opened it: with no
        # draft of theirs yet, what was typed is theirs and is saved under their name.
        self._refresh(save=draft is None and typed_first)

    def set_cell(self, domain: str, column: str, value) -> None:
        """Fill one cell as the trainee would (tests and demos); the review follows at once."""
        if column == "resources":
            self._pickers[domain].value = tuple(value)
        else:
            self._cells[(domain, column)].value = value
        self._later.cancel()
        self._refresh()

    def show_missed(self) -> bool:
        """Reveal the key's facts the chart does not have, if the chart is a real attempt."""
        self.revealed = attempt_made(self.chart)
        self._show_progress()
        return self.revealed

    def _show_progress(self) -> None:
        """The client card and the reveal follow the chart as it stands."""
        self._card.value = _render.charted_client_html(self.scenario, self.chart)
        ready = attempt_made(self.chart)
        self._reveal.disabled = not ready
        hint = attempt_hint(self.scenario, self.chart)
        self._reveal_hint.value = f'<span class="cc-hint">{escape(hint)}</span>'
        if self.revealed and ready and self.review is not None:
            self._missed.value = _render.missed_html(self.scenario, self.review)
        else:
            self._missed.value = ""

    def _row_view(self, domain: str) -> w.VBox:
        names = column_names()
        row = self.chart.row(domain)
        areas, grid = cell_grid({c: getattr(row, c) for c in TEXT_COLUMNS}, self._changed,
                                self.scenario)
        self._cells.update({(domain, column): area for column, area in areas.items()})
        options = self._options(domain)
        offered = {v for _label, v in options}
        # Resources picked before stay pickable even when matching no longer ranks them.
        options += [(self._resource_label(r), r) for r in row.resources if r not in offered]
        picker = w.SelectMultiple(options=options, value=(), rows=5,
                                  layout=w.Layout(width="100%"))
        known = {v for _label, v in picker.options}
        picker.value = tuple(r for r in row.resources if r in known)
        picker.add_class("cc-resources")
        captioned(picker, f'{names["resources"]}: pick the ones that fit (Ctrl/⌘-click, or '
                          f'Shift+arrow keys, for several)')
        picker.observe(self._changed, names="value")
        self._pickers[domain] = picker
        feedback = w.HTML()
        feedback.add_class("cc-row-feedback")
        self._row_feedback[domain] = feedback
        view = w.VBox([grid, picker, feedback])
        view.add_class(f"cc-domain-{domain}")
        return view

    def _options(self, domain: str) -> list[tuple[str, str]]:
        if self.directory is None:
            return []
        ranked = suggestions(self.scenario, self.chart.row(domain), self.directory, limit=8)
        return [(_render.resource_option(m.resource), m.resource.id) for m in ranked]

    def current(self) -> Chart:
        """The chart as typed this moment (the `chart` trait follows after the typing pause)."""
        return self._collect()

    def _resource_label(self, resource_id: str) -> str:
        if self.directory is not None and resource_id in self.directory:
            return _render.resource_option(self.directory.get(resource_id))
        return resource_id

    def _changed(self, _change) -> None:
        if not self._filling:
            # Saved (draft and progress) at once, shown after the pause: a page closed in
            # mid-pause frees its kernel at once, and a save still waiting would go with it.
            self.chart = self._collect()
            self.review = review_chart(self.scenario, self.chart, self.directory)
            self._keep()
            self._later(self.debounce)

    def _collect(self) -> Chart:
        chart = self.chart
        for (domain, column), area in self._cells.items():
            chart = chart.with_cell(domain, column, area.value)
        for domain, picker in self._pickers.items():
            chart = chart.with_cell(domain, "resources", picker.value)
        return chart

    def _fill(self, chart: Chart) -> None:
        """Put a saved chart's entries into the boxes without reviewing after each one."""
        self._filling = True
        try:
            for row in chart.rows:
                for column in TEXT_COLUMNS:
                    self._cells[(row.domain, column)].value = getattr(row, column)
                known = {v for _label, v in self._pickers[row.domain].options}
                self._pickers[row.domain].value = tuple(r for r in row.resources if r in known)
        finally:
            self._filling = False

    def _refresh(self, save: bool = True) -> None:
        self.chart = self._collect()
        self.review = review_chart(self.scenario, self.chart, self.directory)
        for index, row in enumerate(self.review.rows):
            self._row_feedback[row.domain].value = _render.row_feedback_html(row)
            self._rows.set_title(index, _title(row))
        self._picture.value = _render.chart_picture_html(self.review)
        self._announce.value = escape(_render.chart_summary_text(self.review))
        self._show_progress()
        if save:
            self._keep()

    def _keep(self) -> None:
        """Save the draft and the trainee's progress for the chart as it stands."""
        self._save()
        filled = sum(not r.empty for r in self.chart.rows)
        if self.recorder is not None and filled:
            done = bool(self.review.total) and self.review.found == self.review.total
            self.recorder.start()
            self.recorder.note(wording("chart", who=self.scenario.first_name, rows=filled,
                                       total=len(self.chart.rows), found=self.review.found,
                                       in_key=self.review.total),
                               score=self.review.found if done else None,
                               out_of=self.review.total if done else None,
                               case=self.scenario.id)
            if done:
                self.recorder.complete(self.review.found)

    def _save(self) -> None:
        if self.store is None or not self.owner:
            return
        role = ""
        try:
            self.store.save_draft(person(self.owner), DRAFT_KIND, self.scenario.id,
                                  self.chart.to_dict())
            self.saved = "Draft saved on this computer: it will be here when you come back."
        except CasecoachError as exc:
            self.saved = f"Not saved: {exc}"
            role = ' role="alert"'
        self._status.value = f'<span class="cc-count"{role}>{escape(self.saved)}</span>'

    def _restore(self) -> Chart | None:
        return saved_chart(self.store, self.owner, self.scenario.id)


def saved_chart(store: Store | None, owner: str | None, scenario_id: str) -> Chart | None:
    """The trainee's saved chart draft of a case, or None (no store, no name, none saved).
    `owner` is their name; the draft is kept under the person (widgets.page.person)."""
    if store is None or not owner:
        return None
    try:
        body = store.load_draft(person(owner), DRAFT_KIND, scenario_id)
        return Chart.from_dict(body) if body else None
    except (CasecoachError, KeyError, TypeError, ValueError):
        return None


def _title(row: RowReview) -> str:
    name = domains()[row.domain]
    total = len(row.found) + len(row.missed)
    parts = [f"{len(row.found)}/{total} found"] if total else []
    if row.labels:
        parts.append(f"{len(row.labels)} to reword")
    return f"{name} · {' · '.join(parts)}" if parts else name


class AssessmentModule(CaseSwitcher):
    """Pick a case, then fill in its chart; drafts are kept per case and per trainee."""

    store = ProcessStore()

    def __init__(self, ids: Sequence[str] | None = None, owner: str | None = "local",
                 **kwargs) -> None:
        self.owner = owner
        self.directory = directory()
        self.store = None
        super().__init__(ids, **kwargs)

    def chart(self, scenario_id: str | None = None) -> AssessmentChart:
        return self.view(scenario_id)

    def follow(self, owner: str, cohort: str = "", case: str = "") -> None:
        """Work as this trainee: charts made so far take up their drafts, later ones too;
        `case` (e.g. from the start page's link) is opened."""
        self.owner = owner
        for chart in self._views.values():
            chart.follow(owner)
            chart.recorder.owner, chart.recorder.cohort = owner, cohort
        super().follow(owner, cohort, case)

    def make(self, scenario: Scenario) -> AssessmentChart:
        return AssessmentChart(scenario, self.directory, self.store, self.owner,
                               Recorder("02-assessment", self.owner))


class ChartRowEditor(w.VBox):
    """One row of a case's chart on its own (a group exercise): the intake beside it, the four
    cells, and the row's review as the trainee types."""

    cells = traitlets.Dict(help="The row's cells as typed: now, wants, strengths, barriers.")
    debounce = traitlets.Float(help="Seconds to wait after typing before reviewing.")

    @traitlets.default("debounce")
    def _default_debounce(self) -> float:
        return debounce_seconds()

    def __init__(self, scenario: Scenario, domain: str, actions: Sequence[w.Widget] = (),
                 **kwargs) -> None:
        """`actions` are buttons shown between the cells and the feedback (so a review that
        grows while the trainee clicks cannot move them)."""
        super().__init__(**kwargs)
        if domain not in domains():
            raise CasecoachError(f"unknown life domain '{domain}'", field="domain")
        self.scenario = scenario
        self.domain = domain
        self.review: RowReview | None = None
        self._later = Debounce(self._refresh)
        self._areas, grid = cell_grid(dict.fromkeys(TEXT_COLUMNS, ""), self._changed, scenario)
        self._card = w.HTML()
        top = intake_box(scenario, self._card)
        self._feedback = w.HTML()
        self._feedback.add_class("cc-row-feedback")
        self._announce = live(w.HTML())  # the row's summary line, read out when it changes
        self._announce.add_class("cc-sr-only")
        heading = w.HTML(f'<h3 class="cc-h">{escape(domains()[domain])}: your row of the chart'
                         f'</h3>')
        self.children = [top, heading, grid, w.HBox(list(actions)), self._announce,
                         self._feedback]
        self.add_class("cc-row-editor")
        self._refresh()

    def set_cells(self, **cells: str) -> None:
        """Type into the cells as a trainee would (tests and demos); reviewed at once."""
        for column, value in cells.items():
            self._areas[column].value = value
        self._later.cancel()
        self._refresh()

    def _changed(self, _change) -> None:
        self._later(self.debounce)

    def _refresh(self) -> None:
        self.cells = {c: a.value for c, a in self._areas.items()}
        row = ChartRow(self.domain, **self.cells)
        self.review = review_row(self.scenario, row)
        self._feedback.value = _render.row_feedback_html(self.review)
        self._announce.value = escape(_title(self.review))
        chart = Chart.blank(self.scenario.id)
        for column, value in self.cells.items():
            chart = chart.with_cell(self.domain, column, value)
        self._card.value = _render.charted_client_html(self.scenario, chart)
