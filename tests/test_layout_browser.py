"""Layout at the widths trainees use: nothing cut at 768 px, no grey band at 1280 px, text boxes that grow."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHART = "02-assessment"
CELL = ".cc-assessment textarea:visible"

# Boxes, lists and buttons of the open chart row whose right edge passes the row's own box.
OVERFLOWING = """() => {
  const row = [...document.querySelectorAll('.cc-assessment [class*="cc-domain-"]')]
    .find(el => el.getClientRects().length > 0);
  const edge = row.getBoundingClientRect().right;
  return [...row.querySelectorAll('textarea, select, button, input')]
    .filter(el => el.getClientRects().length > 0 && el.getBoundingClientRect().right > edge + 0.5)
    .map(el => el.className || el.tagName);
}"""


@pytest.fixture
def narrow_page(browser):
    """A page 768 px wide, a tablet held upright."""
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    yield page
    context.close()


def test_chart_row_fits_at_768px_and_its_resources_wrap(narrow_page, open_notebook, artifacts):
    """At 768 px no text box or resource list of a chart row runs past the row, and each resource is shown whole."""
    page = open_notebook(narrow_page, CHART, wait_for=CELL, timeout=120)
    assert page.evaluate(OVERFLOWING) == []
    cut = page.evaluate("""() => {
      const list = [...document.querySelectorAll('.cc-resources select')].find(el => el.getClientRects().length);
      return list ? list.scrollWidth - list.clientWidth : null;
    }""")
    assert cut in (0, None), f"the resource list is {cut} px wider than its box"
    page.locator(".cc-domain-housing, .cc-assessment [class*='cc-domain-']").first.screenshot(
        path=artifacts / "layout-chart-row-768.png")


def test_text_box_grows_with_its_text_in_the_page_font(page, voila_url):
    """A chart cell grows taller as lines are typed instead of scrolling, and uses the page's font."""
    # A trainee of its own, so the draft this saves is no other test's.
    page.goto(f"{voila_url}voila/render/{CHART}.ipynb?trainee=layout-check", wait_until="commit", timeout=120_000)
    page.wait_for_selector(CELL, state="visible", timeout=120_000)
    cell = page.locator(CELL).first
    before = cell.bounding_box()["height"]
    cell.fill("\n".join(f"line {n} of what is going on now" for n in range(1, 9)))
    page.wait_for_function("([el, h]) => el.getBoundingClientRect().height > h + 40",
                           arg=[cell.element_handle(), before], timeout=10_000)
    assert cell.evaluate("el => el.scrollHeight <= el.clientHeight + 1"), "the box scrolls instead of growing"
    box_font = cell.evaluate("el => getComputedStyle(el).fontFamily")
    text_font = page.evaluate("() => getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontFamily")
    assert box_font == text_font


def test_no_grey_band_beside_the_page_at_1280px(page, open_notebook):
    """At 1280 px the page's scroller spans the window and the window's background is the page's."""
    open_notebook(page, "00-start-here", wait_for=".cc-modules", timeout=120)
    width, background = page.evaluate("""() => [document.getElementById('rendered_cells').getBoundingClientRect().width,
                                                getComputedStyle(document.getElementById('main')).backgroundColor]""")
    assert width == 1280
    assert background == "rgb(255, 255, 255)"
