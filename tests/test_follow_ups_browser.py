"""The follow-up module in a real Voila and Chromium: a setback, back to the chart, a revised goal, a success."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NEW_BARRIER = "His last bus home leaves at 9:15, before open studio ends"


def say(page, text: str) -> None:
    page.locator(".cc-fu-say textarea").fill(text)
    page.locator(".cc-fu-check").click()


def choose(page, label: str) -> None:
    page.locator(".cc-fu-ladder label", has_text=label).click()
    page.locator(".cc-fu-choose").click()


def test_follow_ups_through_a_setback_back_to_the_chart_a_revised_goal_and_a_success(
        page, open_notebook, artifacts):
    """Marcus's three events: findings on what is said, ladder feedback, both ways of going
    back with before and after side by side, and the timeline showing the steps back."""
    from playwright.sync_api import expect

    open_notebook(page, "09-follow-ups", wait_for=".cc-fu-say textarea")
    event = page.locator(".cc-fu-event")
    expect(event).to_have_attribute("data-event", "fu-curfew")
    expect(event).to_contain_text("Phone call")
    said = page.locator(".cc-fu-said")

    # The setback: a threat first fails, listening first passes.
    say(page, "This is a curfew violation, Marcus. Did you miss the bus?")
    expect(said.locator('[data-criterion="no_threat_first"]')).to_have_attribute(
        "data-met", "false")
    expect(said.locator('[data-criterion="open_question"]')).to_have_attribute("data-met", "false")
    say(page, "Thank you for calling me first, Marcus. That sounds like a rough night. "
              "What happened on the way home?")
    for criterion in ("acknowledge_first", "open_question", "no_threat_first", "no_labels"):
        expect(said.locator(f'[data-criterion="{criterion}"]')).to_have_attribute(
            "data-met", "true")
    expect(said.locator(".cc-fu-judge")).to_have_attribute("data-behaviour", "question")

    picked = page.locator(".cc-fu-pick")
    choose(page, "A formal sanction")
    expect(picked).to_have_attribute("data-verdict", "too_high")
    expect(picked).to_contain_text("refuse a service without losing the others")
    choose(page, "Problem-solve together")
    expect(picked).to_have_attribute("data-verdict", "fits_lowest")
    next_week = page.locator(".cc-fu-next")
    expect(next_week).to_be_disabled()

    # Linking and advocacy: a note to the parole officer, checked, then the model shown.
    note = page.locator(".cc-fu-advocacy")
    expect(note).to_contain_text("a note to Officer Grant")
    note.locator("textarea").fill("Marcus has agreed that I write to you. He has helped run an "
                                  "art program for three years. Could you approve a 10 p.m. "
                                  "return on Thursdays for the next 8 weeks?")
    note.locator(".cc-fu-note-check").click()
    for criterion in ("person_first", "consent", "names_strength", "one_specific_ask"):
        expect(note.locator(f'[data-criterion="{criterion}"]')).to_have_attribute(
            "data-met", "true")
    expect(note).to_contain_text("A model note")

    # Back to assessment: the legal row as it stood beside the same row to revise.
    page.locator(".cc-fu-go-back").click()
    pair = page.locator(".cc-fu-side-by-side")
    expect(pair.locator(".cc-fu-before")).to_contain_text("10 p.m. parole curfew")
    barriers = pair.locator(".cc-fu-after .cc-cell-barriers textarea")
    expect(barriers).to_have_value(
        "A 10 p.m. parole curfew overlaps with the guild's Thursday evenings and some late shifts")
    barriers.fill(barriers.input_value() + "\n" + NEW_BARRIER)
    revision = page.locator(".cc-fu-revision")
    expect(revision.locator('[data-criterion="records_added"]')).to_have_attribute(
        "data-met", "true", timeout=15_000)
    # The row's own live check, with the case as the event left it, finds the new barrier too.
    expect(pair.locator(".cc-fu-after .cc-row-feedback")).to_contain_text(
        "You found 2 facts", timeout=15_000)
    expect(pair.locator(".cc-fu-before")).to_contain_text("You found 1 fact")
    page.locator(".cc-fu-done").click()
    expect(revision).to_contain_text("Revised")
    timeline = page.locator(".cc-fu-timeline-text")
    expect(timeline).to_contain_text("Week 5: Assessment")
    expect(next_week).to_be_enabled()
    next_week.click()

    # A success that changes the plan: praise the step, reinforce, revise the guild goal.
    expect(event).to_have_attribute("data-event", "fu-ride")
    say(page, "Great work asking the coordinator for a ride, Marcus! How did it feel to ask?")
    expect(said.locator('[data-criterion="praise_specific"]')).to_have_attribute(
        "data-met", "true")
    choose(page, "Reinforce: praise the step, encourage")
    expect(picked).to_have_attribute("data-verdict", "fits_lowest")
    page.locator(".cc-fu-go-back").click()
    goal = page.locator(".cc-fu-side-by-side .cc-fu-after .cc-goal-input textarea")
    before = goal.input_value()
    assert before.startswith("Over the next 2 months, Marcus will attend")
    goal.fill(before.replace("leaving in time", "getting a ride home with Teresa in time"))
    expect(revision.locator('[data-criterion="goal_uses_added"]')).to_have_attribute(
        "data-met", "true", timeout=15_000)
    expect(page.locator(".cc-fu-side-by-side .cc-fu-before")).to_contain_text(before[:40])
    page.locator(".cc-fu-done").click()
    expect(revision).to_contain_text("Revised")
    next_week.click()

    # The mural: praise first, by name, then finish.
    expect(event).to_have_attribute("data-event", "fu-mural")
    say(page, "Congratulations on the mural, Marcus, and on the room! What did you do to make "
              "it happen?")
    expect(said.locator('[data-criterion="praise_first"]')).to_have_attribute("data-met", "true")
    choose(page, "Reinforce: praise the step, encourage")
    expect(next_week).to_have_text("Finish the follow-ups")
    next_week.click()
    expect(page.locator(".cc-fu-status")).to_contain_text("Every follow-up of Marcus's case")
    for line in ("Week 7: Plan", "Week 10: Success", "revised (✎), week 7", "Next check-in"):
        expect(timeline).to_contain_text(line)
    picture = page.locator(".cc-fu-timeline-img")
    picture.scroll_into_view_if_needed()
    picture.screenshot(path=artifacts / "follow-ups-timeline.png")
