"""The cluster's files (deploy/) say what room mode says, and build what `make serve` builds."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from traitlets import HasTraits
from traitlets.config import Config

from harness import ARTIFACTS, REPO, _terminate, free_port
from hub_harness import PASSWORD, PROXY, hub_missing

DEPLOY = REPO / "deploy"
IMAGE_ROOT = "/opt/casecoach"  # where deploy/Dockerfile puts the repository (WORKDIR)

# Top-level keys of the Zero to JupyterHub chart's values (chart 4.x, its values.schema.json), and
# the keys under hub: that these values use. The chart rejects unknown keys; without the chart
# here (no network at test time) this list stands for its schema.
CHART_TOP_KEYS = {"enabled", "fullnameOverride", "nameOverride", "custom", "imagePullSecret",
                  "imagePullSecrets", "hub", "proxy", "singleuser", "scheduling", "prePuller",
                  "ingress", "httpRoute", "cull", "debug", "rbac", "global"}
CHART_HUB_KEYS = {"revisionHistoryLimit", "config", "command", "args", "cookieSecret",
                  "concurrentSpawnLimit", "consecutiveFailureLimit", "activeServerLimit", "db",
                  "labels", "annotations", "deploymentStrategy", "extraConfig", "extraFiles",
                  "fsGid", "service", "pdb", "existingSecret", "nodeSelector", "tolerations",
                  "allowNamedServers", "namedServerLimitPerUser", "authenticatePrometheus",
                  "redirectToServer", "shutdownOnLogout", "templatePaths", "templateVars",
                  "livenessProbe", "readinessProbe", "image", "networkPolicy", "resources",
                  "podSecurityContext", "containerSecurityContext", "lifecycle", "loadRoles",
                  "services", "extraEnv", "extraContainers", "extraVolumes", "extraVolumeMounts",
                  "extraPodSpec", "initContainers", "serviceAccount", "baseUrl"}
# Deeper settings these values use, as the chart names them; below the FREE_FORM ones the chart
# passes what it is given on (to JupyterHub, or into a Kubernetes object).
CHART_PATHS = {"hub.db.type", "hub.db.url", "proxy.https.enabled", "proxy.https.type",
               "proxy.https.hosts", "proxy.https.letsencrypt.contactEmail",
               "proxy.chp.resources", "proxy.chp.networkPolicy.egress", "cull.enabled",
               "cull.timeout", "cull.every", "prePuller.hook.enabled",
               "prePuller.continuous.enabled", "scheduling.userScheduler.enabled",
               "scheduling.userPlaceholder.enabled"}
FREE_FORM = {"hub.config", "hub.extraEnv", "hub.extraVolumes", "hub.extraVolumeMounts",
             "hub.services", "hub.loadRoles", "hub.extraConfig", "hub.resources"} | CHART_PATHS
CHART_DB_TYPES = {"sqlite-pvc", "sqlite-memory", "mysql", "postgres"}
# The Zero to JupyterHub chart major version for each JupyterHub major version it ships.
CHART_FOR_JUPYTERHUB = {5: 4}


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))


def _manifests() -> dict[str, dict]:
    docs = yaml.safe_load_all((DEPLOY / "casecoach.yaml").read_text(encoding="utf-8"))
    return {doc["kind"]: doc for doc in docs}


def _container() -> dict:
    return _manifests()["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def _env(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container["env"]}


def _hub_env(values: dict) -> dict[str, str]:
    """The hub pod's literal environment (hub.extraEnv entries with a plain value)."""
    return {k: v for k, v in values["hub"]["extraEnv"].items() if isinstance(v, str)}


def _service_name(values: dict) -> str:
    (name,) = values["hub"]["services"]
    return name


def _chart_config(values: dict, env: dict[str, str]) -> Config:
    """The Hub config the chart builds from these values, for what they set: hub.config, then
    hub.loadRoles and hub.services (dicts of dicts, their keys the names), then every extraConfig
    snippet in name order, run with `c` in scope as the chart's jupyterhub_config.py runs them."""
    c = Config()
    for section, traits in values["hub"]["config"].items():
        for name, value in traits.items():
            setattr(getattr(c, section), name, value)
    c.JupyterHub.load_roles = [dict(role, name=name)
                               for name, role in values["hub"]["loadRoles"].items()]
    c.JupyterHub.services = [dict(service, name=name)
                             for name, service in values["hub"]["services"].items()]
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        for name in sorted(values["hub"]["extraConfig"]):
            code = compile(values["hub"]["extraConfig"][name], f"hub.extraConfig.{name}", "exec")
            exec(code, {"c": c})  # noqa: S102 (the chart runs these snippets the same way)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return c


def _room_config(env: dict[str, str], folder: Path) -> Config:
    """room/jupyterhub_config.py evaluated as `make serve-room` has JupyterHub load it."""
    c = Config()
    saved = dict(os.environ)
    os.environ.update(env, CASECOACH_ROOM_DIR=str(folder))
    try:
        path = REPO / "room" / "jupyterhub_config.py"
        code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
        exec(code, {"get_config": lambda: c, "__file__": str(path)})  # noqa: S102
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return c


def _room_service_command() -> list[str]:
    """room/service's exec line as argv, its shell variables filled in as on a machine."""
    text = (REPO / "room" / "service").read_text(encoding="utf-8")
    line = re.search(r"^exec (.*?[^\\])$", text, re.M | re.S).group(1)
    line = line.replace("\\\n", " ")
    words = shlex.split(line)
    # the pools and refill delay at room/service's defaults (its size and refill lines)
    size = re.search(r'CASECOACH_ROOM_SIZE:-(\d+)', text).group(1)
    refill = re.search(r'CASECOACH_ROOM_REFILL_SECONDS:-(\d+)', text).group(1)
    pools = re.search(r'^pools="(.*)"$', text, re.M).group(1).replace('\\"', '"')
    fill = {"$bin": str(REPO / ".venv" / "bin"),
            "$repo": str(REPO), "${prefix%/}": "/services/casecoach",
            "$pools": pools.replace("$size", size), "$refill": refill}
    out = []
    for word in words:
        for var, value in fill.items():
            word = word.replace(var, value)
        out.append(word)
    return out


def _deployment_command() -> list[str]:
    return [word.replace(IMAGE_ROOT, str(REPO)) for word in _container()["command"]]


# --- The values file ---------------------------------------------------------------------------

def test_values_use_only_keys_the_chart_reads():
    """deploy/values.yaml parses, and every setting it makes is one the chart has."""
    values = _values()
    assert set(values) <= CHART_TOP_KEYS, set(values) - CHART_TOP_KEYS
    assert set(values["hub"]) <= CHART_HUB_KEYS, set(values["hub"]) - CHART_HUB_KEYS

    def unknown(tree: dict, prefix: str) -> list[str]:
        found = []
        for key, value in tree.items():
            path = f"{prefix}{key}"
            if path in FREE_FORM:
                continue
            found += unknown(value, path + ".") if isinstance(value, dict) else [path]
        return found

    assert unknown(values, "") == [], "settings the chart does not have (or not listed here)"
    assert values["hub"]["db"]["type"] in CHART_DB_TYPES
    # hub.services, hub.loadRoles and hub.extraConfig are dicts (the chart names list entries by
    # their keys); each role has scopes, each service a url (an external service: no command).
    assert all(isinstance(role["scopes"], list) for role in values["hub"]["loadRoles"].values())
    for service in values["hub"]["services"].values():
        assert urllib.parse.urlsplit(service["url"]).scheme == "http"
        assert "command" not in service and "apiToken" not in service
    assert all(isinstance(code, str) for code in values["hub"]["extraConfig"].values())


def test_hub_config_names_real_settings_with_valid_values():
    """Every hub.config setting is a configurable trait of JupyterHub or its authenticator, and its
    value is one that trait accepts (the chart passes them to JupyterHub unchanged)."""
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from nativeauthenticator import NativeAuthenticator

    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator,
               "NativeAuthenticator": NativeAuthenticator}
    config = _values()["hub"]["config"]
    assert set(config) <= set(classes), set(config) - set(classes)
    for section, traits in config.items():
        cls = classes[section]
        known = cls.class_traits(config=True)
        unknown = set(traits) - set(known)
        assert not unknown, f"hub.config.{section}: not settings of {cls.__name__}: {unknown}"
        # Each value through its trait's own check (a TraitError otherwise), as loading the
        # config does (without starting a Hub or an authenticator's database).
        for name, value in traits.items():
            checked = known[name].validate(HasTraits(), value)
            expected = NativeAuthenticator if name == "authenticator_class" else value
            assert checked == expected, f"hub.config.{section}.{name}"


def test_extra_config_is_python_that_sets_the_room_authenticator():
    """Each extraConfig snippet compiles, and run as the chart runs it the Hub gets the room's
    NativeAuthenticator subclass, the supervisors as allowed users, and no personal servers."""
    from nativeauthenticator import NativeAuthenticator

    values = _values()
    c = _chart_config(values, _hub_env(values))
    assert issubclass(c.JupyterHub.authenticator_class, NativeAuthenticator)
    supervisors = {n.strip().lower() for n in
                   _hub_env(values)["CASECOACH_ROOM_SUPERVISORS"].split(",")}
    assert c.Authenticator.allowed_users == supervisors
    with pytest.raises(RuntimeError, match="no personal servers"):
        c.Spawner.pre_spawn_hook(None)


def test_values_say_what_room_config_says(tmp_path):
    """The accounts, roles, landing page and service settings the values give the cluster's Hub are
    those room/jupyterhub_config.py gives `make serve-room`'s (the authenticator's code included)."""
    values = _values()
    env = {"CASECOACH_ROOM_SUPERVISORS": "alex, Sam"}
    cluster = _chart_config(values, env)
    room = _room_config(env, tmp_path)

    assert dict(cluster.NativeAuthenticator) == dict(room.NativeAuthenticator)
    for trait in ("allow_all", "manage_groups", "allowed_users"):
        assert cluster.Authenticator[trait] == room.Authenticator[trait], trait
    # Where people land after login: the default_url decides (redirect_to_server counts only
    # without one).
    for trait in ("default_url", "template_paths"):
        assert cluster.JupyterHub[trait] == room.JupyterHub[trait], trait
    # The same authenticator: same name, same compiled authenticate().
    ours, theirs = cluster.JupyterHub.authenticator_class, room.JupyterHub.authenticator_class
    assert ours.__name__ == theirs.__name__ and ours.__mro__[1] is theirs.__mro__[1]
    a, b = ours.authenticate.__code__, theirs.authenticate.__code__
    assert (a.co_code, a.co_consts[1:], a.co_names) == (b.co_code, b.co_consts[1:], b.co_names)

    # Roles by name; the idle culler's own role comes with the chart's cull service.
    cluster_roles = {r["name"]: r for r in cluster.JupyterHub.load_roles}
    room_roles = {r["name"]: r for r in room.JupyterHub.load_roles if r.get("groups")}
    assert cluster_roles == room_roles
    # The shared server: same name and OAuth settings; on the cluster it is external (no command).
    (cluster_service,) = cluster.JupyterHub.services
    room_service = next(s for s in room.JupyterHub.services if s["name"] == cluster_service["name"])
    for key in ("display", "oauth_no_confirm"):
        assert cluster_service.get(key) == room_service.get(key), key
    assert cluster.JupyterHub.default_url.startswith(f"/services/{cluster_service['name']}/")
    # The culler: room/jupyterhub_config.py's default timeout and period.
    culler = next(s for s in room.JupyterHub.services if s["name"] == "idle-culler")
    args = dict(a.split("=", 1) for a in culler["command"] if a.startswith("--"))
    assert values["cull"]["enabled"] is True
    assert (values["cull"]["timeout"], values["cull"]["every"]) == (
        int(args["--timeout"]), int(args["--cull-every"]))
    # What the room's server gets in its environment, the cluster's gets too.
    env = _env(_container())
    for key, value in room_service["environment"].items():
        if key.startswith("CASECOACH_ROOM"):
            assert env[key]["value"] == value, key


# --- The casecoach server on the cluster -------------------------------------------------------

def test_casecoach_server_runs_room_service_with_only_its_address_changed():
    """The Deployment's command is room/service's exec line, argument for argument, except that
    jhsingle-native-proxy listens on the pod's address instead of loopback."""
    ours, theirs = _deployment_command(), _room_service_command()
    assert len(ours) == len(theirs), (ours, theirs)
    differ = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
    ip = theirs.index("--ip") + 1
    assert differ == [(ip, "0.0.0.0", "127.0.0.1")]
    container = _container()
    assert container["workingDir"] == IMAGE_ROOT  # room/service runs from the repository root
    assert _env(container)["JUPYTER_PATH"]["value"] == f"{IMAGE_ROOT}/share/jupyter"


def test_names_line_up_between_values_manifests_and_hub():
    """The service's name, address, prefix, OAuth client, token Secret and access scope are the
    same wherever the values, the Deployment, its Service and the Hub's rules name them."""
    values, manifests = _values(), _manifests()
    name = _service_name(values)
    url = urllib.parse.urlsplit(values["hub"]["services"][name]["url"])
    service, deployment = manifests["Service"], manifests["Deployment"]
    pod = deployment["spec"]["template"]
    env = _env(_container())
    value = {k: e.get("value") for k, e in env.items()}
    prefix = f"/services/{name}/"

    assert (url.hostname, url.port) == (service["metadata"]["name"], service["spec"]["ports"][0]["port"])
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    port = _container()["ports"][0]
    assert service["spec"]["ports"][0]["targetPort"] in (port["name"], port["containerPort"])
    assert urllib.parse.urlsplit(value["JUPYTERHUB_SERVICE_URL"]).port == port["containerPort"]
    assert value["JUPYTERHUB_SERVICE_NAME"] == name
    assert value["JUPYTERHUB_CLIENT_ID"] == f"service-{name}"
    assert value["JUPYTERHUB_SERVICE_PREFIX"] == prefix
    assert value["JUPYTERHUB_OAUTH_CALLBACK_URL"] == prefix + "oauth_callback"
    assert f"--Voila.base_url={prefix}" in _container()["command"]
    assert values["hub"]["config"]["JupyterHub"]["default_url"].startswith(prefix)
    # The chart keeps a generated token for each hub.services entry in its Secret "hub".
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub", "key": f"hub.services.{name}.apiToken"}
    # Who may come in is what the roles grant, to both groups casecoach/room.py knows.
    from casecoach.room import SUPERVISORS_GROUP, TRAINEES_GROUP

    scope = f"access:services!service={name}"
    assert json.loads(value["JUPYTERHUB_OAUTH_ACCESS_SCOPES"]) == [scope]
    granted = {g for role in values["hub"]["loadRoles"].values() if scope in role["scopes"]
               for g in role["groups"]}
    assert granted == {SUPERVISORS_GROUP, TRAINEES_GROUP}
    # The network: the chart's proxy may reach the pod, the pod may reach the Hub.
    (rule,) = values["proxy"]["chp"]["networkPolicy"]["egress"]
    assert rule["to"][0]["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert rule["ports"][0]["port"] == port["containerPort"]
    assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    policy = manifests["NetworkPolicy"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert policy["spec"]["ingress"][0]["ports"][0]["port"] == port["containerPort"]


def test_store_and_hub_database_are_postgresql_over_tls_with_secrets():
    """The casecoach server's store and the Hub's database are PostgreSQL, their passwords come from
    Secrets (never the files), and both check the server's certificate with a mounted CA."""
    values, container = _values(), _container()
    env = _env(container)
    assert env["CASECOACH_DB_URL"]["valueFrom"]["secretKeyRef"]["key"]
    assert "value" not in env["CASECOACH_DB_URL"]
    db = values["hub"]["db"]
    assert db["type"] == "postgres" and db["url"].startswith("postgresql")
    assert "password" not in db and ":" not in urllib.parse.urlsplit(db["url"]).netloc.split("@")[0]
    assert values["hub"]["extraEnv"]["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["key"]
    pod_volumes = _manifests()["Deployment"]["spec"]["template"]["spec"]["volumes"]
    for env_value, mounts, volumes in (
            (values["hub"]["extraEnv"], values["hub"]["extraVolumeMounts"],
             values["hub"]["extraVolumes"]),
            ({k: e.get("value") for k, e in env.items()}, container["volumeMounts"], pod_volumes)):
        assert env_value["PGSSLMODE"] == "verify-full"
        ca = Path(env_value["PGSSLROOTCERT"])
        mount = next(m for m in mounts if ca.is_relative_to(m["mountPath"]))
        volume = next(v for v in volumes if v["name"] == mount["name"])
        assert "secret" in volume


# --- The image ---------------------------------------------------------------------------------

def _dockerfile() -> list[tuple[str, str]]:
    """deploy/Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines()
                                          if not line.lstrip().startswith("#")))
    return [(m.group(1).upper(), m.group(2).strip())
            for m in re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", text, re.M)]


def _make_dry_run(target: str) -> list[str]:
    """The install commands `make -n -B TARGET` would run (pip and npm lines), nothing run."""
    out = subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout
    return [line.strip() for line in out.splitlines()
            if re.match(r"\S+ -m pip .*\b(install|uninstall)\b|npm ", line.strip())]


def test_dockerfile_builds_the_environment_make_serve_builds():
    """The image is Python 3.11 on Debian as pyproject.toml and environment.yml ask, and its
    environment comes from a Makefile target that runs every install step of `make serve` (plus
    the room extra), with no pip step of its own."""
    steps = _dockerfile()
    (base,) = [args for op, args in steps if op == "FROM"]
    image, tag = base.split(":")
    assert image == "python" and tag.endswith("-slim-bookworm")
    minor = tag.split("-")[0]
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert f"python={minor}" in environment["dependencies"]
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["requires-python"]
    assert SpecifierSet(requires).contains(f"{minor}.0")
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == minor  # the .venv tests run in

    runs = " && ".join(args for op, args in steps if op == "RUN")
    targets = re.findall(r"\bmake\s+([\w./-]+)", runs)
    assert len(targets) == 1, targets
    assert "pip" not in runs
    assert ("WORKDIR", IMAGE_ROOT) in steps
    serve = _make_dry_run("serve")
    image_steps = _make_dry_run(targets[0])
    assert serve and all(step in image_steps for step in serve), (serve, image_steps)
    assert any("'.[room]'" in step for step in image_steps)  # jhsingle-native-proxy
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and "data" in ignored  # the local environment and store stay out


def test_image_copies_named_paths_and_never_the_local_store():
    """The Dockerfile copies named paths that exist (the recipe's inputs and what the server
    reads), never the whole folder, the local store, .venv or the tests."""
    copied = []
    for op, args in _dockerfile():
        if op == "COPY":
            *sources, _dest = args.split()
            copied += sources
    assert copied and all((REPO / path).exists() for path in copied), copied
    for forbidden in (".", "data", ".venv", "artifacts", "tests", "room/node_modules"):
        assert forbidden not in copied and not any(
            path.startswith(forbidden + "/") for path in copied), forbidden
    needed = {"Makefile", "pyproject.toml", "README.md", "voila.json", "casecoach", "widgets",
              "notebooks", "scenarios", "share", "room/package.json", "room/package-lock.json",
              "room/service", "room/native_proxy.py"}
    assert needed <= set(copied), needed - set(copied)


def _builder() -> list[str] | None:
    for tool, probe in (("docker", ["docker", "info"]), ("podman", ["podman", "info"]),
                        ("buildah", ["buildah", "version"])):
        if shutil.which(tool) and subprocess.run(probe, capture_output=True).returncode == 0:
            return ["buildah", "bud"] if tool == "buildah" else [tool, "build"]
    return None


def test_image_builds():
    """deploy/Dockerfile builds (only where a container builder runs: none does on this machine)."""
    builder = _builder()
    if builder is None:
        pytest.skip("no docker daemon, podman or buildah here: the image was not built")
    subprocess.run([*builder, "-f", str(DEPLOY / "Dockerfile"), "-t", "casecoach-test:latest",
                    str(REPO)], check=True, timeout=3600)


# --- The values' Hub, run for real -------------------------------------------------------------

_HUB_CONFIG = '''
import json, os
values = json.loads(os.environ["TEST_VALUES"])
c = get_config()  # noqa: F821
hub = values["hub"]
for section, traits in hub["config"].items():
    for name, value in traits.items():
        setattr(getattr(c, section), name, value)
c.JupyterHub.load_roles = [dict(role, name=name) for name, role in hub["loadRoles"].items()]
c.JupyterHub.services = [dict(service, name=name, url=os.environ["TEST_SERVICE_URL"],
                              api_token=os.environ["TEST_SERVICE_TOKEN"])
                         for name, service in hub["services"].items()]
# Stand-ins for what the chart's own jupyterhub_config.py sets on the cluster: addresses, the
# proxy, the database.
c.JupyterHub.bind_url = os.environ["TEST_HUB_URL"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["TEST_HUB_PORT"])
c.ConfigurableHTTPProxy.command = [os.environ["TEST_PROXY"]]
c.ConfigurableHTTPProxy.api_url = os.environ["TEST_PROXY_API"]
c.JupyterHub.db_url = os.environ["TEST_HUB_DB"]
for name in sorted(hub["extraConfig"]):
    exec(compile(hub["extraConfig"][name], name, "exec"))
'''


class _Browser:
    """One person's cookies and the Hub's forms, over HTTP (redirects followed)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=180) as answer:
            return answer.geturl(), answer.read().decode("utf-8", "replace")

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        _url, page = self.get(path)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"_xsrf": xsrf, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=180) as answer:
            return answer.geturl(), answer.read().decode("utf-8", "replace")

    def sign_up(self, name: str) -> None:
        self.post_form("hub/signup", {"username": name, "signup_password": PASSWORD,
                                      "signup_password_confirmation": PASSWORD})

    def log_in(self, name: str) -> tuple[str, str]:
        return self.post_form("hub/login", {"username": name, "password": PASSWORD})


def _cell_outputs(page: str) -> list[dict]:
    """The cell outputs a Voila page carries (its progressive rendering's JSON blocks)."""
    blocks = re.findall(r'<script type="application/vnd.voila.cell-output\+json">(.*?)</script>',
                        page, re.S)
    return [json.loads(block) for block in blocks]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, any_answer: bool = False,
              timeout: float = 240) -> None:
    """Until url answers 200 (any HTTP answer with any_answer: a login redirect, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            urllib.request.urlopen(url, timeout=3).close()
            return
        except urllib.error.HTTPError:
            # The Hub's proxy answers 404 until the Hub has added its routes.
            if any_answer:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-4000:]}")


@pytest.fixture
def cluster_room():
    """The values' Hub configuration in a real JupyterHub on loopback, and the casecoach server
    started with the Deployment's command and environment: the cluster minus Kubernetes."""
    missing = hub_missing()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{missing} (CI=true: `make test` installs the room extra and its proxy)")
        pytest.skip(missing)
    values = _values()
    folder = Path(tempfile.mkdtemp(prefix="casecoach-deploy-"))
    ARTIFACTS.mkdir(exist_ok=True)
    hub_port, service_port = free_port(), free_port()
    token = os.urandom(16).hex()
    base = f"http://127.0.0.1:{free_port()}/"
    # The hub pod's environment (its PostgreSQL settings aside: the Hub's database is SQLite here).
    hub_env = dict(os.environ)
    hub_env.update({k: v for k, v in _hub_env(values).items() if not k.startswith("PG")})
    hub_env.update({
        "TEST_VALUES": json.dumps(values), "TEST_SERVICE_URL": f"http://127.0.0.1:{service_port}",
        "TEST_SERVICE_TOKEN": token, "TEST_HUB_URL": base, "TEST_HUB_PORT": str(hub_port),
        "TEST_PROXY": str(PROXY), "TEST_PROXY_API": f"http://127.0.0.1:{free_port()}",
        "TEST_HUB_DB": f"sqlite:///{folder / 'jupyterhub.sqlite'}",
        "CASECOACH_ROOM_SUPERVISORS": "sup"})
    (folder / "jupyterhub_config.py").write_text(_HUB_CONFIG, encoding="utf-8")

    # The Deployment's environment, its Secrets and cluster addresses replaced by local ones.
    stand_in = {"CASECOACH_DB_URL": os.environ.get("CASECOACH_TEST_PG_URL")
                or f"sqlite:///{folder / 'casecoach.sqlite'}",
                "JUPYTERHUB_API_TOKEN": token,
                "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
                "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{service_port}",
                "HOME": str(folder / "home"),
                "JUPYTER_PATH": str(REPO / "share" / "jupyter")}
    service_env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "PG"))}
    for key, entry in _env(_container()).items():
        if key.startswith("PGSSL"):
            continue  # the test database has no TLS
        service_env[key] = stand_in.get(key, entry.get("value"))
    assert None not in service_env.values()
    command = _deployment_command()
    command[command.index("--ip") + 1] = "127.0.0.1"  # not every interface of a shared machine
    (folder / "home").mkdir()

    logs = {name: ARTIFACTS / f"deploy-{name}.log" for name in ("hub", "casecoach")}
    procs = []
    try:
        with open(logs["hub"], "w") as log:
            procs.append(subprocess.Popen(
                [str(Path(sys.executable).parent / "jupyterhub"), "-f",
                 str(folder / "jupyterhub_config.py")], cwd=folder, env=hub_env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(f"{base}hub/login", procs[0], logs["hub"])
        with open(logs["casecoach"], "w") as log:
            procs.append(subprocess.Popen(command, cwd=REPO, env=service_env, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(f"http://127.0.0.1:{service_port}/services/casecoach/", procs[1],
                  logs["casecoach"], any_answer=True)
        yield base, logs
    finally:
        for proc in reversed(procs):
            _terminate(proc, timeout=30, group=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _failing_with_logs(logs: dict[str, Path], tail: int = 6000):
    """A failure inside names what the Hub and the casecoach server logged last (CI keeps no
    artifacts to read afterwards)."""
    try:
        yield
    except (AssertionError, OSError) as failure:
        told = "\n".join(f"--- {path.name} (last {tail} characters) ---\n"
                         f"{path.read_text(errors='replace')[-tail:]}" for path in logs.values())
        raise AssertionError(f"{failure!r}\n{told}") from failure


def test_values_hub_lets_the_room_into_the_casecoach_server(cluster_room):
    """With the values' Hub config and the Deployment's command and environment: a supervisor and
    an approved trainee log in and land on the casecoach server's start page, the trainee's
    naming her by her login; a visitor without a login is sent to the Hub's login; a trainee's
    personal server is refused."""
    base, logs = cluster_room
    with _failing_with_logs(logs):
        sup, ana, nobody = _Browser(base), _Browser(base), _Browser(base)
        sup.sign_up("sup")
        ana.sign_up("ana")

        url, _page = sup.log_in("sup")
        assert urllib.parse.urlsplit(url).path.startswith("/services/casecoach/"), url
        sup.get("hub/authorize/ana")  # the supervisor approves the trainee
        url, page = ana.log_in("ana")
        assert urllib.parse.urlsplit(url).path.startswith("/services/casecoach/"), url
        # Her start page ran in a kernel that knew her from the login header: its name box holds
        # the login and cannot be changed; no cell failed.
        outputs = _cell_outputs(page)
        assert not [o for o in outputs if o.get("output_type") == "error"], outputs
        shown = " ".join(o.get("data", {}).get("text/plain", "") for o in outputs)
        assert "Text(value='ana', description='Your name', disabled=True" in shown, shown
        url, page = ana.get("services/casecoach/voila/tree")
        assert "00-start-here" in page, page[:2000]

        url, page = nobody.get("services/casecoach/voila/tree")
        assert urllib.parse.urlsplit(url).path == "/hub/login", url
        assert "00-start-here" not in page

        try:
            _url, page = ana.get("hub/spawn")
        except urllib.error.HTTPError as refused:
            page = refused.read().decode("utf-8", "replace")
        deadline = time.monotonic() + 30
        while ("no personal servers" not in logs["hub"].read_text()
               and time.monotonic() < deadline):
            time.sleep(0.5)
        assert "This room has no personal servers" in logs["hub"].read_text()


# --- The page ----------------------------------------------------------------------------------

def test_deployment_page_is_linked_and_names_a_chart_for_our_jupyterhub():
    """README's room-mode section links docs/deployment.md, whose helm commands pin a chart whose
    JupyterHub is the one pyproject.toml's room extra allows."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    room_section = readme.split("## Room mode", 1)[1].split("\n## ", 1)[0]
    assert "(docs/deployment.md)" in room_section
    page = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    versions = set(re.findall(r"--version[ =](\d+)\.\d+\.\d+", page))
    assert len(versions) == 1, versions
    room = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]["room"]
    spec = SpecifierSet(next(r for r in room if r.startswith("jupyterhub>")).split("jupyterhub")[1])
    hub_majors = {major for major in CHART_FOR_JUPYTERHUB if spec.contains(f"{major}.0")
                  or any(spec.contains(f"{major}.{m}") for m in range(10))}
    assert {str(CHART_FOR_JUPYTERHUB[m]) for m in hub_majors} == versions
