"""Feature maps tab: key press to maps drawn, for Conv2d(3, 8, 3, stride=1) + ReLU + MaxPool2d(2) on 640×640×3.

Three measurements, each the median of N:

* `import torch` in a fresh interpreter (the one-off cost the tab pays on first show);
* in process (Textual's headless Pilot at 120×36): the tab set to Conv2d(3, 7, 3, stride=1) + ReLU +
  MaxPool2d(2), then `o` (out_channels 7 → 8) pressed; the clock stops at the first repaint of the
  maps after the 8-channel result arrived; `O` goes back (not timed). Beside it, in the same
  process, the bare pipeline (`compute_feature_maps`) as the baseline, and the drawing alone
  (shrinking, colouring and half-block layout of the 8 maps);
* in a real terminal (the installed `cnn-tui` in tmux at 120×36): the same key, the clock stopping
  when the screen shows the 8-channel shape *and* "printed by PyTorch" (the chain is written by
  the formula at once and by PyTorch when the maps are drawn).

    python benchmarks/feature_maps.py [--runs 7] [--no-tmux]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import time
import uuid

async def wait_workers(app) -> None:  # noqa: ANN001
    """Wait for every worker; one cancelled by a newer run (exclusive workers) is not an error."""
    await asyncio.gather(*(worker.wait() for worker in list(app.workers)), return_exceptions=True)


IMPORT_TORCH = "import time; t = time.perf_counter(); import torch; print(time.perf_counter() - t)"


def time_torch_import(runs: int) -> list[float]:
    return [float(subprocess.run([sys.executable, "-c", IMPORT_TORCH], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(runs)]


async def in_process(runs: int) -> dict[str, list[float]]:
    """Key press → repaint of the maps, the bare pipeline, and the drawing alone, in one process."""
    from cnn_tui.config import AppConfig
    from cnn_tui.core.feature_controls import FeatureState
    from cnn_tui.core.feature_settings import FeatureMapSettings
    from cnn_tui.ui.app import CnnTuiApp
    from cnn_tui.ui.tabs.feature_maps.tab import FeatureMapsTab
    from cnn_tui.ui.tabs.feature_maps.grid import FeatureGrid

    paints: list[tuple[float, object]] = []  # (when the maps were painted, the result they showed)
    original_render = FeatureGrid.render

    def render(self):  # noqa: ANN001, ANN202 - timing hook
        tab = self.app.query_one(FeatureMapsTab)
        paints.append((time.perf_counter(), tab.result))
        return original_render(self)

    FeatureGrid.render = render  # type: ignore[method-assign]
    times: dict[str, list[float]] = {"first show (torch import included)": [], "key press to maps drawn": [],
                                     "compute_feature_maps alone": [], "drawing alone (8 maps)": []}
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("4")
        tab = app.query_one(FeatureMapsTab)
        while tab.result_maps() is None:
            await asyncio.sleep(0.001)
        times["first show (torch import included)"].append(time.perf_counter() - start)
        base = FeatureMapSettings(out_channels=7, kernel_size=3, stride=1, padding=0, relu=True, pool="max",
                                  pool_kernel=2, pool_stride=2)
        tab._apply(FeatureState(base, tab.state.view))
        await wait_workers(app)
        await pilot.pause()
        for _ in range(runs):
            target = FeatureMapSettings(out_channels=8, kernel_size=3, stride=1, padding=0, relu=True, pool="max",
                                        pool_kernel=2, pool_stride=2)
            paints.clear()
            start = time.perf_counter()
            await pilot.press("o")
            def drawn() -> list[float]:
                return [t for t, shown in paints if shown is not None and shown.settings == target]

            while not drawn():
                await asyncio.sleep(0.0005)
            times["key press to maps drawn"].append(min(drawn()) - start)
            await pilot.press("O")
            await wait_workers(app)
            await pilot.pause()
        from cnn_tui.ml.feature_maps import compute_feature_maps

        pixels = tab.image.pixels
        for _ in range(runs):
            start = time.perf_counter()
            result = compute_feature_maps(pixels, target)
            times["compute_feature_maps alone"].append(time.perf_counter() - start)
        grid = app.query_one("#fm-grid", FeatureGrid)
        tab.state = FeatureState(target, tab.state.view)
        tab.result = result
        for _ in range(runs):
            start = time.perf_counter()
            tab._refresh_text()  # the words and the maps, as a new result draws them
            tab.watch_maps_part()
            times["drawing alone (8 maps)"].append(time.perf_counter() - start)
        assert grid.panel_count == 9
    FeatureGrid.render = original_render  # type: ignore[method-assign]
    return times


def in_tmux(runs: int) -> list[float]:
    """Key press → the 8-channel maps drawn, in the installed cnn-tui in a real terminal."""
    socket = f"cnn-tui-bench-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout

    def wait(*texts: str, timeout: float = 60.0) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            shown = screen()
            if all(text in shown for text in texts):
                return time.perf_counter()
            time.sleep(0.002)
        raise TimeoutError(f"{texts} did not appear:\n{screen()}")

    def send(*keys: str) -> None:
        for key in keys:
            subprocess.run([*tmux, "send-keys", "-t", "b", key], check=True)

    subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", "120", "-y", "36", "cnn-tui --lang en"], check=True)
    try:
        wait("Training")
        send("4")
        wait("printed by PyTorch")
        send("o", "o", "o", "o", "S", "r", "m")  # Conv2d(3, 7, 3, stride=1) + ReLU + MaxPool2d(2)
        wait("torch.Size([1, 7, 319, 319])", "printed by PyTorch", "computed in")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            send("o")
            times.append(wait("torch.Size([1, 8, 319, 319])", "printed by PyTorch") - start)
            send("O")
            wait("torch.Size([1, 7, 319, 319])", "printed by PyTorch")
            time.sleep(0.1)
        return times
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def row(name: str, values: list[float], baseline: float | None) -> str:
    median = statistics.median(values)
    ratio = f"{median / baseline:.2f}×" if baseline else ""
    return f"| {name} | {median * 1000:.1f} | {min(values) * 1000:.1f} | {max(values) * 1000:.1f} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal measurement")
    args = parser.parse_args()
    imports = time_torch_import(args.runs)
    times = asyncio.run(in_process(args.runs))
    baseline = statistics.median(times["compute_feature_maps alone"])
    print(f"640×640×3, Conv2d(3, 8, 3, stride=1) + ReLU + MaxPool2d(2); median of {args.runs}\n")
    print("| what | median (ms) | min (ms) | max (ms) | ratio to compute_feature_maps |")
    print("| --- | --- | --- | --- | --- |")
    print(row("`import torch` (fresh interpreter)", imports, None))
    for name, values in times.items():
        print(row(name, values, None if name.startswith("first") else baseline))
    if not args.no_tmux and shutil.which("tmux") and shutil.which("cnn-tui"):
        print(row("key press to maps drawn, real terminal (tmux)", in_tmux(args.runs), baseline))


if __name__ == "__main__":
    main()
