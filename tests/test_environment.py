"""environment.yml asks for what pyproject.toml declares, so conda and pip users get one project."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from harness import REPO

# conda-forge names that differ from the PyPI name of the same package.
CONDA_TO_PYPI = {"playwright-python": "playwright"}
# Conda-only entries: the interpreter, the installer of the `pip:` section, and Node.js for room
# mode's proxy (npm installs configurable-http-proxy from room/package.json).
CONDA_ONLY = {"python", "pip", "nodejs"}
_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def _pyproject() -> dict:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _environment() -> dict:
    with open(REPO / "environment.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def _pip_requirements() -> dict[str, SpecifierSet]:
    project = _pyproject()["project"]
    lines = project["dependencies"] + [line for extra in project["optional-dependencies"].values()
                                       for line in extra]
    requirements = [Requirement(line) for line in lines]
    return {canonicalize_name(r.name): r.specifier for r in requirements}


def _conda_entries() -> list[str]:
    return [d for d in _environment()["dependencies"] if isinstance(d, str)]


def _conda_requirements() -> dict[str, SpecifierSet]:
    found = {}
    for entry in _conda_entries():
        name, constraint = _CONDA_SPEC.match(entry).groups()
        name = canonicalize_name(CONDA_TO_PYPI.get(name, name))
        if name not in CONDA_ONLY:
            found[name] = SpecifierSet(constraint)
    return found


def test_environment_lists_the_same_packages_as_pyproject():
    """environment.yml names exactly the runtime dependencies and test extras of pyproject.toml."""
    assert sorted(_conda_requirements()) == sorted(_pip_requirements())


def test_environment_uses_the_same_version_constraints_as_pyproject():
    """Each package carries the same version constraints in environment.yml as in pyproject.toml."""
    conda, pip = _conda_requirements(), _pip_requirements()
    differ = {name: (str(conda[name]), str(pip[name])) for name in conda.keys() & pip.keys() if conda[name] != pip[name]}
    assert differ == {}, "name: (environment.yml, pyproject.toml)"


def test_environment_is_the_named_conda_forge_environment_on_python_311():
    """The environment is called casecoach, comes from conda-forge and pins a Python the project supports."""
    env = _environment()
    assert env["name"] == "casecoach"
    assert env["channels"] == ["conda-forge"]
    (python,) = [e for e in _conda_entries() if _CONDA_SPEC.match(e).group(1) == "python"]
    assert python == "python=3.11"
    assert Version("3.11") in SpecifierSet(_pyproject()["project"]["requires-python"])


def test_environment_installs_the_project_itself_with_its_test_extras():
    """The pip section installs this checkout in editable mode with the test and room extras."""
    (pip_section,) = [d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict)]
    assert [line.replace(" ", "") for line in pip_section] == ["-e.[test,room]"]
