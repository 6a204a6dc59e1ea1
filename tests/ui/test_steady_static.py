"""SteadyStatic: new content lays the screen out again only when its height changes; what it shows is always
the new content, at the height it needs, and the widgets below move with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cnn_tui.ui.widgets.steady_static import SteadyStatic


class Column(App):
    CSS = "#boxed { display: none; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SteadyStatic("one", id="part")
            yield Static("below", id="below")
        with Vertical(id="boxed"):
            yield SteadyStatic("hidden", id="hidden")


def shown(app: App) -> str:
    """The text on screen, line by line (from the screenshot's text)."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_height_follows_the_content_and_the_screen_shows_it() -> None:
    app = Column()
    async with app.run_test(size=(40, 12)) as pilot:
        part, below = app.query_one("#part", SteadyStatic), app.query_one("#below")
        assert below.region.y == 1
        part.show(Text("alpha\nbeta\ngamma"))
        await pilot.pause()
        assert part.region.height == 3 and below.region.y == 3
        part.show(Text("delta\nepsilon\nzeta"))  # as tall: repainted in place
        await pilot.pause()
        assert below.region.y == 3 and "epsilon" in shown(app) and "beta" not in shown(app)
        part.show(Text("eta"))
        await pilot.pause()
        assert part.region.height == 1 and below.region.y == 1 and "zeta" not in shown(app)


async def test_a_shape_stands_for_the_height_and_a_new_shape_is_measured() -> None:
    app = Column()
    async with app.run_test(size=(40, 12)) as pilot:
        part, below = app.query_one("#part", SteadyStatic), app.query_one("#below")
        part.show(Text("a1\na2"), shape=2)
        await pilot.pause()
        part.show(Text("b1\nb2"), shape=2)
        await pilot.pause()
        assert below.region.y == 2 and "b2" in shown(app)
        part.show(Text("c1\nc2\nc3\nc4"), shape=4)
        await pilot.pause()
        assert below.region.y == 4 and "c4" in shown(app)


async def test_content_given_while_hidden_has_its_height_when_shown() -> None:
    app = Column()
    async with app.run_test(size=(40, 12)) as pilot:
        hidden = app.query_one("#hidden", SteadyStatic)
        hidden.show(Text("h1\nh2\nh3"))
        await pilot.pause()
        app.query_one("#boxed").display = True
        await pilot.pause()
        assert hidden.region.height == 3 and "h3" in shown(app)
