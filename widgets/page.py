"""What a page knows of its visit (the trainee from the Hub login or the page address) and its header."""

from __future__ import annotations

import os
import re
import weakref
from html import escape
from urllib.parse import parse_qs

import ipywidgets as w
import traitlets
from IPython.display import display

from casecoach import course, identity, room
from casecoach._data import section

# How long a preheated kernel keeps trying to reach Voila's request socket (see below).
PREHEAT_CONNECT_SECONDS = float(os.environ.get("CASECOACH_PREHEAT_CONNECT_SECONDS", "600"))
_VISIT: dict[str, str] = {}
_QUERY: dict[str, str] = {}
# Headers shown on this page, told the trainee once the visit is known (a preheated page is
# built before anyone opens it).
_HEADERS: "weakref.WeakSet[CourseHeader]" = weakref.WeakSet()


def page_visit(default: str = "local") -> tuple[str, str]:
    """(trainee, cohort) from the page's query (?trainee=...&cohort=...), waiting for the request
    when the kernel was preheated. Kept for the progress recorders of this page.

    In room mode (JupyterHub) the trainee is the Hub login and ?trainee= is ignored: a name
    typed into the address must not open another person's work."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        _wait_for_request()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))

    def value(key: str, limit: int) -> str:
        return re.sub(r"\s+", " ", query.get(key, [""])[0]).strip()[:limit]

    try:
        here = room.visitor()
    except room.NoLogin as exc:  # the room's shared server without a login: serve no one
        display(w.HTML(f'<div class="cc-notice cc-room-refused" role="alert">'
                       f'{escape(exc.message)}</div>'))
        raise
    trainee = here.user if here is not None else value("trainee", 80) or default
    # The browser's own id, from the address (visit.js keeps it in the browser and adds it), or
    # a new one for a browser that has none yet (the header hands it to visit.js): two browsers
    # whose users type the same name are two people (identity.person). None in room mode, where
    # the login is the person.
    browser = identity.browser_id(value("browser", 64))
    if here is None and not browser:
        browser = identity.new_browser_id()
    _VISIT.update(trainee=trainee, cohort=value("cohort", 32),
                  browser="" if here is not None else browser)
    _QUERY.clear()
    _QUERY.update({k: value(k, 120) for k in query if k not in ("trainee", "cohort", "browser")})
    for header in list(_HEADERS):
        header.trainee, header.cohort = _VISIT["trainee"], _VISIT["cohort"]
        header.browser = _VISIT["browser"]
    return _VISIT["trainee"], _VISIT["cohort"]


def _wait_for_request() -> None:
    """What voila.utils.wait_for_request does, without importing voila.utils: a preheated kernel
    has run its page up to here before anyone opened it, and now waits for the request that
    takes it, whose details (query, the room's login header) Voila sends to this kernel alone
    over its loopback socket /voila/query/KERNEL_ID; they go into os.environ as for a kernel
    started for its page. voila.utils brings all of Voila's server (nbconvert, jupyter_server,
    lxml: about 50 MB in every kernel); this needs only `websockets`, which Voila uses for it.
    Voila gives up connecting after 5 s, and its socket's keepalive pings end the wait when the
    server is slow to answer one; a room's server filling its pools and serving a room arriving
    at once is that slow, and a kernel that gave up served its page to someone later without
    their login. So this sends no pings, and connects again (for PREHEAT_CONNECT_SECONDS after
    the last failure) until the request comes. If the details never come, the page has no login
    and serves no one (room.NoLogin)."""
    import json
    import time

    from websockets.exceptions import InvalidHandshake, WebSocketException
    from websockets.sync.client import connect

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}")
    give_up = time.monotonic() + PREHEAT_CONNECT_SECONDS
    while True:
        try:
            # No keepalive pings: on loopback a lost server closes the socket anyway, and a busy
            # server slow to answer a ping must not end the wait (websockets' default).
            # No open timeout either: a handshake given up on the client while the server still
            # completes it leaves Voila with a stale socket for this kernel.
            socket = connect(url, open_timeout=None, ping_interval=None, max_size=2**20)
        except (OSError, TimeoutError, InvalidHandshake):
            if time.monotonic() > give_up:
                return
            time.sleep(1)
            continue
        # Connected: the request may come in minutes or hours (a page waiting for its visitor).
        try:
            with socket:
                details = json.loads(socket.recv())
            break
        except ValueError:
            return
        except (OSError, WebSocketException):
            # Closed before the request came: Voila keeps the request for this kernel until it
            # connects again.
            give_up = time.monotonic() + PREHEAT_CONNECT_SECONDS
            time.sleep(1)
    if isinstance(details, dict):
        env.update({k: v for k, v in details.items() if isinstance(k, str) and isinstance(v, str)})


def visit_param(key: str) -> str:
    """Another value of the page's query (e.g. `case`, `goal`), as page_visit last read it."""
    return _QUERY.get(key, "")


def person(name: str) -> str:
    """The owner the store keeps this page's work under for `name`: the name with this browser's
    id outside room mode, the login in it (casecoach.identity.person)."""
    return identity.person(name, _VISIT.get("browser", ""))


def page_user(default: str = "local") -> str:
    """The trainee's name from the page's query (see page_visit)."""
    return page_visit(default)[0]


def room_refusal(page: str) -> w.HTML | None:
    """In room mode, the notice a page shows instead of itself to a visitor who may not use it
    (a trainee on the supervisor's page or the workspace); None when the page may be used."""
    try:
        here = room.visitor()
    except room.NoLogin as exc:
        here, text = None, exc.message
    else:
        if here is None or here.may_open(page):
            return None
        key = "workspace_off" if page in room.STAFF_PAGES else "supervisors_only"
        text = section("messages.yaml", "room")[key].format(user=here.user)
    notice = w.HTML(f'<div class="cc-notice cc-room-refused" role="alert">{escape(text)}</div>')
    notice.add_class("cc-room-refusal")
    return notice


def current_visit() -> tuple[str, str]:
    """The visit page_visit found, or ("", "") before it was called."""
    return _VISIT.get("trainee", ""), _VISIT.get("cohort", "")


class CourseHeader(w.HBox):
    """A page's header: Home, the previous and next module, and whose work this is.

    Every link carries the trainee and cohort; the name typed by a person is escaped."""

    trainee = traitlets.Unicode("", help="The trainee's name ('' or 'local' when none was given).")
    cohort = traitlets.Unicode("", help="The trainee's cohort code, if any.")
    browser = traitlets.Unicode("", help="This browser's id outside room mode (visit.js keeps "
                                         "it), '' in room mode.")

    def __init__(self, page: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page = course.page(page)
        self._html = w.HTML()
        from widgets._services import StoreNotice  # every page needs its store: one notice each

        self.store_notice = StoreNotice()
        self.children = [self._html, self.store_notice]
        self.add_class("cc-header")
        self.observe(lambda _c: self._draw(), names=["trainee", "cohort", "browser"])
        self.trainee, self.cohort = current_visit()
        self.browser = _VISIT.get("browser", "")
        self._draw()
        _HEADERS.add(self)

    def _draw(self) -> None:
        self._html.value = header_html(self.page, self.trainee, self.cohort, self.browser)


def header_html(page: course.Page, trainee: str, cohort: str, browser: str = "") -> str:
    """The header's links and the trainee's name, as HTML."""
    say = course.wording

    def link(target: course.Page, text: str, css: str) -> str:
        return (f'<a class="{css}" href="{escape(course.href(target.key, trainee, cohort))}" '
                f'data-page="{target.key}">{escape(text)}</a>')

    home = course.modules()[0]
    before, after = course.neighbours(page.key)
    total = len(course.modules()) - 1
    nav = [link(home, say("home"), "cc-nav-home")]
    if page.in_course and page.number:
        nav.append(f'<span class="cc-nav-place">{escape(say("place", n=page.number, total=total))}'
                   f'</span>')
    elif not page.in_course:
        nav.append(f'<span class="cc-nav-place">{escape(say("outside"))}</span>')
    if before is not None and before.number:
        nav.append(link(before, "← " + say("previous", title=before.title), "cc-nav-prev"))
    if after is not None:
        nav.append(link(after, say("next", title=after.title) + " →", "cc-nav-next"))
    name = "" if trainee in ("", course.ANONYMOUS) else trainee
    who = (f'<span class="cc-nav-name" data-trainee="{escape(name)}">'
           f'{escape(say("working_as", name=name))}'
           + (f' <span class="cc-nav-cohort">· {escape(cohort)}</span>' if cohort else "")
           + '</span>' if name else
           f'<span class="cc-nav-name cc-nav-anonymous" data-trainee="">'
           f'{escape(say("no_name"))}</span>')
    # data-browser: the browser id this page works under, which visit.js keeps (it is either
    # the one the address carried or a new one for a browser that had none).
    return (f'<nav class="cc-nav" aria-label="Course" data-page="{page.key}" '
            f'data-browser="{escape(identity.browser_id(browser))}">'
            f'<div class="cc-nav-links">{"".join(nav)}</div>{who}</nav>')
