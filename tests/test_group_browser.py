"""A live group exercise in a real Voila: one supervisor page, three trainee pages, one wall."""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.browser

REWRITES = [
    "Within 4 weeks, Marcus will apply to 3 fair-chance, parole-approved housing programs with support from his "
    "sister Denise.",
    "Marcus will avoid the shelter and find housing.",
    "<b>Bold</b> Marcus will call 2 landlords by Friday <img src=x onerror=\"document.title='x'\">",
]


def open_supervisor(context, voila_url: str, tag: str):
    """The supervisor's page in this browser context, ready to start an exercise."""
    page = context.new_page()
    page.goto(f"{voila_url}voila/render/06-group-exercise.ipynb?trainee=sup-{tag}")
    page.wait_for_selector(".cc-start-exercise", timeout=90_000)
    return page


def test_three_trainees_submit_and_the_wall_shows_them(browser, voila_url, artifacts):
    """Submissions appear on the wall by themselves, names hidden, markup shown as text."""
    from playwright.sync_api import expect

    tag = uuid.uuid4().hex[:6]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(4)]
    try:
        supervisor = open_supervisor(contexts[0], voila_url, tag)
        supervisor.locator(".cc-exercise-item select").select_option(
            label="Marcus: Parolee must find suitable housing.")
        supervisor.locator(".cc-start-exercise").click()
        code_box = supervisor.locator(".cc-code")
        expect(code_box).to_have_attribute("data-state", "open", timeout=15_000)
        expect(code_box).to_contain_text("Parolee must find suitable housing")
        code = code_box.get_attribute("data-code")

        trainees = []
        for index, context in enumerate(contexts[1:]):
            page = context.new_page()
            page.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee=t{index}-{tag}")
            page.wait_for_selector(".cc-join-input input", timeout=90_000)
            page.locator(".cc-join-input input").fill(code.lower())
            page.locator(".cc-join").click()
            page.wait_for_selector(".cc-goal-input textarea", timeout=30_000)
            trainees.append(page)
        for page, text in zip(trainees, REWRITES):
            page.locator(".cc-goal-input textarea").fill(text)
            page.locator(".cc-submit").click()
            expect(page.locator(".cc-exercise-message")).to_contain_text("Submitted")
        trainees[0].screenshot(path=artifacts / "group-trainee.png")

        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "3", timeout=10_000)
        expect(wall.locator(".cc-card b", has_text="Trainee 1")).to_have_count(1)
        expect(wall).not_to_contain_text(f"t0-{tag}")
        expect(wall.locator(".cc-card p b")).to_have_count(0)
        expect(wall).to_contain_text("<b>Bold</b>")
        assert supervisor.title() != "x"
        expect(supervisor.locator('.cc-bar-row[data-criterion="strengths_based"]')
               ).to_have_attribute("data-met", "1")

        trainees[1].locator(".cc-goal-input textarea").fill(
            "Within 3 weeks, Marcus will view 2 rooms with his sister Denise's help.")
        trainees[1].locator(".cc-submit").click()
        expect(wall.locator('.cc-card[data-revision="2"]')).to_have_count(1, timeout=10_000)

        supervisor.locator(".cc-show-names").click()
        expect(wall).to_contain_text(f"t0-{tag}", timeout=10_000)
        supervisor.locator(".cc-spotlight select").select_option(label=f"Spotlight: t1-{tag}")
        expect(wall.locator(".cc-card.cc-spot")).to_have_attribute("data-trainee", f"t1-{tag}")
        supervisor.screenshot(path=artifacts / "group-wall.png", full_page=False)

        supervisor.locator(".cc-close-exercise").click()
        expect(code_box).to_have_attribute("data-state", "closed", timeout=10_000)
        trainees[0].locator(".cc-submit").click()
        expect(trainees[0].locator(".cc-exercise-message")).to_contain_text("closed")
        supervisor.locator(".cc-export-csv").click()
        expect(supervisor.locator(".cc-download-link")).to_have_attribute(
            "download", f"exercise-{code}.csv")
    finally:
        for context in contexts:
            context.close()


def test_the_room_fills_in_one_chart_row_and_the_wall_shows_it(browser, voila_url, artifacts):
    """A chart-row exercise: the trainee reads the intake, fills the row with live feedback and
    submits; the wall shows the cells as text, what the row found, and the room's summary."""
    from playwright.sync_api import expect

    tag = uuid.uuid4().hex[:6]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(2)]
    try:
        supervisor = open_supervisor(contexts[0], voila_url, tag)
        supervisor.locator(".cc-exercise-kind button", has_text="Fill in one chart row").click()
        item = supervisor.locator(".cc-exercise-item select")
        expect(item.locator("option", has_text="Marcus: Daily living and housing")).to_have_count(1)
        item.select_option(label="Marcus: Daily living and housing")
        supervisor.locator(".cc-start-exercise").click()
        code_box = supervisor.locator(".cc-code")
        expect(code_box).to_have_attribute("data-kind", "chart_row", timeout=15_000)
        expect(code_box).to_contain_text("Marcus: the Daily living and housing row of the chart")
        code = code_box.get_attribute("data-code")

        trainee = contexts[1].new_page()
        trainee.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee=row-{tag}")
        trainee.wait_for_selector(".cc-join-input input", timeout=90_000)
        trainee.locator(".cc-join-input input").fill(code)
        trainee.locator(".cc-join").click()
        trainee.wait_for_selector(".cc-row-editor .cc-cell-now textarea", timeout=30_000)
        expect(trainee.locator(".cc-row-editor .cc-intake")).to_contain_text("Marcus")
        trainee.locator(".cc-cell-now textarea").fill(
            "Sleeps at the shelter, which has a 30-night limit; <i>addict</i> say the staff")
        trainee.locator(".cc-cell-wants textarea").fill("I want my own place, even just a room")
        trainee.locator(".cc-cell-barriers textarea").fill(
            "Landlords run background checks, so the record screens him out")
        feedback = trainee.locator(".cc-row-editor .cc-row-feedback .cc-rowfb")
        expect(feedback).to_have_attribute("data-labels", "1", timeout=15_000)
        trainee.screenshot(path=artifacts / "group-chart-row-trainee.png", full_page=False)
        trainee.locator(".cc-submit").click()
        expect(trainee.locator(".cc-exercise-message")).to_contain_text("Submitted")

        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "1", timeout=10_000)
        card = wall.locator(".cc-card .cc-row-answer")
        expect(card).to_contain_text("<i>addict</i> say the staff")
        expect(card.locator("mark.cc-flag-label")).to_have_text("addict")
        expect(card).to_have_attribute("data-found", "2")
        expect(supervisor.locator('.cc-bar-row[data-criterion="f-shelter"]')
               ).to_have_attribute("data-met", "1")
        expect(supervisor.locator('.cc-bar-row[data-criterion="no_labels"]')
               ).to_have_attribute("data-met", "0")
        supervisor.locator(".cc-room").scroll_into_view_if_needed()
        supervisor.screenshot(path=artifacts / "group-chart-row-wall.png")
    finally:
        for context in contexts:
            context.close()


def test_the_room_responds_to_a_clients_line_and_the_wall_counts_behaviours(browser, voila_url,
                                                                            artifacts):
    """A response exercise: the trainee reads the client's line, types a response with the
    judge's live feedback and submits; the wall shows it as text with its code, and the room's
    counts of behaviours."""
    from playwright.sync_api import expect

    tag = uuid.uuid4().hex[:6]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(2)]
    try:
        supervisor = open_supervisor(contexts[0], voila_url, tag)
        supervisor.locator(".cc-exercise-kind button", has_text="Respond to a client's line").click()
        item = supervisor.locator(".cc-exercise-item select")
        expect(item.locator("option", has_text="curfew's ten")).to_have_count(1)
        item.select_option(label="Marcus: “The guild meets Thursday nights. My curfew's ten. "
                                 "I'm not going to risk it.”")
        supervisor.locator(".cc-start-exercise").click()
        code_box = supervisor.locator(".cc-code")
        expect(code_box).to_have_attribute("data-kind", "response", timeout=15_000)
        code = code_box.get_attribute("data-code")

        trainee = contexts[1].new_page()
        trainee.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee=resp-{tag}")
        trainee.wait_for_selector(".cc-join-input input", timeout=90_000)
        trainee.locator(".cc-join-input input").fill(code)
        trainee.locator(".cc-join").click()
        box = trainee.locator(".cc-response-input textarea")
        box.wait_for(timeout=30_000)
        expect(trainee.locator(".cc-response-coach")).to_contain_text("curfew")
        box.fill("Keeping your curfew matters to you, and you still want to be among <b>artists</b>.")
        expect(trainee.locator(".cc-judged")).to_have_attribute("data-behaviour", "reflection",
                                                               timeout=15_000)
        trainee.screenshot(path=artifacts / "group-response-trainee.png", full_page=False)
        trainee.locator(".cc-submit").click()
        expect(trainee.locator(".cc-exercise-message")).to_contain_text("Submitted")

        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "1", timeout=10_000)
        expect(wall).to_contain_text("<b>artists</b>")
        expect(supervisor.locator('.cc-bar-row[data-criterion="complex_reflection"]')
               ).to_have_attribute("data-met", "1")
        supervisor.locator(".cc-room").scroll_into_view_if_needed()
        supervisor.screenshot(path=artifacts / "group-response-wall.png")
    finally:
        for context in contexts:
            context.close()


def test_the_room_answers_a_follow_up_event_and_the_wall_shows_the_spread(browser, voila_url,
                                                                          artifacts):
    """A follow-up exercise: two trainees read the event, write what they would say (judged
    live with the follow-up findings) and pick different ladder steps; the wall shows each pick
    and the words as text, and the summary counts each step, saying which fit."""
    from playwright.sync_api import expect

    tag = uuid.uuid4().hex[:6]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(3)]
    try:
        supervisor = open_supervisor(contexts[0], voila_url, tag)
        supervisor.locator(".cc-exercise-kind button", has_text="Answer a follow-up event").click()
        item = supervisor.locator(".cc-exercise-item select")
        option = item.locator("option", has_text="Marcus: week 5, setback")
        expect(option).to_have_count(1)
        item.select_option(value=option.get_attribute("value"))
        supervisor.locator(".cc-start-exercise").click()
        code_box = supervisor.locator(".cc-code")
        expect(code_box).to_have_attribute("data-kind", "follow_up", timeout=15_000)
        code = code_box.get_attribute("data-code")

        answers = [("Thank you for calling me first. What happened on the way home?",
                    "Problem-solve together"),
                   ("You broke curfew, so you will be <b>breached</b>.", "A formal sanction")]
        for n, (said, step) in enumerate(answers, start=1):
            trainee = contexts[n].new_page()
            trainee.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee=fu{n}-{tag}")
            trainee.wait_for_selector(".cc-join-input input", timeout=90_000)
            trainee.locator(".cc-join-input input").fill(code)
            trainee.locator(".cc-join").click()
            box = trainee.locator(".cc-fu-say textarea")
            box.wait_for(timeout=30_000)
            expect(trainee.locator(".cc-fu-answer .cc-fu-event")).to_contain_text("10:40 p.m.")
            box.fill(said)
            expect(trainee.locator('.cc-fu-said [data-criterion="open_question"]')
                   ).to_have_attribute("data-met", "true" if n == 1 else "false",
                                       timeout=15_000)
            trainee.locator(".cc-fu-ladder label", has_text=step).click()
            trainee.locator(".cc-submit").click()
            expect(trainee.locator(".cc-exercise-message")).to_contain_text("Submitted")
            expect(trainee.locator(".cc-fu-picked .cc-fu-pick")).to_have_attribute(
                "data-fits", "true" if n == 1 else "false")
            if n == 1:
                trainee.screenshot(path=artifacts / "group-follow-up-trainee.png",
                                   full_page=True)

        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "2", timeout=10_000)
        expect(wall).to_contain_text("<b>breached</b>")
        expect(wall.locator('.cc-fu-step[data-step="formal_sanction"]')).to_have_attribute(
            "data-fits", "false")
        for step, met, fits in (("problem_solve", "1", "true"), ("formal_sanction", "1", "false"),
                                ("reinforce", "0", "false")):
            bar = supervisor.locator(f'.cc-bar-row[data-criterion="{step}"]')
            expect(bar).to_have_attribute("data-met", met)
            expect(bar).to_have_attribute("data-fits", fits)
        expect(supervisor.locator('.cc-bar-row[data-criterion="said_ok"]')
               ).to_have_attribute("data-met", "1")
        supervisor.locator(".cc-room").scroll_into_view_if_needed()
        supervisor.screenshot(path=artifacts / "group-follow-up-wall.png", full_page=True)
    finally:
        for context in contexts:
            context.close()


def test_a_voila_restart_mid_exercise_loses_nothing(browser, artifacts):
    """Stop Voila during an exercise, start it again: the submission is there, the wall resumes."""
    from playwright.sync_api import expect

    from harness import VoilaServer

    tag = uuid.uuid4().hex[:6]
    no_pool = ("--VoilaConfiguration.preheat_kernel=False",)
    first = VoilaServer(root="notebooks/", extra_args=no_pool, log_name="voila-restart-1")
    first.start()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        supervisor, trainee = context.new_page(), context.new_page()
        supervisor.goto(f"{first.url}voila/render/06-group-exercise.ipynb?trainee=sup-{tag}")
        supervisor.wait_for_selector(".cc-start-exercise", timeout=90_000)
        supervisor.locator(".cc-start-exercise").click()
        code = supervisor.locator(".cc-code").get_attribute("data-code", timeout=15_000)
        trainee.goto(f"{first.url}voila/render/07-join-exercise.ipynb?trainee=ana-{tag}")
        trainee.wait_for_selector(".cc-join-input input", timeout=90_000)
        trainee.locator(".cc-join-input input").fill(code)
        trainee.locator(".cc-join").click()
        trainee.locator(".cc-goal-input textarea").fill("Within 2 weeks, Marcus will call 3 "
                                                        "landlords with his sister's help.")
        trainee.locator(".cc-submit").click()
        expect(trainee.locator(".cc-exercise-message")).to_contain_text("Submitted")
    finally:
        first.stop()

    second = VoilaServer(root="notebooks/", extra_args=no_pool, log_name="voila-restart-2")
    second.start()
    try:
        supervisor.goto(f"{second.url}voila/render/06-group-exercise.ipynb?trainee=sup-{tag}")
        supervisor.wait_for_selector(".cc-start-exercise", timeout=90_000)
        supervisor.locator(".cc-supervisor input[placeholder='Code of a running exercise']").fill(code)
        supervisor.get_by_role("button", name="Resume").click()
        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "1", timeout=15_000)
        expect(wall).to_contain_text("call 3 landlords")
        supervisor.screenshot(path=artifacts / "group-wall-after-restart.png")
    finally:
        context.close()
        second.stop()


def test_two_browsers_both_named_ana_are_two_entries_and_a_reload_stays_the_same(browser,
                                                                               voila_url):
    """Outside the Hub two browsers whose users both type the same name are two people (each
    browser's id, kept by visit.js, goes with the address); a reload or a second tab of the first
    browser revises its own answer; with names shown the wall tells them apart."""
    from playwright.sync_api import expect

    tag = uuid.uuid4().hex[:6]
    name = f"Ana-{tag}"
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(3)]
    try:
        supervisor = open_supervisor(contexts[0], voila_url, tag)
        supervisor.locator(".cc-start-exercise").click()
        code_box = supervisor.locator(".cc-code")
        expect(code_box).to_have_attribute("data-state", "open", timeout=15_000)
        code = code_box.get_attribute("data-code")

        def join(page, text: str, go: bool = True) -> None:
            if go:  # as typed: visit.js adds this browser's id to the address
                page.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee={name}",
                          wait_until="commit", timeout=90_000)
            page.wait_for_selector(".cc-join-input input", timeout=90_000)
            page.locator(".cc-join-input input").fill(code)
            page.locator(".cc-join").click()
            page.wait_for_selector(".cc-goal-input textarea", timeout=30_000)
            page.locator(".cc-goal-input textarea").fill(text)
            page.locator(".cc-submit").click()

        first, second = contexts[1].new_page(), contexts[2].new_page()
        join(first, "Marcus will find housing.")
        expect(first.locator(".cc-exercise-message")).to_have_text("Submitted.")
        join(second, REWRITES[0])
        expect(second.locator(".cc-exercise-message")).to_have_text("Submitted.")
        ids = [p.evaluate("() => localStorage.getItem('casecoach.browser')") for p in (first, second)]
        assert all(ids) and ids[0] != ids[1]
        assert f"browser={ids[0]}" in first.url and f"browser={ids[1]}" in second.url

        wall = supervisor.locator(".cc-wallgrid")
        expect(wall).to_have_attribute("data-count", "2", timeout=10_000)

        first.reload()  # the same browser, the same person: a revision of its own answer
        join(first, "Within 2 weeks, Marcus will call 2 landlords with Denise.", go=False)
        expect(first.locator(".cc-exercise-message")).to_have_text("Revision 2 submitted.")
        tab = contexts[1].new_page()  # a second tab of the first browser: still that person
        join(tab, "Within 3 weeks, Marcus will call 2 landlords with Denise.")
        expect(tab.locator(".cc-exercise-message")).to_have_text("Revision 3 submitted.")
        assert f"browser={ids[0]}" in tab.url

        expect(wall.locator('.cc-card[data-revision="3"]')).to_have_count(1, timeout=10_000)
        expect(wall).to_have_attribute("data-count", "2")
        supervisor.locator(".cc-show-names").click()
        expect(wall.locator(f'.cc-card[data-trainee="{name}"]')).to_have_count(1, timeout=10_000)
        expect(wall.locator(f'.cc-card[data-trainee="{name} (2)"]')).to_have_count(1)
        expect(wall.locator(f'.cc-card[data-trainee="{name}"]')).to_contain_text("3 weeks")
    finally:
        for context in contexts:
            context.close()


def test_a_link_copied_from_another_browser_does_not_make_this_browser_that_person(browser,
                                                                                  voila_url):
    """A join link that carries another browser's id, opened in a browser of its own, is opened
    again without it: this browser works under an id of its own, which it keeps."""
    from playwright.sync_api import expect

    theirs = "0123456789abcdef" * 2
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{voila_url}voila/render/07-join-exercise.ipynb?trainee=Ana&browser={theirs}",
                  wait_until="commit", timeout=90_000)
        page.wait_for_selector(".cc-join-input input", timeout=90_000)
        nav = page.locator(".cc-nav")
        expect(nav).to_have_attribute("data-browser", re.compile(r"^[0-9a-f]{32}$"),
                                      timeout=30_000)
        own = nav.get_attribute("data-browser")
        assert own != theirs
        expect(page).to_have_url(re.compile(f"browser={own}"))
        assert page.evaluate("() => localStorage.getItem('casecoach.browser')") == own
    finally:
        context.close()
