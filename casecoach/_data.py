"""Locating and reading the data files that ship with casecoach."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from casecoach import _yaml

DATA_DIR = Path(__file__).parent / "data"
REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def scenario_dir() -> Path:
    """Where the scenario files are: $CASECOACH_SCENARIOS, else the project's scenarios/."""
    return Path(os.environ.get("CASECOACH_SCENARIOS", REPO_SCENARIOS))


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Read one of the package's YAML data files, once, with the safe loader's limits (a
    CasecoachError names the file and line otherwise)."""
    return _yaml.read(DATA_DIR / name)[0]


def section(name: str, key: str) -> Any:
    """One top-level section of a data file (read once, like the file)."""
    return load_yaml(name)[key]


def plural(wording: Any, n: int) -> str:
    """The template for a count: `wording` is one string, or forms keyed `one` and `other`
    (and `zero` if the data file has it), so feedback says "1 fact" and "2 facts"."""
    if not isinstance(wording, dict):
        return str(wording)
    if n == 0 and "zero" in wording:
        return wording["zero"]
    return wording["one"] if n == 1 else wording["other"]
