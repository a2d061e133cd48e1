"""The assessment module in a real Voila, in headless Chromium: fill part of a chart, reload."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.browser

NOW = ".cc-domain-housing .cc-cell-now textarea"
BARRIERS = ".cc-domain-housing .cc-cell-barriers textarea"


def test_trainee_fills_part_of_a_chart_and_sees_feedback_picture_and_draft(page, voila_url,
                                                                          artifacts):
    """Typing into the housing row finds the key facts, moves the picture, survives a reload."""
    from playwright.sync_api import expect

    url = f"{voila_url}voila/render/02-assessment.ipynb?trainee=browser-{uuid.uuid4().hex[:8]}"
    page.goto(url)
    page.wait_for_selector(NOW, state="visible", timeout=90_000)
    # A preheated page learns its trainee just after it shows; the header then names them.
    expect(page.locator(".cc-header")).to_contain_text(url.rsplit("=", 1)[1], timeout=60_000)
    expect(page.locator(".cc-picturebox")).to_have_attribute("data-found", "0")

    page.locator(NOW).type("Men's shelter downtown, capped at 30 nights", delay=5)
    page.locator(BARRIERS).type("He is lazy\nLandlords run background checks", delay=5)
    row = page.locator('.cc-rowfb[data-domain="housing"]')
    expect(row).to_have_attribute("data-found", "2", timeout=15_000)
    expect(row).to_have_attribute("data-labels", "1")
    expect(row).to_contain_text("describes the person")
    expect(page.locator('.cc-picturebox g[data-domain="housing"]')).to_have_attribute(
        "data-barriers", "2")
    expect(page.locator(".cc-picturebox")).to_have_attribute("data-found", "2")
    expect(page.locator(".cc-saved")).to_contain_text("Draft saved")
    page.screenshot(path=artifacts / "assessment-chart.png", full_page=False)

    page.reload()
    page.wait_for_selector(NOW, state="visible", timeout=90_000)
    expect(page.locator(NOW)).to_have_value("Men's shelter downtown, capped at 30 nights")
    expect(page.locator('.cc-rowfb[data-domain="housing"]')).to_have_attribute("data-found", "2")


def _type_in_row(page, domain: str, name: str, column: str, text: str) -> None:
    """Open a row of the chart by its title and type into one of its cells."""
    cell = page.locator(f".cc-domain-{domain} .cc-cell-{column} textarea")
    if not cell.is_visible():
        page.locator(".jupyter-widget-Collapse-header", has_text=name).first.click()
    cell.type(text, delay=2)


def test_the_page_teaches_before_it_shows_the_key(page, voila_url, artifacts):
    """The client card starts empty of answers and fills from the trainee's chart; the key is
    revealed only after three rows; the priorities page then shows the trainee's own chart."""
    from playwright.sync_api import expect

    trainee = f"browser-{uuid.uuid4().hex[:8]}"
    page.goto(f"{voila_url}voila/render/02-assessment.ipynb?trainee={trainee}",
              wait_until="commit", timeout=120_000)
    page.wait_for_selector(NOW, state="visible", timeout=120_000)
    expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=60_000)
    card = page.locator(".cc-charted")
    expect(card).to_contain_text("None yet")
    expect(card).not_to_contain_text("helped run the art program")
    expect(card).not_to_contain_text("I want to get paid for art")
    reveal = page.locator("button.cc-reveal")
    expect(reveal).to_be_disabled()
    expect(page.locator(".cc-reveal-hint")).to_contain_text("Chart at least 3 rows")

    page.locator(NOW).type("Men's shelter downtown, capped at 30 nights", delay=2)
    _type_in_row(page, "vocational", "Vocational", "strengths",
                 "Lettered storefronts for a sign shop for two years")
    _type_in_row(page, "family", "Family", "wants", "“I want Kiara to see me show up, Saturdays”")
    expect(card).to_contain_text("Lettered storefronts for a sign shop", timeout=15_000)
    expect(card).to_contain_text("“I want Kiara to see me show up, Saturdays”")
    expect(reveal).to_be_enabled(timeout=15_000)
    card.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "assessment-teach-card.png", full_page=False)

    reveal.click()
    missed = page.locator(".cc-missed")
    expect(missed).to_be_visible(timeout=15_000)
    expect(missed.locator('[data-fact="f-screening"]')).to_have_count(1)
    expect(missed.locator('[data-fact="f-shelter"]')).to_have_count(0)
    expect(missed.locator('[data-fact="f-sign-shop"]')).to_have_count(0)
    missed.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "assessment-teach-missed.png", full_page=False)

    expect(page.locator(".cc-saved")).to_contain_text("Draft saved")
    page.goto(f"{voila_url}voila/render/03-priorities.ipynb?trainee={trainee}",
              wait_until="commit", timeout=120_000)
    own = page.locator(".cc-own-chart")
    expect(own).to_be_visible(timeout=120_000)
    expect(page.locator(".cc-header")).to_contain_text(trainee, timeout=60_000)
    expect(own).to_contain_text("Lettered storefronts for a sign shop", timeout=15_000)
    expect(own).not_to_contain_text("blood pressure")
    expect(own).not_to_contain_text("background checks")
    for rank, name in enumerate(("Daily living and housing", "Vocational and educational",
                                 "Social supports and leisure", "Health, physical and mental"),
                                start=1):
        page.locator(f".cc-rank-{rank} select").select_option(label=name)
    feedback = page.locator(".cc-priority-feedback .cc-summary")
    expect(feedback).to_contain_text("3 of your 4 priorities", timeout=15_000)
    page.locator(".cc-rank-1").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=artifacts / "priorities-own-chart.png", full_page=False)
