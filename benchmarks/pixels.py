"""Pixels tab speed: redraws of a 640×640 image in a 160×45 view, and a 4000×3000 JPEG to its first frame.

Redraws (in the real app, headless, sized so the image view is exactly 160×45 cells):

* "view lines": the action, then `render_line` for the lines Textual repaints (the cursor's old and new
  lines after a cursor move, every line after a pan or a zoom): the widget's own work.
* "frame": the action, the readout's update, then Textual's next screen update of what changed
  (layout if a widget asked for one, the dirty widgets composited, the frame encoded to terminal
  bytes), called directly (`Screen._on_timer_update` and widget flags, private API) so that no
  frame-rate timer or Pilot waiting is counted.
* "frame, whole screen repainted": the same with every widget repainted (an upper bound); the
  baseline is that whole-screen repaint with nothing changed.

Loading: `PixelsTab.open(path)` until the view has built every line of the new image ("to first
frame"), with the parts measured on their own: decode (`load_image`), statistics and pyramid
(`prepare`), and the first full render; and from the command line, process start to the shape on
screen for `cnn-tui` and `cnn-tui photo.jpg` (needs tmux and the installed script). Median of N.

    python benchmarks/pixels.py [--runs 30] [--load-runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

VIEW = (160, 45)
APP_SIZE = (VIEW[0] + 48 + 2, VIEW[1] + 4)  # readout 48 columns, pane padding 2; header, tabs, footer


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def photo_like_jpeg(path: Path, width: int = 4000, height: int = 3000) -> Path:
    """A 4000×3000 JPEG with smooth areas, edges and texture (the test image scaled, plus noise)."""
    from cnn_tui.core.test_image import make_test_image

    base = Image.fromarray(make_test_image(640)).resize((width, height), Image.Resampling.BILINEAR)
    noise = np.random.default_rng(0).integers(-12, 13, (height, width, 1), dtype=np.int16)
    pixels = np.clip(np.asarray(base, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
    Image.fromarray(pixels).save(path, quality=90)
    return path


async def _idle(pilot) -> None:
    from textual.worker import WorkerCancelled

    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerCancelled:
        pass
    await pilot.pause()


async def bench_redraws(runs: int) -> list[tuple[str, float, float, float, float]]:
    """(operation, view lines, frame, whole-screen frame, baseline) in ms for each kind of redraw."""
    from cnn_tui.config import AppConfig
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.tabs.pixels.tab import PixelsTab
    from cnn_tui.ui.tabs.pixels.view import PixelView

    app = CnnTuiApp(AppConfig(lang="en"))
    rows: list[tuple[str, float, float, float, float]] = []
    async with app.run_test(size=APP_SIZE) as pilot:
        await _idle(pilot)
        await _idle(pilot)
        view = app.query_one(PixelView)
        readout = app.query_one(PixelsTab).readout
        assert tuple(view.size) == VIEW, f"the view is {tuple(view.size)}, expected {VIEW}"
        screen = app.screen
        # Headless apps skip writing frames; encode them to terminal bytes as a real terminal would get.
        app._display = lambda _screen, update: update.render_segments(app.console) if update is not None else None

        def frame(whole: bool = False) -> None:
            """Textual's next screen update, called directly: the widgets that asked for a repaint
            (or, with `whole`, every widget), layout first if one asked for it, then composite and encode."""
            if whole:
                screen.refresh()
            for widget in screen.walk_children(with_self=False):
                if widget._layout_required:
                    screen._layout_required = True
                if widget._repaint_required:
                    widget._repaint_required = False
                    screen._dirty_widgets.add(widget)
            screen._on_timer_update()

        def lines(ys) -> None:
            for y in ys:
                view.render_line(y)

        def measure(op, dirty) -> tuple[float, float, float]:
            """Median ms of: op + the view's dirty lines; op + readout + Textual's update of what
            changed; the same with the whole screen repainted."""
            widget, changed, whole = [], [], []
            for i in range(runs):
                rows_before = view._cursor_rows()
                start = time.perf_counter()
                op(i)
                lines(dirty(rows_before))
                widget.append(time.perf_counter() - start)
            for repaint_all, samples in ((False, changed), (True, whole)):
                for i in range(runs):
                    frame(whole=True)
                    start = time.perf_counter()
                    op(i)
                    readout.show_cursor(*view.cursor)
                    readout.show_view(view.viewport.zoom, view.mode)
                    frame(whole=repaint_all)
                    samples.append(time.perf_counter() - start)
            return _median_ms(widget), _median_ms(changed), _median_ms(whole)

        baseline = []
        for _ in range(runs):
            frame(whole=True)
            start = time.perf_counter()
            frame(whole=True)
            baseline.append(time.perf_counter() - start)
        base_ms = _median_ms(baseline)
        every_line = range(VIEW[1])

        def sign(i: int) -> int:
            return 1 if i % 2 == 0 else -1

        fit = view.viewport.zoom
        cursor = measure(lambda i: view.move_cursor(0, sign(i)), lambda before: before | view._cursor_rows())
        rows.append((f"cursor move (fit, 1 cell = {fit.down}×{2 * fit.down} px)", *cursor, base_ms))

        view.zoom_by(5)  # 8 → 6 → 4 → 3 → 2 → 1:1
        await pilot.pause()
        pan = measure(lambda i: view.pan(0, sign(i)), lambda before: every_line)
        rows.append((f"pan by a quarter view ({_scale(view)})", *pan, base_ms))

        zoom = measure(lambda i: view.zoom_by(sign(i)), lambda before: every_line)
        rows.append(("zoom (1:1 ⇄ 1 px = 2×1 cells)", *zoom, base_ms))

        view.fit()
        await pilot.pause()
        zoom_fit = measure(lambda i: view.zoom_by(sign(i)), lambda before: every_line)
        rows.append(("zoom (fit ⇄ 1 cell = 6×12 px)", *zoom_fit, base_ms))

        view.zoom_by(9)  # values printed in blocks
        await pilot.pause()
        view.set_mode("r")
        await pilot.pause()
        blocks = measure(lambda i: view.move_cursor(0, sign(i)), lambda before: before | view._cursor_rows())
        rows.append(("cursor move (R values, 1 px = 6×3 cells)", *blocks, base_ms))
    return rows


def _scale(view) -> str:
    zoom = view.viewport.zoom
    return "1:1" if zoom.up == 1 and zoom.down == 1 else f"down {zoom.down}, up {zoom.up}"


async def bench_load(path: Path, runs: int) -> dict[str, float]:
    from cnn_tui.config import AppConfig
    from cnn_tui.core.images import load_image
    from cnn_tui.core.prepare import prepare
    from cnn_tui.render.halfblock import halfblock_lines
    from cnn_tui.core.viewport import Viewport
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.tabs.pixels.tab import PixelsTab
    from cnn_tui.ui.tabs.pixels.view import PixelView

    parts: dict[str, list[float]] = {"decode": [], "prepare": [], "render": [], "first frame": []}
    for _ in range(runs):
        start = time.perf_counter()
        image = load_image(path)
        parts["decode"].append(time.perf_counter() - start)
        start = time.perf_counter()
        prepared = prepare(image, *VIEW)
        parts["prepare"].append(time.perf_counter() - start)
        start = time.perf_counter()
        viewport = Viewport(image.height, image.width, *VIEW).fitted()
        halfblock_lines(np.ascontiguousarray(viewport.crop(prepared.pyramid.level(viewport.zoom.down))))
        parts["render"].append(time.perf_counter() - start)

    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=APP_SIZE) as pilot:
        await _idle(pilot)
        view = app.query_one(PixelView)
        tab = app.query_one(PixelsTab)
        for index in range(runs):
            source = path if index % 2 == 0 else "test"  # alternate, so every load is a new image
            if source == "test":
                tab.open("test", announce=False)
                await _idle(pilot)
                continue
            start = time.perf_counter()
            tab.open(path, announce=False)
            while not (view.image is not None and view.image.name == path.name and view._lines is not None):
                await asyncio.sleep(0.005)  # polling more often would slow the worker (the GIL)
            parts["first frame"].append(time.perf_counter() - start)
            await _idle(pilot)
    return {name: _median_ms(samples) for name, samples in parts.items()}


def bench_command_line(path: Path, runs: int) -> dict[str, float] | None:
    """Median seconds from starting `cnn-tui [IMAGE]` in tmux (120×36) to the image's shape on screen."""
    import shutil

    if not shutil.which("tmux") or not shutil.which("cnn-tui"):
        return None
    from startup import time_to_text  # benchmarks/startup.py, next to this script

    cases = {
        "cnn-tui (default 640×640 image)": (["env", "-u", "COLUMNS", "-u", "LINES", "cnn-tui", "--lang", "en"], "(640, 640, 3)"),
        "cnn-tui photo4000x3000.jpg": (
            ["env", "-u", "COLUMNS", "-u", "LINES", "cnn-tui", "--lang", "en", str(path)],
            "(3000, 4000, 3)",
        ),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (command, marker) in cases.items():
            results[name].append(time_to_text(command, marker))
    return {name: statistics.median(times) for name, times in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="repetitions of each redraw (default: 30)")
    parser.add_argument("--load-runs", type=int, default=5, help="repetitions of the 4000×3000 load (default: 5)")
    args = parser.parse_args()

    rows = asyncio.run(bench_redraws(args.runs))
    print(f"Redraw, 640×640 test image, view {VIEW[0]}×{VIEW[1]} cells (app {APP_SIZE[0]}×{APP_SIZE[1]}), median of {args.runs}, ms\n")
    print("| operation | view lines | frame | frame, whole screen repainted | baseline: unchanged screen repainted | ratio (whole / baseline) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, widget_ms, frame_ms, whole_ms, base_ms in rows:
        print(f"| {name} | {widget_ms:.2f} | {frame_ms:.2f} | {whole_ms:.2f} | {base_ms:.2f} | {whole_ms / base_ms:.2f}× |")

    with tempfile.TemporaryDirectory() as tmp:
        path = photo_like_jpeg(Path(tmp) / "photo4000x3000.jpg")
        size_mb = path.stat().st_size / 1e6
        load = asyncio.run(bench_load(path, args.load_runs))
        command_line = bench_command_line(path, args.load_runs)
    print(f"\nLoading a 4000×3000 JPEG ({size_mb:.1f} MB), view {VIEW[0]}×{VIEW[1]}, median of {args.load_runs} (ms)\n")
    print("| part | ms |")
    print("| --- | --- |")
    for name in ("decode", "prepare", "render"):
        print(f"| {name} ({'load_image' if name == 'decode' else 'stats + pyramid' if name == 'prepare' else 'fit level to Segments'}) | {load[name]:.0f} |")
    print(f"| **in the app: load → first frame of it** | **{load['first frame']:.0f}** |")
    if command_line is not None:
        print(f"\nFrom the command line, process start to the image's shape on screen (tmux 120×36), median of {args.load_runs}\n")
        print("| command | s |")
        print("| --- | --- |")
        for name, seconds in command_line.items():
            print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
