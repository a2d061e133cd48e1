"""Priorities, the action-plan builder and the real-client workspace."""

from __future__ import annotations

import tempfile
from datetime import date
from html import escape
from pathlib import Path
from typing import Callable, Sequence

import ipywidgets as w
import traitlets

from casecoach.assessment import domains
from casecoach.errors import CasecoachError
from casecoach.goals import review_goal
from casecoach.plan import (OWNERS, ClientProfile, Plan, PlanGoal, Step, case_for, check_plan)
from casecoach.priorities import review_priorities
from casecoach.resources import Directory, match, needs_of
from casecoach.scenarios import Scenario
from casecoach.store import Store
from widgets import _render
from widgets.case_switcher import CaseSwitcher
from widgets._services import Recorder, directory
from widgets._services import store as default_store
from widgets.assessment_chart import AssessmentChart

_NONE = ("—", "")


class PriorityPicker(w.VBox):
    """Pick and order up to three priorities for a case; feedback explains every difference."""

    picks = traitlets.Tuple(help="The chosen life domains, most pressing first.")

    def __init__(self, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.recorder = Recorder("03-priorities")
        options = [_NONE] + [(name, key) for key, name in domains().items()]
        labels = ("First priority", "Second", "Third", "A fourth?")
        self._ranks = [w.Dropdown(options=options, value="", description=label,
                                  style={"description_width": "8em"},
                                  layout=w.Layout(width="26em")) for label in labels]
        for index, rank in enumerate(self._ranks):
            rank.add_class(f"cc-rank-{index + 1}")
            rank.observe(self._changed, names="value")
        facts = w.HTML(_render.facts_by_domain_html(scenario))
        self._feedback = w.HTML(_render.priorities_html(None))
        self._feedback.add_class("cc-priority-feedback")
        picker = w.VBox(self._ranks)
        facts.add_class("cc-side")
        row = w.Box([w.VBox([picker, self._feedback], layout=w.Layout(flex="2 1 420px")), facts])
        row.add_class("cc-row")
        self.children = [row]
        self.add_class("cc-priorities")

    def choose(self, *domain_ids: str) -> None:
        """Set the picks in order, as the trainee would with the dropdowns."""
        for rank, value in zip(self._ranks, list(domain_ids) + [""] * 4):
            rank.value = value

    def _changed(self, _change) -> None:
        picks = tuple(r.value for r in self._ranks if r.value)
        if len(set(picks)) != len(picks):
            self._feedback.value = _render.notice_html(
                "Each area of life can be picked once: change the repeated one.")
            return
        self.picks = picks
        review = review_priorities(self.scenario, picks)
        self._feedback.value = _render.priorities_html(review)
        if picks:
            self.recorder.attempt()
            if review.complete:
                self.recorder.complete(review.agreed)


class StepEditor(w.HBox):
    """One step: what, who, by when, the resource, the strength it draws on."""

    def __init__(self, on_change: Callable[[], None], resources: list[tuple[str, str]],
                 strengths: list[str], step: Step | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        step = step or Step("")
        self.text = w.Text(value=step.text, placeholder="What will be done",
                           layout=w.Layout(flex="3 1 220px"))
        self.owner = w.Dropdown(options=[(o.capitalize(), o) for o in OWNERS], value=step.owner
                                if step.owner in OWNERS else "client",
                                layout=w.Layout(flex="0 0 9em"))
        self.who = w.Text(value=step.who, placeholder="Name", layout=w.Layout(flex="1 1 90px"))
        self.due = w.DatePicker(value=step.due, layout=w.Layout(flex="0 0 10em"))
        known = {v for _l, v in resources}
        options = [("No resource", "")] + resources + (
            [(step.resource_id, step.resource_id)] if step.resource_id and
            step.resource_id not in known else [])
        self.resource = w.Dropdown(options=options, value=step.resource_id,
                                   layout=w.Layout(flex="2 1 160px"))
        choices = [("Strength it draws on", "")] + [(s[:60], s) for s in strengths]
        if step.strength and step.strength not in strengths:
            choices.append((step.strength[:60], step.strength))
        self.strength = w.Dropdown(options=choices, value=step.strength,
                                   layout=w.Layout(flex="2 1 160px"))
        for name in ("text", "owner", "who", "due", "resource", "strength"):
            part = getattr(self, name)
            part.add_class(f"cc-step-{name}")
            part.observe(lambda _c: on_change(), names="value")
        self.children = [self.text, self.owner, self.who, self.due, self.resource, self.strength]
        self.add_class("cc-step")

    @property
    def step(self) -> Step:
        return Step(self.text.value, self.owner.value, self.who.value, self.due.value,
                    self.resource.value or "", self.strength.value or "")


class GoalEditor(w.VBox):
    """One plan goal: the client's words, the SMART(S) goal with its live review, the steps."""

    def __init__(self, case: Scenario, directory: Directory | None, on_change: Callable[[], None],
                 goal: PlanGoal | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        goal = goal or PlanGoal("")
        self.case = case
        self.directory = directory
        self._on_change = on_change
        self._context = case.context()
        domain_options = [_NONE] + [(n, k) for k, n in domains().items()]
        self.domain = w.Dropdown(options=domain_options, value=goal.domain,
                                 description="Area of life", style={"description_width": "initial"})
        self.domain.add_class("cc-goal-domain")
        words = [g.words for g in case.client_goals]
        self.words = w.Combobox(value=goal.client_words, options=words,
                                placeholder="The client's own words: “I want …”",
                                layout=w.Layout(width="100%"))
        self.words.add_class("cc-client-words")
        self.text = w.Textarea(value=goal.text, placeholder="The goal, SMART(S): who will do what, "
                               "how much, by when, building on which strength",
                               continuous_update=False, layout=w.Layout(width="100%", height="4.5em"))
        self.text.add_class("cc-plan-goal")
        self.review = w.HTML()
        self.review.add_class("cc-feedback")
        self.active = w.Checkbox(value=goal.active, description="Active now", indent=False)
        self._steps = w.VBox()
        self._steps.add_class("cc-steps")
        add = w.Button(description="Add a step", icon="", tooltip="A step with who and by when")
        add.add_class("cc-add-step")
        add.on_click(lambda _b: self.add_step())
        for part in (self.domain, self.words, self.text, self.active):
            part.observe(self._changed, names="value")
        self.children = [w.HBox([self.domain, self.active]),
                         w.HTML('<label class="cc-caption">What the client wants, in their words'
                                '</label>'), self.words,
                         w.HTML('<label class="cc-caption">The goal</label>'), self.text,
                         self.review, w.HTML('<label class="cc-caption">Steps: what, who, by '
                                             'when, resource, strength</label>'),
                         self._steps, add]
        self.add_class("cc-goal-editor")
        for step in goal.steps:
            self.add_step(step)
        self._review()

    def add_step(self, step: Step | None = None) -> StepEditor:
        editor = StepEditor(self._on_change, self._resources(), self._strengths(), step)
        self._steps.children = self._steps.children + (editor,)
        self._on_change()
        return editor

    @property
    def steps(self) -> list[StepEditor]:
        return list(self._steps.children)

    @property
    def goal(self) -> PlanGoal:
        return PlanGoal(self.text.value.strip(), self.domain.value, self.words.value.strip(),
                        tuple(s.step for s in self.steps), self.active.value)

    def _resources(self) -> list[tuple[str, str]]:
        if self.directory is None:
            return []
        ranked = match(self.directory, self.domain.value or "housing", self.text.value,
                       needs_of(self.case), limit=30)
        return [(f"{m.resource.name}" + ("" if m.fits else " (check: " + "; ".join(m.misses) + ")"),
                 m.resource.id) for m in ranked]

    def _strengths(self) -> list[str]:
        return [f.text for f in self.case.strengths()]

    def _changed(self, change) -> None:
        if change["owner"] is self.domain:
            options = [("No resource", "")] + self._resources()
            for editor in self.steps:
                current = editor.resource.value
                editor.resource.options = options + ([(current, current)] if current and current
                                                     not in {v for _l, v in options} else [])
                editor.resource.value = current
        self._review()
        self._on_change()

    def _review(self) -> None:
        text = self.text.value.strip()
        self.review.value = _render.review_html(text, review_goal(text, self._context)
                                                if text else None)


class PlanBuilder(w.VBox):
    """A plan for one client: up to three active goals with steps, the checks, and export."""

    plan = traitlets.Instance(Plan, allow_none=True, help="The plan as it stands.")

    def __init__(self, case: Scenario, directory: Directory | None = None,
                 plan: Plan | None = None, recorder: Recorder | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.recorder = recorder
        self.directory = directory
        self.review = None
        plan = plan or Plan(case.client["name"], date.today())
        self._date = w.DatePicker(value=plan.plan_date, description="Plan date")
        self._caseworker = w.Text(value=plan.caseworker, description="Caseworker",
                                  placeholder="Your name")
        self._decline = w.Checkbox(value=plan.right_to_decline_explained, indent=False,
                                   description=f"{case.first_name} was told they can say no to "
                                               "any service without losing the others",
                                   layout=w.Layout(width="auto"))
        self._decline.add_class("cc-decline")
        self._declined = w.Text(value="; ".join(plan.declined), description="Declined",
                                placeholder="Services the client chose not to use, if any",
                                layout=w.Layout(width="100%"))
        self._goals = w.VBox()
        add = w.Button(description="Add a goal")
        add.add_class("cc-add-goal")
        add.on_click(lambda _b: self.add_goal())
        self._checks = w.HTML()
        self._checks.add_class("cc-plan-checks")
        self._pdf = w.Button(description="Download PDF", button_style="primary")
        self._pdf.add_class("cc-export-pdf")
        self._docx = w.Button(description="Download DOCX")
        self._docx.add_class("cc-export-docx")
        self._download = w.HTML()
        self._download.add_class("cc-download")
        self._pdf.on_click(lambda _b: self.export("pdf"))
        self._docx.on_click(lambda _b: self.export("docx"))
        for part in (self._date, self._caseworker, self._decline, self._declined):
            part.observe(lambda _c: self._refresh(), names="value")
        self.children = [w.HBox([self._date, self._caseworker]), self._goals, add,
                         self._decline, self._declined, self._checks,
                         w.HBox([self._pdf, self._docx]), self._download]
        self.add_class("cc-plan")
        for goal in plan.goals:
            self.add_goal(goal)
        self._refresh()

    @property
    def editors(self) -> list[GoalEditor]:
        return list(self._goals.children)

    def add_goal(self, goal: PlanGoal | None = None) -> GoalEditor:
        editor = GoalEditor(self.case, self.directory, self._refresh, goal)
        self._goals.children = self._goals.children + (editor,)
        self._refresh()
        return editor

    def current(self) -> Plan:
        declined = tuple(x.strip() for x in self._declined.value.split(";") if x.strip())
        return Plan(self.case.client["name"], self._date.value or date.today(),
                    tuple(e.goal for e in self.editors), self._caseworker.value.strip(),
                    tuple(f.text for f in self.case.strengths()), declined,
                    self._decline.value, self.case.id)

    def export(self, kind: str) -> Path | None:
        """Write the client's plan document and offer it as a download on the page."""
        from casecoach.export import export_docx, export_pdf

        plan = self.current()
        name = f"plan-{plan.client_name.split()[0].lower()}-{plan.plan_date.isoformat()}.{kind}"
        folder = Path(tempfile.mkdtemp(prefix="casecoach-export-"))
        try:
            path = (export_pdf if kind == "pdf" else export_docx)(plan, folder / name,
                                                                 self.directory)
        except CasecoachError as exc:
            self._download.value = _render.notice_html(f"Could not export: {exc}")
            return None
        mime = ("application/pdf" if kind == "pdf" else
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self._download.value = _render.download_link(
            name, mime, path.read_bytes(), "The file is made on this computer; nothing is sent "
                                           "anywhere.")
        return path

    def _refresh(self) -> None:
        self.plan = self.current()
        self.review = check_plan(self.plan, self.case.context())
        self._checks.value = _render.plan_checks_html(self.review)
        if self.recorder is not None and self.review.ready:
            self.recorder.complete(len(self.plan.active_goals))


class PriorityModule(CaseSwitcher):
    """Pick a case and set its priorities."""

    def make(self, scenario: Scenario) -> PriorityPicker:
        return PriorityPicker(scenario)


class PlanModule(CaseSwitcher):
    """Pick a case and build its action plan."""

    def __init__(self, ids: Sequence[str] | None = None, **kwargs) -> None:
        self.directory = directory()
        super().__init__(ids, **kwargs)

    def builder(self, scenario_id: str | None = None) -> PlanBuilder:
        return self.view(scenario_id).children[1]

    def make(self, scenario: Scenario) -> w.VBox:
        builder = PlanBuilder(scenario, self.directory, recorder=Recorder("04-action-plan"))
        builder.add_goal()
        return w.VBox([w.HTML(_render.client_html(scenario)), builder])


class Workspace(w.VBox):
    """Decision support for a real client: profile, chart, plan. Nothing is kept until Save."""

    status = traitlets.Unicode("", help="The last save, open or delete, or why it failed.")

    def __init__(self, store: Store | None = None, owner: str | None = "local",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store if store is not None else default_store()
        self.owner = owner
        self.directory = directory()
        self.plan_id: int | None = None
        self._name = w.Text(description="Client", placeholder="Name the client uses")
        self._name.add_class("cc-ws-name")
        self._pronouns = w.Dropdown(options=["she/her", "he/him", "they/them"], value="they/them",
                                    description="Pronouns")
        self._languages = w.Text(value="English", description="Languages",
                                 placeholder="First language first, separated by commas")
        self._transport = w.Dropdown(options=[("Public transit", "transit"), ("Own car", "car"),
                                              ("On foot", "walk"), ("Rides from others", "rides")],
                                     value="transit", description="Gets around")
        self._available = w.SelectMultiple(
            options=[("Weekday daytime", "weekday_daytime"), ("Weekday evenings",
                     "weekday_evening"), ("Weekends", "weekend")],
            value=("weekday_daytime", "weekday_evening", "weekend"), description="Free", rows=3)
        self._lists = {key: w.Textarea(placeholder=hint, layout=w.Layout(width="100%",
                                                                         height="5em"))
                       for key, hint in (("own_goals", "One per line, in their words: I want …"),
                                         ("strengths", "Skills, successes, people, places"),
                                         ("barriers", "What stands between them and a goal"),
                                         ("conditions", "Court or parole conditions"))}
        for key, area in self._lists.items():
            area.add_class(f"cc-ws-{key.replace('_', '-')}")
        start = w.Button(description="Use this profile", button_style="primary")
        start.add_class("cc-ws-start")
        start.on_click(lambda _b: self._use_profile())
        self._saved = w.Select(options=[], rows=4, layout=w.Layout(width="100%"))
        self._saved.add_class("cc-ws-saved")
        open_ = w.Button(description="Open")
        open_.on_click(lambda _b: self.open_plan(self._saved.value))
        delete = w.Button(description="Delete", button_style="danger")
        delete.on_click(lambda _b: self.delete_plan(self._saved.value))
        save = w.Button(description="Save", button_style="success")
        save.add_class("cc-ws-save")
        save.on_click(lambda _b: self.save_plan())
        self._message = w.HTML()
        self._message.add_class("cc-ws-message")
        self._work = w.VBox()
        profile = w.VBox([self._name, self._pronouns, self._languages, self._transport,
                          self._available]
                         + [w.VBox([w.HTML(f'<label class="cc-caption">{label}</label>'), area])
                            for label, area in zip(("What they want", "Strengths", "Barriers",
                                                    "Conditions"), self._lists.values())]
                         + [start])
        saved = w.VBox([w.HTML('<span class="cc-caption">Saved plans on this computer</span>'),
                        self._saved, w.HBox([open_, delete])])
        top = w.Box([w.VBox([profile], layout=w.Layout(flex="2 1 420px")), saved])
        top.add_class("cc-row")
        bar = w.HBox([save, self._message])
        bar.add_class("cc-ws-bar")  # sticks to the window's foot: reviews above it cannot move it
        self.children = [top, self._work, bar]
        self.add_class("cc-workspace")
        self.chart: AssessmentChart | None = None
        self.builder: PlanBuilder | None = None
        self._list()

    def profile(self) -> ClientProfile:
        lines = {k: tuple(x.strip() for x in a.value.splitlines() if x.strip())
                 for k, a in self._lists.items()}
        languages = tuple(x.strip() for x in self._languages.value.split(",") if x.strip())
        return ClientProfile.from_dict({"name": self._name.value.strip(),
                                        "pronouns": self._pronouns.value,
                                        "languages": languages or ("English",),
                                        "transport": self._transport.value,
                                        "available": self._available.value, **lines})

    def _use_profile(self, plan: Plan | None = None, chart: dict | None = None) -> None:
        try:
            profile = self.profile()
        except CasecoachError as exc:
            self._say(f"{exc}", ok=False)
            return
        case = case_for(profile)
        self.chart = AssessmentChart(case, self.directory, store=None)
        if chart:
            from casecoach.assessment import Chart

            for row in Chart.from_dict({**chart, "scenario_id": case.id}).rows:
                for column in ("now", "wants", "strengths", "barriers"):
                    if getattr(row, column):
                        self.chart.set_cell(row.domain, column, getattr(row, column))
        self.builder = PlanBuilder(case, self.directory, plan or Plan(profile.name, date.today()))
        if not self.builder.editors:
            self.builder.add_goal()
        self._work.children = [w.HTML('<h3 class="cc-h">Assessment chart</h3>'), self.chart,
                               w.HTML('<h3 class="cc-h">Plan</h3>'), self.builder]
        self._say("Working on this computer only: nothing is kept until you press Save.")

    def save_plan(self) -> int | None:
        if self.store is None:
            self._say("Saving is not available: the store could not be opened.", ok=False)
            return None
        if self.builder is None:
            self._say("Fill in the profile and press “Use this profile” first.", ok=False)
            return None
        try:
            body = {"profile": self.profile().to_dict(), "plan": self.builder.current().to_dict(),
                    "chart": self.chart.chart.to_dict() if self.chart else None}
            body["client_name"] = self.profile().name
            self.plan_id = self.store.save_plan(self.owner or "local", body, self.plan_id)
        except CasecoachError as exc:
            self._say(f"Not saved: {exc}", ok=False)
            return None
        self._say(f"Saved ({self.profile().name}).")
        self._list()
        return self.plan_id

    def open_plan(self, plan_id: int | None) -> None:
        if not plan_id or self.store is None:
            return
        try:
            body = self.store.load_plan(self.owner, plan_id)
            profile = ClientProfile.from_dict(body["profile"])
            plan = Plan.from_dict(body["plan"])
        except (CasecoachError, KeyError, TypeError) as exc:
            self._say(f"Could not open that plan: {exc}", ok=False)
            return
        self._name.value = profile.name
        self._pronouns.value = profile.pronouns if profile.pronouns in self._pronouns.options \
            else "they/them"
        self._languages.value = ", ".join(profile.languages)
        self._transport.value = profile.transport
        self._available.value = tuple(profile.available)
        for key, area in self._lists.items():
            area.value = "\n".join(getattr(profile, key))
        self.plan_id = plan_id
        self._use_profile(plan, body.get("chart"))
        self._say(f"Opened {profile.name}'s plan.")

    def delete_plan(self, plan_id: int | None) -> None:
        if not plan_id or self.store is None:
            return
        self.store.delete_plan(self.owner, plan_id)
        if self.plan_id == plan_id:
            self.plan_id = None
        self._say("Deleted.")
        self._list()

    def follow(self, owner: str) -> None:
        """Work as this caseworker: list their saved plans (a preheated page learns it late)."""
        self.owner = owner
        self._list()

    def _list(self) -> None:
        if self.store is None or not self.owner:
            return
        self._saved.options = [(f"{p.client_name} · {p.updated_at:%Y-%m-%d %H:%M}", p.id)
                               for p in self.store.list_plans(self.owner)]

    def _say(self, text: str, ok: bool = True) -> None:
        self.status = text
        self._message.value = (f'<span class="{"cc-count" if ok else "cc-error"}">'
                               f'{escape(text)}</span>')
