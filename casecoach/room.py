"""Room mode: who is visiting when the pages run under JupyterHub (the login, never the address)."""

from __future__ import annotations

import os
from dataclasses import dataclass

# JupyterHub sets JUPYTERHUB_USER for each user's server (and so for its page kernels);
# room/jupyterhub_config.py sets CASECOACH_ROOM_ROLE from the user's Hub groups at spawn time.
SUPERVISOR, TRAINEE = "supervisor", "trainee"
SUPERVISORS_GROUP, TRAINEES_GROUP = "supervisors", "trainees"
# Pages a trainee may not use in room mode: the supervisor's page (its controls and the progress
# of every trainee) and the real-client workspace.
SUPERVISOR_PAGES = frozenset({"06-group-exercise"})
STAFF_PAGES = frozenset({"05-workspace"})


@dataclass(frozen=True)
class Visitor:
    """The person a page serves in room mode: their Hub login and their role."""

    user: str
    role: str

    @property
    def supervisor(self) -> bool:
        return self.role == SUPERVISOR

    def may_open(self, page: str) -> bool:
        """Whether this visitor may use the page (a module key such as "06-group-exercise")."""
        if page in SUPERVISOR_PAGES or page in STAFF_PAGES:
            return self.supervisor
        return True


def role_for(groups: list[str] | set[str]) -> str:
    """The role of a Hub user in these groups: supervisor for the supervisors group, else trainee."""
    return SUPERVISOR if SUPERVISORS_GROUP in set(groups) else TRAINEE


def visitor(environ: dict[str, str] | None = None) -> Visitor | None:
    """The Hub user of this server, or None outside room mode. A server under the Hub without a
    role (started by another config) is a trainee's: the least it may do."""
    env = os.environ if environ is None else environ
    user = env.get("JUPYTERHUB_USER", "").strip()
    if not user:
        return None
    role = env.get("CASECOACH_ROOM_ROLE", "").strip()
    return Visitor(user, role if role in (SUPERVISOR, TRAINEE) else TRAINEE)


def in_room(environ: dict[str, str] | None = None) -> bool:
    """Whether the pages run under JupyterHub (room mode)."""
    return visitor(environ) is not None
