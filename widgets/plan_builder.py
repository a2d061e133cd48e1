"""Priorities, the action-plan builder and the real-client workspace."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Callable, Sequence

import ipywidgets as w
import traitlets

from casecoach._data import section
from casecoach.assessment import Chart, domains
from casecoach.course import wording as course_wording
from casecoach.errors import CasecoachError
from casecoach.goals import review_goal
from casecoach.plan import (OWNERS, ClientProfile, FollowUp, Plan, PlanGoal, Step, case_for,
                            check_plan, in_date_order)
from casecoach.priorities import review_priorities
from casecoach.resources import Directory, match, needs_of
from casecoach.scenarios import Scenario
from casecoach.store import StalePlan, Store
from widgets import _render
from widgets._a11y import captioned, live, named
from widgets.case_switcher import CaseSwitcher
from widgets._services import (ProcessStore, Recorder, directory, running_loop, store_words,
                                when_store_back)
from widgets.assessment_chart import AssessmentChart, saved_chart
from widgets.page import person, room_refusal

_NONE = ("—", "")
# A trainee's plan for a training case is a draft of this kind, one per case (like the chart).
PLAN_DRAFT_KIND = "action-plan"


class PriorityPicker(w.VBox):
    """Pick and order up to three priorities for a case beside the trainee's own chart of it;
    feedback explains every difference."""

    picks = traitlets.Tuple(help="The chosen life domains, most pressing first.")

    def __init__(self, scenario: Scenario, chart: Chart | None = None, **kwargs) -> None:
        """`chart` is the trainee's own chart of the case, shown to choose from (never the key)."""
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
        facts = self._chart = w.HTML()
        self.show_chart(chart)
        self._feedback = w.HTML(_render.priorities_html(None))
        self._feedback.add_class("cc-priority-feedback")
        picker = w.VBox(self._ranks)
        facts.add_class("cc-side")
        row = w.Box([w.VBox([picker, self._feedback], layout=w.Layout(flex="2 1 420px")), facts])
        row.add_class("cc-row")
        self.children = [row]
        self.add_class("cc-priorities")

    def show_chart(self, chart: Chart | None) -> None:
        """Show this chart of the case beside the picks (the intake when there is none)."""
        self._chart.value = _render.own_chart_html(self.scenario, chart)

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
            self.recorder.note(course_wording("priorities", who=self.scenario.first_name,
                                              n=len(picks)),
                               score=review.agreed if review.complete else None,
                               out_of=review.needed if review.complete else None,
                               case=self.scenario.id)
            if review.complete:
                self.recorder.complete(review.agreed)


# A step's parts, as the caption over a goal's steps names them ("Steps: what, who, by when,
# resource, strength"): each part's label for screen readers.
_STEP_PARTS = {"text": "What will be done", "owner": "Who does it", "who": "Who: their name",
               "due": "By when", "resource": "Resource", "strength": "Strength it draws on"}


class StepEditor(w.HBox):
    """One step: what, who, by when, the resource, the strength it draws on."""

    def __init__(self, on_change: Callable[[], None], resources: list[tuple[str, str]],
                 strengths: list[str], step: Step | None = None,
                 on_remove: Callable[["StepEditor"], None] | None = None, **kwargs) -> None:
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
            named(part, _STEP_PARTS[name])  # the goal's caption over its steps says them all
            part.observe(lambda _c: on_change(), names="value")
        self.children = [self.text, self.owner, self.who, self.due, self.resource, self.strength]
        if on_remove is not None:
            remove = w.Button(description=_words("remove_step"), tooltip=_words("remove_step"),
                              layout=w.Layout(flex="0 0 auto", width="auto"))
            remove.add_class("cc-step-remove")
            remove.on_click(lambda _b: on_remove(self))
            self.children = self.children + (remove,)
        self.add_class("cc-step")

    @property
    def step(self) -> Step:
        return Step(self.text.value, self.owner.value, self.who.value, self.due.value,
                    self.resource.value or "", self.strength.value or "")


class GoalEditor(w.VBox):
    """One plan goal: the client's words, the SMART(S) goal with its live review, the steps."""

    def __init__(self, case: Scenario, directory: Directory | None, on_change: Callable[[], None],
                 goal: PlanGoal | None = None,
                 on_remove: Callable[["GoalEditor"], None] | None = None, **kwargs) -> None:
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
        remove = w.Button(description=_words("remove_goal"), tooltip=_words("remove_goal"),
                          layout=w.Layout(width="auto"))
        remove.add_class("cc-remove-goal")
        remove.on_click(lambda _b: on_remove(self) if on_remove is not None else None)
        self.children = [w.HBox([self.domain, self.active] + ([remove] if on_remove else [])),
                         captioned(self.words, "What the client wants, in their words"),
                         captioned(self.text, "The goal"),
                         self.review, w.HTML('<label class="cc-caption">Steps: what, who, by '
                                             'when, resource, strength</label>'),
                         self._steps, add]
        self.add_class("cc-goal-editor")
        for step in goal.steps:
            self.add_step(step)
        self._review()

    def add_step(self, step: Step | None = None) -> StepEditor:
        editor = StepEditor(self._on_change, self._resources(), self._strengths(), step,
                            on_remove=self.remove_step)
        self._steps.children = self._steps.children + (editor,)
        self._on_change()
        return editor

    def remove_step(self, editor: StepEditor) -> None:
        """Take this step out of the goal."""
        self._steps.children = tuple(s for s in self._steps.children if s is not editor)
        self._on_change()

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
        try:
            review = review_goal(text, self._context) if text else None
        except CasecoachError as exc:  # too long, or not text: say so, and keep reviewing
            self.review.value = _render.notice_html(
                section("messages.yaml", "plan")["review_unreadable"].format(error=exc.message),
                alert=True)
            return
        self.review.value = _render.review_html(text, review)


class PlanBuilder(w.VBox):
    """A plan for one client: up to three active goals with steps, the checks, and export."""

    plan = traitlets.Instance(Plan, allow_none=True, help="The plan as it stands.")

    def __init__(self, case: Scenario, directory: Directory | None = None,
                 plan: Plan | None = None, recorder: Recorder | None = None,
                 store: Store | None = None, owner: str | None = None, **kwargs) -> None:
        """With a `store` and an `owner` (see follow), the plan is that trainee's draft for the
        case: saved as they work, back on the next visit."""
        super().__init__(**kwargs)
        self.case = case
        self.recorder = recorder
        self.directory = directory
        self.review = None
        self.store, self.owner = store, owner
        self._loading = True
        plan = plan or Plan(case.client["name"], date.today())
        # Recorded in the workspace (FollowUpLog), carried here so the checks, the snapshot, the
        # save and the export all see the same plan.
        self.follow_ups: tuple[FollowUp, ...] = plan.follow_ups
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
        self._loading = False
        self._refresh()

    def follow(self, owner: str) -> bool:
        """Work as this trainee: their draft of this case's plan, if any, replaces the one shown.
        True when a draft was found."""
        self.owner = owner
        draft = self._load_draft()
        if draft is not None:
            self.load(draft)
        return draft is not None

    def load(self, plan: Plan) -> None:
        """Show this plan: its date, caseworker, goals with their steps, what was declined."""
        self._loading = True
        try:
            self._date.value = plan.plan_date
            self._caseworker.value = plan.caseworker
            self._decline.value = plan.right_to_decline_explained
            self._declined.value = "; ".join(plan.declined)
            self.follow_ups = plan.follow_ups
            self._goals.children = ()
            for goal in plan.goals:
                self.add_goal(goal)
        finally:
            self._loading = False
        self._refresh(save=False)

    @property
    def editors(self) -> list[GoalEditor]:
        return list(self._goals.children)

    def add_goal(self, goal: PlanGoal | None = None) -> GoalEditor:
        editor = GoalEditor(self.case, self.directory, self._refresh, goal,
                            on_remove=self.remove_goal)
        self._goals.children = self._goals.children + (editor,)
        self._refresh()
        return editor

    def remove_goal(self, editor: GoalEditor) -> None:
        """Take this goal, with its steps, out of the plan."""
        self._goals.children = tuple(g for g in self._goals.children if g is not editor)
        self._refresh()

    def current(self) -> Plan:
        declined = tuple(x.strip() for x in self._declined.value.split(";") if x.strip())
        return Plan(self.case.client["name"], self._date.value or date.today(),
                    tuple(e.goal for e in self.editors), self._caseworker.value.strip(),
                    tuple(f.text for f in self.case.strengths()), declined,
                    self._decline.value, self.case.id, self.follow_ups)

    def set_follow_ups(self, follow_ups: tuple[FollowUp, ...]) -> None:
        """The plan's follow-ups are now these; the checks and the `plan` trait follow."""
        self.follow_ups = tuple(follow_ups)
        self._refresh()

    def export(self, kind: str) -> str | None:
        """Make the client's plan document and offer it as a download on the page; returns the
        file's name. The file is made in a private temporary folder, removed once read: the
        document travels inside the page, and no copy of the client's plan stays on disk."""
        from casecoach.export import export_docx, export_pdf, file_name

        plan = self.current()
        folder = Path(tempfile.mkdtemp(prefix="casecoach-export-"))
        try:
            name = file_name(plan, kind)
            path = (export_pdf if kind == "pdf" else export_docx)(plan, folder / name,
                                                                 self.directory)
            data = path.read_bytes()
        except CasecoachError as exc:
            # exc.message only: the file and folder it names are this server's, not the user's.
            self._download.value = _render.notice_html(_words("export_failed",
                                                              error=exc.message))
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        mime = ("application/pdf" if kind == "pdf" else
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self._download.value = _render.download_link(
            name, mime, data, "The file is made on this computer; nothing is sent anywhere.")
        return name

    def _refresh(self, save: bool = True) -> None:
        if self._loading:
            return
        self.plan = self.current()
        self.review = check_plan(self.plan, self.case.context())
        self._checks.value = _render.plan_checks_html(self.review)
        if save and self.store is not None and self.owner:
            self._save_draft()  # at once: a page closed mid-pause keeps the last change
        if self.recorder is not None and self.review.ready:
            self.recorder.complete()

    def _draft_worth_keeping(self) -> bool:
        return any(g.text or g.client_words or g.domain or any(st.text for st in g.steps)
                   for g in self.plan.goals) or bool(self.plan.caseworker)

    def _save_draft(self) -> None:
        if self.store is None or not self.owner or not self._draft_worth_keeping():
            return
        try:
            self.store.save_draft(person(self.owner), PLAN_DRAFT_KIND, self.case.id,
                                  self.plan.to_dict())
        except CasecoachError:
            return  # the page keeps working; the next change tries again
        if self.recorder is not None:
            steps = sum(len([st for st in g.steps if st.text]) for g in self.plan.goals)
            goals = len([g for g in self.plan.goals if g.text])
            self.recorder.note(course_wording("plan", who=self.case.first_name, goals=goals,
                                              steps=steps), case=self.case.id)

    def _load_draft(self) -> Plan | None:
        if self.store is None or not self.owner:
            return None
        try:
            body = self.store.load_draft(person(self.owner), PLAN_DRAFT_KIND, self.case.id)
            return Plan.from_dict(body) if body else None
        except (CasecoachError, KeyError, TypeError, ValueError):
            return None


class PriorityModule(CaseSwitcher):
    """Pick a case and set its priorities beside the trainee's own chart of it."""

    store = ProcessStore()

    def __init__(self, ids: Sequence[str] | None = None, owner: str | None = None,
                 store: Store | None = None, **kwargs) -> None:
        """`owner` is the trainee whose chart drafts are shown; a preheated page learns it late,
        through `follow`."""
        self.owner = owner
        self.store = store
        super().__init__(ids, **kwargs)

    def follow(self, owner: str, cohort: str = "", case: str = "") -> None:
        """Work as this trainee: each case shows their saved chart of it."""
        self.owner = owner
        for scenario_id, picker in self._views.items():
            picker.show_chart(saved_chart(self.store, owner, scenario_id))
        super().follow(owner, cohort, case)

    def make(self, scenario: Scenario) -> PriorityPicker:
        return PriorityPicker(scenario, saved_chart(self.store, self.owner, scenario.id))


class PlanModule(CaseSwitcher):
    """Pick a case and build its action plan; each case's plan is the trainee's draft."""

    store = ProcessStore()

    def __init__(self, ids: Sequence[str] | None = None, owner: str | None = None,
                 store: Store | None = None, **kwargs) -> None:
        self.directory = directory()
        self.store = store
        self.owner = owner
        super().__init__(ids, **kwargs)

    def builder(self, scenario_id: str | None = None) -> PlanBuilder:
        return self.view(scenario_id).children[1]

    def follow(self, owner: str, cohort: str = "", case: str = "") -> None:
        """Work as this trainee: the plans made so far (and later ones) take up their drafts;
        `case` (e.g. from the start page's link) is opened."""
        self.owner = owner
        for view in self._views.values():
            builder = view.children[1]
            builder.recorder.owner, builder.recorder.cohort = owner, cohort
            builder.follow(owner)
        super().follow(owner, cohort, case)

    def make(self, scenario: Scenario) -> w.VBox:
        builder = PlanBuilder(scenario, self.directory,
                              recorder=Recorder("04-action-plan", self.owner or ""),
                              store=self.store, owner=self.owner)
        if not (self.owner and builder.follow(self.owner)):
            builder.add_goal()
        return w.VBox([w.HTML(_render.client_html(scenario)), builder])


class FollowUpLog(w.VBox):
    """A real client's follow-ups after the plan: the list in date order, each with Remove, and
    a form to record one (the date, what happened, the response, any plan change)."""

    follow_ups = traitlets.Tuple(help="The follow-ups recorded, as FollowUp values, in the order "
                                      "they were added.")

    def __init__(self, follow_ups: Sequence[FollowUp] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self._list = w.VBox()
        self._list.add_class("cc-fu-list")
        self.when = w.DatePicker(value=None, description="Date")
        self.happened = w.Textarea(placeholder="What happened: a call, a note from the parole "
                                               "officer, a message from a program",
                                   layout=w.Layout(width="100%", height="4em"))
        self.response = w.Textarea(placeholder="How you responded",
                                   layout=w.Layout(width="100%", height="3em"))
        self.plan_change = w.Text(placeholder="What changed in the plan, if anything",
                                  layout=w.Layout(width="100%"))
        for name in ("when", "happened", "response", "plan_change"):
            getattr(self, name).add_class(f"cc-fu-{name.replace('_', '-')}")
        add = w.Button(description=_words("add_follow_up"), layout=w.Layout(width="auto"))
        add.add_class("cc-fu-add")
        add.on_click(lambda _b: self.add())
        self._error = w.HTML()
        self._error.add_class("cc-fu-error")
        live(self._error)
        self.children = [self._list, self.when,
                         captioned(self.happened, "What happened"),
                         captioned(self.response, "The response"),
                         captioned(self.plan_change, "Plan change"), w.HBox([add]),
                         self._error]
        self.add_class("cc-follow-ups")
        self.follow_ups = tuple(follow_ups)
        self._show()

    def add(self) -> FollowUp | None:
        """Record the follow-up in the form, when the core accepts it; otherwise say why and keep
        what was typed."""
        try:
            follow_up = FollowUp.make(self.when.value, self.happened.value, self.response.value,
                                      self.plan_change.value)
        except CasecoachError as exc:
            self._error.value = _render.notice_html(exc.message, alert=True)
            return None
        self._error.value = ""
        self.follow_ups = self.follow_ups + (follow_up,)
        self.when.value = None
        self.happened.value = self.response.value = self.plan_change.value = ""
        return follow_up

    def remove(self, follow_up: FollowUp) -> None:
        """Take this follow-up out (the first one equal to it)."""
        items = list(self.follow_ups)
        if follow_up in items:
            items.remove(follow_up)
            self.follow_ups = tuple(items)

    @traitlets.observe("follow_ups")
    def _show(self, _change=None) -> None:
        rows = []
        for follow_up in in_date_order(self.follow_ups):
            parts = [f'<b>{escape(follow_up.when.isoformat())}</b> {escape(follow_up.happened)}']
            if follow_up.response:
                parts.append(f'<div>{escape(_words("follow_up_response", text=follow_up.response))}'
                             '</div>')
            if follow_up.plan_change:
                parts.append('<div>' + escape(_words("follow_up_plan_change",
                                                     text=follow_up.plan_change)) + '</div>')
            text = w.HTML('<div class="cc-fu-item">' + "".join(parts) + "</div>",
                          layout=w.Layout(flex="1 1 auto"))
            remove = w.Button(description=_words("remove_follow_up"),
                              tooltip=_words("remove_follow_up"),
                              layout=w.Layout(width="auto"))
            remove.add_class("cc-fu-remove")
            remove.on_click(lambda _b, f=follow_up: self.remove(f))
            rows.append(w.HBox([text, remove]))
        self._list.children = rows or [w.HTML(f'<span class="cc-hint">'
                                              f'{escape(_words("no_follow_ups"))}</span>')]


class Workspace(w.VBox):
    """Decision support for a real client: profile, chart, plan. Nothing is kept until Save; a
    save never overwrites a newer version of the plan, and a deletion can be undone for a while."""

    store = ProcessStore()

    status = traitlets.Unicode("", help="The last save, open or delete, or why it failed.")
    dirty = traitlets.Bool(False, help="True while the page holds work not yet saved; the page's "
                                       "template then asks before the page is left.")

    def __init__(self, store: Store | None = None, owner: str | None = "local",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.owner = owner
        self._off = room_refusal("05-workspace")
        if self._off is not None:  # a trainee in room mode: no plan is listed or read
            self.owner = None
            self.children = [self._off]
            return
        self.directory = directory()
        self.plan_id: int | None = None
        self.plan_version: int | None = None   # the saved version the work on screen started from
        self._copy = False                     # listed as "Name (copy)"
        self._names: dict[int, str] = {}       # saved plan id -> client name, as listed
        self._deleted: dict | None = None      # the deletion that Undo would bring back
        self._undo_timer = None
        self._quiet = False
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
        for field in self._fields():
            field.observe(self._track, names="value")
        start = w.Button(description="Use this profile", button_style="primary")
        start.add_class("cc-ws-start")
        start.on_click(lambda _b: self._use_profile())
        self._saved = w.Select(options=[], rows=4, layout=w.Layout(width="100%"))
        self._saved.add_class("cc-ws-saved")
        open_ = w.Button(description="Open")
        open_.add_class("cc-ws-open")
        open_.on_click(lambda _b: self.open_plan(self._saved.value))
        delete = w.Button(description="Delete", button_style="danger")
        delete.add_class("cc-ws-delete")
        delete.on_click(lambda _b: self.ask_delete(self._saved.value))
        save = w.Button(description="Save", button_style="success")
        save.add_class("cc-ws-save")
        save.on_click(lambda _b: self.save_plan())
        self._message = w.HTML()
        self._message.add_class("cc-ws-message")
        live(self._message)  # read out; errors are alerts
        self._actions = w.HBox()   # the choices a message offers: reload, copy, confirm, undo
        self._actions.add_class("cc-ws-actions")
        self._work = w.VBox()
        profile = w.VBox([self._name, self._pronouns, self._languages, self._transport,
                          self._available]
                         + [captioned(area, label)
                            for label, area in zip(("What they want", "Strengths", "Barriers",
                                                    "Conditions"), self._lists.values())]
                         + [start])
        caption, place = self._where()
        named(self._saved, caption)
        # The place on a line of its own, as written: a caption's capitals would change a path.
        where = w.HTML(f'<span class="cc-caption">{escape(caption)}</span>'
                       + (f'<div class="cc-hint cc-ws-place">{escape(place)}</div>' if place
                          else ""))
        where.add_class("cc-ws-where")
        saved = w.VBox([where, self._saved, w.HBox([open_, delete])])
        top = w.Box([w.VBox([profile], layout=w.Layout(flex="2 1 420px")), saved])
        top.add_class("cc-row")
        bar = w.HBox([save, self._message, self._actions])
        bar.add_class("cc-ws-bar")  # sticks to the window's foot: reviews above it cannot move it
        self.children = [top, self._work, bar]
        self.add_class("cc-workspace")
        self.chart: AssessmentChart | None = None
        self.builder: PlanBuilder | None = None
        self.follow_up_log: FollowUpLog | None = None
        self._baseline = self._snapshot()
        self._list()
        when_store_back(self._list)

    # --- the profile and the work built from it ------------------------------------------------

    def profile(self) -> ClientProfile:
        lines = {k: tuple(x.strip() for x in a.value.splitlines() if x.strip())
                 for k, a in self._lists.items()}
        languages = tuple(x.strip() for x in self._languages.value.split(",") if x.strip())
        return ClientProfile.from_dict({"name": self._name.value.strip(),
                                        "pronouns": self._pronouns.value,
                                        "languages": languages or ("English",),
                                        "transport": self._transport.value,
                                        "available": self._available.value, **lines})

    def _use_profile(self) -> None:
        """Build the chart and plan for the profile; on work already open, only the profile
        changes: the chart, goals and steps are carried over."""
        self._settle()
        try:
            profile = self.profile()
        except CasecoachError as exc:
            self._say(f"{exc}", ok=False)
            return
        if self.builder is None:
            self._build(profile)
            self._say(_words("unsaved_only"))
        else:
            plan = replace(self.builder.current(), client_name=profile.name)
            self._build(profile, plan, self.chart.current() if self.chart else None)
            self._say(_words("profile_used"))
        self._track()

    def _build(self, profile: ClientProfile, plan: Plan | None = None,
               chart: Chart | None = None) -> None:
        case = case_for(profile)
        if chart is not None:
            chart = Chart.from_dict({**chart.to_dict(), "scenario_id": case.id})
        self.chart = AssessmentChart(case, self.directory, store=None, chart=chart)
        self.builder = PlanBuilder(case, self.directory, plan or Plan(profile.name, date.today()))
        if not self.builder.editors:
            self.builder.add_goal()
        self.follow_up_log = FollowUpLog(self.builder.follow_ups)
        self.follow_up_log.observe(lambda c: self.builder.set_follow_ups(c["new"]),
                                   names="follow_ups")
        self.chart.observe(self._track, names="chart")
        self.builder.observe(self._track, names="plan")
        self._work.children = [w.HTML('<h2 class="cc-h">Assessment chart</h2>'), self.chart,
                               w.HTML('<h2 class="cc-h">Plan</h2>'), self.builder,
                               w.HTML('<h2 class="cc-h">Follow-ups</h2>'), self.follow_up_log]

    # --- saving, and a save made on an older version ---------------------------------------------

    def save_plan(self) -> int | None:
        """Save the work: a new plan, or the next version of the one opened. A save made on an
        older version than the stored one is refused, with the choice to reload or save a copy."""
        self._settle()
        if self.store is None:
            self._say(_words("no_store"), ok=False)
            return None
        if self.builder is None:
            self._say(_words("need_profile"), ok=False)
            return None
        try:
            profile = self.profile()
            plan = self.builder.current()
            plan.check_lengths()  # the same limits on SQLite and PostgreSQL, before the store
            body = {"profile": profile.to_dict(), "plan": plan.to_dict(),
                    "chart": self.chart.current().to_dict() if self.chart else None,
                    "client_name": profile.name + (_words("copy_suffix") if self._copy else "")}
            plan_id = self.store.save_plan(self.owner or "local", body, self.plan_id,
                                           self.plan_version)
        except StalePlan as exc:
            self._refused(exc)
            return None
        except CasecoachError as exc:
            self._say(_words("not_saved", error=str(exc)), ok=False)
            return None
        self.plan_version = 1 if self.plan_id is None else self.plan_version + 1
        self.plan_id = plan_id
        self._baseline = self._snapshot()
        self._track()
        self._say(_words("saved", name=body["client_name"], version=self.plan_version))
        self._list()
        return self.plan_id

    def _refused(self, exc: StalePlan) -> None:
        name = self.profile().name
        if exc.current is None:
            self._say(_words("stale_deleted", name=name), ok=False)
            self._offer(self._button("save_copy", "cc-ws-save-copy", self.save_copy, "primary"))
            return
        self._say(_words("stale", name=name, version=exc.current), ok=False)
        self._offer(self._button("reload", "cc-ws-reload", self.reload),
                    self._button("save_copy", "cc-ws-save-copy", self.save_copy, "primary"))

    def reload(self) -> None:
        """Drop the work on screen and open the plan as it is saved now."""
        if self.plan_id is not None:
            self.open_plan(self.plan_id, force=True)

    def save_copy(self) -> int | None:
        """Save the work on screen as a new plan, beside the one that changed."""
        self.plan_id, self.plan_version, self._copy = None, None, True
        return self.save_plan()

    # --- opening ------------------------------------------------------------------------------

    def open_plan(self, plan_id: int | None, force: bool = False) -> None:
        """Open a saved plan; with unsaved work on screen, ask first (unless `force`)."""
        if not plan_id or self.store is None:
            self._say(_words("pick_first"), ok=False)
            return
        self._settle()
        if self.dirty and not force:
            self._say(_words("confirm_open", name=self._names.get(plan_id, "")), ok=False)
            self._offer(self._button("open_anyway", "cc-ws-open-anyway",
                                     lambda: self.open_plan(plan_id, force=True), "warning"),
                        self._button("confirm_delete_no", "cc-ws-keep", self._clear))
            return
        try:
            saved, body = self.store.fetch_plan(self.owner, plan_id)
            profile = ClientProfile.from_dict(body["profile"])
            plan = Plan.from_dict(body["plan"])
            chart = Chart.from_dict(body["chart"]) if body.get("chart") else None
        except (CasecoachError, KeyError, TypeError, ValueError) as exc:
            self._say(_words("cannot_open", error=str(exc)), ok=False)
            return
        self._quiet = True
        try:
            self._name.value = profile.name
            self._pronouns.value = profile.pronouns if profile.pronouns in \
                self._pronouns.options else "they/them"
            self._languages.value = ", ".join(profile.languages)
            self._transport.value = profile.transport
            self._available.value = tuple(profile.available)
            for key, area in self._lists.items():
                area.value = "\n".join(getattr(profile, key))
            self._build(profile, plan, chart)
        finally:
            self._quiet = False
        self.plan_id, self.plan_version = saved.id, saved.version
        self._copy = saved.client_name != profile.name
        self._baseline = self._snapshot()
        self._track()
        self._say(_words("opened", name=profile.name, version=saved.version))

    # --- deleting, confirmed, and undone for a while ----------------------------------------------

    def ask_delete(self, plan_id: int | None) -> None:
        """Ask to confirm before a saved plan is deleted."""
        self._settle()
        if not plan_id or self.store is None:
            self._say(_words("pick_first"), ok=False)
            return
        self._say(_words("confirm_delete", name=self._names.get(plan_id, ""),
                         seconds=_undo_seconds()), ok=False)
        self._offer(self._button("confirm_delete_yes", "cc-ws-confirm-delete",
                                 lambda: self.delete_plan(plan_id), "danger"),
                    self._button("confirm_delete_no", "cc-ws-keep", self._clear))

    def delete_plan(self, plan_id: int | None) -> None:
        """Delete a saved plan (confirmed): it leaves the list, and Undo brings it back until the
        next action or for a while; the work on screen stays, unsaved."""
        if not plan_id or self.store is None:
            return
        self._settle()
        name = self._names.get(plan_id, "")
        if not self.store.delete_plan(self.owner, plan_id):
            self._say(_words("cannot_open", error=f"there is no saved plan {plan_id}"), ok=False)
            self._list()
            return
        self._deleted = {"id": plan_id, "name": name, "open": self.plan_id == plan_id,
                         "version": self.plan_version, "baseline": self._baseline}
        if self.plan_id == plan_id:
            self.plan_id, self.plan_version = None, None
            self._baseline = None   # the work on screen is no longer saved anywhere
            self._track()
        self._say(_words("deleted", name=name))
        self._offer(self._button("undo", "cc-ws-undo", self.undo_delete, "warning"))
        loop = running_loop()
        if loop is not None:
            self._undo_timer = loop.call_later(_undo_seconds(), self.expire_undo)
        self._list()

    def undo_delete(self) -> bool:
        """Bring back the plan just deleted; the work on screen is that plan again if it was."""
        deleted, self._deleted = self._deleted, None
        self._cancel_timer()
        self._clear()
        if deleted is None or self.store is None or not self.store.restore_plan(self.owner,
                                                                                 deleted["id"]):
            self._say(_words("gone"), ok=False)
            return False
        if deleted["open"] and self.plan_id is None:
            self.plan_id, self.plan_version = deleted["id"], deleted["version"]
            self._baseline = deleted["baseline"]
            self._track()
        self._say(_words("restored", name=deleted["name"]))
        self._list()
        return True

    def expire_undo(self) -> None:
        """End the chance to undo the last deletion: the plan is removed for good."""
        self._cancel_timer()
        deleted, self._deleted = self._deleted, None
        if deleted is None:
            return
        if any(getattr(b, "_cc_role", "") == "undo" for b in self._actions.children):
            self._clear()
        if self.store is not None:
            try:
                self.store.purge_deleted(self.owner, plan_id=deleted["id"])
            except CasecoachError:
                pass  # purged later, when a page next lists the plans

    def follow(self, owner: str) -> None:
        """Work as this caseworker: list their saved plans (a preheated page learns it late)."""
        if self._off is not None:
            return
        self.owner = owner
        self._list()

    # --- unsaved work ---------------------------------------------------------------------------

    def _fields(self) -> list[w.Widget]:
        return [self._name, self._pronouns, self._languages, self._transport, self._available,
                *self._lists.values()]

    def _snapshot(self) -> str:
        """Everything the page would save, as one comparable text."""
        return json.dumps({"fields": [list(f.value) if isinstance(f.value, tuple) else f.value
                                      for f in self._fields()],
                           "plan": self.builder.current().to_dict() if self.builder else None,
                           "chart": self.chart.current().to_dict() if self.chart else None},
                          sort_keys=True, default=str)

    def _track(self, _change=None) -> None:
        if not self._quiet:
            self.dirty = self._snapshot() != self._baseline

    @traitlets.observe("dirty")
    def _mark(self, change) -> None:
        # ipywidgets syncs the classes to the page; the template's unsaved.js looks for this one.
        (self.add_class if change["new"] else self.remove_class)("cc-unsaved")

    # --- the message bar --------------------------------------------------------------------------

    def _settle(self) -> None:
        """A new action ends the offers of the last message, and the chance to undo a deletion."""
        self.expire_undo()
        self._clear()

    def _button(self, key: str, css: str, action: Callable[[], object],
                style: str = "") -> w.Button:
        button = w.Button(description=_words(key), button_style=style,
                          layout=w.Layout(width="auto"))
        button.add_class(css)
        button._cc_role = key
        button.on_click(lambda _b: action())
        return button

    def _offer(self, *buttons: w.Button) -> None:
        self._actions.children = buttons

    def _clear(self) -> None:
        self._actions.children = ()

    def _cancel_timer(self) -> None:
        if self._undo_timer is not None:
            self._undo_timer.cancel()
            self._undo_timer = None

    def _where(self) -> tuple[str, str]:
        """The saved plans' caption, and where the store really keeps them."""
        if self.store is None:
            return _words("saved_nowhere"), _words("no_store")
        if self.store.local:
            return _words("saved_in_file"), _words("kept_in", where=self.store.location())
        return _words("saved_in_database"), _words("kept_in", where=self.store.location())

    def _list(self) -> None:
        if not self.owner:
            return
        if self.store is None:
            self._say(store_words("plans_unavailable"), ok=False)
            return
        try:
            # Deletions left by a page closed before its undo ran out go for good now.
            self.store.purge_deleted(self.owner, older_than=timedelta(seconds=_undo_seconds()))
        except CasecoachError:
            pass
        try:
            plans = self.store.list_plans(self.owner)
        except CasecoachError:
            self._say(store_words("plans_unavailable"), ok=False)
            return
        if self.status == store_words("plans_unavailable"):
            self._say("")   # listed again: the store is back
        self._names = {p.id: p.client_name for p in plans}
        self._saved.options = [(f"{p.client_name} · {p.updated_at:%Y-%m-%d %H:%M}", p.id)
                               for p in plans]

    def _say(self, text: str, ok: bool = True) -> None:
        self.status = text
        self._message.value = (f'<span class="cc-count">{escape(text)}</span>' if ok else
                               f'<span class="cc-error" role="alert">{escape(text)}</span>')


def _words(key: str, **fields) -> str:
    """The workspace's wording (messages.yaml, workspace), filled in."""
    text = section("messages.yaml", "workspace")[key]
    return text.format(**fields) if fields else text


def _undo_seconds() -> int:
    return int(section("settings.yaml", "workspace")["undo_seconds"])
