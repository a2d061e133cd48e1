"""The goal coach: rewrite a referral goal and see SMART(S) feedback as you type."""

from __future__ import annotations

from typing import Sequence

import ipywidgets as w
import traitlets

from casecoach.goals import GoalReview, criterion_names, review_goal
from casecoach.practice import (GoalItem, debounce_seconds, draw, goal_bank, is_attempt,
                                summarise_drill)
from widgets import _render
from widgets._services import Debounce, Recorder

MODULE = "01-smart-goals"


_WORD_ENDS = set(" \n\t.,;:!?)")


class GoalCoach(w.VBox):
    """One referral goal of one case: the trainee's rewrite, its review, the model after a try."""

    value = traitlets.Unicode("", help="The trainee's rewrite of the referral goal.")
    attempts = traitlets.Int(0, help="How many times the trainee pressed Check on a real attempt.")
    models_visible = traitlets.Bool(False, help="Whether the model rewrites are shown.")
    debounce = traitlets.Float(help="Seconds to wait after the last keystroke before reviewing; "
                                    "0 reviews on every change.")

    @traitlets.default("debounce")
    def _default_debounce(self) -> float:
        return debounce_seconds()

    def __init__(self, item: GoalItem, models: bool = True, on_attempt=None,
                 actions: Sequence[w.Widget] = (), **kwargs) -> None:
        """`actions` are more buttons beside Check (above the feedback, so a review that grows
        while the trainee clicks cannot move them)."""
        super().__init__(**kwargs)
        self.item = item
        self._show_models_after_attempt = models
        self._on_attempt = on_attempt
        self.review: GoalReview | None = None
        self._context = item.scenario.context()
        self._later = Debounce(self._refresh)

        original = review_goal(item.goal.text, self._context)
        self._referral = w.HTML(_render.referral_html(item.scenario, item.goal.text, original))
        self._input = w.Textarea(
            placeholder=f"Rewrite it here, e.g. “Within 30 days, {item.scenario.first_name} "
                        f"will … using …”",
            continuous_update=True, layout=w.Layout(width="100%", height="5.5em"))
        self._input.add_class("cc-goal-input")
        self._check = w.Button(description="Check my goal", button_style="primary",
                               tooltip="Review the goal now and count it as an attempt")
        self._check.add_class("cc-check")
        self._count = w.HTML(self._count_text())
        self._count.add_class("cc-attempts")
        self._feedback = w.HTML(_render.review_html("", None))
        self._feedback.add_class("cc-feedback")
        self._models = w.HTML("", layout=w.Layout(display="none"))
        self._models.add_class("cc-models-box")
        client = w.HTML(_render.client_html(item.scenario))
        client.add_class("cc-side")

        main = w.VBox([self._referral,
                       w.HTML('<label class="cc-caption">Your SMART(S) rewrite</label>'),
                       self._input, w.HBox([self._check, *actions, self._count]),
                       self._feedback, self._models])
        main.add_class("cc-main")
        row = w.Box([main, client])
        row.add_class("cc-row")
        self.children = [row]
        self.add_class("cc-coach")

        w.link((self._input, "value"), (self, "value"))
        self.observe(self._typed, names="value")
        self.observe(self._show_models, names="models_visible")
        self._check.on_click(self._checked)

    @traitlets.validate("attempts", "debounce")
    def _non_negative(self, proposal):
        if proposal["value"] < 0:
            raise traitlets.TraitError(f"{proposal['trait'].name} cannot be negative")
        return proposal["value"]

    def check(self) -> GoalReview | None:
        """Review now, as the Check button does, and count a real attempt."""
        self._later.cancel()
        review = self._refresh()
        if review is not None and is_attempt(self.item.goal.text, self.value):
            self.attempts += 1
            self.models_visible = self._show_models_after_attempt
            if self._on_attempt is not None:
                self._on_attempt(review)
        return review

    def _typed(self, change) -> None:
        # A finished word (the text ends in a space or punctuation) is reviewed at once; a word
        # still being typed waits for a pause, so the checklist never judges half a word.
        self._later(self.debounce, now=change["new"][-1:] in _WORD_ENDS)

    def _refresh(self) -> GoalReview | None:
        text = self.value.strip()
        self.review = review_goal(text, self._context) if text else None
        self._feedback.value = _render.review_html(text, self.review)
        return self.review

    def _checked(self, _button) -> None:
        self.check()
        self._count.value = self._count_text()

    def _count_text(self) -> str:
        if not self.attempts:
            return '<span class="cc-count">No attempts yet</span>'
        plural = "s" if self.attempts != 1 else ""
        return f'<span class="cc-count">{self.attempts} attempt{plural}</span>'

    def _show_models(self, change) -> None:
        if change["new"]:
            self._models.value = _render.models_html(self.item.scenario, self.item.goal.id)
            self._models.layout.display = "block"
        else:
            self._models.layout.display = "none"


class GoalPractice(w.VBox):
    """Pick any referral goal of the given cases and rewrite it with the goal coach."""

    selected = traitlets.Unicode(help="Key (case/goal) of the referral goal being practised.")

    def __init__(self, scenario_ids: Sequence[str] | None = None, owner: str = "",
                 cohort: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.recorder = Recorder(MODULE, owner, cohort)
        self.bank = goal_bank(scenario_ids)
        self._coaches: dict[str, GoalCoach] = {}
        self._picker = w.Dropdown(options=[(item.label, item.key) for item in self.bank],
                                  description="Referral goal", layout=w.Layout(width="100%"),
                                  style={"description_width": "initial"})
        self._picker.add_class("cc-picker")
        self._slot = w.Box()
        self.add_class("cc-practice")
        self.children = [self._picker, self._slot]
        w.link((self._picker, "value"), (self, "selected"))
        self.observe(self._select, names="selected")
        self.selected = self.bank[0].key
        self._select({"new": self.selected})

    def coach(self, key: str | None = None) -> GoalCoach:
        """The goal coach of one item, made on first use so a trainee's text survives switching."""
        key = key or self.selected
        if key not in self._coaches:
            item = next(i for i in self.bank if i.key == key)
            self._coaches[key] = GoalCoach(item, on_attempt=lambda _r: self.recorder.attempt())
        return self._coaches[key]

    def _select(self, change) -> None:
        self._slot.children = [self.coach(change["new"])]


class GoalDrill(w.VBox):
    """A drill: n referral goals drawn at random, one at a time, then a score and what to practise."""

    position = traitlets.Int(0, help="Index of the goal being worked (n when the drill is done).")

    def __init__(self, n: int = 10, scenario_ids: Sequence[str] | None = None,
                 seed: int | None = None, owner: str = "", cohort: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.recorder = Recorder(MODULE, owner, cohort)
        self.items = draw(goal_bank(scenario_ids), n, seed)
        self.coaches = [GoalCoach(item) for item in self.items]
        self._progress = w.IntProgress(value=0, min=0, max=len(self.items),
                                       description="Progress")
        self._status = w.HTML()
        self._next = w.Button(description="Next goal", tooltip="Keep this rewrite and go on")
        self._next.add_class("cc-next-goal")
        self._restart = w.Button(description="New drill", layout=w.Layout(display="none"))
        self._slot = w.Box()
        self._result = w.HTML()
        self._result.add_class("cc-drill-result")
        self.add_class("cc-drill")
        self.children = [w.HBox([self._progress, self._status]), self._slot,
                         w.HBox([self._next, self._restart]), self._result]
        self._next.on_click(lambda _b: self.advance())
        self._restart.on_click(lambda _b: self._new_drill(n, scenario_ids))
        self.observe(self._moved, names="position")
        self._moved({"new": 0})

    @traitlets.validate("position")
    def _in_range(self, proposal):
        return max(0, min(proposal["value"], len(self.items)))

    def advance(self) -> None:
        """Review the current rewrite (counting the attempt) and move to the next goal."""
        if self.position < len(self.items):
            self.coaches[self.position].check()
            self.position += 1

    def _moved(self, change) -> None:
        index = change["new"]
        self._progress.value = index
        if index < len(self.items):
            self._status.value = f'<span class="cc-count">Goal {index + 1} of {len(self.items)}</span>'
            self._slot.children = [self.coaches[index]]
            self._next.description = "Finish drill" if index == len(self.items) - 1 else "Next goal"
            self._result.value = ""
        else:
            self._slot.children = []
            self._next.layout.display = "none"
            self._restart.layout.display = "inline-flex"
            self._status.value = '<span class="cc-count">Drill complete</span>'
            self._result.value = _drill_html(self)
            reviews = [c.review for c in self.coaches if c.review is not None]
            self.recorder.attempt(len(reviews))
            if reviews:
                self.recorder.complete(summarise_drill(reviews).strengths_based)

    def _new_drill(self, n: int, scenario_ids: Sequence[str] | None) -> None:
        self.items = draw(goal_bank(scenario_ids), n)
        self.coaches = [GoalCoach(item) for item in self.items]
        self._next.layout.display = "inline-flex"
        self._restart.layout.display = "none"
        self.position = 0
        self._moved({"new": 0})


def _drill_html(drill: GoalDrill) -> str:
    reviews = [c.review for c in drill.coaches if c.review is not None]
    if not reviews:
        return '<div class="cc-result">No rewrites to score: try the drill again.</div>'
    result = summarise_drill(reviews)
    names = criterion_names()
    cells = "".join(f'<li><span class="cc-name">{names[k]["name"]}</span> '
                    f'{v}/{len(reviews)}</li>' for k, v in result.met_counts.items())
    advice = (f'Practise next: <b>{names[result.practise_next]["name"]}</b>, the criterion '
              f'your rewrites missed most.' if result.practise_next
              else "Every rewrite met every text criterion.")
    return (f'<div class="cc-result" data-score="{result.score}"><h3>Strengths-based SMART(S) '
            f'goals: {result.score}</h3><ul class="cc-tally">{cells}</ul><p>{advice}</p></div>')
