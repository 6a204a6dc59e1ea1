"""Set several reactives of a widget at once, so that each part drawn from them is drawn once."""

from __future__ import annotations

from textual.dom import DOMNode


def set_together(node: DOMNode, **values: object) -> None:
    """Set `node`'s reactives by name without their watchers, then run its computed reactives once: a part
    drawn by the watcher of a computed reactive that reads several of them is drawn once, with all the
    new values. Only the last one's own `watch_*` runs, so use it for state that computed parts show."""
    if not values:
        return
    for name, value in values.items():
        node.set_reactive(getattr(type(node), name), value)
    node.mutate_reactive(getattr(type(node), name))
