"""What a page knows of its visit: the trainee's name from the page address (?trainee=...)."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs


def page_user(default: str = "local") -> str:
    """The `trainee` in the page's query, waiting for the request when the kernel was preheated.

    Drafts are kept per name, so trainees sharing one server do not see each other's work; a page
    opened without a name keeps its drafts under `default`.
    """
    try:
        from voila.utils import wait_for_request
    except ImportError:  # not under Voila (nbval, plain Jupyter)
        wait_for_request = None
    if wait_for_request is not None:
        wait_for_request()
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    name = re.sub(r"\s+", " ", query.get("trainee", [""])[0]).strip()[:80]
    return name or default
