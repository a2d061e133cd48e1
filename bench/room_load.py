"""A room joining at once: N trainees log in to a real JupyterHub in Chromium, join, submit and revise."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from harness import (ARTIFACTS, CHROMIUM_ARGS, VoilaServer, _children, _cpu_ticks,  # noqa: E402
                     find_chromium)
from hub_harness import PASSWORD, RoomHub  # noqa: E402

GOAL = "Marcus: Parolee must find suitable housing."
CLOCK_TICKS = 100  # Linux USER_HZ
ROOM = "services/casecoach/"  # the room's one casecoach server (room/service)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def room_server(hub: RoomHub) -> list[int]:
    """The room's casecoach server (room/service: native_proxy.py, its Voila, the pages' kernels)."""
    for pid in _children(hub.proc.pid):
        line = _cmdline(pid)
        if b"native_proxy.py" in line and b"--forward-user-info" in line:
            return [pid, *_children(pid)]
    return []


def kernel_pids(pids: list[int]) -> list[int]:
    return [p for p in pids if b"ipykernel" in _cmdline(p)]


def machine_busy_ticks() -> int:
    """Busy CPU ticks of the whole machine so far (all cores: /proc/stat less idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bare_kernel_mb() -> float:
    """RSS of the kernel of bench/bare.ipynb (one textarea) in a plain Voila, for comparison."""
    from playwright.sync_api import sync_playwright

    with VoilaServer(root="bench/bare.ipynb", log_name="room-bench-bare",
                     extra_args=("--VoilaConfiguration.preheat_kernel=False",)) as server, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(p), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_selector(".cc-goal-input textarea", timeout=120_000)
        time.sleep(2)
        sizes = [rss_mb(k) for k in kernel_pids(_children(server.proc.pid))]
        browser.close()
    return max(sizes) if sizes else float("nan")


async def _sign_up(page, url: str, name: str) -> None:
    await page.goto(f"{url}hub/signup")
    await page.fill("#username_input", name)
    if await page.locator("#email_input").count():
        await page.fill("#email_input", f"{name}@example.org")
    await page.fill("#password_input", PASSWORD)
    await page.fill("#password_confirmation_input", PASSWORD)
    await page.click("#signup_submit")
    await page.wait_for_load_state()


async def _log_in(page, url: str, name: str) -> None:
    await page.goto(f"{url}hub/login")
    await page.fill("#username_input", name)
    await page.fill("#password_input", PASSWORD)
    # A room logging in at once keeps the Hub busy (bcrypt, spawns): the click does not wait
    # for the next page, the caller waits for the person's server with its own timeout.
    await page.click("#login_submit", no_wait_after=True, timeout=300_000)


KERNEL_SOCKET = re.compile(r"/api/kernels/([0-9a-f-]{36})/channels")


def kernel_pid(tree: list[int], kernel_id: str) -> int | None:
    """The process of the kernel with this id (its connection file is named after it)."""
    for pid in tree:
        if f"kernel-{kernel_id}.json".encode() in _cmdline(pid):
            return pid
    return None


def wait_for_pools(hub: RoomHub, timeout: float = 600.0) -> float:
    """Seconds until the room's server says both its pools (start page, join page) are full."""
    start = time.time()
    while time.time() - start < timeout:
        if hub.log_path.read_text(errors="replace").count("is filled with") >= 2:
            return time.time() - start
        time.sleep(1)
    raise RuntimeError(f"the room's pools did not fill in {timeout:.0f} s (see {hub.log_path})")


async def run_room(n: int, seconds: float, browsers: int, wait_ms: int = 480_000,
                   room_size: int = 40) -> dict:
    from playwright.async_api import async_playwright

    hub = RoomHub(supervisors=("sup",), log_name=f"room-bench-{n}",
                  env={"CASECOACH_ROOM_SIZE": str(room_size)})
    started = time.time()
    hub.start()
    result: dict = {"n": n, "pools_s": wait_for_pools(hub) + (time.time() - started)}
    try:
        async with async_playwright() as p:
            exe = find_chromium(p)
            pool = [await p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
                    for _ in range(browsers)]
            names = [f"t{i:02d}" for i in range(n)]
            sup_context = await pool[0].new_context(viewport={"width": 1280, "height": 800})
            sup = await sup_context.new_page()
            await _sign_up(sup, hub.url, "sup")
            contexts = {}
            for index, name in enumerate(names):
                contexts[name] = await pool[index % browsers].new_context(
                    viewport={"width": 1280, "height": 800})
                contexts[name].set_default_timeout(300_000)
                page = await contexts[name].new_page()
                await _sign_up(page, hub.url, name)
                await page.close()
            await _log_in(sup, hub.url, "sup")
            await sup.wait_for_url("**/services/casecoach/**", timeout=300_000)
            for name in names:
                await sup.goto(f"{hub.url}hub/authorize/{name}")
            await sup.goto(f"{hub.url}{ROOM}voila/render/06-group-exercise.ipynb")
            await sup.wait_for_selector(".cc-start-exercise", timeout=300_000)
            await sup.locator(".cc-exercise-item select").select_option(label=GOAL)
            await sup.locator(".cc-start-exercise").click()
            await sup.wait_for_selector('.cc-code[data-state="open"]', timeout=60_000)
            code = await sup.locator(".cc-code").get_attribute("data-code")
            await sup.locator(".cc-show-names").click()  # cards then carry the logins

            ticks0, clock0 = _cpu_ticks(_children(hub.proc.pid) + [hub.proc.pid]), time.time()
            usable: dict[str, float] = {}
            spawned: dict[str, float] = {}  # login to the Hub sending them to the room's server
            failed: dict[str, str] = {}
            sent: dict[str, list[tuple[int, float]]] = {name: [] for name in names}
            page_kernels: dict[str, str] = {}  # trainee: the id of their join page's kernel
            seen: dict[tuple[str, int], float] = {}
            done = asyncio.Event()

            async def watch_wall() -> None:
                while not done.is_set():
                    try:
                        cards = await sup.eval_on_selector_all(
                            ".cc-wallgrid .cc-card", "cs => cs.map(c => [c.dataset.trainee, "
                            "+c.dataset.revision])")
                    except Exception:  # noqa: BLE001 (the wall redraws under us)
                        cards = []
                    now = time.time()
                    for trainee, revision in cards:
                        for r in range(1, int(revision) + 1):
                            seen.setdefault((trainee, r), now)
                    await asyncio.sleep(0.1)

            async def trainee(name: str) -> None:
                page = await contexts[name].new_page()

                def note_kernel(socket) -> None:
                    found = KERNEL_SOCKET.search(socket.url)
                    if found and "07-join-exercise" in page.url:
                        page_kernels[name] = found.group(1)

                page.on("websocket", note_kernel)
                start = time.time()
                try:
                    await _log_in(page, hub.url, name)
                    await page.wait_for_url("**/services/casecoach/**", timeout=480_000)
                    spawned[name] = time.time() - start
                    await page.goto(f"{hub.url}{ROOM}voila/render/07-join-exercise.ipynb"
                                    f"?code={code}", timeout=480_000)
                    box = page.locator(".cc-goal-input textarea")
                    await box.wait_for(timeout=wait_ms)
                    usable[name] = time.time() - start
                    revision = 0
                    until = time.time() + seconds
                    while time.time() < until:
                        revision += 1
                        await box.fill(f"Within {revision + 1} weeks, Marcus will apply to 3 "
                                       f"fair-chance housing programs with his sister Denise "
                                       f"({name} r{revision}).")
                        await page.locator(".cc-submit").click()
                        sent[name].append((revision, time.time()))
                        await page.locator(".cc-exercise-message").filter(
                            has_text="ubmitted").wait_for(timeout=60_000)
                        await asyncio.sleep(10)
                except Exception as exc:  # noqa: BLE001 (a page that failed is a figure)
                    failed[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                    try:  # what the trainee saw, to look at
                        await page.screenshot(path=str(ARTIFACTS / f"room-bench-{n}-{name}.png"))
                        failed[name] += " | " + (await page.locator("body").inner_text())[:160]
                    except Exception:  # noqa: BLE001
                        pass

            samples: list[tuple[float, int, int]] = []  # (time, machine busy, room server ticks)

            async def sample_cpu() -> None:
                while not done.is_set():
                    samples.append((time.time(), machine_busy_ticks(),
                                    _cpu_ticks(_children(hub.proc.pid) + [hub.proc.pid])))
                    await asyncio.sleep(1)

            sampler = asyncio.create_task(sample_cpu())
            rush_start = time.time()
            watcher = asyncio.create_task(watch_wall())
            await asyncio.gather(*(trainee(name) for name in names))
            await asyncio.sleep(5)
            done.set()
            await watcher
            await sampler
            # The arrival: from the room opening at once to its last page being usable. Cores
            # busy on the whole machine (40 Chromium pages share it) and in the room's server.
            arrived = rush_start + max(usable.values(), default=0.0)
            window = [s for s in samples if s[0] <= arrived] or samples[:1]
            span = max(window[-1][0] - samples[0][0], 1e-9)
            result["rush_machine"] = (window[-1][1] - samples[0][1]) / CLOCK_TICKS / span
            result["rush_room"] = (window[-1][2] - samples[0][2]) / CLOCK_TICKS / span
            ticks1, clock1 = _cpu_ticks(_children(hub.proc.pid) + [hub.proc.pid]), time.time()

            tree = room_server(hub)
            kernels = kernel_pids(tree)
            # The room's server (proxy + Voila) without its kernels; each trainee's join page's
            # kernel (found by the id its page connected with), and those waiting in the pools.
            server_mb = [sum(rss_mb(p) for p in tree if p not in kernels)]
            in_use = {kernel_pid(tree, k) for k in page_kernels.values()} - {None}
            kernel_mb = [rss_mb(k) for k in in_use]
            result["waiting_mb"] = [rss_mb(k) for k in kernels if k not in in_use]
            lags = [seen[(name, r)] - at for name in names for r, at in sent[name]
                    if (name, r) in seen]
            result.update(
                usable=list(usable.values()), spawned=list(spawned.values()), failed=failed,
                lags=lags,
                sent=sum(len(v) for v in sent.values()),
                on_wall=sum(1 for name in names for r, _at in sent[name] if (name, r) in seen),
                server_mb=server_mb, kernel_mb=kernel_mb,
                cpu=(ticks1 - ticks0) / CLOCK_TICKS / max(clock1 - clock0, 1e-9))
            from casecoach import exercises as ex
            from casecoach.store import Store

            store = Store.open(f"sqlite:///{hub.env['CASECOACH_DATA']}/casecoach.sqlite")
            stored = ex.wall(store, ex.join(store, code))
            result["stored"] = sum(e.revision for e in stored)
            for browser in pool:
                await browser.close()
    finally:
        hub.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[10, 20, 40],
                        help="room sizes to run, one after the other")
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="how long each trainee keeps revising after joining")
    parser.add_argument("--browsers", type=int, default=4, help="Chromium processes for the room")
    parser.add_argument("--room-size", type=int, default=40,
                        help="CASECOACH_ROOM_SIZE of the room's server: pages preheated each for "
                             "the start page and the join page")
    parser.add_argument("--wait", type=float, default=480.0,
                        help="seconds a trainee's join page may take to be usable before it counts "
                             "as failed (its screenshot goes to artifacts/)")
    args = parser.parse_args(argv)
    bare = bare_kernel_mb()
    print(f"bare Voila kernel (bench/bare.ipynb): {bare:.0f} MB")
    print("N   usable p50/p95/max s   logged in p50 s   wall p50/p95 s   room server MB   "
          "kernel MB (x bare)   CPU cores   failed   sent/on wall/stored")
    for n in args.n:
        r = asyncio.run(run_room(n, args.seconds, args.browsers, int(args.wait * 1000),
                                 args.room_size))
        u, lag = r["usable"], r["lags"]
        server = statistics.mean(r["server_mb"]) if r["server_mb"] else float("nan")
        kernel = statistics.mean(r["kernel_mb"]) if r["kernel_mb"] else float("nan")
        print(f"{n:<3} {pct(u, .5):6.1f}/{pct(u, .95):5.1f}/{max(u, default=float('nan')):5.1f}"
              f"      {pct(r['spawned'], .5):8.1f}"
              f"      {pct(lag, .5):5.2f}/{pct(lag, .95):5.2f}     {server:7.0f}   "
              f"{kernel:5.0f} ({kernel / bare:.2f}x)        {r['cpu']:5.2f}      "
              f"{len(r['failed']):>3}      {r['sent']}/{r['on_wall']}/{r['stored']}",
              flush=True)
        waiting = r["waiting_mb"]
        print(f"    while the room arrived: machine {r['rush_machine']:.2f} cores busy (of "
              f"{os.cpu_count()}), the room's server {r['rush_room']:.2f}; the rest is the "
              f"browsers and this script")
        print(f"    pools full {r['pools_s']:.0f} s after the Hub started; page kernels "
              f"{len(r['kernel_mb'])}, max {max(r['kernel_mb'], default=float('nan')):.0f} MB; "
              f"{len(waiting)} kernels waiting in the pools, mean "
              f"{statistics.mean(waiting) if waiting else float('nan'):.0f} MB")
        for name, why in sorted(r["failed"].items()):
            print(f"    failed {name}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
