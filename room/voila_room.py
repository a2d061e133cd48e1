"""Voila for the room's server (room/service), with its pool of preheated pages handed out ready.

Voila 0.5.13 counts a kernel that is still being started as one of its pool: once the ready ones
are taken, the next person's page waits for a replacement that starts only `fill_delay` seconds
later (the room's 60 s), then for the kernel to start and run the page. Here the pool offers only
kernels that are ready; with none left a page gets a kernel started for it at once, as a page
without a pool does. A replacement that failed to start leaves the pool, and another is started.

And its request socket (/voila/query/KERNEL_ID, where a preheated kernel waits for the request
that takes it: widgets/page.py) loses no request: 0.5.13's on_close removes the last waiter in
its table when the closing socket is no longer in it (a kernel that connected again), which left
another kernel waiting for ever; and a request sent to a socket that had just closed was dropped.
"""

import logging
import sys

from voila import app as voila_app
from voila.request_info_handler import RequestInfoSocketHandler


def _on_close(self) -> None:
    for kernel_id, waiter in list(RequestInfoSocketHandler._waiters.items()):
        if waiter is self:
            del RequestInfoSocketHandler._waiters[kernel_id]


@classmethod
def _send_updates(cls, msg: dict) -> None:
    kernel_id, payload = msg["kernel_id"], msg["payload"]
    waiter = cls._waiters.get(kernel_id)
    if waiter is not None:
        try:
            waiter.write_message(payload)
            return
        except Exception:  # noqa: BLE001 (closed under us: keep it for the kernel's next socket)
            logging.getLogger("voila").warning("Request for kernel %s kept for its next socket",
                                               kernel_id)
    cls._cache[kernel_id] = payload


RequestInfoSocketHandler.on_close = _on_close
RequestInfoSocketHandler.send_updates = _send_updates


def _usable(task) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def _room_factory(base_class, preheat_kernel: bool, default_pool_size: int, **kwargs):
    manager = _original_factory(base_class, preheat_kernel, default_pool_size, **kwargs)
    if not preheat_kernel:
        return manager

    class RoomKernelManager(manager):
        def get_pool_size(self, notebook_name: str) -> int:
            pool = self._pools.get(notebook_name, [])
            failed = [t for t in pool if t.done() and not _usable(t)]
            for task in failed:
                pool.remove(task)
                self.log.warning("A preheated kernel for %s did not start: %s", notebook_name,
                                 "cancelled" if task.cancelled() else task.exception())
            if failed:
                self.fill_if_needed(notebook_name=notebook_name)
            return sum(1 for t in pool if _usable(t))

        async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
            # Voila takes the pool's first entry: put the ready ones first (in their order).
            pool = self._pools.get(notebook_name, [])
            pool.sort(key=lambda t: not _usable(t))
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    return RoomKernelManager


_original_factory = voila_app.voila_kernel_manager_factory
voila_app.voila_kernel_manager_factory = _room_factory

if __name__ == "__main__":
    sys.exit(voila_app.main())
