"""HTML for reviews and cases. Every piece of text a person typed is escaped here."""

from __future__ import annotations

import base64
from html import escape
from typing import Iterable

from casecoach.goals import GoalReview, criterion_names, feedback_wording
from casecoach.practice import passes, verdict
from casecoach.scenarios import Scenario

# Icons always come with a text label: colour is never the only signal.
_STATE = {
    True: ("✓", "met", "cc-met"),
    False: ("✗", "not met", "cc-unmet"),
    None: ("?", "needs the client", "cc-unknown"),
}


def highlight(text: str, review: GoalReview) -> str:
    """The text with each flagged span marked, escaped, and the suggestion as its tooltip."""
    out, pos = [], 0
    for flag in sorted(review.flags, key=lambda f: f.start):
        if flag.start < pos:
            continue
        out.append(escape(text[pos:flag.start]))
        out.append(f'<mark class="cc-flag cc-flag-{flag.kind}" data-kind="{flag.kind}" '
                   f'title="{escape(flag.suggestion)}">{escape(text[flag.start:flag.end])}</mark>')
        pos = flag.end
    out.append(escape(text[pos:]))
    return "".join(out)


def _row(key: str, letter: str, name: str, met: bool | None, why: str) -> str:
    icon, label, css = _STATE[met]
    value = "null" if met is None else str(met).lower()
    return (f'<li class="cc-crit {css}" data-criterion="{key}" data-met="{value}">'
            f'<span class="cc-icon" role="img" aria-label="{label}">{icon}</span>'
            f'<span class="cc-letter">{letter}</span>'
            f'<span class="cc-name">{escape(name)}</span>'
            f'<span class="cc-state">{label}</span>'
            f'<span class="cc-why">{escape(why)}</span></li>')


def review_html(text: str, review: GoalReview | None) -> str:
    """The feedback panel: what is met first, the checklist, flagged words, one next step."""
    if review is None:
        return ('<div class="cc-fb cc-fb-empty" data-review-len="0">'
                'Type your rewrite: the checklist fills in as you write.</div>')
    names = criterion_names()
    words = feedback_wording()["summary"]
    intro, met = _summary(review)
    summary = (f'<b>{escape(intro)}</b>{escape(met)}' if met else escape(intro))

    rows = []
    for key in ("specific", "measurable", "achievable", "relevant", "time_bound"):
        c = review[key]
        rows.append(_row(key, names[key]["letter"], names[key]["name"], c.met, c.why))
    rows.append(_row("strengths_based", "S", "Strengths-based", review.strengths_based,
                     "Positive framing and a strength the goal builds on."))
    sub = [_row(k, "", names[k]["name"], review[k].met, review[k].why)
           for k in ("positive_framing", "builds_on_strength")]
    rows.append(f'<li class="cc-sub"><ul>{"".join(sub)}</ul></li>')

    flags = ""
    if review.flags:
        items = "".join(f'<li data-kind="{f.kind}">{escape(f.suggestion)}</li>'
                        for f in review.flags)
        flags = (f'<div class="cc-yourtext"><span class="cc-caption">Your words</span>'
                 f'<p>{highlight(text, review)}</p><ul class="cc-flags">{items}</ul></div>')
    step = review.next_step()
    next_step = ""
    if step is not None and step.tip:
        next_step = (f'<div class="cc-next"><b>{escape(words["next_intro"])}</b>'
                     f'{escape(step.tip)}</div>')
    rewrite = ""
    if review.suggested_rewrite:
        rewrite = (f'<div class="cc-suggest"><span class="cc-caption">A start in positive '
                   f'terms</span> {escape(review.suggested_rewrite)}</div>')
    return (f'<div class="cc-fb" data-review-len="{len(text)}" '
            f'data-strengths-based="{str(review.strengths_based).lower()}">'
            f'{verdict_html(review)}<div class="cc-summary">{summary}</div>'
            f'<ul class="cc-checklist">{"".join(rows)}</ul>{flags}{next_step}{rewrite}</div>')


def _summary(review: GoalReview) -> tuple[str, str]:
    """The checklist's summary line: its lead, and the criteria met ('' when the lead says all)."""
    names = criterion_names()
    words = feedback_wording()["summary"]
    met = [names[c.name]["name"] for c in review.met]
    if len(review.met) == len(review.criteria):
        return words["all_met"], ""
    if not review.unmet:
        return words["text_met"], ""
    if met:
        return words["met_intro"], ", ".join(met) + "."
    return words["none_met"], ""


def review_summary_text(review: GoalReview | None) -> str:
    """The verdict and the summary line as plain text, for the live region (not the checklist:
    a screen reader would read it all again on every change)."""
    if review is None:
        return ""
    intro, met = _summary(review)
    return f"{verdict(review)}. {intro}{met}"


def verdict_html(review: GoalReview) -> str:
    """The one verdict on a rewrite, as the checklist, the history and the drill's score say it."""
    ok = passes(review)
    icon, label = ("✓", "passes") if ok else ("✗", "not yet")
    return (f'<div class="cc-verdict {"cc-met" if ok else "cc-unmet"}" '
            f'data-passes="{str(ok).lower()}"><span class="cc-icon" role="img" '
            f'aria-label="{label}">{icon}</span> {escape(verdict(review))}</div>')


def history_html(history) -> str:
    """A goal's earlier checked rewrites, newest first, each with its verdict."""
    if not history:
        return ""
    from casecoach._data import section

    items = []
    for entry in history:
        ok = bool(entry.get("passes"))
        icon, label = ("✓", "passes") if ok else ("✗", "not yet")
        items.append(f'<li class="cc-history-entry" data-passes="{str(ok).lower()}">'
                     f'<span class="cc-icon" role="img" aria-label="{label}">{icon}</span> '
                     f'<span class="cc-verdict-text">{escape(str(entry.get("verdict", "")))}'
                     f'</span><q>{escape(str(entry.get("text", "")))}</q></li>')
    caption = section("messages.yaml", "coach")["history_caption"]
    return (f'<div class="cc-history-box"><span class="cc-caption">{escape(caption)}</span>'
            f'<ol class="cc-history-list">{"".join(items)}</ol></div>')


def drill_html(result, rows) -> str:
    """A finished drill: the score (the per-goal verdicts), the per-criterion tally, what to
    practise next, then each goal with the trainee's rewrite and its checklist.

    `rows`: (item, rewrite, review or None, why it was not checked or None) per goal."""
    from casecoach._data import section

    words = section("messages.yaml", "coach")
    names = criterion_names()
    cells = "".join(f'<li><span class="cc-name">{names[k]["name"]}</span> '
                    f'{v}/{result.checked}</li>' for k, v in result.met_counts.items())
    if not result.checked:
        advice, cells = escape(words["drill_none_checked"]), ""
    elif result.practise_next:
        advice = (f'Practise next: <b>{names[result.practise_next]["name"]}</b>, the criterion '
                  f'your rewrites missed most.')
    else:
        advice = "Every rewrite met every text criterion."
    goals = []
    for number, (item, rewrite, review, why) in enumerate(rows, start=1):
        ok = passes(review)
        head = (f'{number}. {escape(item.scenario.first_name)}: '
                f'<span class="cc-drill-referral">{escape(item.goal.text)}</span>')
        if review is None:
            body = (f'<p class="cc-drill-rewrite">{escape(rewrite) or "—"}</p>'
                    f'<p class="cc-warning">{escape(why or words["drill_not_checked"])}</p>')
            mark = f'✗ {escape(words["drill_not_checked"])}'
        else:
            body = (f'<p class="cc-drill-rewrite">{escape(rewrite)}</p>'
                    + review_html(rewrite, review))
            mark = ("✓ " if ok else "✗ ") + escape(verdict(review))
        goals.append(f'<details class="cc-drill-goal" data-passes="{str(ok).lower()}">'
                     f'<summary><span class="cc-drill-head">{head}</span> '
                     f'<span class="cc-drill-mark">{mark}</span></summary>{body}</details>')
    score = words["drill_score"].format(score=result.passed, n=result.total)
    tally = (f'<span class="cc-caption">{escape(words["drill_tally"].format(n=result.checked))}'
             f'</span><ul class="cc-tally">{cells}</ul>' if cells else "")
    return (f'<div class="cc-result" data-score="{result.score}"><h3>{escape(score)}</h3>'
            f'{tally}<p>{advice}</p>'
            f'<h4>{escape(words["drill_review"])}</h4>{"".join(goals)}</div>')


def referral_html(scenario: Scenario, goal_text: str, review: GoalReview) -> str:
    return (f'<div class="cc-referral"><span class="cc-caption">Referral goal, as written'
            f'</span><blockquote>{highlight(goal_text, review)}</blockquote>'
            f'<span class="cc-hint">Rewrite it with {escape(scenario.first_name)} as a SMART(S) '
            f'goal: the marked words are where to start.</span></div>')


def _items(texts: Iterable[str], css: str) -> str:
    return "".join(f'<li class="{css}">{escape(t)}</li>' for t in texts)


def client_html(scenario: Scenario) -> str:
    """The client card beside the goal: who they are, their strengths, their own words."""
    c = scenario.client
    facts = scenario.strengths()
    # Only what is known: a real client in the workspace has no age, supervision or setting.
    meta = " · ".join(escape(str(c.get(k))) for k in ("age", "pronouns", "supervision", "setting")
                      if c.get(k) not in (None, ""))
    return (f'<div class="cc-client"><h3>{escape(c["name"])}</h3>'
            f'<p class="cc-meta">{meta}</p>'
            f'<p>{escape(scenario.summary)}</p>'
            f'<h4>Strengths and supports</h4><ul class="cc-strengths">'
            f'{_items((f.text for f in facts), "cc-strength")}</ul>'
            f'<h4>In {escape(scenario.first_name)}\'s words</h4><ul class="cc-words">'
            f'{_items((g.words for g in scenario.client_goals), "cc-quote")}</ul>'
            + (f'<h4>Conditions</h4><ul class="cc-conditions">'
               f'{_items((x["text"] for x in scenario.conditions), "cc-condition")}</ul>'
               if scenario.conditions else "")
            + '</div>')


def models_html(scenario: Scenario, goal_id: str) -> str:
    rows = []
    for rewrite in scenario.rewrites_for(goal_id):
        uses = ", ".join(scenario.fact(f).text for f in rewrite.uses_facts)
        rows.append(f'<li><p class="cc-model">{escape(rewrite.text)}</p>'
                    f'<p class="cc-modelwhy">{escape(rewrite.why)}</p>'
                    + (f'<p class="cc-uses">Builds on: {escape(uses)}</p>' if uses else "")
                    + '</li>')
    return (f'<div class="cc-models"><span class="cc-caption">A trainer\'s model rewrite'
            f'</span><ul>{"".join(rows)}</ul><p class="cc-hint">Yours does not need to match: '
            f'compare what it names, counts and builds on.</p></div>')


def intake_html(scenario: Scenario) -> str:
    """The intake narrative the trainee reads before filling in the chart."""
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in scenario.intake.split("\n\n")
                         if p.strip())
    return (f'<div class="cc-intake-text"><span class="cc-caption">Intake: what '
            f'{escape(scenario.first_name)} told you</span>{paragraphs}</div>')


def _assessment() -> dict:
    from casecoach._data import section

    return section("messages.yaml", "assessment")


def _who(scenario: Scenario) -> dict[str, str]:
    from casecoach.assessment import pronouns

    return {"who": scenario.first_name, **pronouns(scenario)}


def reveal_label() -> str:
    return _assessment()["reveal_button"]


def charted_client_html(scenario: Scenario, chart) -> str:
    """The client card on the assessment page: who the client is, and the strengths and own words
    as the trainee has charted them so far (never the key's)."""
    c, words, who = scenario.client, _assessment(), _who(scenario)
    meta = " · ".join(escape(str(c.get(k))) for k in ("age", "pronouns", "supervision", "setting")
                      if c.get(k) not in (None, ""))
    strengths, wants = chart.entries("strengths"), chart.entries("wants")

    def listed(items, css: str, empty: str) -> str:
        if not items:
            return f'<p class="cc-hint cc-card-empty" data-list="{css}">{escape(empty)}</p>'
        return f'<ul class="{css}s" data-count="{len(items)}">{_items(items, css)}</ul>'

    return (f'<div class="cc-client cc-charted"><h3>{escape(c["name"])}</h3>'
            f'<p class="cc-meta">{meta}</p>'
            f'<h4>{escape(words["card_strengths"])}</h4>'
            + listed(strengths, "cc-strength", words["card_empty_strengths"])
            + f'<h4>{escape(words["card_words"].format(**who))}</h4>'
            + listed(wants, "cc-quote", words["card_empty_words"].format(**who))
            + (f'<h4>Conditions</h4><ul class="cc-conditions">'
               f'{_items((x["text"] for x in scenario.conditions), "cc-condition")}</ul>'
               if scenario.conditions else "")
            + '</div>')


def missed_html(scenario: Scenario, review) -> str:
    """"Show what I missed": per row, the key's facts the chart does not have and the key's note
    on a good entry. Shown only once the chart is a real attempt."""
    from casecoach.assessment import domains, key_notes

    words, names, notes = _assessment(), domains(), key_notes(scenario)
    blocks = []
    for row in review.rows:
        if row.domain not in notes and not row.words_missed:
            continue
        missed = len(row.missed) + len(row.words_missed)
        if missed:
            items = "".join(f'<li data-fact="{escape(f.id)}"><span class="cc-tag cc-tag-{f.tag}">'
                            f'{_TAG_ICON[f.tag][1]}</span> {escape(f.text)}</li>'
                            for f in row.missed)
            items += "".join(f'<li data-goal="{escape(g.id)}"><span class="cc-tag cc-tag-words">'
                             f'{escape(words["reveal_words_tag"])}</span> {escape(g.words)}</li>'
                             for g in row.words_missed)
            body = f'<ul>{items}</ul>'
        else:
            body = f'<p class="cc-met">✓ {escape(words["reveal_row_done"])}</p>'
        note = notes.get(row.domain, "")
        blocks.append(f'<div class="cc-missed-row" data-domain="{row.domain}" '
                      f'data-missed="{missed}"><h4>{escape(names[row.domain])}</h4>'
                      f'{body}' + (f'<p class="cc-hint">{escape(note)}</p>' if note else "")
                      + '</div>')
    total = sum(len(r.missed) + len(r.words_missed) for r in review.rows)
    lead = words["reveal_none"] if not total else words["reveal_heading"]
    return (f'<div class="cc-fb cc-missed" data-missed="{total}"><div class="cc-summary">'
            f'<b>{escape(lead)}</b></div>{"".join(blocks) if total else ""}</div>')


def own_chart_html(scenario: Scenario, chart) -> str:
    """The trainee's own chart of the case, row by row, to choose priorities from; the intake
    when there is no chart yet. Never the key."""
    from casecoach.assessment import column_names, domains, entries

    words, who = _assessment(), _who(scenario)
    names, columns = domains(), column_names()
    blocks = []
    for row in (chart.rows if chart is not None else ()):
        cells = "".join(
            f'<dt>{escape(columns[c])}</dt><dd><ul>{_items(entries(getattr(row, c)), "cc-entry")}'
            f'</ul></dd>' for c in ("now", "wants", "strengths", "barriers")
            if getattr(row, c).strip())
        if cells:
            blocks.append(f'<div class="cc-own-row" data-domain="{row.domain}"><h4>'
                          f'{escape(names[row.domain])}</h4><dl class="cc-row-answer">{cells}</dl>'
                          f'</div>')
    heading = escape(words["own_chart_heading"].format(**who))
    if not blocks:
        return (f'<div class="cc-client cc-own-chart" data-rows="0"><h3>{heading}</h3>'
                f'<p class="cc-hint">{escape(words["own_chart_empty"].format(**who))}</p>'
                f'{intake_html(scenario)}</div>')
    return (f'<div class="cc-client cc-own-chart" data-rows="{len(blocks)}"><h3>{heading}</h3>'
            f'{"".join(blocks)}</div>')


def resource_option(resource) -> str:
    """One line per resource in the picker: enough to judge the fit, not the verdict."""
    languages = "/".join(resource.languages)
    return (f"{resource.name} · {resource.hours.text} · {resource.transit} · {languages} · "
            f"{resource.cost}")


def row_feedback_html(row) -> str:
    """One chart row's feedback: found first, then notes, then the one next step."""
    if not row.messages:
        return ""
    *notes, step = row.messages
    items = "".join(f"<li>{escape(m)}</li>" for m in notes)
    return (f'<div class="cc-fb cc-rowfb" data-domain="{row.domain}" '
            f'data-found="{len(row.found)}" data-missed="{len(row.missed)}" '
            f'data-labels="{len(row.labels)}">'
            + (f'<ul class="cc-notes">{items}</ul>' if items else "")
            + f'<div class="cc-next"><b>Next step: </b>{escape(step)}</div></div>')


def chart_summary_text(review) -> str:
    """The chart's summary line ("2 of 16 key items found · 1 entry to reword"), plain text."""
    # A case with no key (a real client in the workspace) has no key items to count.
    return " · ".join(([f"{review.found} of {review.total} key items found"]
                       if review.total else [])
                      + ([f"{review.labels} entr{'y' if review.labels == 1 else 'ies'} to "
                          f"reword"] if review.labels else []))


def chart_picture_html(review) -> str:
    """Strengths against barriers per domain, as the trainee wrote them: a bar each way."""
    from casecoach.assessment import domains

    names = domains()
    peak = max([1] + [max(r.strengths_entered, r.barriers_entered) for r in review.rows])
    width, label_w, half = 640, 200, 200
    rows = []
    for i, row in enumerate(review.rows):
        y = 28 + i * 26
        s_len = half * row.strengths_entered / peak
        b_len = half * row.barriers_entered / peak
        mid = label_w + half
        rows.append(
            f'<g data-domain="{row.domain}" data-strengths="{row.strengths_entered}" '
            f'data-barriers="{row.barriers_entered}">'
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(names[row.domain])}</text>'
            f'<rect x="{mid - b_len:.1f}" y="{y}" width="{b_len:.1f}" height="18" class="cc-bar-b"/>'
            f'<rect x="{mid}" y="{y}" width="{s_len:.1f}" height="18" class="cc-bar-s"/>'
            f'<text x="{mid - b_len - 4:.1f}" y="{y + 13}" text-anchor="end" class="cc-n">'
            f'{row.barriers_entered or ""}</text>'
            f'<text x="{mid + s_len + 4:.1f}" y="{y + 13}" class="cc-n">{row.strengths_entered or ""}</text></g>')
    height = 40 + len(review.rows) * 26
    mid = label_w + half
    summary = chart_summary_text(review)
    return (f'<div class="cc-picturebox" data-found="{review.found}" data-total="{review.total}">'
            f'<span class="cc-caption">Strengths and barriers you have charted</span>'
            f'<svg role="img" aria-label="Bar chart: barriers to the left, strengths to the right, '
            f'per life domain" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px">'
            f'<text x="{mid - 8}" y="16" text-anchor="end" class="cc-axis">◀ barriers</text>'
            f'<text x="{mid + 8}" y="16" class="cc-axis">strengths ▶</text>'
            f'<line x1="{mid}" x2="{mid}" y1="22" y2="{height - 8}" class="cc-mid"/>'
            f'{"".join(rows)}</svg><p class="cc-pic-summary">{escape(summary)}</p></div>')


def notice_html(text: str, alert: bool = False) -> str:
    """A notice; `alert` for an error, which a screen reader announces at once."""
    return f'<div class="cc-notice" role="{"alert" if alert else "status"}">{escape(text)}</div>'


_TAG_ICON = {"strength": ("＋", "strength"), "support": ("＋", "support"),
             "barrier": ("－", "barrier"), "aspiration": ("★", "hope")}


def priorities_html(review) -> str:
    """Priority feedback: agreement first, every difference explained, the limit warning."""
    if review is None:
        return ('<div class="cc-fb cc-fb-empty" data-agreed="0">Pick the most pressing area '
                'first. Up to three.</div>')
    warning = (f'<div class="cc-warning" role="alert">{escape(review.too_many)}</div>'
               if review.too_many else "")
    items = "".join(
        f'<li class="cc-crit {"cc-met" if n.agrees else "cc-unmet"}" data-domain="{n.domain}" '
        f'data-agrees="{str(n.agrees).lower()}"><span class="cc-icon" role="img" '
        f'aria-label="{"agrees" if n.agrees else "differs"}">{"✓" if n.agrees else "✗"}</span>'
        f'<span class="cc-letter">{n.rank or "·"}</span>'
        f'<span class="cc-why" style="grid-column: 3 / -1">{escape(n.message)}</span></li>'
        for n in review.notes)
    return (f'<div class="cc-fb" data-agreed="{review.agreed}" '
            f'data-too-many="{str(bool(review.too_many)).lower()}">{warning}'
            f'<div class="cc-summary">{escape(review.summary)}</div>'
            f'<ul class="cc-checklist">{items}</ul></div>')


def plan_checks_html(review) -> str:
    """The plan's checks: what is in place first, then what to fix, each with where."""
    ok = "".join(f'<li class="cc-crit cc-met" data-check="{f.check}" data-ok="true">'
                 f'<span class="cc-icon" role="img" aria-label="in place">✓</span>'
                 f'<span class="cc-why" style="grid-column: 2 / -1">{escape(f.message)}</span></li>'
                 for f in review.passed)
    bad = "".join(f'<li class="cc-crit cc-unmet" data-check="{f.check}" data-ok="false">'
                  f'<span class="cc-icon" role="img" aria-label="to fix">✗</span>'
                  f'<span class="cc-why" style="grid-column: 2 / -1">{escape(f.message)}</span></li>'
                  for f in review.problems)
    head = review.headline
    return (f'<div class="cc-fb" data-ready="{str(review.ready).lower()}" '
            f'data-problems="{len(review.problems)}"><div class="cc-summary"><b>Plan checks.'
            f'</b> {escape(head)}</div><ul class="cc-checklist">{ok}{bad}</ul></div>')


def join_code_html(exercise) -> str:
    state = "closed" if exercise.closed else "open"
    return (f'<div class="cc-code" data-code="{exercise.code}" data-state="{state}" '
            f'data-kind="{exercise.kind}"><span class="cc-caption">Join code</span>'
            f'<b>{exercise.code}</b> <span class="cc-hint">{escape(exercise.scenario.first_name)}: '
            f'{escape(exercise.task)} · the exercise is {state}</span></div>')


def room_summary_html(rows, total: int) -> str:
    """How many of the room's answers meet each criterion (or found each key item, or picked
    each ladder step: its label says whether it fits), as bars with their label and count: the
    length is never the only signal."""
    bars = []
    for row in rows:
        share = 0 if not total else row.met / total
        fits = "" if row.fits is None else f' data-fits="{str(row.fits).lower()}"'
        bars.append(f'<div class="cc-bar-row" data-criterion="{escape(row.key)}" '
                    f'data-met="{row.met}"{fits}><span class="cc-name">{escape(row.label)}</span>'
                    f'<span class="cc-bar"><span style="width:{share * 100:.0f}%"></span></span>'
                    f'<span class="cc-n">{row.met} of {total}</span></div>')
    caption = _group()["summary_caption"]
    return (f'<div class="cc-room" data-total="{total}"><span class="cc-caption">'
            f'{escape(caption)}</span><div class="cc-bars">{"".join(bars)}</div></div>')


def wall_html(entries, labels: dict[str, str], spotlight: str | None, closed: bool,
              kind: str = "goal") -> str:
    """Every trainee's latest answer with its review; the spotlit one first and larger."""
    wording = _group()
    if not entries:
        waiting = wording[{"chart_row": "waiting_row", "response": "waiting_response",
                           "follow_up": "waiting_follow_up"}.get(kind, "waiting_goal")]
        return f'<div class="cc-fb cc-fb-empty" data-count="0">{escape(waiting)}</div>'
    cards = []
    ordered = sorted(entries, key=lambda e: (e.trainee != spotlight, e.submitted_at))
    for entry in ordered:
        body = (_row_card(entry, wording) if kind == "chart_row" else
                _response_card(entry) if kind == "response" else
                _follow_up_card(entry, wording) if kind == "follow_up" else _goal_card(entry))
        lit = entry.trainee == spotlight
        revised = f" · {entry.revision} versions" if entry.revision > 1 else ""
        cards.append(f'<div class="cc-card{" cc-spot" if lit else ""}" '
                     f'data-trainee="{escape(labels[entry.trainee])}" '
                     f'data-revision="{entry.revision}"><div class="cc-card-head">'
                     f'<b>{escape(labels[entry.trainee])}</b>{revised}</div>{body}</div>')
    note = f'<p class="cc-hint">{escape(wording["closed"])}</p>' if closed else ""
    return f'<div class="cc-wallgrid" data-count="{len(entries)}">{note}{"".join(cards)}</div>'


def _mini(met: bool, label: str) -> str:
    state = "met" if met else "not met"
    return (f'<span class="cc-mini {"cc-met" if met else "cc-unmet"}" '
            f'title="{escape(label)}: {state}">{"✓" if met else "✗"} {escape(label)}</span>')


def _goal_card(entry) -> str:
    names = criterion_names()
    marks = "".join(_mini(bool(entry.review[k].met), names[k]["name"])
                    for k in ("specific", "measurable", "time_bound", "positive_framing",
                              "builds_on_strength"))
    return f'<p>{highlight(entry.text, entry.review)}</p><div>{marks}</div>'


def _response_card(entry) -> str:
    """A response as the trainee wrote it, with the judge's code and its findings."""
    judged = entry.review
    sub = judged.question_type or judged.reflection_type
    code = f"{judged.behaviour}, {sub}" if sub else judged.behaviour
    marks = "".join(_mini(f.positive, f.kind.replace("_", " ")) for f in judged.findings)
    return (f'<p data-behaviour="{judged.behaviour}">{escape(entry.text)}</p>'
            f'<div><span class="cc-mini">{escape(code)}</span>{marks}</div>')


def _follow_up_card(entry, wording: dict) -> str:
    """A follow-up answer: the ladder step picked (fits or not, in words) and what the trainee
    would say, escaped, with each follow-up finding on it."""
    from casecoach.followups import ladder_labels, wording as follow_up_wording

    review, pick = entry.review, entry.review.pick
    names = follow_up_wording()["findings"]
    if pick is None:
        step = f'<p class="cc-fu-step" data-step="">{escape(wording["no_step"])}</p>'
    else:
        said = wording["step_fits" if pick.fits else "step_not_fit"].format(
            step=ladder_labels()[pick.step])
        step = (f'<p class="cc-fu-step" data-step="{pick.step}" '
                f'data-fits="{str(pick.fits).lower()}">{_mini(pick.fits, said)}</p>')
    marks = "".join(_mini(f.met, names[f.criterion]["name"].format(first="the client"))
                    for f in review.said)
    return (f'{step}<p class="cc-fu-said-text" data-said-ok="{str(review.said_ok).lower()}">'
            f'{escape(entry.text)}</p><div>{marks}</div>')


def _row_card(entry, wording: dict) -> str:
    """A chart row as the trainee wrote it, cell by cell, with what it found and what to reword."""
    from casecoach.assessment import column_names

    review, names = entry.review, column_names()
    cells = "".join(f'<dt>{escape(names[c])}</dt><dd>{_mark_labels(v, c, review.labels)}</dd>'
                    for c, v in (entry.cells or {}).items() if v)
    total = len(review.found) + len(review.missed)
    marks = [_mini(not review.missed, wording["found"].format(n=len(review.found), total=total))]
    marks.append(_mini(not review.labels, wording["labels"].format(n=len(review.labels)))
                 if review.labels else _mini(True, wording["no_labels"]))
    if review.own_words is not None:
        marks.append(_mini(review.own_words, wording["own_words"]))
    return (f'<dl class="cc-row-answer" data-found="{len(review.found)}" '
            f'data-labels="{len(review.labels)}">{cells}</dl><div>{"".join(marks)}</div>')


def _mark_labels(value: str, column: str, labels) -> str:
    """A cell, escaped, with each entry that describes the person marked and its reframe as the
    tooltip."""
    marks = sorted((value.find(n.text), n) for n in labels
                   if n.column == column and n.text and n.text in value)
    out, pos = [], 0
    for start, note in marks:
        if start < pos:
            continue
        end = start + len(note.text)
        out.append(escape(value[pos:start]))
        out.append(f'<mark class="cc-flag cc-flag-label" data-kind="label" '
                   f'title="{escape(note.suggestion)}">{escape(value[start:end])}</mark>')
        pos = end
    out.append(escape(value[pos:]))
    return "".join(out)


def _group() -> dict:
    from casecoach._data import section

    return section("messages.yaml", "group")


def module_cards_html(pages, trainee: str, cohort: str, progress: dict, notes: dict,
                      links=(), unknown: str = "") -> str:
    """The start page's module links, each carrying the trainee's name, with their progress and a
    link straight back to what is in progress; then the pages beside the course (`links`).
    `unknown`: why progress cannot be read now, said on each card instead of "not started"."""
    from casecoach import course

    cards = []
    for page in pages:
        row, kept = progress.get(page.key), notes.get(page.key, [])
        state = unknown or course.state(row, kept)
        resume = "".join(
            f'<p class="cc-resume"><a class="cc-resume-link" data-slot="{escape(note.slot)}" '
            f'href="{escape(course.href(page.key, trainee, cohort, **note.params))}">'
            f'{escape(course.wording("continue", what=note.what))}</a></p>'
            for note in kept if note.what and note.open)
        cards.append(f'<div class="cc-module" data-module="{page.key}">'
                     f'<a href="{escape(course.href(page.key, trainee, cohort))}">'
                     f'{escape(page.title)}</a><p>{escape(page.blurb)}</p>'
                     f'<p class="cc-state">{escape(state)}</p>{resume}</div>')
    others = "".join(f'<li><a class="cc-page-link" data-page="{p.key}" '
                     f'href="{escape(course.href(p.key, trainee, cohort))}">{escape(p.title)}</a>'
                     f' <span class="cc-hint">{escape(p.blurb)}</span></li>' for p in links)
    return (f'<div class="cc-modules">{"".join(cards)}</div>'
            + (f'<ul class="cc-pages">{others}</ul>' if others else ""))


def download_link(name: str, mime: str, data: bytes, note: str = "") -> str:
    """A link that saves a file made on this computer; the data travels inside the page."""
    encoded = base64.b64encode(data).decode("ascii")
    hint = f'<span class="cc-hint">{escape(note)}</span>' if note else ""
    return (f'<a class="cc-download-link" download="{escape(name)}" '
            f'href="data:{mime};base64,{encoded}">Save {escape(name)}</a>{hint}')
