"""The follow-up module: the case moves on week by week; say something, pick a response, go back."""

from __future__ import annotations

from html import escape
from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach.assessment import TEXT_COLUMNS, ChartRow, column_names, review_row
from casecoach.followups import (Finding, Played, changed_scenario, judge_pick, ladder_labels,
                                 judge_said, review_goal_revision, review_note, review_row_revision, review_said,
                                 revisit_label, row_as_charted, timeline, wording)
from casecoach.goals import review_goal
from casecoach.practice import GoalItem
from casecoach.scenarios import FollowUp, Scenario
from widgets import _render
from widgets._timeline import timeline_html
from widgets._services import Recorder
from widgets.case_switcher import CaseSwitcher

MODULE = "09-follow-ups"

_STATE = {True: ("✓", "met", "cc-met"), False: ("✗", "not met", "cc-unmet")}


def findings_html(findings: Sequence[Finding], title: str, first: str = "") -> str:
    """A checklist of findings: icon and words for each (never colour alone), all escaped."""
    names = {**wording()["findings"], **wording()["revision"]["findings"],
             **wording()["note"]["findings"]}
    items = []
    for f in findings:
        icon, label, css = _STATE[f.met]
        name = names[f.criterion]["name"].format(first=first or "the client")
        items.append(f'<li class="cc-crit {css}" data-criterion="{f.criterion}" '
                     f'data-met="{str(f.met).lower()}"><span class="cc-icon" role="img" '
                     f'aria-label="{label}">{icon}</span><span class="cc-letter"></span> '
                     f'<span class="cc-name">{escape(name)}</span> <span class="cc-state">'
                     f'({label}):</span> <span class="cc-why">{escape(f.message)}</span></li>')
    return (f'<div class="cc-fb"><p><b>{escape(title)}</b></p>'
            f'<ul class="cc-checklist">{"".join(items)}</ul></div>')


def judgement_html(judgement) -> str:
    """The response judge's reading, escaped: what worked, its practice findings, one next step."""
    if judgement is None:
        return ""
    items = "".join(
        f'<li class="cc-crit {"cc-met" if f.positive else "cc-unmet"}" data-kind="{f.kind}">'
        f'<span class="cc-icon" role="img" aria-label="{"worked" if f.positive else "to change"}'
        f'">{"✓" if f.positive else "✗"}</span> “{escape(f.text)}”: {escape(f.why)}'
        + (f' <i>Try: {escape(f.better)}</i>' if f.better and not f.positive else "") + "</li>"
        for f in judgement.findings)
    return (f'<div class="cc-fb cc-fu-judge" data-behaviour="{judgement.behaviour}"><p><b>How it '
            f'lands</b> ({escape(judgement.behaviour)}'
            f'{", " + escape(judgement.question_type) if judgement.question_type else ""})</p>'
            f'<p>{escape(judgement.feedback.worked)}</p>'
            + (f'<ul class="cc-checklist">{items}</ul>' if items else "")
            + f'<p><b>Next:</b> {escape(judgement.feedback.next_step)}</p></div>')


def event_html(scenario: Scenario, event: FollowUp) -> str:
    """The event as it reaches the caseworker: how, from whom, which week, what it says."""
    words = wording()
    channel, kind = words["channels"][event.channel], words["kinds"][event.kind]
    return (f'<div class="cc-fu-event" data-event="{escape(event.id)}" '
            f'data-kind="{event.kind}"><p class="cc-meta">'
            f'<span role="img" aria-label="{escape(channel["label"])}">{channel["icon"]}</span> '
            f'{escape(channel["label"])} · {escape(event.sender)} · week {event.week} · '
            f'<span class="cc-fu-kind"><span aria-hidden="true">{kind["icon"]}</span> '
            f'{escape(kind["label"])}</span></p>'
            f'<blockquote>{escape(event.text)}</blockquote></div>')


def pick_html(feedback, model: str) -> str:
    labels, words = ladder_labels(), wording()["pick"]
    icon, label, css = _STATE[feedback.proportionate]
    note = (f'<p class="cc-fu-decline {"cc-unmet" if feedback.penalises_declining else ""}">'
            f'{escape(feedback.decline_note)}</p>' if feedback.decline_note else "")
    return (f'<div class="cc-fb cc-fu-pick" data-step="{feedback.step}" '
            f'data-fits="{str(feedback.fits).lower()}" data-verdict="{feedback.verdict}">'
            f'<p class="{css}"><span class="cc-icon" role="img" aria-label="{label}">{icon}'
            f'</span> <b>{escape(labels[feedback.step])}</b>: {escape(feedback.message)}</p>'
            f'<p>{escape(feedback.why)}</p>{note}'
            f'<details><summary>{escape(words["model"])}</summary><p>{escape(model)}</p>'
            f'</details></div>')


def _row_html(row: ChartRow) -> str:
    names = column_names()
    cells = "".join(f'<dt>{escape(names[c])}</dt><dd>{escape(getattr(row, c)) or "—"}</dd>'
                    for c in TEXT_COLUMNS)
    return f'<dl class="cc-fu-before-row">{cells}</dl>'


class EventAnswer(w.VBox):
    """Answer one follow-up event in a group exercise (its fourth kind): the event as it reaches
    the caseworker, what the trainee would say (the follow-up findings and the response judge's
    reading, live) and one ladder step; the feedback on the step is shown once it is submitted
    (check), so the room's picks are its own."""

    value = traitlets.Dict(help='The answer as it stands: {"said": the words, "step": the '
                                'ladder step or ""}.')

    def __init__(self, scenario: Scenario, event: FollowUp, actions: Sequence[w.Widget] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario, self.event = scenario, event
        self.add_class("cc-fu-answer")
        labels = ladder_labels()
        self._say = w.Textarea(placeholder=f"What you would say to {scenario.first_name}, in "
                                           f"your own words", continuous_update=True,
                               description=f"What you say to {scenario.first_name}",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="100%", height="5em"))
        self._say.add_class("cc-fu-say")
        self._said = w.HTML()
        self._said.add_class("cc-fu-said")
        self._ladder = w.RadioButtons(options=[(labels[s.step], s.step) for s in event.ladder],
                                      value=None, description="Your response, lowest first",
                                      layout=w.Layout(width="100%"),
                                      style={"description_width": "initial"})
        self._ladder.add_class("cc-fu-ladder")
        self._picked = w.HTML()
        self._picked.add_class("cc-fu-picked")
        self._say.observe(lambda _c: self._changed(), names="value")
        self._ladder.observe(lambda _c: self._changed(), names="value")
        self.children = [w.HTML(event_html(scenario, event)), self._say, self._said,
                         self._ladder, w.HBox(list(actions)), self._picked]
        self._changed()

    def _changed(self) -> None:
        self.value = {"said": self._say.value, "step": self._ladder.value or ""}
        self._picked.value = ""  # the feedback shown was on the step as submitted
        self.judge()

    def judge(self) -> list[Finding]:
        """The follow-up findings (and the response judge's reading) on what is typed now."""
        text = self._say.value
        if not text.strip():
            self._said.value = ""
            return []
        findings = review_said(self.scenario, self.event, text)
        self._said.value = (findings_html(findings, "What you said", self.scenario.first_name)
                            + judgement_html(judge_said(text)))
        return findings

    def check(self):
        """After a submission: the feedback on the step picked, with the model response."""
        if not self._ladder.value:
            return None
        feedback = judge_pick(self.scenario, self.event, self._ladder.value)
        self._picked.value = pick_html(feedback, self.event.good_response)
        return feedback


class FollowUpCase(w.VBox):
    """One case's follow-ups, in week order: each event, what the trainee says, the ladder pick
    and its feedback, going back to the chart row or plan goal the event touches, the timeline."""

    position = traitlets.Int(0, help="Index of the event now open, in week order.")
    played = traitlets.List(help="What the trainee did with each event so far (Played).")

    def __init__(self, scenario: Scenario, recorder: Recorder | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.recorder = recorder
        self.events = scenario.follow_ups
        self.revision = None  # the editor or goal coach while going back
        self._before_row: ChartRow | None = None
        self._before_goal = ""
        self._said_ok: bool | None = None
        self._pick = None
        self._revised = False

        self._timeline = w.HTML()
        self._event = w.HTML()
        self._say = w.Textarea(placeholder=f"What you would say to {scenario.first_name}, in "
                                           f"your own words", continuous_update=True,
                               description=f"What you say to {scenario.first_name}",
                               layout=w.Layout(width="100%", height="5em"))
        self._say.add_class("cc-fu-say")
        self._check = w.Button(description="Check what I would say", button_style="primary")
        self._check.add_class("cc-fu-check")
        self._said = w.HTML()
        self._said.add_class("cc-fu-said")
        self._ladder = w.RadioButtons(options=[(label, step) for step, label in
                                               ladder_labels().items()], value=None,
                                      description="Your response, lowest first",
                                      layout=w.Layout(width="100%"),
                                      style={"description_width": "initial"})
        self._ladder.add_class("cc-fu-ladder")
        self._choose = w.Button(description="Choose this response")
        self._choose.add_class("cc-fu-choose")
        self._picked = w.HTML()
        self._picked.add_class("cc-fu-picked")
        self._go_back = w.Button(description="Go back", icon="")
        self._go_back.add_class("cc-fu-go-back")
        self._back = w.VBox()
        self._back.add_class("cc-fu-back")
        self._next = w.Button(description="On to the next week", disabled=True)
        self._next.add_class("cc-fu-next")
        self._status = w.HTML()
        self._status.add_class("cc-fu-status")
        # Linking and advocacy: the case's one note, written after the event it follows.
        self._note_intro = w.HTML()
        self._note = w.Textarea(description="Your note", continuous_update=True,
                                layout=w.Layout(width="100%", height="7em"))
        self._note.add_class("cc-fu-note")
        self._note_check = w.Button(description="Check my note")
        self._note_check.add_class("cc-fu-note-check")
        self._note_fb = w.HTML()
        self._note_fb.add_class("cc-fu-note-feedback")
        self._note_box = w.VBox([self._note_intro, self._note, self._note_check, self._note_fb],
                                layout=w.Layout(display="none"))
        self._note_box.add_class("cc-fu-advocacy")
        self._work = w.VBox([self._event, self._say, self._check, self._said, self._ladder,
                             self._choose, self._picked, self._go_back, self._back,
                             self._note_box])
        self.children = [self._timeline, self._work, w.HBox([self._next]), self._status]
        self.add_class("cc-follow-ups")

        self._check.on_click(lambda _b: self.say(self._say.value))
        self._choose.on_click(lambda _b: self.pick(self._ladder.value))
        self._go_back.on_click(lambda _b: self.go_back())
        self._next.on_click(lambda _b: self.advance())
        self._note_check.on_click(lambda _b: self.check_note(self._note.value))
        self._open()

    # --- what the trainee does (the buttons call these; tests and demos too) -----------------

    @property
    def event(self) -> FollowUp | None:
        return self.events[self.position] if self.position < len(self.events) else None

    @property
    def case_now(self) -> Scenario:
        """The case as it stands after the events before the open one."""
        return changed_scenario(self.scenario, self.events[:self.position])

    @property
    def case_after(self) -> Scenario:
        """The case as the open event leaves it."""
        return changed_scenario(self.scenario, self.events[:self.position + 1])

    def say(self, text: str) -> list[Finding]:
        """Judge what the trainee says to the client about the open event."""
        self._say.value = text
        findings = review_said(self.scenario, self.event, text)
        self._said_ok = all(f.met for f in findings)
        self._said.value = (findings_html(findings, "What you said", self.scenario.first_name) +
                            judgement_html(judge_said(text)))
        self._update()
        return findings

    def pick(self, step: str | None):
        """Feedback on the ladder step picked for the open event."""
        if step is None:
            self._picked.value = _render.notice_html("Pick one response on the ladder first.")
            return None
        self._ladder.value = step
        self._pick = judge_pick(self.scenario, self.event, step)
        self._picked.value = pick_html(self._pick, self.event.good_response)
        self._update()
        return self._pick

    def check_note(self, text: str) -> list[Finding]:
        """Check the advocacy note; the model note is shown once there is an attempt."""
        self._note.value = text
        findings = review_note(self.scenario, text)
        model = self.scenario.advocacy["model"] if self.scenario.advocacy else ""
        self._note_fb.value = findings_html(findings, "Your note", self.scenario.first_name) + (
            f'<details><summary>A model note</summary><p>{escape(model)}</p></details>'
            if text.strip() and model else "")
        return findings

    def go_back(self) -> w.Widget | None:
        """Open the chart row or plan goal the event touches: before on the left, the same live
        checks on the right, with the case as the event leaves it."""
        event = self.event
        if event is None or event.revisit is None:
            return None
        before_case, after_case = self.case_now, self.case_after
        done = w.Button(description="Done revising", button_style="success")
        done.add_class("cc-fu-done")
        self._revision_fb = w.HTML()
        self._revision_fb.add_class("cc-fu-revision")
        target = escape(revisit_label(self.scenario, event))
        if event.revisit.stage == "assessment":
            from widgets.assessment_chart import ChartRowEditor

            self._before_row = row_as_charted(before_case, event.revisit.domain)
            before = w.HTML(f'<h4>Before: the row as it stood</h4>{_row_html(self._before_row)}'
                            + _render.row_feedback_html(review_row(after_case, self._before_row)))
            editor = ChartRowEditor(after_case, event.revisit.domain, actions=[done])
            editor.set_cells(**{c: getattr(self._before_row, c) for c in TEXT_COLUMNS})
            editor.observe(lambda _c: self._revise_row(), names="cells")
            heading = f"Back to assessment: the {target} row"
        else:
            from widgets.goal_coach import GoalCoach

            goal = next(g for g in after_case.referral_goals if g.id == event.revisit.goal)
            self._before_goal = self.scenario.rewrites_for(goal.id)[0].text
            before = w.HTML(f'<h4>Before: the plan goal as it stood</h4>'
                            f'<p class="cc-fu-before-goal">{escape(self._before_goal)}</p>'
                            + _render.review_html(self._before_goal,
                                                  review_goal(self._before_goal,
                                                              after_case.context())))
            editor = GoalCoach(GoalItem(after_case, goal), models=False, actions=[done])
            editor.value = self._before_goal
            editor.observe(lambda _c: self._revise_goal(), names="value")
            heading = f"Back to the plan: {target}"
        before.add_class("cc-fu-before")
        self.revision = editor
        after = w.VBox([w.HTML("<h4>After: your revision, checked as you type</h4>"), editor])
        after.add_class("cc-fu-after")
        for column in (before, after):
            column.layout = w.Layout(flex="1 1 380px", min_width="0", margin="0 1em 1em 0")
        pair = w.Box([before, after], layout=w.Layout(display="flex", flex_flow="row wrap",
                                                      width="100%"))
        pair.add_class("cc-fu-side-by-side")
        done.on_click(lambda _b: self.finish_revision())
        self._back.children = [w.HTML(f'<h3 class="cc-h">{heading}</h3><p>'
                                      f'{escape(event.revisit.why)}</p>'), pair,
                               self._revision_fb]
        self._go_back.disabled = True
        return editor

    def revision_findings(self) -> list[Finding]:
        """The going-back checks on the revision as it stands."""
        event = self.event
        if self.revision is None or event is None:
            return []
        if event.revisit.stage == "assessment":
            after = ChartRow(event.revisit.domain, **self.revision.cells)
            return review_row_revision(self.case_now, event, self._before_row, after)
        return review_goal_revision(self.case_now, event, self._before_goal,
                                    self.revision.value)

    def finish_revision(self) -> bool:
        """Mark the revision done if its checks are met; say what is still missing if not."""
        if self.revision is not None and hasattr(self.revision, "set_cells"):
            self.revision.set_cells()  # review what is typed now, not after the typing pause
        findings = self.revision_findings()
        self._revised = bool(findings) and all(f.met for f in findings)
        self._revision_fb.value = findings_html(findings, "Going back: your revision",
                                                self.scenario.first_name)
        if self._revised:
            # Drawn once here, not on every click: the picture is the page's slowest part.
            self._draw_timeline(self.event.id)
            self._revision_fb.value += ('<p class="cc-met"><span class="cc-icon" role="img" '
                                        'aria-label="done">✓</span> Revised. The timeline shows '
                                        'the step back.</p>')
        self._update()
        return self._revised

    def advance(self) -> None:
        """Record the open event and move the case on to the next one."""
        if self.event is None:
            return
        self.played = [*self.played, self._played()]
        self.position += 1
        self._record()
        self._open()

    def _record(self) -> None:
        """The trainee's progress: events worked and picks in proportion; complete at the end."""
        if self.recorder is None:
            return
        fitting = sum(bool(p.step_fits) for p in self.played)
        self.recorder.start()
        self.recorder.note(wording()["progress_note"].format(
            first=self.scenario.first_name, done=len(self.played), total=len(self.events),
            fitting=fitting), case=self.scenario.id)
        if self.position >= len(self.events):
            self.recorder.complete(fitting)

    # --- drawing ------------------------------------------------------------------------------

    def _revise_row(self) -> None:
        self._revision_fb.value = findings_html(self.revision_findings(),
                                                "Going back: your revision",
                                                self.scenario.first_name)

    def _revise_goal(self) -> None:
        self._revise_row()

    def _played(self) -> Played:
        return Played(self.event.id, self._said_ok, self._pick.step if self._pick else "",
                      self._pick.fits if self._pick else None, self._revised)

    def _open(self) -> None:
        self._said_ok, self._pick, self._revised, self.revision = None, None, False, None
        self._say.value, self._said.value, self._picked.value = "", "", ""
        self._ladder.value = None
        self._back.children = []
        event = self.event
        if event is None:
            self._work.layout.display = "none"
            self._next.layout.display = "none"
            self._status.value = (f'<p class="cc-met"><span class="cc-icon" role="img" '
                                  f'aria-label="done">✓</span> Every follow-up of '
                                  f'{escape(self.scenario.first_name)}\'s case is done.</p>')
            self._draw_timeline(None)
            return
        self._event.value = event_html(self.scenario, event)
        advocacy = self.scenario.advocacy
        if advocacy and advocacy["after"] == event.id:
            self._note_intro.value = (f'<h3 class="cc-h">Linking and advocacy: a note to '
                                      f'{escape(advocacy["to"])}</h3><p>'
                                      f'{escape(advocacy["purpose"])} Check it for person-first '
                                      f'language, {escape(self.scenario.first_name)}\'s consent, '
                                      f'a named strength and one specific ask.</p>')
            self._note_box.layout.display = ""
        else:
            self._note_box.layout.display = "none"
        self._note.value, self._note_fb.value = "", ""
        if event.revisit is not None:
            self._go_back.description = ("Go back to the chart row: " if event.revisit.stage ==
                                         "assessment" else "Go back to the plan goal: ") + \
                revisit_label(self.scenario, event)[:60]
            self._go_back.layout.display = ""
            self._go_back.disabled = False
        else:
            self._go_back.layout.display = "none"
        self._draw_timeline(event.id)
        self._update()

    def _draw_timeline(self, current: str | None) -> None:
        played = list(self.played)
        if current is not None and self._revised:
            played.append(self._played())
        self._timeline.value = timeline_html(timeline(self.scenario, played, current))

    def _update(self) -> None:
        event = self.event
        if event is None:
            return
        needs = []
        if self._said_ok is None:
            needs.append("check what you would say")
        if self._pick is None:
            needs.append("choose a response")
        if event.revisit is not None and not self._revised:
            needs.append("go back and revise " + ("the chart row" if event.revisit.stage ==
                                                  "assessment" else "the plan goal"))
        self._next.disabled = bool(needs)
        more = self.position + 1 < len(self.events)
        self._next.description = (f"On to week {self.events[self.position + 1].week}" if more
                                  else "Finish the follow-ups")
        self._status.value = (f'<p class="cc-hint">To move on: {escape("; ".join(needs))}.</p>'
                              if needs else "")


class FollowUpModule(CaseSwitcher):
    """Pick a case, then play its follow-ups; cases whose file has no ladder are left out and
    named (see Scenario.follow_up_gap)."""

    def __init__(self, ids: Sequence[str] | None = None, owner: str = "", **kwargs) -> None:
        from casecoach.scenarios import get_scenario, scenario_ids

        self.owner, self.cohort = owner, ""
        wanted = list(ids or scenario_ids())
        self.left_out = {i: get_scenario(i).follow_up_gap for i in wanted
                         if get_scenario(i).follow_up_gap}
        super().__init__([i for i in wanted if i not in self.left_out], **kwargs)
        if self.left_out:
            note = w.HTML(_render.notice_html("Not in this module: " + "; ".join(
                self.left_out.values())))
            self.children = [*self.children, note]

    def case(self, scenario_id: str | None = None) -> FollowUpCase:
        return self.view(scenario_id)

    def follow(self, owner: str, cohort: str = "", case: str = "") -> None:
        """Work as this trainee (progress is noted under their name); `case` is opened."""
        self.owner, self.cohort = owner, cohort
        for view in self._views.values():
            view.recorder.owner, view.recorder.cohort = owner, cohort
        super().follow(owner, cohort, case)

    def make(self, scenario: Scenario) -> FollowUpCase:
        return FollowUpCase(scenario, Recorder(MODULE, self.owner, self.cohort))
