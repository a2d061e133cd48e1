"""jhsingle-native-proxy, with tornado's same-origin rule for its websockets restored (see below)."""

import logging
import os
import sys
from urllib.parse import urlparse

from tornado import httpclient, httputil
from tornado.ioloop import IOLoop
from tornado.log import app_log

from jhsingle_native_proxy import main, proxyhandlers


def _same_origin(handler, origin: str) -> bool:
    """A websocket is let in when its Origin is this server's own address (the Host header).

    jhsingle-native-proxy 0.8.3 calls check_origin on every websocket. Up to tornado 6.5 that
    compared Origin with Host; from 6.6 it is only meant for cross-origin requests and refuses
    every origin not listed in `trusted_origins`, so every page's kernel socket got a 403. This is
    the rule of tornado 6.5, so a page of another site still cannot open the socket."""
    return urlparse(origin).netloc.lower() == handler.request.headers.get("Host", "").lower()


proxyhandlers.ProxyHandler.check_origin = _same_origin


async def _proxy(self, port, path):
    """0.8.3 awaits oauth_proxy, whose @authenticated returns None after sending someone who is
    not logged in to the Hub's login: the redirect went out, then a TypeError filled the log."""
    if self.authtype != "oauth":
        return await self.core_proxy(port, path)
    answer = self.oauth_proxy(port, path)
    return None if answer is None else await answer


proxyhandlers.SuperviseAndProxyHandler.proxy = _proxy

# The proxy forwards each request with tornado's AsyncHTTPClient, which runs a few at a time and
# fails a queued one with a 599 after 20 s (its connect timeout): a room of 40 opening pages at
# once had 159 of them, and 38 of 40 trainees never got a page. Letting 400 through at once was
# worse on two cores: 40 pages' kernels starting together all ran past the 300 s request
# timeout. So a few pages render at a time, and the others wait their turn (up to the request
# timeout) instead of failing. CASECOACH_ROOM_PROXY_AT_ONCE changes it (with preheated pages,
# 40 at once was still slower than 10 on two cores: docs/deployment.md).
_at_once = os.environ.get("CASECOACH_ROOM_PROXY_AT_ONCE", "10")
if not _at_once.isdigit() or int(_at_once) < 1:
    sys.exit(f"error: CASECOACH_ROOM_PROXY_AT_ONCE ('{_at_once}') must be a whole number of "
             "requests, at least 1")
AT_ONCE = int(_at_once)
httpclient.AsyncHTTPClient.configure(None, max_clients=AT_ONCE,
                                     defaults={"connect_timeout": 300})


class _NoLoginRecords(logging.Filter):
    """With --forward-user-info, 0.8.3 logs the Hub's whole user model (session and token ids
    included) on every request; the room's log keeps requests, not people's sessions."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not isinstance(record.msg, dict)


app_log.addFilter(_NoLoginRecords())


class _NoConnection:
    """The connection of the request below, which never came from anyone."""

    def set_close_callback(self, callback) -> None:
        pass


def _start_at_once(app) -> None:
    """Start Voila with the proxy, not on the first request: 0.8.3 starts its command when the
    first logged-in request arrives, so the room's pools of preheated pages (room/service) would
    start filling only when the first trainee opened a page. A handler made for a request that
    never came (it serves no one) runs the start its first request would have run."""
    for rule in app.wildcard_router.rules:
        if isinstance(rule.target, type) and issubclass(rule.target,
                                                        proxyhandlers.SuperviseAndProxyHandler):
            request = httputil.HTTPServerRequest(
                connection=_NoConnection(),
                start_line=httputil.RequestStartLine("GET", "/", "HTTP/1.1"),
                headers=httputil.HTTPHeaders({"Host": "127.0.0.1"}))
            handler = rule.target(app, request, **rule.target_kwargs)
            IOLoop.current().add_callback(handler.ensure_process)
            return


def _make_app(*args, **kwargs):
    app = _original_make_app(*args, **kwargs)
    _start_at_once(app)
    return app


_original_make_app = main.make_app
main.make_app = _make_app

if __name__ == "__main__":
    sys.exit(main.run())
