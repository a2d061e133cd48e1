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
