"""The Predict tab: from a new current image to its top-5 bars, Grad-CAM and saliency maps on screen.

The real app runs headless at 120×36 with a checkpoint already read by the Predict tab (weights of
a fresh model: the time does not depend on what it learned), after the Pixels tab has shown the
first image (as a user sees the app before going on). Each measured run posts `UseImage` (a decoded
image, as after opening a file) and stops the clock at the end of the screen update that repaints
the tab's input picture, top-5 bars and both maps with that image's result (the app's own
`_display` call, timed; the harness looking later does not change the time). "key l" is the same
image explained at the next conv layer, until the Grad-CAM picture is repainted. Between runs the
harness waits for every worker to finish, untimed. Beside it, the parts
on their own: `explain_image` (resize, normalise, one forward and one backward pass) and rendering
the three panels with Rich at 120 columns. Target (issue 13): ≤ 100 ms after the checkpoint is loaded.

    python benchmarks/predict_view.py [--runs 15] [--models lecture wide_bn resnet own]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OWN = f"{ROOT / 'examples' / 'my_network.py'}:MyNetwork"


def make_checkpoint(folder: Path, name: str) -> Path:
    import torch

    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization
    from cnn_tui.ml.models import build_model, model_config

    torch.manual_seed(0)
    config = model_config(OWN if name == "own" else name)
    model = build_model(config)
    path = folder / f"{name}.pth"
    norm = Normalization((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))
    save_checkpoint(path, model, CheckpointMeta(config, CIFAR10_CLASSES, norm, None, epoch=1))
    return path


def images() -> dict[str, np.ndarray]:
    from cnn_tui.core.prepare import open_source

    rng = np.random.default_rng(0)
    test = open_source("test").pixels
    photo = rng.integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    return {f"test image {test.shape[1]}×{test.shape[0]}": test, "photo 4000×3000": photo}


def parts(path: Path, pixels: np.ndarray, runs: int) -> tuple[float, float]:
    """Median ms of explain_image alone, and of rendering the three panels with Rich."""
    from rich.console import Console, Group

    from cnn_tui.config import PREDICT_DEFAULTS
    from cnn_tui.ml.attribution import explain_image, torch_threads
    from cnn_tui.ml.checkpoints import load_model
    from cnn_tui.render.halfblock import HalfBlockImage
    from cnn_tui.render.heat_view import heat_panel, top_bars

    model, meta = load_model(path)
    ml, draw = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with torch_threads(PREDICT_DEFAULTS.threads):  # as the tab runs it
            result = explain_image(model, pixels, size=32, normalization=meta.normalization)
        ml.append(time.perf_counter() - start)
        found = result.explanation
        start = time.perf_counter()
        console = Console(width=120, file=io.StringIO(), force_terminal=True, color_system="truecolor")
        console.print(
            Group(
                HalfBlockImage(result.pixels),
                top_bars([(meta.classes[i], p) for i, p in found.top]),
                heat_panel(result.pixels, found.gradcam, "Grad-CAM"),
                heat_panel(result.pixels, found.saliency, "saliency"),
            )
        )
        draw.append(time.perf_counter() - start)
    return statistics.median(ml) * 1000, statistics.median(draw) * 1000


class Paints:
    """Every screen update the app makes: when it ended, the process CPU then, and the widgets it repainted.

    Wraps the app's `_display` (Textual's one call per screen update, the compositor's output for the
    terminal; headless, the output is made but not written), so the clock stops at the update that draws
    the result, not at the harness's next look: no polling interval or Pilot pause is in a time.
    """

    def __init__(self, app: Any) -> None:
        self.log: list[tuple[float, float, frozenset[Any]]] = []
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            dirty = frozenset(screen._dirty_widgets)
            display(screen, renderable)
            self.log.append((time.perf_counter(), time.process_time(), dirty))

        app._display = timed

    async def drawn(self, since: int, parts: list[Any], done: Callable[[], bool]) -> tuple[float, float]:
        """(time, CPU) of the first update from `self.log[since:]` by which every part was repainted after `done()` held."""
        while True:
            await asyncio.sleep(0.01)  # looking late does not change the time found
            if not done():
                continue
            waiting = set(parts)
            for when, cpu, dirty in self.log[since:]:
                waiting -= dirty
                if not waiting:
                    return when, cpu


async def in_app(path: Path, pictures: dict[str, np.ndarray], runs: int) -> dict[str, list[tuple[float, float]]]:
    """(Wall, process CPU) seconds from UseImage to the screen update that shows the Predict tab's result
    (top-5, input, Grad-CAM and saliency repainted), per picture; and for `l` (the next conv layer: the same
    image explained again, no other tab involved; until the Grad-CAM picture is repainted) under "l"."""
    from cnn_tui.config import AppConfig
    from cnn_tui.core.images import LoadedImage
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.messages import UseImage
    from cnn_tui.ui.tabs.predict.tab import PredictTab

    app = CnnTuiApp(AppConfig(lang="en", checkpoint=path))
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*pictures, "l"]}
    async with app.run_test(size=(120, 36)) as pilot:
        while app.shared.image is None:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()  # the Pixels tab shows the first image, as a user sees it before going on
        await pilot.pause()
        await pilot.press("7")
        tab = app.query_one(PredictTab)
        while tab.result is None:  # the checkpoint read and the first image explained: not timed
            await pilot.pause(0.01)
        paints = Paints(app)
        new_image = [tab.query_one(f"#predict-{part}") for part in ("input-image", "top", "gradcam-image", "saliency-image")]
        next_layer = [tab.query_one("#predict-gradcam-image")]
        for run in range(runs + 1):
            for name, pixels in pictures.items():
                height, width = pixels.shape[:2]
                image = LoadedImage(pixels=pixels, name=name, mode="RGB", size=(width, height))
                since, start, cpu = len(paints.log), time.perf_counter(), time.process_time()
                app.post_message(UseImage(image, name))
                request = tab.requested

                def shown() -> bool:
                    result = tab.result
                    return tab.requested > request and tab.drawn == tab.requested and result.original_size == (width, height)

                end, end_cpu = await paints.drawn(since, new_image, shown)
                if run:  # the first round warms up
                    times[name].append((end - start, end_cpu - cpu))
                await app.workers.wait_for_complete()  # the other tabs done with the new image: not timed
                await pilot.pause()
                layer, request = tab.result.explanation.layer, tab.requested
                since, start, cpu = len(paints.log), time.perf_counter(), time.process_time()
                app.simulate_key("l")

                def relayered() -> bool:
                    result = tab.result
                    return tab.requested > request and tab.drawn == tab.requested and result.explanation.layer != layer

                end, end_cpu = await paints.drawn(since, next_layer, relayered)
                if run:
                    times["l"].append((end - start, end_cpu - cpu))
                await app.workers.wait_for_complete()
                await pilot.pause()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--models", nargs="+", default=["lecture", "wide_bn", "resnet", "own"])
    args = parser.parse_args()
    import torch

    pictures = images()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}")
    print()
    print("| model | image | explain_image (ms) | draw 3 panels (ms) | in the app: median (ms) | p90 (ms) | app CPU, median (ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.models:
            path = make_checkpoint(Path(folder), name)
            times = asyncio.run(in_app(path, pictures, args.runs))
            label = "own (examples/my_network.py)" if name == "own" else name
            for picture, pixels in pictures.items():
                ml, draw = parts(path, pixels, args.runs)
                ms = sorted(wall * 1000 for wall, _ in times[picture])
                cpu = statistics.median(c * 1000 for _, c in times[picture])
                p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
                print(f"| {label} | {picture} | {ml:.1f} | {draw:.1f} | {statistics.median(ms):.1f} | {p90:.1f} | {cpu:.1f} |")
            ms = sorted(wall * 1000 for wall, _ in times["l"])
            cpu = statistics.median(c * 1000 for _, c in times["l"])
            p90 = ms[min(len(ms) - 1, int(0.9 * len(ms)))]
            print(f"| {label} | key l (same image, next layer) |  |  | {statistics.median(ms):.1f} | {p90:.1f} | {cpu:.1f} |")
    print()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
