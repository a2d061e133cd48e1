"""The SMART(S) module in a real Voila, driven in headless Chromium as a trainee would use it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MODULE = "01-smart-goals"
INPUT = ".cc-goal-input textarea"
DEFICIT = "Offender will avoid drinking and stay away from negative peers."
GOOD = ("Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support from "
        "his sister Denise.")


def typed(page, text: str) -> None:
    """Type into the first goal box like a person, then wait for the review of the whole text."""
    box = page.locator(INPUT).first
    box.fill("")
    box.type(text, delay=5)
    page.wait_for_selector(f'.cc-feedback [data-review-len="{len(text)}"]', timeout=15_000)


def criterion(page, name: str):
    return page.locator(f'.cc-coach >> nth=0 >> [data-criterion="{name}"]').first


def test_trainee_rewrites_a_referral_goal_and_sees_feedback_as_they_type(page, open_notebook,
                                                                         artifacts):
    """Deficit words are marked in the trainee's own text; a good rewrite meets every criterion."""
    from playwright.sync_api import expect

    open_notebook(page, MODULE, wait_for=INPUT)
    expect(page.locator(".cc-referral").first).to_contain_text("Parolee must find suitable housing")
    expect(page.locator(".cc-client").first).to_contain_text("Sister Denise")

    typed(page, DEFICIT)
    feedback = page.locator(".cc-feedback").first
    expect(feedback.locator('mark[data-kind="stigmatizing_label"]')).to_have_text("Offender")
    expect(feedback.locator('mark[data-kind="negative_framing"]').first).to_have_text("avoid")
    expect(criterion(page, "positive_framing")).to_have_attribute("data-met", "false")
    expect(feedback).to_contain_text("Next step")
    page.screenshot(path=artifacts / "goal-coach-deficit.png", full_page=False)

    typed(page, GOOD)
    for name in ("specific", "measurable", "time_bound", "positive_framing",
                 "builds_on_strength", "strengths_based"):
        expect(criterion(page, name)).to_have_attribute("data-met", "true")
    expect(feedback.locator("mark")).to_have_count(0)

    models = page.locator(".cc-models-box").first
    expect(models).to_be_hidden()
    page.locator(".cc-check").first.click()
    expect(models).to_be_visible()
    expect(page.locator(".cc-attempts").first).to_have_text("1 attempt")
    feedback.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "goal-coach-met.png", full_page=True)


def test_trainee_markup_is_shown_as_text(page, open_notebook):
    """HTML typed into the goal box is displayed as text, not run."""
    from playwright.sync_api import expect

    open_notebook(page, MODULE, wait_for=INPUT)
    typed(page, "<b>Get a job</b> <img src=x onerror=\"document.title='owned'\">")
    expect(page.locator(".cc-feedback b", has_text="Get a job")).to_have_count(0)
    assert page.title() != "owned"


def test_module_still_works_at_768_wide(browser, voila_url, open_notebook, artifacts):
    """At 768 px the client card moves below the coach and the checklist stays readable."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    try:
        open_notebook(page, MODULE, wait_for=INPUT)
        typed(page, GOOD)
        box = page.locator(INPUT).first.bounding_box()
        card = page.locator(".cc-side").first.bounding_box()
        assert card["y"] > box["y"], "the client card should stack below the goal box"
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        expect(criterion(page, "specific")).to_be_visible()
        page.screenshot(path=artifacts / "goal-coach-768.png", full_page=False)
    finally:
        context.close()


def test_start_page_links_to_the_module(page, open_notebook):
    """The start page lists the modules and its link opens the SMART(S) module."""
    from playwright.sync_api import expect

    open_notebook(page, "00-start-here", wait_for=".cc-modules")
    page.get_by_role("link", name="Writing SMART(S) goals", exact=True).click()
    page.wait_for_selector(INPUT, state="visible", timeout=60_000)
    expect(page.locator(".cc-referral").first).to_be_visible()


ATTEMPT = ("Within 4 weeks Marcus will put his name on 3 fair-chance housing waitlists, with his "
           "sister Denise helping him with the forms.")


@pytest.mark.parametrize("width", [1280, 768])
def test_a_trainees_own_attempt_in_the_case_gets_feedback_that_names_the_cases_facts(
        browser, open_notebook, artifacts, width):
    """A support named plainly ('his sister Denise helping') is the case's strength, and the why
    quotes the trainee's words and the recorded fact; the waitlists count as measurable by their
    count; the checklist leads with what is met, at 1280 and 768 px."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_notebook(page, MODULE, wait_for=INPUT)
        typed(page, ATTEMPT)
        strength = criterion(page, "builds_on_strength")
        expect(strength).to_have_attribute("data-met", "true")
        expect(strength).to_contain_text("his sister Denise helping")
        expect(strength).to_contain_text("Sister Denise receives his mail")
        measurable = criterion(page, "measurable")
        expect(measurable).to_have_attribute("data-met", "true")
        expect(measurable).to_contain_text("3 fair-chance housing waitlists")
        page.locator(".cc-feedback").first.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"goal-coach-attempt-{width}.png", full_page=False)
    finally:
        context.close()


APPROVAL = ("Within 3 weeks Marcus will apply to 3 landlords in the fair-chance landlord network who "
            "do not run background checks, and get his parole officer to approve the address "
            "before he moves.")


def test_a_barrier_lifted_in_the_trainees_own_words_is_seen_as_lifted(page, open_notebook,
                                                                      artifacts):
    """Getting the officer's approval, in the trainee's words, deals with Marcus's address
    barrier: the page says achievable. Renting a room without those words names the barrier
    (applying alone is a step before it, which the barrier does not stand in the way of)."""
    from playwright.sync_api import expect

    open_notebook(page, MODULE, wait_for=INPUT)
    typed(page, APPROVAL)
    achievable = criterion(page, "achievable")
    expect(achievable).to_have_attribute("data-met", "true")
    expect(achievable).to_contain_text("deals with a barrier of the case")
    page.locator(".cc-feedback").first.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "goal-coach-approval.png", full_page=False)
    standing = ("Within 3 weeks Marcus will rent a room from a landlord in the fair-chance "
                "landlord network who does not run background checks.")
    typed(page, standing)
    expect(achievable).to_have_attribute("data-met", "false")
    expect(achievable).to_contain_text("parole approval")


def test_a_symptom_goal_is_named_as_one_in_the_page(page, open_notebook, artifacts):
    """A symptom made smaller gets the page's own teaching: the words marked, the reason given
    as a symptom at the centre (not a thing to stop), and a next step."""
    from playwright.sync_api import expect

    open_notebook(page, MODULE, wait_for=INPUT)
    text = "Marcus will score 10 points lower on the anxiety scale by March 2027."
    typed(page, text)
    feedback = page.locator(".cc-feedback").first
    expect(criterion(page, "positive_framing")).to_have_attribute("data-met", "false")
    expect(criterion(page, "positive_framing")).to_contain_text("symptom made smaller or gone")
    expect(feedback.locator('mark[data-kind="negative_framing"]').first).to_have_text(
        "score 10 points lower")
    expect(feedback).to_contain_text("Next step")
    feedback.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "goal-coach-symptom.png", full_page=False)
