"""Priorities, the action plan and the workspace in a real Voila, in headless Chromium."""

from __future__ import annotations

import base64
from datetime import date, timedelta
import uuid

import pytest

pytestmark = pytest.mark.browser


def test_trainee_sets_priorities_and_sees_the_limit(page, open_notebook):
    """Three picks in the key's order agree; a fourth brings the too-many-goals warning."""
    from playwright.sync_api import expect

    open_notebook(page, "03-priorities", wait_for=".cc-rank-1 select")
    for rank, label in enumerate(("Daily living and housing", "Vocational and educational",
                                  "Health, physical and mental"), start=1):
        page.locator(f".cc-rank-{rank} select").select_option(label=label)
    feedback = page.locator(".cc-priority-feedback .cc-fb")
    expect(feedback).to_have_attribute("data-agreed", "3")
    page.locator(".cc-rank-4 select").select_option(label="Social supports and leisure")
    expect(feedback).to_have_attribute("data-too-many", "true")
    expect(feedback.locator(".cc-warning")).to_contain_text("sets a client up to fail")


# Steps fall inside each goal's own time frame (the plan checks that), counted from today.
SOON = (date.today() + timedelta(days=7)).isoformat()
LATER = (date.today() + timedelta(days=14)).isoformat()


def fill_goal(page, index: int, domain: str, goal: str, words: str, step: str, due: str,
              resource: str):
    from playwright.sync_api import expect

    editor = page.locator(".cc-goal-editor").nth(index)
    editor.locator(".cc-goal-domain select").select_option(label=domain)
    editor.locator(".cc-plan-goal textarea").fill(goal)
    editor.locator(".cc-client-words input").fill(words)
    # Leaving the goal box sends it for review; wait for the review, as a user sees it, before
    # clicking below it.
    expect(editor.locator(".cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", str(len(goal.strip())), timeout=15_000)
    editor.locator(".cc-add-step").click()
    row = editor.locator(".cc-step").first
    row.locator(".cc-step-text input").fill(step)
    row.locator(".cc-step-due input").fill(due)
    row.locator(".cc-step-resource select").select_option(label=resource)
    editor.locator(".cc-plan-goal textarea").press("Tab")


def test_trainee_builds_a_two_goal_plan_and_exports_it(page, open_notebook, artifacts):
    """Two goals with steps pass the checks; the exported PDF carries them; page 1 as PNG."""
    from playwright.sync_api import expect
    import pypdfium2

    open_notebook(page, "04-action-plan", wait_for=".cc-plan-goal textarea")
    fill_goal(page, 0, "Daily living and housing", "Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with "
              "support from his sister Denise.", "I want my own place, even just a room",
              "Call the Harrow Housing Hub", SOON, "Harrow Housing Hub")
    page.locator(".cc-add-goal").click()
    fill_goal(page, 1, "Vocational and educational", "By the end of his eighth week home, Marcus will send his portfolio to 4 "
              "sign shops, using his lettering skills.", "I want to get paid for art",
              "Photograph 10 pieces", LATER, "Harrow Sign & Mural Works")
    page.locator(".cc-decline input").check()
    checks = page.locator(".cc-plan-checks .cc-fb")
    expect(checks).to_have_attribute("data-ready", "true", timeout=15_000)
    page.screenshot(path=artifacts / "plan-builder.png", full_page=False)

    page.locator(".cc-export-pdf").click()
    link = page.locator(".cc-download-link")
    expect(link).to_be_visible(timeout=30_000)
    href = link.get_attribute("href")
    assert href.startswith("data:application/pdf;base64,")
    pdf = artifacts / "plan-export.pdf"
    pdf.write_bytes(base64.b64decode(href.split(",", 1)[1]))
    document = pypdfium2.PdfDocument(str(pdf))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "I want my own place" in text and "Harrow Housing Hub" in text
    assert "Photograph 10 pieces" in text
    document[0].render(scale=1.5).to_pil().save(artifacts / "plan-pdf-page1.png")
    assert (artifacts / "plan-pdf-page1.png").stat().st_size > 10_000


def test_caseworker_saves_a_real_client_plan_and_finds_it_after_reload(page, voila_url, artifacts):
    """The workspace saves only on Save, and the saved plan is listed again after a reload."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    url = f"{voila_url}voila/render/05-workspace.ipynb?trainee={owner}"
    page.goto(url)
    page.wait_for_selector(".cc-ws-name input", timeout=90_000)
    page.locator(".cc-ws-name input").fill("Dana Price")
    page.locator(".cc-ws-own-goals textarea").fill("I want my own place")
    page.locator(".cc-ws-start").click()
    page.wait_for_selector(".cc-plan-goal textarea", timeout=30_000)
    expect(page.locator(".cc-ws-saved select option")).to_have_count(0)
    goal = page.locator(".cc-plan-goal textarea")
    goal.fill("Within 30 days, Dana will apply to 3 apartments.")
    goal.press("Tab")  # the goal box sends its text when it loses focus, as a user's click does
    expect(page.locator(".cc-goal-editor .cc-feedback .cc-fb")).to_have_attribute(
        "data-review-len", "48", timeout=15_000)
    save = page.locator(".cc-ws-save").bounding_box()
    assert save["y"] + save["height"] <= 800, "the Save bar should stay at the window's foot"
    page.screenshot(path=artifacts / "workspace-save-bar.png")
    page.locator(".cc-ws-save").click()
    message = page.locator(".cc-ws-message")
    expect(message).not_to_contain_text("Working on this computer only", timeout=15_000)
    expect(message).to_contain_text("Saved (Dana Price)")
    page.reload()
    page.wait_for_selector(".cc-ws-name input", timeout=90_000)
    expect(page.locator(".cc-ws-saved select option")).to_have_count(1)
    expect(page.locator(".cc-ws-saved select option").first).to_contain_text("Dana Price")
