"""The workspace in a real Voila, in headless Chromium: nothing a caseworker saved is destroyed."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.browser

GOAL = "Within 30 days, Dana will apply to 3 apartments with her sister Keisha."


@pytest.fixture
def context(browser):
    """A browser context (one window, tabs share it) with a 1280x800 viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def open_workspace(page, voila_url: str, owner: str):
    """Open the workspace as this caseworker and wait for its profile form."""
    page.goto(f"{voila_url}voila/render/05-workspace.ipynb?trainee={owner}",
              wait_until="commit", timeout=90_000)
    page.wait_for_selector(".cc-ws-name input", timeout=90_000)
    return page


def message(page):
    return page.locator(".cc-ws-message")


def set_goal(page, text: str) -> None:
    """Type the first goal and leave the box, as a user does, and wait for its review."""
    from playwright.sync_api import expect

    goal = page.locator(".cc-plan-goal textarea").first
    goal.fill(text)
    goal.press("Tab")
    expect(page.locator(".cc-goal-editor .cc-feedback .cc-fb").first).to_have_attribute(
        "data-review-len", str(len(text.strip())), timeout=15_000)


def start_plan(page, name: str = "Dana Price") -> None:
    """Fill in a profile and press Use this profile."""
    page.locator(".cc-ws-name input").fill(name)
    page.locator(".cc-ws-own-goals textarea").fill("I want my own place")
    page.locator(".cc-ws-strengths textarea").fill("Forklift licence\nSister Keisha")
    page.locator(".cc-ws-start").click()
    page.wait_for_selector(".cc-plan-goal textarea", timeout=30_000)


def save(page, expected: str) -> None:
    from playwright.sync_api import expect

    page.locator(".cc-ws-save").click()
    expect(message(page)).to_contain_text(expected, timeout=15_000)


def open_saved(page, label: str) -> None:
    """Pick the saved plan whose label starts with `label` and press Open."""
    from playwright.sync_api import expect

    options = page.locator(".cc-ws-saved select option")
    expect(options.first).to_be_attached(timeout=15_000)
    # The Select widget writes its labels with no-break spaces.
    full = next(text for text in (o.text_content() for o in options.all())
                if text.replace("\xa0", " ").startswith(label))
    page.locator(".cc-ws-saved select").select_option(label=full)
    page.locator(".cc-ws-open").click()
    expect(message(page)).to_contain_text("Opened", timeout=15_000)


def test_two_tabs_a_stale_save_is_refused_with_reload_and_save_as_copy(context, voila_url,
                                                                       artifacts):
    """Two tabs open version 1; the second to save is told the plan changed and can reload the
    other tab's version, or save its own as a copy; neither tab's work is lost."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    tab_a = open_workspace(context.new_page(), voila_url, owner)
    start_plan(tab_a)
    set_goal(tab_a, GOAL)
    save(tab_a, "Saved (Dana Price), version 1")
    tab_b = open_workspace(context.new_page(), voila_url, owner)
    open_saved(tab_b, "Dana Price")

    set_goal(tab_a, "Within 45 days, Dana will apply to 4 apartments with her sister Keisha.")
    save(tab_a, "version 2")
    set_goal(tab_b, "Within 60 days, Dana will apply to 5 apartments with her sister Keisha.")
    tab_b.locator(".cc-ws-save").click()
    expect(message(tab_b)).to_contain_text("changed in another tab or window", timeout=15_000)
    expect(message(tab_b)).to_contain_text("it is now version 2")
    expect(tab_b.locator(".cc-ws-reload")).to_be_visible()
    expect(tab_b.locator(".cc-ws-save-copy")).to_be_visible()
    tab_b.bring_to_front()
    tab_b.screenshot(path=artifacts / "workspace-conflict.png")

    tab_b.locator(".cc-ws-reload").click()
    expect(message(tab_b)).to_contain_text("(version 2)", timeout=15_000)
    expect(tab_b.locator(".cc-plan-goal textarea")).to_have_value(
        "Within 45 days, Dana will apply to 4 apartments with her sister Keisha.")
    set_goal(tab_b, "Within 50 days, Dana will apply to 4 apartments with her sister Keisha.")
    save(tab_b, "version 3")

    tab_a.locator(".cc-ws-save").click()   # tab A is now the one behind
    expect(message(tab_a)).to_contain_text("it is now version 3", timeout=15_000)
    tab_a.locator(".cc-ws-save-copy").click()
    expect(message(tab_a)).to_contain_text("Saved (Dana Price (copy)), version 1",
                                           timeout=15_000)
    tab_b.reload(wait_until="commit", timeout=90_000)
    tab_b.wait_for_selector(".cc-ws-name input", timeout=90_000)
    expect(tab_b.locator(".cc-ws-saved select option")).to_have_count(2, timeout=15_000)
    labels = [o.text_content().replace("\xa0", " ")
              for o in tab_b.locator(".cc-ws-saved select option").all()]
    assert sorted(label.split(" · ")[0] for label in labels) == ["Dana Price",
                                                                  "Dana Price (copy)"]


def test_leaving_with_unsaved_work_asks_first_and_staying_keeps_the_page_working(
        context, voila_url):
    """With unsaved work the browser asks before the page goes; staying keeps the page (and its
    kernel) working, and once saved the page closes without asking."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    page = open_workspace(context.new_page(), voila_url, owner)
    dialogs: list[str] = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    start_plan(page)
    set_goal(page, GOAL)
    expect(page.locator(".cc-workspace.cc-unsaved")).to_have_count(1, timeout=15_000)
    page.close(run_before_unload=True)
    page.wait_for_timeout(1000)
    assert dialogs == ["beforeunload"] and not page.is_closed()
    save(page, "Saved (Dana Price), version 1")   # the kernel is still there
    expect(page.locator(".cc-workspace.cc-unsaved")).to_have_count(0, timeout=15_000)
    page.close(run_before_unload=True)
    page.wait_for_event("close", timeout=10_000) if not page.is_closed() else None
    assert dialogs == ["beforeunload"] and page.is_closed()


def test_use_this_profile_on_an_opened_plan_keeps_its_chart_goals_and_steps(context, voila_url):
    """Opening a saved plan, changing the profile and pressing Use this profile keeps the
    chart cell, the goal and its step, and the new name is what gets saved."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    page = open_workspace(context.new_page(), voila_url, owner)
    start_plan(page)
    page.locator(".cc-cell-now textarea").first.fill("Sleeping on a friend's couch")
    set_goal(page, GOAL)
    page.locator(".cc-add-step").first.click()
    page.locator(".cc-step-text input").first.fill("Call the Housing Hub")
    page.locator(".cc-step-text input").first.press("Tab")
    expect(page.locator(".cc-picturebox")).to_have_attribute("data-total", "0")
    save(page, "Saved (Dana Price), version 1")

    page.reload(wait_until="commit", timeout=90_000)
    page.wait_for_selector(".cc-ws-name input", timeout=90_000)
    open_saved(page, "Dana Price")
    page.locator(".cc-ws-name input").fill("Dana Okafor")
    page.locator(".cc-ws-start").click()
    expect(message(page)).to_contain_text("the chart, goals and steps are kept", timeout=15_000)
    expect(page.locator(".cc-plan-goal textarea")).to_have_value(GOAL)
    expect(page.locator(".cc-step-text input")).to_have_value("Call the Housing Hub")
    expect(page.locator(".cc-cell-now textarea").first).to_have_value(
        "Sleeping on a friend's couch")
    save(page, "Saved (Dana Okafor), version 2")
    expect(page.locator(".cc-ws-saved select option")).to_have_count(1)
    expect(page.locator(".cc-ws-saved select option").first).to_contain_text("Dana Okafor")


def test_delete_asks_to_confirm_and_undo_brings_the_plan_back(context, voila_url, artifacts):
    """Delete asks first; confirmed, the plan leaves the list, and Undo puts it back."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    page = open_workspace(context.new_page(), voila_url, owner)
    start_plan(page)
    set_goal(page, GOAL)
    save(page, "Saved (Dana Price), version 1")
    options = page.locator(".cc-ws-saved select option")
    expect(options).to_have_count(1, timeout=15_000)
    page.locator(".cc-ws-saved select").select_option(index=0)
    page.locator(".cc-ws-delete").click()
    expect(message(page)).to_contain_text("Delete Dana Price's saved plan?", timeout=15_000)
    page.locator(".cc-ws-confirm-delete").click()
    expect(message(page)).to_contain_text("Deleted Dana Price's plan", timeout=15_000)
    expect(options).to_have_count(0)
    page.screenshot(path=artifacts / "workspace-undo.png")
    page.locator(".cc-ws-undo").click()
    expect(message(page)).to_contain_text("Dana Price's plan is back", timeout=15_000)
    expect(options).to_have_count(1)
    expect(page.locator(".cc-ws-undo")).to_have_count(0)


def test_a_follow_up_added_and_saved_is_listed_after_a_reload(context, voila_url, artifacts):
    """A follow-up recorded on a saved plan marks the page unsaved; after Save and a reload the
    opened plan lists it, its text shown as typed (escaped), its date first."""
    from playwright.sync_api import expect

    owner = f"cw-{uuid.uuid4().hex[:8]}"
    page = open_workspace(context.new_page(), voila_url, owner)
    start_plan(page)
    set_goal(page, GOAL)
    save(page, "Saved (Dana Price), version 1")
    expect(page.locator(".cc-fu-list")).to_contain_text("No follow-ups recorded yet.")
    page.locator(".cc-fu-add").click()   # nothing typed: refused, saying what is missing
    expect(page.locator(".cc-fu-error")).to_contain_text("needs the date it happened",
                                                         timeout=15_000)
    page.locator(".cc-fu-when input").fill("2026-03-22")
    page.locator(".cc-fu-happened textarea").fill("Lost her ride to the <b>Hub</b>")
    page.locator(".cc-fu-response textarea").fill("Problem-solved together: a bus pass")
    page.locator(".cc-fu-plan-change input").fill("Step 1 by bus, not with Keisha")
    page.locator(".cc-fu-plan-change input").press("Tab")
    page.locator(".cc-fu-add").click()
    item = page.locator(".cc-fu-item")
    expect(item).to_have_count(1, timeout=15_000)
    expect(page.locator(".cc-fu-error")).to_have_text("")
    expect(page.locator(".cc-workspace.cc-unsaved")).to_have_count(1, timeout=15_000)
    save(page, "Saved (Dana Price), version 2")
    expect(page.locator(".cc-workspace.cc-unsaved")).to_have_count(0, timeout=15_000)

    page.reload(wait_until="commit", timeout=90_000)
    page.wait_for_selector(".cc-ws-name input", timeout=90_000)
    open_saved(page, "Dana Price")
    expect(item).to_have_count(1, timeout=15_000)
    expect(item).to_contain_text("2026-03-22 Lost her ride to the <b>Hub</b>")
    expect(item).to_contain_text("Response: Problem-solved together: a bus pass")
    expect(item).to_contain_text("Plan change: Step 1 by bus, not with Keisha")
    assert page.locator(".cc-fu-item b", has_text="Hub").count() == 0
    log = page.locator(".cc-follow-ups")
    log.scroll_into_view_if_needed()
    log.screenshot(path=artifacts / "workspace-follow-ups.png")
