"""Accessibility harness shared by the browser tests and bench/: axe-core in a page, and the states
of every page a trainee or supervisor reaches (checklist shown, an exercise running, a plan with
steps), each reached as a person would."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from harness import REPO

IMPACTS = ("critical", "serious", "moderate", "minor")
# WCAG 2.0/2.1/2.2 A and AA rules, plus axe's best practices (landmarks, heading order, region).
AXE_OPTIONS = {"resultTypes": ["violations"]}


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (axe-playwright-python ships axe-core)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def counts(violations: list[dict]) -> dict[str, tuple[int, int]]:
    """Per impact: (rules violated, elements affected)."""
    rules, nodes = Counter(), Counter()
    for v in violations:
        rules[v["impact"]] += 1
        nodes[v["impact"]] += len(v["nodes"])
    return {i: (rules[i], nodes[i]) for i in IMPACTS}


def describe(violations: list[dict], impacts=("critical", "serious")) -> str:
    """The listed impacts' violations, one line per rule and element, for an assertion message."""
    lines = []
    for v in violations:
        if v["impact"] in impacts:
            for node in v["nodes"]:
                target = " ".join(map(str, node["target"]))
                lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {target}: "
                             f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def url(voila_url: str, notebook: str, trainee: str, **query: str) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{voila_url}voila/render/{notebook}.ipynb?trainee={trainee}{extra}"


def open_as(page, voila_url: str, notebook: str, trainee: str, wait_for: str,
            timeout: float = 180_000, **query: str):
    """Open a page as this trainee and wait for its main widget and for the header to name them
    (a preheated page learns its trainee just after it shows)."""
    from playwright.sync_api import expect

    page.goto(url(voila_url, notebook, trainee, **query), wait_until="commit", timeout=timeout)
    page.wait_for_selector(wait_for, state="visible", timeout=timeout)
    expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=60_000)
    return page


@dataclass
class State:
    """A page in one state, reached in the browser: where, what, and the Playwright page."""

    notebook: str
    name: str
    page: object

    @property
    def label(self) -> str:
        return f"{self.notebook} · {self.name}"


GOAL = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs "
        "with support from his sister Denise.")
SOON = (date.today() + timedelta(days=7)).isoformat()


def _start(page, voila_url, trainee) -> Iterator[State]:
    open_as(page, voila_url, "00-start-here", trainee, ".cc-start-name input")
    page.wait_for_selector(".cc-module a", state="visible")
    yield State("00-start-here", "name given", page)


def _goals(page, voila_url, trainee) -> Iterator[State]:
    from playwright.sync_api import expect

    open_as(page, voila_url, "01-smart-goals", trainee, ".cc-goal-input textarea")
    yield State("01-smart-goals", "opened", page)
    box = page.locator(".cc-practice .cc-goal-input textarea")
    box.fill(GOAL)
    expect(page.locator(".cc-practice .cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", str(len(GOAL)), timeout=20_000)
    page.locator(".cc-practice .cc-check").click()
    expect(page.locator(".cc-practice .cc-history-entry").first).to_be_visible(timeout=20_000)
    yield State("01-smart-goals", "checklist shown, checked", page)


def _assessment(page, voila_url, trainee) -> Iterator[State]:
    from playwright.sync_api import expect

    now = ".cc-domain-housing .cc-cell-now textarea"
    open_as(page, voila_url, "02-assessment", trainee, now)
    yield State("02-assessment", "opened", page)
    page.locator(now).fill("Men's shelter downtown, capped at 30 nights")
    page.locator(".cc-domain-housing .cc-cell-barriers textarea").fill(
        "He is lazy\nLandlords run background checks")
    expect(page.locator('.cc-rowfb[data-domain="housing"]')).to_have_attribute(
        "data-found", "2", timeout=20_000)
    yield State("02-assessment", "row charted, feedback shown", page)


def _priorities(page, voila_url, trainee) -> Iterator[State]:
    from playwright.sync_api import expect

    open_as(page, voila_url, "03-priorities", trainee, ".cc-rank-1 select")
    yield State("03-priorities", "opened", page)
    for rank, label in enumerate(("Daily living and housing", "Vocational and educational",
                                  "Health, physical and mental", "Social supports and leisure"),
                                 start=1):
        page.locator(f".cc-rank-{rank} select").select_option(label=label)
    expect(page.locator(".cc-priority-feedback .cc-fb")).to_have_attribute(
        "data-too-many", "true", timeout=20_000)
    yield State("03-priorities", "four picks, warning shown", page)


def _fill_plan_goal(page, goal: str, words: str, step: str) -> None:
    from playwright.sync_api import expect

    editor = page.locator(".cc-goal-editor").first
    editor.locator(".cc-plan-goal textarea").fill(goal)
    if editor.locator(".cc-client-words input").count():
        editor.locator(".cc-client-words input").fill(words)
    editor.locator(".cc-plan-goal textarea").press("Tab")
    expect(editor.locator(".cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", str(len(goal.strip())), timeout=20_000)
    editor.locator(".cc-add-step").click()
    row = editor.locator(".cc-step").first
    row.locator(".cc-step-text input").fill(step)
    row.locator(".cc-step-due input").fill(SOON)
    row.locator(".cc-step-text input").press("Tab")
    expect(page.locator(".cc-plan-checks .cc-fb, .cc-checks .cc-fb").first).to_be_visible(
        timeout=20_000)


def _plan(page, voila_url, trainee) -> Iterator[State]:
    open_as(page, voila_url, "04-action-plan", trainee, ".cc-plan-goal textarea")
    yield State("04-action-plan", "opened", page)
    page.locator(".cc-goal-editor").first.locator(".cc-goal-domain select").select_option(
        label="Daily living and housing")
    _fill_plan_goal(page, GOAL, "I want my own place", "Call the Harrow Housing Hub")
    yield State("04-action-plan", "a plan with steps", page)


def _workspace(page, voila_url, trainee) -> Iterator[State]:
    from playwright.sync_api import expect

    open_as(page, voila_url, "05-workspace", trainee, ".cc-ws-name input")
    yield State("05-workspace", "opened", page)
    page.locator(".cc-ws-name input").fill("Dana Price")
    page.locator(".cc-ws-own-goals textarea").fill("I want my own place")
    page.locator(".cc-ws-start").click()
    page.wait_for_selector(".cc-plan-goal textarea", timeout=30_000)
    _fill_plan_goal(page, "Within 30 days, Dana will apply to 3 apartments.",
                    "I want my own place", "Visit two apartments")
    page.locator(".cc-ws-save").click()
    expect(page.locator(".cc-ws-message")).to_contain_text("Saved (Dana Price)", timeout=20_000)
    expect(page.locator(".cc-ws-saved select option")).to_have_count(1, timeout=20_000)
    yield State("05-workspace", "a plan with steps, saved", page)


def _group(page, voila_url, trainee, other_page) -> Iterator[State]:
    from playwright.sync_api import expect

    open_as(page, voila_url, "06-group-exercise", trainee, ".cc-start-exercise")
    yield State("06-group-exercise", "opened", page)
    page.locator(".cc-start-exercise").click()
    code_box = page.locator(".cc-code")
    expect(code_box).to_have_attribute("data-state", "open", timeout=20_000)
    code = code_box.get_attribute("data-code")

    joiner = other_page
    open_as(joiner, voila_url, "07-join-exercise", f"{trainee}-t", ".cc-join-input input")
    yield State("07-join-exercise", "join page", joiner)
    joiner.locator(".cc-join-input input").fill("NOPE")
    joiner.locator(".cc-join").click()
    expect(joiner.locator(".cc-exercise-message .cc-error")).to_be_visible(timeout=20_000)
    yield State("07-join-exercise", "wrong code, error shown", joiner)
    joiner.locator(".cc-join-input input").fill(code)
    joiner.locator(".cc-join").click()
    joiner.wait_for_selector(".cc-goal-input textarea", timeout=30_000)
    joiner.locator(".cc-goal-input textarea").fill(GOAL)
    expect(joiner.locator(".cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", str(len(GOAL)), timeout=20_000)
    joiner.locator(".cc-submit").click()
    expect(joiner.locator(".cc-exercise-message")).to_contain_text("Submitted", timeout=20_000)
    yield State("07-join-exercise", "exercise running, submitted", joiner)

    expect(page.locator(".cc-wallgrid")).to_have_attribute("data-count", "1", timeout=20_000)
    yield State("06-group-exercise", "exercise running, one answer", page)

    # The other kind of exercise: one row of a case's chart.
    page.locator(".cc-exercise-kind button", has_text="Fill in one chart row").click()
    item = page.locator(".cc-exercise-item select")
    expect(item.locator("option", has_text="Marcus: Daily living and housing")).to_have_count(1)
    item.select_option(label="Marcus: Daily living and housing")
    page.locator(".cc-start-exercise").click()
    expect(code_box).to_have_attribute("data-kind", "chart_row", timeout=20_000)
    row_code = code_box.get_attribute("data-code")
    open_as(joiner, voila_url, "07-join-exercise", f"{trainee}-t", ".cc-join-input input")
    joiner.locator(".cc-join-input input").fill(row_code)
    joiner.locator(".cc-join").click()
    joiner.wait_for_selector(".cc-row-editor .cc-cell-now textarea", timeout=30_000)
    joiner.locator(".cc-cell-barriers textarea").fill(
        "Landlords run background checks, so the record screens him out")
    # Submit once the row's review has the typing (it follows a pause).
    expect(joiner.locator(".cc-row-editor .cc-rowfb")).not_to_have_attribute(
        "data-found", "0", timeout=20_000)
    joiner.locator(".cc-submit").click()
    expect(joiner.locator(".cc-exercise-message")).to_contain_text("Submitted", timeout=20_000)
    yield State("07-join-exercise", "chart-row exercise, submitted", joiner)
    expect(page.locator(".cc-wallgrid")).to_have_attribute("data-count", "1", timeout=20_000)
    yield State("06-group-exercise", "chart-row exercise, one answer", page)


def states(context, voila_url: str, tag: str | None = None) -> Iterator[State]:
    """Every page of notebooks/ in each state a test reaches, in order, in this browser context
    (two tabs: the join page runs beside the supervisor's)."""
    tag = tag or uuid.uuid4().hex[:6]
    trainee = f"a11y-{tag}"
    drivers: list[Callable] = [_start, _goals, _assessment, _priorities, _plan, _workspace]
    page = context.new_page()
    for driver in drivers:
        yield from driver(page, voila_url, trainee)
    other = context.new_page()
    yield from _group(page, voila_url, trainee, other)
    # A page added later is checked too, as opened, until a driver above takes it further.
    driven = {"00-start-here", "01-smart-goals", "02-assessment", "03-priorities",
              "04-action-plan", "05-workspace", "06-group-exercise", "07-join-exercise"}
    for notebook in sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")):
        if notebook not in driven:
            open_as(page, voila_url, notebook, trainee, ".cc-header")
            yield State(notebook, "opened", page)


# Visible elements whose box runs past the window's edge, unless a box around them scrolls
# sideways on its own (a wide table): at 360 px or 200 % zoom nothing may be cut off.
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const scroller = document.getElementById('rendered_cells');
  const out = [];
  for (const el of scroller.querySelectorAll('*')) {
    if (!el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const st = getComputedStyle(el);
    if (st.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1
        && el.tagName !== 'SELECT' && el.tagName !== 'INPUT') {
      out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ends in …`);
      continue;
    }
    if (r.right <= vw + 1 && r.left >= -1) continue;
    let p = el.parentElement, scrolls = false;
    while (p && p !== scroller) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= vw + 1) {
        scrolls = true; break; }
      p = p.parentElement;
    }
    if (scrolls) continue;
    const cls = (typeof el.className === 'string' ? el.className : '').split(' ')
      .filter(c => c.startsWith('cc-') || c.startsWith('widget-')).join('.');
    out.push(`${el.tagName.toLowerCase()}.${cls} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return {window: vw, sideways: scroller.scrollWidth - scroller.clientWidth,
          cut: [...new Set(out)].slice(0, 30)};
}"""
