"""A live group exercise under load: N trainee processes revise rewrites while a wall polls, per database.

Each trainee is its own process (spawned, as each Voila page has its own kernel): it joins one
exercise (casecoach.exercises, case marcus-art, goal rg-housing) and sends a rewrite every 2-6 s
for --seconds, noting when it sent each revision. A wall process polls exercises.wall every 0.5 s,
as the supervisor's page does, and notes when it first sees each (trainee, revision). Per database:
sends, what the store kept (the sum of final revisions must equal the sends), send-to-wall latency,
peak memory per process, errors. SQLite runs in a temp data folder; PostgreSQL when --pg URL or
$CASECOACH_TEST_PG_URL names a server (scripts/postgres-test-server starts one), in a schema made
for the run and dropped after it. Loopback only; every wait is bounded. Exit 1 when sends and
stored revisions differ, a process errs or fails to report.

    .venv/bin/python bench/group_load.py [--trainees 40] [--seconds 120] [--pg URL]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import os
import queue
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

CASE, GOAL = "marcus-art", "rg-housing"
STARTUP_TIMEOUT = 300.0     # 41 spawned interpreters importing pandas share 2 cores
WALL_GRACE = 10.0           # the wall's last poll after the last send, at most this much later
REPORT_TIMEOUT = 60.0       # after that, a process that has not reported is terminated

# Pieces of a rewrite of "Parolee must find suitable housing." as a room of trainees writes them:
# a first draft often still reads like the referral, later revisions add counts, time and support.
_FIRST_DRAFTS = [
    "Marcus must find suitable housing.",
    "Marcus will find housing soon.",
    "Marcus will look for a place to live and stay out of the shelter.",
    "Marcus will apply for housing.",
]
_TIMES = ["Within 4 weeks", "Within 30 days", "By the end of next month", "Over the next 6 weeks",
          "Before his 30 shelter nights are used", "By his fifth week home"]
_ACTIONS = ["apply to at least {n} fair-chance or transitional housing programs",
            "view at least {n} rooms or units that accept people with records",
            "send {n} rental applications through the Housing Hub",
            "meet the Housing Hub adviser {n} times to go through landlord referrals"]
_SUPPORTS = [", with support from his sister Denise, who will receive replies for him",
             ", using the careful accounts he kept at the sign shop to show he can pay rent",
             ", with the fair-chance landlord list from the Housing Hub",
             ", drawing on his art program coordinator's reference letter", ""]
_ENDINGS = [", and bring the home he chooses to his parole officer for approval.", "."]


def rewrite(rng: random.Random, revision: int) -> str:
    """A rewrite a trainee might send as their revision-th attempt."""
    if revision == 1 and rng.random() < 0.4:
        return rng.choice(_FIRST_DRAFTS)
    action = rng.choice(_ACTIONS).format(n=rng.randint(1, 5))
    return (f"{rng.choice(_TIMES)}, Marcus will {action}{rng.choice(_SUPPORTS)}"
            f"{rng.choice(_ENDINGS)}")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(method: Any, into: list[float]) -> Any:
    """`method`, noting how long each call takes: which part of a send or a poll is the database."""
    def call(*args: Any, **kwargs: Any) -> Any:
        began = time.time()
        try:
            return method(*args, **kwargs)
        finally:
            into.append(time.time() - began)
    return call


def _error(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]


def trainee_process(name: str, url: str, code: str, seed: int, seconds: float,
                    go: Any, start_at: Any, results: Any) -> None:
    """One trainee's page: join, then send and revise at a human pace until the time is up."""
    report: dict[str, Any] = {"role": "trainee", "name": name, "sends": [], "errors": [],
                              "store_s": []}
    try:
        from casecoach import exercises
        from casecoach.store import Store

        store = Store.open(url)
        store.submit = _timed(store.submit, report["store_s"])
        exercise = exercises.join(store, code)
        results.put(("ready", name))
        cpu_before = _cpu_s()
        if not go.wait(STARTUP_TIMEOUT):
            raise TimeoutError("no start signal")
        deadline = start_at.value + seconds
        rng = random.Random(seed)
        revision = 0
        while True:
            pause = rng.uniform(2.0, 6.0)
            if time.time() + pause >= deadline:
                break
            time.sleep(pause)
            text = rewrite(rng, revision + 1)
            sent = time.time()
            try:
                revision = exercises.submit(store, exercise, name, text)
            except Exception as exc:   # counted and reported; the trainee carries on
                report["errors"].append(_error(exc))
                continue
            report["sends"].append((revision, sent, time.time()))
        report["cpu_s"] = _cpu_s() - cpu_before
        store.engine.dispose()
    except Exception as exc:
        report["errors"].append(_error(exc))
        results.put(("ready", name))   # never leave the benchmark waiting for this one
    report["peak_rss_mb"] = _peak_rss_mb()
    results.put(("report", report))


def wall_process(url: str, code: str, poll: float, seconds: float, go: Any, start_at: Any,
                 stop: Any, results: Any) -> None:
    """The supervisor's wall: every `poll` s, the reviewed wall; when each (trainee, revision) first shows."""
    report: dict[str, Any] = {"role": "wall", "name": "wall", "seen": {}, "polls": [],
                              "errors": [], "store_s": []}
    try:
        from casecoach import exercises
        from casecoach.store import Store

        store = Store.open(url)
        exercise = exercises.join(store, code)
        exercises.wall(store, exercise)    # warm the review's caches as an open page has
        store.submissions_for = _timed(store.submissions_for, report["store_s"])
        results.put(("ready", "wall"))
        cpu_before = _cpu_s()
        if not go.wait(STARTUP_TIMEOUT):
            raise TimeoutError("no start signal")
        hard_stop = start_at.value + seconds + WALL_GRACE
        seen = report["seen"]
        while True:
            last = stop.is_set() or time.time() >= hard_stop
            began = time.time()
            try:
                entries = exercises.wall(store, exercise)
            except Exception as exc:
                report["errors"].append(_error(exc))
                entries = []
            shown = time.time()
            report["polls"].append(shown - began)
            for entry in entries:
                seen.setdefault((entry.trainee, entry.revision), shown)
            if last:
                break
            time.sleep(max(0.0, poll - (time.time() - began)))
        report["cpu_s"] = _cpu_s() - cpu_before
        store.engine.dispose()
    except Exception as exc:
        report["errors"].append(_error(exc))
        results.put(("ready", "wall"))
    report["peak_rss_mb"] = _peak_rss_mb()
    results.put(("report", report))


@dataclass
class Outcome:
    database: str
    startup_s: float = 0.0
    reports: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stored_rows: int = 0
    stored_revisions: int = 0
    errors: list[str] = field(default_factory=list)
    load_before: float = 0.0    # other work on the machine shows here (2 cores are easily shared)
    load_after: float = 0.0


def run(database: str, url: str, trainees: int, seconds: float, poll: float, seed: int) -> Outcome:
    """One benchmark on one database: create the exercise, run the room, read back what was stored."""
    from casecoach import exercises
    from casecoach.store import Store

    outcome = Outcome(database, load_before=os.getloadavg()[0])
    store = Store.open(url)
    exercise = exercises.create(store, CASE, GOAL, "bench-supervisor")
    ctx = mp.get_context("spawn")
    go, stop, results = ctx.Event(), ctx.Event(), ctx.Queue()
    start_at = ctx.Value("d", 0.0)
    names = [f"trainee-{i:02d}" for i in range(1, trainees + 1)]
    processes = [ctx.Process(target=trainee_process, name=n, daemon=True,
                             args=(n, url, exercise.code, seed * 1000 + i, seconds, go, start_at,
                                   results))
                 for i, n in enumerate(names)]
    wall = ctx.Process(target=wall_process, name="wall", daemon=True,
                       args=(url, exercise.code, poll, seconds, go, start_at, stop, results))
    began = time.time()
    for process in [wall, *processes]:
        process.start()

    reports: dict[str, dict[str, Any]] = {}

    def collect(until: float, want_ready: set[str] | None = None) -> None:
        while time.time() < until:
            if want_ready is not None and not want_ready:
                return
            if want_ready is None and len(reports) == trainees + 1:
                return
            try:
                kind, payload = results.get(timeout=min(1.0, max(0.01, until - time.time())))
            except queue.Empty:
                continue
            if kind == "ready" and want_ready is not None:
                want_ready.discard(payload)
            elif kind == "report":
                reports[payload["name"]] = payload

    waiting = {*names, "wall"}
    collect(began + STARTUP_TIMEOUT, waiting)
    outcome.startup_s = time.time() - began
    if waiting:
        outcome.errors.append(f"not ready within {STARTUP_TIMEOUT:.0f} s: {sorted(waiting)}")
    start_at.value = time.time()
    go.set()
    # Trainees stop sending by themselves at start + seconds; then the wall takes its last look.
    trainee_deadline = start_at.value + seconds + REPORT_TIMEOUT
    while time.time() < trainee_deadline and any(p.is_alive() for p in processes):
        collect(min(trainee_deadline, time.time() + 1.0))
    outcome.load_after = os.getloadavg()[0]
    stop.set()
    collect(time.time() + WALL_GRACE + REPORT_TIMEOUT)
    for process in [wall, *processes]:
        process.join(timeout=5)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
    outcome.reports = list(reports.values())
    outcome.missing = sorted({*names, "wall"} - set(reports))
    rows = store.submissions_for(exercise.id)
    outcome.stored_rows = len(rows)
    outcome.stored_revisions = sum(r["revision"] for r in rows)
    store.engine.dispose()
    return outcome


def _pct(values: list[float], q: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarise(outcome: Outcome, trainees: int, seconds: float, poll: float) -> bool:
    """Print one database's figures; True when everything sent was stored and nothing failed."""
    trainee_reports = [r for r in outcome.reports if r["role"] == "trainee"]
    wall = next((r for r in outcome.reports if r["role"] == "wall"), None)
    sends = [(r["name"], *s) for r in trainee_reports for s in r["sends"]]
    errors = list(outcome.errors) + [f"{r['name']}: {e}" for r in outcome.reports
                                     for e in r["errors"]]
    if outcome.missing:
        errors.append(f"no report from {len(outcome.missing)} process(es): {outcome.missing[:5]}")
    # Each trainee's own sends must come back as revisions 1, 2, 3, ... (no lost update).
    out_of_order = [r["name"] for r in trainee_reports
                    if [s[0] for s in r["sends"]] != list(range(1, len(r["sends"]) + 1))]
    equal = len(sends) == outcome.stored_revisions

    print(f"== {outcome.database}: {trainees} trainees, {seconds:.0f} s, wall every {poll} s "
          f"(processes ready after {outcome.startup_s:.1f} s; 1-min load average "
          f"{outcome.load_before:.1f} before the processes, {outcome.load_after:.1f} at the end)")
    print(f"submissions sent:     {len(sends)} by {len({s[0] for s in sends})} trainees")
    print(f"submissions stored:   {outcome.stored_revisions} (sum of final revisions over "
          f"{outcome.stored_rows} trainees): {'EQUAL' if equal else 'NOT EQUAL'} to sent")
    print("revision numbering:   "
          + ("1, 2, 3, ... for every trainee" if not out_of_order
             else f"gaps or repeats for {len(out_of_order)} trainees: {out_of_order[:5]}"))
    if sends:
        calls = [(done - sent) * 1000 for _, _, sent, done in sends]
        print(f"submit call:          p50 {_pct(calls, 50):.0f} ms, p95 {_pct(calls, 95):.0f} ms, "
              f"max {max(calls):.0f} ms (exercises.submit: closed check, text check, store)")
        in_store = [t * 1000 for r in trainee_reports for t in r["store_s"]]
        if in_store:
            print(f"  of which Store.submit: p50 {_pct(in_store, 50):.0f} ms, "
                  f"p95 {_pct(in_store, 95):.0f} ms, max {max(in_store):.0f} ms")
    if wall is not None and sends:
        seen = wall["seen"]
        latencies = [seen[(name, revision)] - sent for name, revision, sent, _ in sends
                     if (name, revision) in seen]
        unseen = [(name, revision) for name, revision, _, _ in sends if (name, revision) not in seen]
        # A revision replaced by the next one before any poll ran is never on the wall: expected
        # only when the two sends fall within one poll; any other unseen revision is lost.
        finals = {r["name"]: r["sends"][-1][0] for r in trainee_reports if r["sends"]}
        unseen_finals = [u for u in unseen if finals.get(u[0]) == u[1]]
        if latencies:
            print(f"submit-to-wall:       p50 {_pct(latencies, 50):.2f} s, "
                  f"p95 {_pct(latencies, 95):.2f} s, max {max(latencies):.2f} s "
                  f"({len(latencies)} revisions seen; {len(unseen)} replaced before a poll"
                  f"{f', {len(unseen_finals)} FINAL REVISIONS NEVER SHOWN' if unseen_finals else ''})")
            later = [seen[(name, revision)] - sent for name, revision, sent, _ in sends
                     if revision > 1 and (name, revision) in seen]
            if later:   # without the first round, when all trainees send within the same seconds
                print(f"  revisions 2+ only:  p50 {_pct(later, 50):.2f} s, "
                      f"p95 {_pct(later, 95):.2f} s ({len(later)} revisions)")
        if unseen_finals:
            errors.append(f"{len(unseen_finals)} final revisions never reached the wall")
        polls = [p * 1000 for p in wall["polls"]]
        if polls:
            print(f"wall poll (query + reviews): {len(polls)} polls, p50 {_pct(polls, 50):.0f} ms, "
                  f"p95 {_pct(polls, 95):.0f} ms, max {max(polls):.0f} ms")
        queries = [t * 1000 for t in wall["store_s"]]
        if queries:
            print(f"  of which Store.submissions_for: p50 {_pct(queries, 50):.0f} ms, "
                  f"p95 {_pct(queries, 95):.0f} ms, max {max(queries):.0f} ms")
    rss = [r["peak_rss_mb"] for r in trainee_reports]
    if rss:
        print(f"peak RSS:             trainees max {max(rss):.0f} MB (median "
              f"{statistics.median(rss):.0f} MB, sum {sum(rss):.0f} MB), wall "
              + (f"{wall['peak_rss_mb']:.0f} MB" if wall else "n/a"))
    cpu = [r.get("cpu_s", 0.0) for r in trainee_reports]
    if cpu:
        print(f"CPU time in the run:  trainees {sum(cpu):.1f} s together, wall "
              + (f"{wall.get('cpu_s', 0.0):.1f} s" if wall else "n/a")
              + f", over {seconds:.0f} s on {os.cpu_count()} cores")
    print(f"errors:               {len(errors)}")
    for line in sorted(set(errors))[:10]:
        print(f"  {line}")
    return equal and not errors and not out_of_order


def _postgres_schema_url(server: str) -> tuple[str, str]:
    """A new schema on the server for this run, and the URL whose connections use it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop_schema(server: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _loopback_only(url: str) -> None:
    from sqlalchemy.engine import make_url

    host = make_url(url).host
    if host not in (None, "", "localhost", "127.0.0.1", "::1"):
        raise SystemExit(f"--pg must name a server on this machine (loopback), not {host}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=40, help="trainee processes (default 40)")
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="how long trainees keep sending (default 120)")
    parser.add_argument("--poll", type=float, default=0.5, help="wall poll interval (default 0.5 s)")
    parser.add_argument("--pg", default=os.environ.get("CASECOACH_TEST_PG_URL"),
                        help="PostgreSQL SQLAlchemy URL (default $CASECOACH_TEST_PG_URL)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not 1 <= args.trainees <= 200 or not 1 <= args.seconds <= 3600:
        parser.error("--trainees must be 1-200 and --seconds 1-3600")

    ok = True
    with tempfile.TemporaryDirectory(prefix="casecoach-bench-") as folder:
        os.environ.pop("CASECOACH_DB_URL", None)
        os.environ["CASECOACH_DATA"] = folder
        from casecoach.store import database_url

        outcome = run("sqlite", database_url(), args.trainees, args.seconds, args.poll, args.seed)
        ok &= summarise(outcome, args.trainees, args.seconds, args.poll)
    print()
    if not args.pg:
        print("== postgresql: skipped (give --pg URL or set CASECOACH_TEST_PG_URL; "
              "scripts/postgres-test-server starts one)")
        return 0 if ok else 1
    _loopback_only(args.pg)
    url, schema = _postgres_schema_url(args.pg)
    try:
        outcome = run("postgresql", url, args.trainees, args.seconds, args.poll, args.seed)
        ok &= summarise(outcome, args.trainees, args.seconds, args.poll)
    finally:
        _drop_schema(args.pg, schema)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
