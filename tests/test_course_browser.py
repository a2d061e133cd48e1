"""Nothing lost on reload, and a name that stays: the course in a real Voila, in headless Chromium."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from harness import REPO, VoilaServer

pytestmark = pytest.mark.browser
PORT = 9317  # this suite's own Voila, in the port range kept for such servers here


@pytest.fixture(scope="module")
def voila_server():
    """A `voila notebooks/` as `make serve` runs it, on this module's own port."""
    server = VoilaServer(root="notebooks/", log_name="voila-course-tests", port=PORT)
    server.start()
    server.wait_for_pools([p.name for p in sorted((REPO / "notebooks").glob("*.ipynb"))],
                          timeout=90)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def voila_url(voila_server) -> str:
    """Base URL of this module's Voila."""
    return voila_server.url

INPUT = ".cc-goal-input textarea"
GOOD = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support from "
        "his sister Denise.")
WEAK = "Marcus will stop drinking and stay away from his old friends."


def trainee() -> str:
    """A fresh trainee name per test, with a space and an ampersand to prove the encoding."""
    return f"Tess & {uuid.uuid4().hex[:6]}"


def open_page(page, voila_url: str, name: str, query: str = "", wait_for: str | None = None,
              timeout: float = 60.0):
    """Open notebooks/<name>.ipynb with a query, wait until rendered and `wait_for` is visible."""
    ms = timeout * 1000
    page.goto(f"{voila_url}voila/render/{name}.ipynb" + (f"?{query}" if query else ""),
              wait_until="commit", timeout=ms)
    wait_rendered(page, wait_for, timeout)
    wait_for_trainee(page, query, timeout)
    return page


def wait_for_trainee(page, query: str, timeout: float = 60.0) -> None:
    """A preheated page learns who opened it just after it shows; its header then names them.
    Work only once it does, as a person reads "Working as ..." before starting."""
    from urllib.parse import parse_qs

    from playwright.sync_api import expect

    name = parse_qs(query).get("trainee", [""])[0]
    if name:
        expect(page.locator(".cc-header")).to_contain_text(name, timeout=timeout * 1000)


def wait_rendered(page, wait_for: str | None, timeout: float = 60.0) -> None:
    ms = timeout * 1000
    page.wait_for_selector("#rendered_cells", state="visible", timeout=ms)
    page.wait_for_selector("#loading", state="detached", timeout=ms)
    if wait_for:
        page.wait_for_selector(wait_for, state="visible", timeout=ms)


def typed(page, box, text: str) -> None:
    """Type into a goal box like a person, then wait for the review of the whole text."""
    box.fill("")
    box.type(text, delay=2)
    page.wait_for_selector(f'.cc-feedback [data-review-len="{len(text)}"]', timeout=30_000)


def test_goal_coach_history_comes_back_after_a_reload(page, voila_url, artifacts):
    """Two checked rewrites of a goal are there after a reload, newest first, with verdicts."""
    from playwright.sync_api import expect

    name = trainee()
    open_page(page, voila_url, "01-smart-goals", f"trainee={quote(name)}", INPUT)
    coach = page.locator(".cc-practice .cc-coach").first
    shown = []  # the verdict each checklist showed when its rewrite was checked
    for text in (WEAK, GOOD):
        typed(page, coach.locator(INPUT), text)
        shown.append(coach.locator(".cc-feedback .cc-verdict").get_attribute("data-passes"))
        coach.locator(".cc-check").click()
    expect(coach.locator(".cc-history-entry")).to_have_count(2)

    page.reload(wait_until="commit")
    wait_rendered(page, ".cc-practice .cc-history-entry")
    coach = page.locator(".cc-practice .cc-coach").first
    entries = coach.locator(".cc-history-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_have_attribute("data-passes", shown[1])
    expect(entries.nth(1)).to_have_attribute("data-passes", shown[0])
    expect(entries.nth(0)).to_contain_text("Within 4 weeks, Marcus will apply")
    expect(entries.nth(1)).to_contain_text("Marcus will stop drinking")
    expect(coach.locator(INPUT)).to_have_value(GOOD)
    expect(coach.locator(".cc-attempts")).to_have_text("2 attempts")
    expect(page.locator(".cc-nav-name")).to_contain_text(name)
    coach.locator(".cc-history").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "course-goal-history-1280.png", full_page=False)


def test_goal_coach_in_a_second_tab_keeps_the_first_tabs_checked_rewrites(page, voila_url,
                                                                          artifacts):
    """The same trainee opens the module in two tabs of one browser; each checks rewrites of the
    same goal, and a reload shows all of them: the second tab's saves do not wipe the first's."""
    from playwright.sync_api import expect

    name = trainee()
    query = f"trainee={quote(name)}"
    open_page(page, voila_url, "01-smart-goals", query, INPUT)
    tab = page.context.new_page()
    try:
        open_page(tab, voila_url, "01-smart-goals", query, INPUT)
        coach = page.locator(".cc-practice .cc-coach").first
        for text in (WEAK, GOOD):
            typed(page, coach.locator(INPUT), text)
            coach.locator(".cc-check").click()
        expect(coach.locator(".cc-history-entry")).to_have_count(2)
        later = GOOD.replace("4 weeks", "3 weeks")
        other = tab.locator(".cc-practice .cc-coach").first
        typed(tab, other.locator(INPUT), later)
        other.locator(".cc-check").click()
        expect(other.locator(".cc-history-entry")).to_have_count(1)
    finally:
        tab.close()
    page.reload(wait_until="commit")
    wait_rendered(page, ".cc-practice .cc-history-entry")
    coach = page.locator(".cc-practice .cc-coach").first
    entries = coach.locator(".cc-history-entry")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text("Within 3 weeks")
    expect(coach.locator(INPUT)).to_have_value(later)
    expect(coach.locator(".cc-attempts")).to_have_text("3 attempts")
    coach.locator(".cc-history").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "course-goal-two-tabs-1280.png", full_page=False)


def test_a_short_rewrite_says_why_it_was_not_checked(page, voila_url):
    """Pressing Check on three words shows why it was not checked, and counts nothing."""
    from playwright.sync_api import expect

    open_page(page, voila_url, "01-smart-goals", f"trainee={quote(trainee())}", INPUT)
    coach = page.locator(".cc-practice .cc-coach").first
    typed(page, coach.locator(INPUT), "Get a job.")
    coach.locator(".cc-check").click()
    expect(coach.locator(".cc-not-checked")).to_contain_text("needs at least 5 words")
    expect(coach.locator(".cc-attempts")).to_have_text("No attempts yet")


def test_drill_is_resumed_after_a_reload_and_ends_with_a_review_per_goal(page, voila_url,
                                                                        artifacts):
    """A drill left at goal 3 comes back there; finished, it shows each goal with its checklist
    and a score that matches those checklists."""
    from playwright.sync_api import expect

    name = trainee()
    open_page(page, voila_url, "01-smart-goals", f"trainee={quote(name)}", ".cc-drill " + INPUT)
    drill = page.locator(".cc-drill")
    first_goal = drill.locator(".cc-referral blockquote").inner_text()
    for number, text in ((2, GOOD), (3, WEAK)):
        typed(page, drill.locator(INPUT), text)
        drill.locator(".cc-next-goal").click()
        # The next goal's box replaces this one: type only once it is there, as a person would.
        expect(drill.locator(".cc-count").first).to_have_text(f"Goal {number} of 10")

    page.reload(wait_until="commit")
    wait_rendered(page, ".cc-drill " + INPUT)
    drill = page.locator(".cc-drill")
    expect(drill.locator(".cc-count").first).to_have_text("Goal 3 of 10")
    for _ in range(8):
        drill.locator(".cc-next-goal").click()
    result = drill.locator(".cc-drill-result")
    expect(result.locator(".cc-drill-goal")).to_have_count(10)
    expect(result.locator(".cc-drill-goal").first).to_contain_text(first_goal[:30])
    goals = result.locator(".cc-drill-goal")
    passing = result.locator('.cc-drill-goal[data-passes="true"]').count()
    expect(result.locator(".cc-result")).to_have_attribute("data-score", f"{passing}/10")
    expect(goals.nth(0).locator(".cc-drill-rewrite")).to_have_text(GOOD)
    expect(goals.nth(2)).to_contain_text("Not checked")
    goals.nth(1).locator("summary").click()
    expect(goals.nth(1).locator(".cc-checklist")).to_be_visible()
    result.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "course-drill-review-1280.png", full_page=False)


def fill_plan(page):
    from playwright.sync_api import expect

    editor = page.locator(".cc-goal-editor").first
    editor.locator(".cc-goal-domain select").select_option(label="Daily living and housing")
    editor.locator(".cc-plan-goal textarea").fill(GOOD)
    editor.locator(".cc-client-words input").fill("I want my own place, even just a room")
    editor.locator(".cc-client-words input").press("Tab")
    expect(editor.locator(".cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", str(len(GOOD)))
    editor.locator(".cc-add-step").click()
    step = editor.locator(".cc-step").first
    step.locator(".cc-step-text input").fill("Call the Harrow Housing Hub")
    step.locator(".cc-step-text input").press("Tab")


def test_action_plan_comes_back_after_a_reload(page, voila_url, artifacts):
    """A plan goal, the client's words and a step are there after a reload, for this trainee."""
    from playwright.sync_api import expect

    name = trainee()
    open_page(page, voila_url, "04-action-plan", f"trainee={quote(name)}", ".cc-plan-goal textarea")
    fill_plan(page)
    page.wait_for_timeout(500)  # the last change reaches the kernel
    page.reload(wait_until="commit")
    wait_rendered(page, ".cc-step-text input")
    editor = page.locator(".cc-goal-editor").first
    expect(editor.locator(".cc-plan-goal textarea")).to_have_value(GOOD)
    expect(editor.locator(".cc-client-words input")).to_have_value(
        "I want my own place, even just a room")
    expect(editor.locator(".cc-step-text input").first).to_have_value(
        "Call the Harrow Housing Hub")
    editor.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "course-plan-reloaded-1280.png", full_page=False)

    other = page.context.new_page()
    open_page(other, voila_url, "04-action-plan", f"trainee={quote(trainee())}",
              ".cc-plan-goal textarea")
    expect(other.locator(".cc-plan-goal textarea").first).to_have_value("")
    other.close()


def test_start_page_links_straight_back_to_the_chart_in_progress(page, voila_url, artifacts):
    """After charting two rows of Jade's case, the start page lists it and its link opens it."""
    from playwright.sync_api import expect

    name = trainee()
    open_page(page, voila_url, "02-assessment", f"trainee={quote(name)}", ".cc-cells textarea")
    picker = page.locator(".cc-case-picker select")
    jade = [o for o in picker.locator("option").all_inner_texts() if o.startswith("Jade")][0]
    picker.select_option(label=jade)
    expect(page.locator(".cc-intake").first).to_contain_text("Jade")
    rows = page.locator(".cc-chart .cc-cells")
    rows.first.locator("textarea").first.fill("Staying on her aunt's couch for now")
    page.wait_for_selector(".cc-saved:has-text('Draft saved')", timeout=15_000)

    open_page(page, voila_url, "00-start-here", f"trainee={quote(name)}", ".cc-resume-link")
    link = page.locator('.cc-module[data-module="02-assessment"] .cc-resume-link')
    expect(link).to_contain_text("Jade's chart: 1 of 8 rows filled")
    expect(page.locator('.cc-module[data-module="02-assessment"] .cc-state')).to_have_text(
        "started")
    page.screenshot(path=artifacts / "course-start-in-progress-1280.png", full_page=True)
    link.click()
    wait_rendered(page, ".cc-cells textarea")
    expect(page.locator(".cc-case-picker select option:checked")).to_have_text(jade)
    expect(page.locator(".cc-chart .cc-cells textarea").first).to_have_value(
        "Staying on her aunt's couch for now")


def test_header_previous_and_next_carry_the_name_and_the_browser_remembers_it(page, voila_url,
                                                                             artifacts):
    """Next and previous in the header keep the name; the start page opened bare takes it back
    from the browser; a name typed there stays through a reload."""
    from playwright.sync_api import expect

    name = trainee()
    open_page(page, voila_url, "02-assessment", f"trainee={quote(name)}&cohort=NOV",
              ".cc-nav-next")
    expect(page.locator(".cc-nav-name")).to_contain_text(f"Working as {name}")
    page.screenshot(path=artifacts / "course-header-1280.png", full_page=False)
    page.locator(".cc-nav-next").click()
    wait_rendered(page, ".cc-rank-1 select")
    assert "03-priorities.ipynb" in page.url
    expect(page.locator(".cc-nav-name")).to_contain_text(name)
    page.locator(".cc-nav-prev").click()
    wait_rendered(page, ".cc-cells textarea")
    assert "02-assessment.ipynb" in page.url
    expect(page.locator(".cc-nav-name")).to_contain_text(name)

    open_page(page, voila_url, "00-start-here", "", ".cc-start-name input")
    expect(page.locator(".cc-start-name input")).to_have_value(name)
    expect(page.locator(".cc-nav-name")).to_contain_text(name)
    join = page.locator('.cc-module[data-module="07-join-exercise"] a').first
    expect(join).to_have_attribute("href", f"07-join-exercise.ipynb?trainee={quote_plus(name)}"
                                           f"&cohort=NOV")

    other = "Rae <b>Ng</b>"
    page.locator(".cc-start-name input").fill(other)
    page.wait_for_function("() => location.search.includes('Rae')")
    page.reload(wait_until="commit")
    wait_rendered(page, ".cc-start-name input")
    expect(page.locator(".cc-start-name input")).to_have_value(other)
    expect(page.locator(".cc-nav-name")).to_contain_text("Working as Rae <b>Ng</b>")
    assert page.locator(".cc-nav-name b").count() == 0


def test_header_and_start_page_at_768_wide(browser, voila_url, artifacts):
    """At 768 px the header wraps inside the page and the start page's cards stay readable."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    try:
        name = trainee()
        open_page(page, voila_url, "01-smart-goals", f"trainee={quote(name)}", INPUT)
        nav = page.locator(".cc-nav").bounding_box()
        assert nav["x"] >= 0 and nav["x"] + nav["width"] <= 768
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        expect(page.locator(".cc-nav-next")).to_be_visible()
        page.screenshot(path=artifacts / "course-header-768.png", full_page=False)
        coach = page.locator(".cc-practice .cc-coach").first
        typed(page, coach.locator(INPUT), WEAK)
        coach.locator(".cc-check").click()
        expect(coach.locator(".cc-history-entry")).to_have_count(1)
        coach.locator(".cc-history").scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        page.screenshot(path=artifacts / "course-goal-history-768.png", full_page=False)
        open_page(page, voila_url, "00-start-here", f"trainee={quote(name)}", ".cc-modules")
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        page.screenshot(path=artifacts / "course-start-768.png", full_page=True)
    finally:
        context.close()


def quote_plus(text: str) -> str:
    from urllib.parse import quote_plus as plus

    return plus(text)
