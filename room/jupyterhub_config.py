# casecoach's room mode: a JupyterHub that gives each person in the room their own login, and one
# casecoach server for the whole room (Voila over notebooks/, with the project's voila.json and
# template) as the Hub's service "casecoach" at /services/casecoach/. Each page's kernel knows its
# person from their login. `make serve-room` starts it with this file; every setting is explained
# beside it.
#
# Settings that change from room to room come from the environment (the Makefile passes them):
#   CASECOACH_ROOM_HOST, CASECOACH_ROOM_PORT   where the room connects (default 0.0.0.0:8000)
#   CASECOACH_ROOM_SUPERVISORS                 logins of the supervisors, comma-separated
#                                              (default "supervisor"); everyone else is a trainee
#   CASECOACH_ROOM_DIR                         the Hub's own files (default data/room)
#   CASECOACH_ROOM_HUB_PORT, CASECOACH_ROOM_PROXY_API_PORT
#                                              loopback ports the Hub and its proxy talk on
#                                              (default 8081 and 8001)
#   CASECOACH_ROOM_SERVICE_PORT                loopback port of the room's casecoach server
#                                              (default 8002)
#   CASECOACH_ROOM_CULL_SECONDS                a personal server (see below) idle this long
#                                              is stopped (default 3600)
#   CASECOACH_ROOM_SIZE                        people the room expects at once: its server keeps
#                                              this many start and join pages ready (default
#                                              20; `make serve-room ROOM_SIZE=40`; room/service)
#   CASECOACH_ROOM_REFILL_SECONDS              how long after a ready page is taken another is
#                                              made ready (default 60)
#   CASECOACH_DB_URL, CASECOACH_DATA           the store, as for `make serve` (passed through)
import os
import sys
from pathlib import Path

from nativeauthenticator import NativeAuthenticator

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the .venv the Hub runs from: the same for every user
ROOM = Path(os.environ.get("CASECOACH_ROOM_DIR", REPO / "data" / "room")).resolve()
ROOM.mkdir(parents=True, exist_ok=True, mode=0o700)
SUPERVISORS = {name.strip().lower()
               for name in os.environ.get("CASECOACH_ROOM_SUPERVISORS", "supervisor").split(",")
               if name.strip()}

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)

# --- Where the room connects -------------------------------------------------------------------
# The only public address: the Hub's proxy. Everything else listens on loopback.
c.JupyterHub.bind_url = (f"http://{os.environ.get('CASECOACH_ROOM_HOST', '0.0.0.0')}:"
                         f"{os.environ.get('CASECOACH_ROOM_PORT', '8000')}")
# The Hub's API, which the proxy and each user's server call (loopback only).
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("CASECOACH_ROOM_HUB_PORT", "8081"))
# The proxy is configurable-http-proxy, installed from npm by `make serve-room` into
# room/node_modules (room/package.json); its API on loopback only.
c.ConfigurableHTTPProxy.command = [str(REPO / "room" / "node_modules" / ".bin" /
                                       "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{int(os.environ.get('CASECOACH_ROOM_PROXY_API_PORT', '8001'))}")
# The proxy's auth token is generated at each start (not kept on disk), and the proxy is stopped
# with the Hub: a restarted Hub starts a fresh one.
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.pid_file = str(ROOM / "jupyterhub-proxy.pid")

# --- The Hub's own files (kept out of git: data/ is ignored) -----------------------------------
# Accounts, groups and sessions; the cookie secret that signs logins (created 0600 by the Hub).
c.JupyterHub.db_url = f"sqlite:///{ROOM / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(ROOM / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(ROOM / "jupyterhub.pid")
# Stopping the Hub stops every user's server (and a restarted Hub starts them afresh on login).
c.JupyterHub.cleanup_servers = True


# --- Accounts: NativeAuthenticator, with the supervisor's approval -----------------------------
class RoomAuthenticator(NativeAuthenticator):
    """NativeAuthenticator (sign-up, then a supervisor approves at /hub/authorize) whose logins
    also say the person's group: supervisors (CASECOACH_ROOM_SUPERVISORS) or trainees."""

    async def authenticate(self, handler, data):
        name = await super().authenticate(handler, data)
        if not name:
            return None
        return {"name": name,
                "groups": ["supervisors" if name in SUPERVISORS else "trainees"]}


c.JupyterHub.authenticator_class = RoomAuthenticator
# Anyone may sign up at /hub/signup; nobody may log in until a supervisor approves them.
c.NativeAuthenticator.open_signup = False
# The supervisors' own sign-ups are approved at once (NativeAuthenticator pre-approves the
# allowed users); allow_all lets every approved account log in (approval is the gate).
c.Authenticator.allowed_users = SUPERVISORS
c.Authenticator.allow_all = True
# Groups follow the login (RoomAuthenticator above), so no one can be moved by hand into
# supervisors without being listed in CASECOACH_ROOM_SUPERVISORS.
c.Authenticator.manage_groups = True
# Passwords: at least 8 characters and not on NativeAuthenticator's list of common ones;
# five wrong tries lock the account for ten minutes.
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600
# NativeAuthenticator's own templates (sign-up, approval) beside the Hub's.
import nativeauthenticator  # noqa: E402

c.JupyterHub.template_paths = [f"{os.path.dirname(nativeauthenticator.__file__)}/templates/"]

# --- Roles -------------------------------------------------------------------------------------
# Supervisors approve sign-ups (/hub/authorize needs admin:users) and see who is in the room.
# They are not Hub admins: admins could open any trainee's server, and trainees' drafts are
# theirs alone. Everyone in either group may use the room's casecoach server (the service's
# OAuth checks this scope on every login to it); what each may do there follows their group
# (casecoach/room.py: the supervisor's page and the workspace are for supervisors).
SERVICE = "casecoach"
c.JupyterHub.load_roles = [
    {"name": "supervisor", "description": "Runs the room: approves sign-ups, sees who is in it",
     "groups": ["supervisors"],
     "scopes": ["self", "admin:users", "list:users", "read:users", "admin-ui",
                f"access:services!service={SERVICE}"]},
    {"name": "trainee", "description": "Works the room's exercises in its casecoach server",
     "groups": ["trainees"],
     "scopes": ["self", f"access:services!service={SERVICE}"]},
    {"name": "idle-culler", "description": "Stops servers left idle",
     "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]

# --- The room's casecoach server: one Voila for everyone, as a Hub service ---------------------
# One server for the room instead of one per person: a person's first page then waits for one
# kernel, not for a whole server (Voila, its proxy) to start, and the room's memory is one
# server plus a kernel per open page. room/service runs jhsingle-native-proxy (the Hub's login,
# then the login passed on in a header) in front of one Voila on loopback; each page's kernel
# gets the login of the person who opened it. A kernel is reached only by the id in its own
# page (random, never listed: Voila has no kernel list); Voila's kernels take widget messages
# only, never code.
SERVICE_PORT = int(os.environ.get("CASECOACH_ROOM_SERVICE_PORT", "8002"))
_ROOM_ENV = ("PATH", "LANG", "LC_ALL", "JUPYTER_PATH", "CASECOACH_DB_URL", "CASECOACH_DATA",
             "CASECOACH_DIRECTORY", "CASECOACH_SCENARIOS", "CASECOACH_ROOM_SIZE",
             "CASECOACH_ROOM_REFILL_SECONDS", "CASECOACH_ROOM_PROXY_AT_ONCE")
# After login everyone lands on the room's start page, not on a server of their own (straight
# to the page: the folder's address would render the notebook list first, then send them on).
c.JupyterHub.default_url = f"/services/{SERVICE}/voila/render/00-start-here.ipynb"
c.JupyterHub.redirect_to_server = False

# --- A personal server (not used by the room) --------------------------------------------------
# /hub/spawn still starts a server of one's own (room/singleuser: Voila behind
# jhsingle-native-proxy, only its owner let in) with the same pages; the room does not send
# anyone there. It stays for a supervisor preparing material alone.
# SimpleLocalProcessSpawner runs every user's server as the user who started the Hub (no system
# accounts needed). That is acceptable on one machine only because nobody can run code in these
# servers: each is jhsingle-native-proxy (which lets in only the Hub user who owns it) in front of
# Voila, and Voila's kernels take widget messages only, never code. Who is who in the pages comes
# from JUPYTERHUB_USER and CASECOACH_ROOM_ROLE below, and the store checks owners on each read.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
# Each user's HOME (Jupyter's runtime files, IPython's settings), one folder per login.
c.SimpleLocalProcessSpawner.home_dir_template = str(ROOM / "home" / "{username}")
# room/singleuser runs from the repository root (so Voila reads voila.json and finds our
# template) and starts jhsingle-native-proxy with Voila behind it on a free loopback port.
c.Spawner.cmd = [str(REPO / "room" / "singleuser")]
c.Spawner.environment = {
    "CASECOACH_VENV_BIN": str(BIN),
    # The person's role for the pages (casecoach/room.py), from their Hub groups at spawn time.
    "CASECOACH_ROOM_ROLE": lambda spawner: (
        "supervisor" if any(g.name == "supervisors" for g in spawner.user.groups)
        else "trainee"),
}
# The store and data settings of the Hub's environment reach every user's server.
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "JUPYTER_PATH", "CASECOACH_DB_URL",
                      "CASECOACH_DATA", "CASECOACH_DIRECTORY", "CASECOACH_SCENARIOS"]
# A server answers once jhsingle-native-proxy listens; Voila starts on the first page.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# After logging in, a person lands on the start page (tree-lab.html sends / there).
c.Spawner.default_url = "/"

# --- The idle culler ---------------------------------------------------------------------------
# jupyterhub-idle-culler stops a user's server after CASECOACH_ROOM_CULL_SECONDS without
# activity (a closed laptop); the person's work is in the store, and logging in starts a new one.
# Voila itself still shuts a closed page's kernel at once (voila.json).
c.JupyterHub.services = [
    {"name": SERVICE, "display": True,
     # The Hub starts it with the Hub and stops it with the Hub (a managed service), and starts
     # it again when it exits (the Hub looks every 30 s; a Voila that dies under its proxy is
     # started again by the proxy at once). Open pages say their connection was lost, keep
     # their text, and reload with it when the server is back (connection.js).
     # A Hub that crashes cannot stop it: the server runs on in its own session, and so does
     # configurable-http-proxy, so open pages keep working and submitting while the supervisor
     # restarts the room (the server trusts a login it checked for five minutes, HubAuth's
     # cache, so even a page opened then loads). That serves a room better than a server that
     # dies with the Hub, which would end every page's work at once. The restarted Hub stops
     # the old proxy (its pid file, above), and its new server replaces the old one
     # (room/replace_previous.py, by the pid file below, only if it names a process of ours):
     # the old one holds the port and logs people in with a secret the new Hub no longer
     # knows. Open pages then say their session ended, and reload with their text. Every
     # submit is in the store already; nothing is kept only in a server.
     "url": f"http://127.0.0.1:{SERVICE_PORT}",
     "command": [str(REPO / "room" / "service")],
     "environment": {"CASECOACH_VENV_BIN": str(BIN), "CASECOACH_ROOM_SHARED": "1",
                     "CASECOACH_SERVICE_PIDFILE": str(ROOM / "casecoach-service.pid"),
                     **{k: os.environ[k] for k in _ROOM_ENV if k in os.environ}},
     # Logging in to it needs no extra "allow casecoach to know who you are" click.
     "oauth_no_confirm": True},
    # room/idle-culler runs it, first stopping a culler a crashed Hub left running (as above).
    {"name": "idle-culler",
     "command": [str(REPO / "room" / "idle-culler"),
                 f"--timeout={int(os.environ.get('CASECOACH_ROOM_CULL_SECONDS', '3600'))}",
                 "--cull-every=60"],
     "environment": {"CASECOACH_VENV_BIN": str(BIN),
                     "CASECOACH_CULLER_PIDFILE": str(ROOM / "idle-culler.pid")}},
]
