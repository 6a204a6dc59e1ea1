"""A chart's live redraws are built off the event loop and show exactly what a redraw on it shows."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual_plotext.plot import Plot

from cnn_tui.ui.widgets.metric_chart import Line, MetricChart
from cnn_tui.ui.widgets.plot_canvas import PlotCanvas
from tests.waiting import until, wait_for_workers


class ChartApp(App):
    def compose(self) -> ComposeResult:
        yield MetricChart("training.chart.batch_loss", id="chart")


def _lines(count: int) -> list[Line]:
    xs = tuple(i / 10 for i in range(count))
    return [Line("training.chart.smoothed_loss", xs, tuple(2.3 - 0.3 * x for x in xs), "cyan")]


def _shown(app: App) -> str:
    return app.query_one(PlotCanvas).render().plain


async def test_a_live_redraw_is_built_in_a_thread_and_equals_one_built_on_the_event_loop(monkeypatch):
    builds: list[bool] = []  # per plotext build: on the event loop's thread?
    original = Plot.build

    def build(self):
        builds.append(threading.current_thread() is threading.main_thread())
        return original(self)

    monkeypatch.setattr(Plot, "build", build)
    app = ChartApp()
    async with app.run_test(size=(80, 16)) as pilot:
        chart = app.query_one(MetricChart)
        chart.show(_lines(5), 2)
        await pilot.pause()
        before = _shown(app)
        builds.clear()
        chart.show(_lines(15), 2, live=True)
        await wait_for_workers(pilot)
        off_loop = list(builds)
        await until(pilot, lambda: _shown(app) != before)
        live = _shown(app)
        assert off_loop and not any(off_loop), off_loop  # the live redraw was built in a thread, and only there
        chart.show(_lines(15), 2)  # the same lines, drawn on the event loop
        await pilot.pause()
        assert _shown(app) == live
        assert any(0x2800 < ord(ch) <= 0x28FF for ch in live)  # the line, in braille dots


async def test_a_live_redraw_overtaken_by_a_newer_one_is_never_shown():
    app = ChartApp()
    async with app.run_test(size=(80, 16)) as pilot:
        chart = app.query_one(MetricChart)
        chart.show(_lines(5), 2, live=True)
        chart.show(_lines(20), 2)  # drawn on the event loop before the thread is done
        await wait_for_workers(pilot)
        shown = _shown(app)
        chart.show(_lines(20), 2)
        await pilot.pause()
        assert _shown(app) == shown
