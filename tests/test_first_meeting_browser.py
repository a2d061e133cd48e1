"""The first meeting in a real Voila, in headless Chromium: one whole meeting, to its summary."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Marcus's first meeting, as a trainee might run it: a greeting, one closed question, then open
# questions and reflections that draw out each of the seven things he has to tell.
LINES = [
    "Hi Marcus, thanks for coming in.",
    "Did you come by bus?",
    "What are you good at?",
    "What's it like where you're staying?",
    "Tell me about the people who matter to you.",
    "It sounds like Saturdays at the park are a start, and you're hoping for more.",
    "What would you like to do next?",
    "It sounds like the curfew worries you.",
    "How is your health?",
]


def test_trainee_plays_a_whole_first_meeting_to_its_summary(page, open_notebook, artifacts):
    """Each line is answered in the thread with its feedback; rapport is shown in words; when
    Marcus has told all seven facts the summary gives the counts, the measures beside their
    thresholds, what he told and two moments to revisit, with no serious axe violation; a
    screenshot of the summary is kept."""
    from playwright.sync_api import expect

    open_notebook(page, "08-first-meeting", wait_for=".cc-say-input textarea")
    thread = page.locator(".cc-thread")
    expect(thread).to_contain_text("here I am")
    expect(page.locator(".cc-rapport-level")).to_contain_text("Rapport:")
    for number, line in enumerate(LINES, start=1):
        page.locator(".cc-say-input textarea").fill(line)
        page.locator(".cc-say").click()
        expect(thread.locator(f'.cc-you-line[data-turn="{number}"]')).to_be_visible(
            timeout=15_000)
    lines = thread.locator(".cc-you-line")
    expect(lines.nth(1)).to_have_attribute("data-reaction", "closed")
    expect(lines.nth(1)).to_contain_text("(question, closed)")
    expect(lines.nth(2)).to_contain_text("What worked")
    expect(thread.locator(".cc-client-line[data-fact]")).to_have_count(7)
    expect(page.locator(".cc-rapport-level")).to_contain_text("Open: the client is telling you")

    summary = page.locator(".cc-summary")
    expect(summary).to_be_visible(timeout=15_000)
    expect(summary).to_have_attribute("data-facts", "7")
    expect(summary.locator(".cc-counts")).to_contain_text("Open questions")
    expect(summary.locator("[data-measure='open_share']")).to_contain_text("competency")
    expect(summary.locator("[data-measure='reflection_to_question']")).to_contain_text("below")
    expect(summary.locator(".cc-facts-told li")).to_have_count(7)
    expect(summary.locator(".cc-revisit li")).to_have_count(2)
    expect(summary.locator(".cc-revisit li").first).to_contain_text("Did you come by bus?")
    summary.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "first-meeting-summary.png", full_page=False)
    summary.screenshot(path=artifacts / "first-meeting-summary-panel.png")
    from a11y import describe, run_axe
    violations = run_axe(page)
    assert not describe(violations), describe(violations)  # no critical or serious one
    assert "heading-order" not in {v["id"] for v in violations}

    page.locator(".cc-again").click()
    expect(page.locator(".cc-say-input textarea")).to_be_visible(timeout=15_000)
    expect(thread.locator(".cc-you-line")).to_have_count(0)


def test_what_the_client_told_starts_the_trainees_chart(page, voila_url, artifacts):
    """After a meeting, 'Start the chart from what you learned' keeps what Marcus said in the
    trainee's chart of his case, and its link opens the assessment page on that chart."""
    import uuid

    from playwright.sync_api import expect

    trainee = f"meet-{uuid.uuid4().hex[:8]}"
    page.goto(f"{voila_url}voila/render/08-first-meeting.ipynb?trainee={trainee}",
              wait_until="commit", timeout=90_000)
    page.wait_for_selector(".cc-say-input textarea", state="visible", timeout=90_000)
    expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=60_000)
    for number, line in enumerate(["What's it like where you're staying?",
                                   "What are you good at?"], start=1):
        page.locator(".cc-say-input textarea").fill(line)
        page.locator(".cc-say").click()
        expect(page.locator(f'.cc-you-line[data-turn="{number}"]')).to_be_visible(timeout=15_000)
    page.locator(".cc-end-meeting").click()
    page.locator(".cc-seed-chart").click()
    link = page.locator(".cc-seed-open")
    expect(link).to_be_visible(timeout=15_000)
    page.screenshot(path=artifacts / "first-meeting-seed.png", full_page=False)
    link.click()
    now = page.locator(".cc-domain-housing .cc-cell-now textarea")
    try:
        now.wait_for(state="visible", timeout=180_000)
    finally:
        page.screenshot(path=artifacts / "first-meeting-seed-chart.png", full_page=False)
    assert f"trainee={trainee}" in page.url and "case=marcus-art" in page.url
    expect(now).to_have_value("First meeting: “Right now I'm at the men's shelter downtown. You "
                              "get thirty nights there, and I've used eleven. My PO has to okay "
                              "wherever I go next.”", timeout=30_000)


def test_trainee_picks_the_best_response_and_reads_why(page, open_notebook, artifacts):
    """The drill under the meeting: pick by keyboard-reachable radio buttons, check, and every
    response is explained, the best one marked in words; a screenshot is kept."""
    from playwright.sync_api import expect

    open_notebook(page, "08-first-meeting", wait_for=".cc-choice-drill .cc-choice-options")
    drill = page.locator(".cc-choice-drill").first
    expect(drill).to_contain_text("Marcus says")
    drill.locator(".cc-choice-options input[type=radio]").nth(2).check()
    drill.locator(".cc-choice-check").click()
    feedback = drill.locator(".cc-choice-feedback")
    expect(feedback).to_have_attribute("data-right", "false", timeout=15_000)
    expect(feedback.locator(".cc-choice-option")).to_have_count(4)
    expect(feedback.locator('.cc-choice-option[data-best="true"]')).to_contain_text("Best response")
    expect(drill.locator(".cc-choice-score")).to_contain_text("0 of 1")
    feedback.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "first-meeting-drill.png", full_page=False)
    drill.locator(".cc-choice-next").click()
    expect(drill).to_contain_text("art program inside", timeout=15_000)
