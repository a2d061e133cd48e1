"""Accessible names and live regions: the caption a person sees is the name a screen reader says.

ipywidgets renders a widget's `description` as a `<label for=...>` tied to its input, select or
text area; `tooltip` only titles that label (hidden when there is no description), so it names
nothing. The classes set here are styled by theme.css and read by the template's a11y.js.
"""

from __future__ import annotations

import ipywidgets as w


def captioned(control: w.DOMWidget, caption: str) -> w.DOMWidget:
    """The control's visible caption, above it, as its label (clicking it focuses the control)."""
    control.description = caption
    control.add_class("cc-captioned")
    return control


def named(control: w.DOMWidget, name: str) -> w.DOMWidget:
    """A label for a control whose caption is shared with its row (a plan step's parts under
    "Steps: what, who, by when, resource, strength"): read by screen readers, not drawn."""
    control.description = name
    control.add_class("cc-label-hidden")
    return control


def live(widget: w.DOMWidget) -> w.DOMWidget:
    """A polite live region (role=status): what changes inside it is announced once the reader
    is idle. Put only a summary line in it, never a whole checklist."""
    widget.add_class("cc-live")
    return widget
