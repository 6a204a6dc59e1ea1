"""set_together: several reactives set at once draw a part that shows them once, with all the new values."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.reactive import var
from textual.widget import Widget

from cnn_tui.ui.reactives import set_together


class Part(Widget):
    """A widget whose one part shows `a` and `b`; it records every draw."""

    a: var[int] = var(0, init=False)
    b: var[int] = var(0, init=False)
    part: var[tuple[int, int]] = var((0, 0), init=False)

    def __init__(self) -> None:
        super().__init__()
        self.draws: list[tuple[int, int]] = []

    def compute_part(self) -> tuple[int, int]:
        return (self.a, self.b)

    def watch_part(self, part: tuple[int, int]) -> None:
        self.draws.append(part)


class PartApp(App):
    def compose(self) -> ComposeResult:
        yield Part()


async def test_set_together_draws_once_with_every_new_value_and_not_when_nothing_changed():
    async with PartApp().run_test() as pilot:
        part = pilot.app.query_one(Part)
        part.a, part.b = 1, 2
        assert part.draws == [(1, 0), (1, 2)], "set one by one, the part is drawn for each"
        part.draws.clear()
        set_together(part, a=3, b=4)
        assert part.draws == [(3, 4)]
        set_together(part, a=3, b=4)
        assert part.draws == [(3, 4)], "nothing changed: not drawn again"
        set_together(part, b=5, a=3)
        assert part.draws == [(3, 4), (3, 5)], "the last one named unchanged, another changed: drawn"
