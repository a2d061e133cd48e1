"""Notebook hygiene: the pages Voila serves hold narrative and a few calls, nothing else."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from casecoach import course
from casecoach.scenarios import scenario_ids
from harness import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_notebooks():
    """The start page and the SMART(S) module exist."""
    names = [p.stem for p in NOTEBOOKS]
    assert "00-start-here" in names and "01-smart-goals" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_is_python3(path):
    """Every page runs on the standard python3 kernel Voila starts."""
    assert nbformat.read(path, as_version=4).metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_outputs(path):
    """No outputs or execution counts are committed: Voila runs the page fresh."""
    for cell in code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_calls_not_algorithms(path):
    """Code cells import, name a list of cases or call a widget: at most four statements, no loops,
    branches, functions or classes."""
    for cell in code_cells(path):
        tree = ast.parse(cell.source)
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.If, ast.With, ast.Try)
        assert not [n for n in ast.walk(tree) if isinstance(n, banned)], cell.source
        assert len(tree.body) <= 4, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_scenario_a_notebook_names_exists(path):
    """A case id written in a notebook is a shipped scenario file (or a page of the course)."""
    known = set(scenario_ids()) | {p.key for p in course.pages()}
    for cell in code_cells(path):
        named = {n.value for n in ast.walk(ast.parse(cell.source))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and ID.match(n.value)}
        assert named <= known, f"unknown case ids {named - known} in {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_page_opens_with_a_title(path):
    """The first markdown cell starts with a level-one heading, the page's title."""
    cells = nbformat.read(path, as_version=4).cells
    first = next(c for c in cells if c.cell_type == "markdown")
    assert first.source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_page_has_the_course_header_first(path):
    """The first thing after the stylesheet is the course header naming this very page."""
    cells = code_cells(path)
    assert cells[1].source == f'CourseHeader("{path.stem}")'
    assert course.page(path.stem).key == path.stem
