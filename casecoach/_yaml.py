"""The one YAML reader for authored files: bounded in size, nesting and aliases, no duplicate keys."""

# PyYAML's SafeLoader builds no objects but it trusts the file's shape: a "billion laughs" file of
# a few hundred bytes (anchors referring to anchors) expands to billions of values in whatever
# walks the result, nesting a few hundred levels deep ends in a RecursionError, and a key given
# twice silently keeps the last value. The loader below counts as it composes (one counter per
# event, so refusing a bomb costs what reading its first few lines costs) and stops with the
# file, the line and what is wrong.

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from casecoach.errors import CasecoachError

SETTINGS = Path(__file__).parent / "data" / "settings.yaml"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Limits:
    """What an authored YAML file may be (settings.yaml, limits.yaml)."""

    max_bytes: int
    max_depth: int
    max_aliases: int
    max_nodes: int


# Only for reading settings.yaml itself, which holds the limits every other file is read with.
_BOOTSTRAP = Limits(max_bytes=1_000_000, max_depth=20, max_aliases=0, max_nodes=100_000)


class Refused(CasecoachError):
    """A YAML file past a limit (size, nesting, aliases): not read at all."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that counts nesting, aliases and the values they expand to, and refuses a key
    given twice in one mapping."""

    def __init__(self, stream: str, limits: Limits, name: str) -> None:
        super().__init__(stream)
        self._limits, self._name = limits, name
        self._depth = 0
        self._aliases = 0
        self._nodes = 0           # values so far, every alias counted at its full size
        self._size: dict[int, int] = {}  # id(node) -> its values, aliases expanded

    def _refuse(self, mark: Any, message: str) -> Refused:
        return Refused(message, file=self._name, line=mark.line + 1 if mark else None)

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # The scanner reads ahead through every open [ or { (each may start a key), so deep flow
        # nesting costs time before the composer sees a node: refuse it as it is scanned.
        if self.flow_level >= self._limits.max_depth:
            raise self._refuse(self.get_mark(),
                               f"nested more than {self._limits.max_depth} levels deep")
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self._aliases += 1
            if self._aliases > self._limits.max_aliases:
                raise self._refuse(event.start_mark,
                                   f"more than {self._limits.max_aliases} aliases (*name); "
                                   f"write the values out instead")
            node = super().compose_node(parent, index)
            size = self._size.get(id(node))
            if size is None:
                raise self._refuse(event.start_mark,
                                   f"the alias *{event.anchor} refers to a value that contains "
                                   f"it")
            self._count(size, event.start_mark)
            return node
        self._depth += 1
        if self._depth > self._limits.max_depth:
            raise self._refuse(self.peek_event().start_mark,
                               f"nested more than {self._limits.max_depth} levels deep")
        before = self._nodes
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._count(1, node.start_mark)
        self._size[id(node)] = self._nodes - before
        if isinstance(node, yaml.MappingNode):
            self._no_duplicate_keys(node)
        return node

    def _count(self, n: int, mark: Any) -> None:
        self._nodes += n
        if self._nodes > self._limits.max_nodes:
            raise self._refuse(mark, f"more than {self._limits.max_nodes} values once its "
                                     f"aliases are expanded")

    def _no_duplicate_keys(self, node: Any) -> None:
        """Checked on the composed node, before merges (<<) are applied: a merge may override."""
        seen: dict[tuple[str, str], int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                raise CasecoachError(f"duplicate key '{key_node.value}' (first on line "
                                     f"{seen[key]}); give each key once",
                                     file=self._name, line=key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1


@lru_cache(maxsize=1)
def limits() -> Limits:
    """The limits of settings.yaml (limits.yaml), read once."""
    settings = _parse(_read(SETTINGS, _BOOTSTRAP), str(SETTINGS), _BOOTSTRAP)[0]
    try:
        return Limits(**{k: int(v) for k, v in settings["limits"]["yaml"].items()})
    except (KeyError, TypeError, ValueError) as exc:
        raise CasecoachError(f"limits.yaml needs max_bytes, max_depth, max_aliases and max_nodes "
                             f"as numbers ({exc})", file=str(SETTINGS)) from exc


def read(path: str | os.PathLike[str]) -> tuple[Any, Any]:
    """The data of a YAML file and its composed node (for line numbers), or CasecoachError
    saying file, line and what is wrong; past a limit, Refused."""
    path = Path(path)
    bounds = _BOOTSTRAP if path.resolve() == SETTINGS.resolve() else limits()
    return _parse(_read(path, bounds), str(path), bounds)


def parse(text: str, name: str) -> tuple[Any, Any]:
    """Like `read`, for text already in hand (`name` is where it came from)."""
    bounds = limits()
    if len(text.encode("utf-8", "surrogatepass")) > bounds.max_bytes:
        raise Refused(_too_big(bounds), file=name)
    return _parse(text, name, bounds)


def _too_big(bounds: Limits) -> str:
    return (f"is larger than {bounds.max_bytes:,} bytes, the most an authored file may be "
            f"(settings.yaml, limits.yaml.max_bytes)")


def _read(path: Path, bounds: Limits) -> str:
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(bounds.max_bytes + 1)  # never more: /dev/zero is a file too
    except OSError as exc:
        raise CasecoachError(f"cannot read: {exc.strerror or exc}", file=name) from exc
    if len(raw) > bounds.max_bytes:
        raise Refused(_too_big(bounds), file=name)
    if b"\x00" in raw:
        raise CasecoachError("contains NUL bytes (binary file?)", file=name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CasecoachError("not UTF-8 text (binary file?)", file=name, line=line) from exc


def _parse(text: str, name: str, bounds: Limits) -> tuple[Any, Any]:
    try:
        loader = _Loader(text, bounds, name)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, seen at once
        raise CasecoachError(f"not valid YAML: character {exc.character!r} is not allowed",
                             file=name, line=text[:exc.position].count("\n") + 1) from exc
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        raise CasecoachError(f"not valid YAML: character {exc.character!r} is not allowed",
                             file=name, line=text[:exc.position].count("\n") + 1) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, (ComposerError, ConstructorError)) and getattr(exc, "context", None):
            problem = f"{exc.context}: {problem}"
        raise CasecoachError(f"not valid YAML: {problem}", file=name,
                             line=mark.line + 1 if mark else None) from exc
    except RecursionError as exc:  # past max_depth the loader stops first; this is a backstop
        raise Refused("nested too deeply to read", file=name) from exc
    finally:
        loader.dispose()
    return data, node
