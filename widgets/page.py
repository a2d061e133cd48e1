"""What a page knows of its visit: the trainee and cohort from the page address."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs

_VISIT: dict[str, str] = {}


def page_visit(default: str = "local") -> tuple[str, str]:
    """(trainee, cohort) from the page's query (?trainee=...&cohort=...), waiting for the request
    when the kernel was preheated. Kept for the progress recorders of this page."""
    try:
        from voila.utils import wait_for_request
    except ImportError:  # not under Voila (nbval, plain Jupyter)
        wait_for_request = None
    if wait_for_request is not None:
        wait_for_request()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))

    def value(key: str, limit: int) -> str:
        return re.sub(r"\s+", " ", query.get(key, [""])[0]).strip()[:limit]

    _VISIT.update(trainee=value("trainee", 80) or default, cohort=value("cohort", 32))
    return _VISIT["trainee"], _VISIT["cohort"]


def page_user(default: str = "local") -> str:
    """The trainee's name from the page's query (see page_visit)."""
    return page_visit(default)[0]


def current_visit() -> tuple[str, str]:
    """The visit page_visit found, or ("", "") before it was called."""
    return _VISIT.get("trainee", ""), _VISIT.get("cohort", "")
