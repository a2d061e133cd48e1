"""The suite's look: one stylesheet, loaded once per page as an HTML widget."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

_CSS = Path(__file__).with_name("theme.css")


def theme() -> w.HTML:
    """A widget that carries the suite's stylesheet; show it once at the top of a page."""
    style = w.HTML(f"<style>{_CSS.read_text(encoding='utf-8')}</style>")
    style.add_class("cc-theme")
    return style
