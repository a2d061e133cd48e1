"""The README's module table is one table with a row for every page Voila serves."""

from __future__ import annotations

import re

from harness import REPO


def test_module_table_is_one_table_naming_every_notebook():
    """Under "The modules", one unbroken Markdown table has a row for each notebook, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## The modules", 1)[1].split("\n## ", 1)[0]
    tables = re.findall(r"(?:^\|.*\|\n)+", section + "\n", re.M)
    assert len(tables) == 1, f"{len(tables)} tables: a blank line splits the module table"
    rows = re.findall(r"^\| `([0-9]{2}-[a-z-]+)` \|", tables[0], re.M)
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    assert rows == notebooks
