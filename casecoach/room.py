"""Room mode: who is visiting when the pages run under JupyterHub (the login, never the address)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from casecoach._data import section
from casecoach.errors import CasecoachError

# The room's shared server (room/service, CASECOACH_ROOM_SHARED=1): jhsingle-native-proxy puts
# the Hub login of each request in a header (dropping one the browser sent) and Voila copies it
# into the page's kernel as this variable: {"kind", "name", "admin", "groups"} in JSON.
LOGIN_HEADER_ENV = "HTTP_X_CDSDASHBOARDS_JH_USER"
# A personal server under the Hub (room/singleuser): JupyterHub sets JUPYTERHUB_USER, and
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


class NoLogin(CasecoachError):
    """A page of the room's shared server without the login it was opened with: it serves no one
    rather than guess (the address must never say who someone is)."""


def visitor(environ: dict[str, str] | None = None) -> Visitor | None:
    """The Hub user this page serves, or None outside room mode. A server under the Hub without a
    role (started by another config) is a trainee's: the least it may do."""
    env = os.environ if environ is None else environ
    if env.get("CASECOACH_ROOM_SHARED") == "1":
        return _shared_visitor(env.get(LOGIN_HEADER_ENV, ""))
    user = env.get("JUPYTERHUB_USER", "").strip()
    if not user:
        return None
    role = env.get("CASECOACH_ROOM_ROLE", "").strip()
    return Visitor(user, role if role in (SUPERVISOR, TRAINEE) else TRAINEE)


def _shared_visitor(header: str) -> Visitor:
    try:
        login = json.loads(header) if header else None
    except ValueError:
        login = None
    name = login.get("name") if isinstance(login, dict) else None
    if not isinstance(name, str) or not name.strip() or login.get("kind", "user") != "user":
        raise NoLogin(section("messages.yaml", "room")["no_login"], field="login")
    groups = login.get("groups") or []
    return Visitor(name.strip(), role_for([g for g in groups if isinstance(g, str)]))


def in_room(environ: dict[str, str] | None = None) -> bool:
    """Whether the pages run under JupyterHub (room mode)."""
    return visitor(environ) is not None
