"""The "First meeting" page: talk with a case's client; the judge decides how they answer."""

from __future__ import annotations

from html import escape
from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach._data import section
from casecoach.conversation import Judgement, judge_response
from casecoach.errors import CasecoachError
from casecoach import course
from casecoach.first_meeting import (Meeting, Pick, Summary, Turn, load_script, meeting_ids, pick,
                                     seed_chart)
from casecoach.scenarios import Scenario
from widgets import _render
from widgets._services import ProcessStore
from widgets.assessment_chart import DRAFT_KIND, saved_chart
from widgets.case_switcher import CaseSwitcher
from widgets.page import person

MODULE = "08-first-meeting"


def _text() -> dict:
    return section("conversation.yaml", "first_meeting")["page"]


class FirstMeeting(w.VBox):
    """One case's first meeting: the thread, what the trainee says, rapport, feedback, summary."""

    rapport = traitlets.Unicode("", help="The rapport indicator's words (shown with its icon).")
    over = traitlets.Bool(False, help="True once the meeting has ended (every fact told, time up, "
                                      "or the trainee ended it); the summary is then shown.")
    turns = traitlets.Int(0, help="How many lines the trainee has said.")

    store = ProcessStore()

    def __init__(self, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("cc-first-meeting")
        self.scenario = scenario
        self._words = _text()
        self._facts = {f.id: f.text for f in scenario.facts}
        self._rapport_html = w.HTML()
        self._rapport_html.add_class("cc-rapport")
        self._thread = w.HTML()
        self._thread.add_class("cc-thread")
        self._input = w.Textarea(placeholder=self._words["say_placeholder"],
                                 description=self._words["say_label"],
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="100%", height="4.5em"))
        self._input.add_class("cc-say-input")
        self._say = w.Button(description=self._words["say"], button_style="primary")
        self._say.add_class("cc-say")
        self._end = w.Button(description=self._words["end"])
        self._end.add_class("cc-end-meeting")
        self._again = w.Button(description=self._words["again"])
        self._again.add_class("cc-again")
        self._notice = w.HTML()
        self._summary = w.HTML()
        self._summary.add_class("cc-meeting-summary")
        self._seed = w.Button(description=self._words["seed"], button_style="primary")
        self._seed.add_class("cc-seed-chart")
        self._seed.on_click(lambda _: self.seed_chart())
        self._seeded = w.HTML()
        self._seeded.add_class("cc-seeded")
        self._say.on_click(lambda _: self.say(self._input.value))
        self._end.on_click(lambda _: self.end())
        self._again.on_click(lambda _: self.restart())
        self.restart()

    def restart(self) -> None:
        """A new meeting of the same case, from the client's opening line."""
        self.meeting = Meeting(load_script(self.scenario.id))
        self._ended = False
        self._input.value = ""
        self._notice.value = ""
        self._summary.value = ""
        self._seeded.value = ""
        self.turns = 0
        self._draw()

    def say(self, text: str) -> Turn | None:
        """Say a line: the client answers, the thread and rapport change, feedback is shown."""
        try:
            turn = self.meeting.say(text)
        except CasecoachError as exc:
            self._notice.value = _render.notice_html(exc.message, alert=True)
            return None
        self._notice.value = ""
        self._input.value = ""
        self.turns = len(self.meeting.turns)
        self._draw()
        return turn

    def end(self) -> None:
        """End the meeting now and show the summary."""
        self._ended = True
        self._draw()

    def seed_chart(self, owner: str | None = None) -> bool:
        """Save the trainee's chart of this case started from what the client told (their own
        words, in the rows they belong to), keeping what was charted; say where to go on."""
        from widgets.page import current_visit

        trainee, cohort = (owner, "") if owner else current_visit()
        if not self.meeting.shared:
            self._seeded.value = _render.notice_html(self._words["seed_nothing"])
            return False
        if not trainee or trainee == course.ANONYMOUS or self.store is None:
            self._seeded.value = _render.notice_html(self._words["seed_no_name"], alert=True)
            return False
        chart = seed_chart(self.scenario, self.meeting,
                           saved_chart(self.store, trainee, self.scenario.id),
                           note=self._words["seed_note"])
        try:
            self.store.save_draft(person(trainee), DRAFT_KIND, self.scenario.id,
                                  chart.to_dict())
        except CasecoachError as exc:
            self._seeded.value = _render.notice_html(
                self._words["seed_failed"].format(error=exc.message), alert=True)
            return False
        link = escape(course.href("02-assessment", trainee, cohort, case=self.scenario.id))
        self._seeded.value = (f'<p role="status">{escape(self._words["seed_done"])} '
                              f'<a class="cc-seed-open" href="{link}">'
                              f'{escape(self._words["seed_open"])}</a></p>')
        return True

    def _draw(self) -> None:
        level = self.meeting.rapport()
        self.rapport = level.label
        self.over = self._ended or self.meeting.over
        self._rapport_html.value = (
            f'<div class="cc-rapport-level" role="status" data-rapport="{level.value}">'
            f'<strong>{escape(self._words["rapport"])}:</strong> '
            f'<span aria-hidden="true">{escape(level.icon)}</span> {escape(level.label)}</div>')
        self._thread.value = thread_html(self.scenario, self.meeting, self._words)
        if self.over:
            self._summary.value = summary_html(self.meeting.summary(), self._facts, self._words)
            self.children = [self._rapport_html, self._thread,
                             w.HTML(_render.notice_html(self._words["over"])), self._summary,
                             w.HBox([self._seed, self._again]), self._seeded]
        else:
            self.children = [self._rapport_html, self._thread, self._input,
                             w.HBox([self._say, self._end]), self._notice]


def thread_html(scenario: Scenario, meeting: Meeting, words: dict) -> str:
    """The conversation so far, each trainee line with what worked and one next step; everything
    typed or authored is escaped."""
    name = str((getattr(scenario, "client", None) or {}).get("name") or "").split()
    client = escape(name[0] if name else words["client"])
    parts = [f'<ol class="cc-thread-lines" aria-label="{escape(words["summary"])}">',
             f'<li class="cc-line cc-client-line"><strong>{client}:</strong> '
             f'{escape(meeting.script.opening)}</li>']
    for i, turn in enumerate(meeting.turns, start=1):
        j = turn.judgement
        kind = j.question_type or j.reflection_type
        code = j.behaviour + (f", {kind}" if kind else "")
        parts.append(
            f'<li class="cc-line cc-you-line" data-turn="{i}" data-behaviour="{j.behaviour}"'
            f' data-reaction="{turn.reaction}"><strong>{escape(words["you"])}:</strong> '
            f'{escape(turn.said)} <em class="cc-code">({escape(code)})</em>'
            f'<div class="cc-line-feedback"><span aria-hidden="true">✓</span> '
            f'<strong>{escape(words["worked"])}:</strong> {escape(j.feedback.worked)}<br>'
            f'<span aria-hidden="true">→</span> <strong>{escape(words["next_step"])}:</strong> '
            f'{escape(j.feedback.next_step)}</div></li>')
        fact = f' data-fact="{escape(turn.fact)}"' if turn.fact else ""
        parts.append(f'<li class="cc-line cc-client-line"{fact}><strong>{client}:</strong> '
                     f'{escape(turn.reply)}</li>')
    parts.append("</ol>")
    return "".join(parts)


def summary_html(summary: Summary, facts: dict[str, str], words: dict) -> str:
    """The summary in trainers' terms: counts, measures beside thresholds, facts, two moments."""
    rows = "".join(f"<tr><th scope='row'>{escape(words['count_names'][k])}</th><td>{v}</td></tr>"
                   for k, v in summary.counts.items())
    measures = "".join(
        f"<tr data-measure='{m.name}'><th scope='row'>{escape(words['measure_names'][m.name])}"
        f"</th><td>{'' if m.value is None else m.value}</td><td>{escape(m.verdict)}</td></tr>"
        for m in summary.measures)
    told = "".join(f"<li data-fact='{escape(f)}'>{escape(facts.get(f, f))}</li>"
                   for f in summary.facts) or f"<li>{escape(words['no_facts'])}</li>"
    moments = "".join(
        f"<li data-turn='{m.turn}'><q>{escape(m.said)}</q> {escape(m.why)}<br>"
        f"<strong>{escape(words['better'])}:</strong> {escape(m.better)}</li>"
        for m in summary.revisit)
    return (f"<section class='cc-summary' data-facts='{len(summary.facts)}'>"
            f"<h2>{escape(words['summary'])}</h2>"
            f"<h3>{escape(words['counts'])}</h3><table class='cc-counts'>{rows}</table>"
            f"<table class='cc-measures'>{measures}</table>"
            f"<h3>{escape(words['facts'])}</h3><ul class='cc-facts-told'>{told}</ul>"
            f"<h3>{escape(words['revisit'])}</h3><ol class='cc-revisit'>{moments}</ol></section>")


class FirstMeetingModule(CaseSwitcher):
    """Pick a case and meet its client for the first time."""

    def __init__(self, ids: Sequence[str] | None = None, **kwargs) -> None:
        super().__init__(ids or meeting_ids(), **kwargs)

    def make(self, scenario: Scenario) -> FirstMeeting:
        return FirstMeeting(scenario)


def _drill_text() -> dict:
    return section("conversation.yaml", "first_meeting")["drill"]


class ChoiceDrill(w.VBox):
    """Pick the best of 3 or 4 responses to a client's line; every response gets its note (the
    trainer's), with the judge's findings on it, and the best one is marked in words and icon."""

    done = traitlets.Int(0, help="How many lines have been checked.")
    right = traitlets.Int(0, help="How many of them the best response was picked for.")

    def __init__(self, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("cc-choice-drill")
        self.scenario = scenario
        self.choices = load_script(scenario.id).choices
        self._words = _drill_text()
        self.index = 0
        self._client = w.HTML()
        self._options = w.RadioButtons(options=[], value=None,
                                       description=self._words["pick_label"],
                                       style={"description_width": "initial"},
                                       layout=w.Layout(width="100%"))
        self._options.add_class("cc-choice-options")
        self._check = w.Button(description=self._words["check"], button_style="primary")
        self._check.add_class("cc-choice-check")
        self._check.on_click(lambda _: self.check())
        self._next = w.Button(description=self._words["next"])
        self._next.add_class("cc-choice-next")
        self._next.on_click(lambda _: self.next())
        self._result = w.HTML()
        self._result.add_class("cc-choice-result")
        self._score = w.HTML()
        self._show()

    def _show(self) -> None:
        if not self.choices:
            self.children = [w.HTML(_render.notice_html(self._words["none"]))]
            return
        choice = self.choices[self.index % len(self.choices)]
        who = self.scenario.client.get("name", "").split()[0] or "The client"
        self._client.value = (f'<p class="cc-choice-client"><strong>'
                              f'{escape(self._words["client_says"].format(who=who))}:</strong> '
                              f'“{escape(choice.client)}”</p>')
        self._options.options = [(o.text, i) for i, o in enumerate(choice.options)]
        self._options.value = None
        self._result.value = ""
        self._checked = False
        self.children = [self._client, self._options, w.HBox([self._check, self._next]),
                         self._result, self._score]

    def check(self, picked: int | None = None) -> Pick | None:
        """Check a pick (the one selected when none is given) and show every response's note."""
        picked = self._options.value if picked is None else picked
        if picked is None:
            self._result.value = _render.notice_html(self._words["pick_first"], alert=True)
            return None
        result = pick(self.choices[self.index % len(self.choices)], picked)
        if not self._checked:
            self._checked = True
            self.done += 1
            self.right += int(result.right)
        self._result.value = choice_html(result, self._words)
        score = self._words["score"].format(right=self.right, done=self.done)
        self._score.value = f'<p class="cc-choice-score" role="status">{escape(score)}</p>'
        return result

    def next(self) -> None:
        self.index += 1
        self._show()


def choice_html(result: Pick, words: dict) -> str:
    """The verdict, then every response with its mark (icon and words), note and findings."""
    verdict = words["right"] if result.right else words["wrong"]
    items = []
    for i, (option, judgement) in enumerate(zip(result.choice.options, result.judgements)):
        best = i == result.choice.best
        mark = ("✓", words["best"]) if best else ("✗", words["other"])
        mine = f' <em>({escape(words["yours"])})</em>' if i == result.picked else ""
        findings = "".join(f"<li>{escape(f.why)}</li>" for f in judgement.findings)
        items.append(
            f'<li class="cc-choice-option" data-best="{str(best).lower()}">'
            f'<span aria-hidden="true">{mark[0]}</span> <strong>{escape(mark[1])}</strong>{mine}: '
            f'“{escape(option.text)}”<br>{escape(option.note)}'
            + (f'<ul class="cc-choice-findings">{findings}</ul>' if findings else "") + "</li>")
    return (f'<div class="cc-choice-feedback" data-right="{str(result.right).lower()}">'
            f'{_render.notice_html(verdict)}<ul>{"".join(items)}</ul></div>')


class ChoiceDrillModule(CaseSwitcher):
    """Pick a case, then pick the best response to its client's lines."""

    def __init__(self, ids: Sequence[str] | None = None, **kwargs) -> None:
        super().__init__(ids or meeting_ids(), **kwargs)

    def make(self, scenario: Scenario) -> ChoiceDrill:
        return ChoiceDrill(scenario)


class ResponseCoach(w.VBox):
    """Respond to one client line with the judge's live feedback (the group exercise's third
    kind): the line, a box, what the judge codes the response as, what worked and one next step."""

    value = traitlets.Unicode("", help="The response as typed.")

    def __init__(self, scenario: Scenario, client_line: str, actions: Sequence[w.Widget] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("cc-response-coach")
        self.client_line = client_line
        words = _text()
        who = scenario.client.get("name", "").split()[0] or words["client"]
        self._line = w.HTML(f'<p class="cc-choice-client"><strong>{escape(who)}:</strong> '
                            f'“{escape(client_line)}”</p>')
        self._box = w.Textarea(placeholder=words["say_placeholder"],
                               description=words["say_label"],
                               style={"description_width": "initial"},
                               layout=w.Layout(width="100%", height="4.5em"))
        self._box.add_class("cc-response-input")
        self._feedback = w.HTML()
        self._feedback.add_class("cc-response-feedback")
        self._box.observe(lambda c: self._typed(c["new"]), names="value")
        self.children = [self._line, self._box, self._feedback, w.HBox(list(actions))]

    def _typed(self, text: str) -> None:
        self.value = text
        self.check()

    def check(self) -> Judgement | None:
        """Judge what is in the box now and show it; None (and nothing shown) when it is empty
        or cannot be judged (the reason is shown)."""
        if not self.value.strip():
            self._feedback.value = ""
            return None
        try:
            judged = judge_response(self.value, self.client_line)
        except CasecoachError as exc:
            self._feedback.value = _render.notice_html(exc.message, alert=True)
            return None
        self._feedback.value = response_html(judged, _text())
        return judged


def response_html(judged: Judgement, words: dict) -> str:
    """A judged response: its code, what worked, the next step, each finding with a better line."""
    sub = judged.question_type or judged.reflection_type
    code = f"{judged.behaviour}, {sub}" if sub else judged.behaviour
    findings = "".join(f"<li>{escape(f.why)}" + (f" <em>{escape(words['better'])}:</em> "
                                                 f"{escape(f.better)}" if f.better else "")
                       + "</li>" for f in judged.findings)
    return (f'<div class="cc-judged" role="status" data-behaviour="{judged.behaviour}" '
            f'data-type="{escape(sub or "")}"><p>({escape(code)})</p>'
            f'<p><strong>{escape(words["worked"])}:</strong> {escape(judged.feedback.worked)}</p>'
            f'<p><strong>{escape(words["next_step"])}:</strong> '
            f'{escape(judged.feedback.next_step)}</p>'
            + (f'<ul>{findings}</ul>' if findings else "") + "</div>")
