"""Step redraw of the Convolution and Pooling tabs: one step forward, from the action to encoded frame bytes.

The real app runs headless (Textual's test driver) at a fixed size; the tab shows a given input and
steps 100 times. For each step:

* "update": `tab.go_to(i)`, the tab's own work (the step, its matrices, arithmetic and status);
* "frame": the update plus Textual's next screen update of what changed — layout, compositing and
  encoding the frame to terminal bytes — called directly (`Screen._on_timer_update` and widget flags,
  private API, as benchmarks/pixels.py does) so that no frame-rate timer or Pilot waiting is counted.

The baseline, in the same process, is a whole-screen repaint of the same app with nothing changed.
Each is timed twice: wall clock, and CPU time of the app's thread (`time.thread_time`), which other
work on a shared machine inflates far less.
Target (issue 5): a step redraw ≤ 16 ms for inputs up to 3×16×16 with 4 kernels, so that play mode
at 20 steps/s (50 ms a step) stays smooth. Median of N steps.

    python benchmarks/step_redraw.py [--steps 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import numpy as np
from textual.widget import Widget

from cnn_tui.core.step_lab import ConvLab, PoolLab, Source
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.stepper.convolution import ConvolutionTab
from cnn_tui.ui.tabs.stepper.pooling import PoolingTab


def conv_lab(channels: int, side: int, kernels: int) -> ConvLab:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, (channels, side, side)).astype(float)
    w = rng.integers(-1, 2, (kernels, channels, 3, 3)).astype(float)
    return ConvLab(x, w, np.zeros(kernels), padding=(1, 1), input_source=Source("random"), kernel_source=Source("random"))


def pool_lab(channels: int, side: int) -> PoolLab:
    x = np.random.default_rng(0).integers(0, 10, (channels, side, side)).astype(float)
    return PoolLab(x, "max", (2, 2), (1, 1), (1, 1), input_source=Source("random"))


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def bench(tab_id: str, lab, steps: int, size: tuple[int, int]) -> tuple[float, ...]:
    """(update, frame, baseline, frame CPU, baseline CPU) median ms."""
    app = CnnTuiApp()
    async with app.run_test(size=size) as pilot:
        await app.run_tab_action(tab_id, None, "focus")
        await pilot.pause()
        tab = app.query_one(ConvolutionTab if tab_id == "convolution" else PoolingTab)
        tab.set_lab(lab)
        await pilot.pause()
        screen = app.screen
        # Headless apps skip writing frames; encode them to terminal bytes as a real terminal would get.
        app._display = lambda _screen, update: update.render_segments(app.console) if update is not None else None

        def frame(whole: bool = False) -> None:
            """Textual's next screen update, called directly: layout if a widget asked for one (or,
            with `whole`, every widget repainted), then composite and encode."""
            if whole:
                screen.refresh()
            for widget in screen.walk_children(with_self=False):
                if widget._layout_required:  # as Widget._check_refresh does on idle
                    widget._layout_required = False
                    for ancestor in widget.ancestors:
                        if not isinstance(ancestor, Widget):
                            break
                        ancestor._clear_arrangement_cache()
                        ancestor._layout_updates += 1
                        if not ancestor.styles.auto_dimensions:
                            break
                    screen._layout_required = True
                if widget._repaint_required:
                    widget._repaint_required = False
                    screen._dirty_widgets.add(widget)
            screen._on_timer_update()

        updates, frames, baseline, cpu_frames, cpu_baseline = [], [], [], [], []
        for index in range(1, steps + 1):
            frame(whole=True)
            cpu = time.thread_time()
            start = time.perf_counter()
            tab.go_to(index % len(tab.trace))
            middle = time.perf_counter()
            frame()
            end = time.perf_counter()
            cpu_frames.append(time.thread_time() - cpu)
            updates.append(middle - start)
            frames.append(end - start)
        for _ in range(steps):
            frame(whole=True)
            cpu = time.thread_time()
            start = time.perf_counter()
            frame(whole=True)
            baseline.append(time.perf_counter() - start)
            cpu_baseline.append(time.thread_time() - cpu)
    return _ms(updates), _ms(frames), _ms(baseline), _ms(cpu_frames), _ms(cpu_baseline)


async def main(steps: int) -> None:
    cases = [
        ("convolution 1×5×5, 1 kernel 3×3 (the lecture)", "convolution", conv_lab(1, 5, 1)),
        ("convolution 3×16×16, 4 kernels 3×3, padding 1", "convolution", conv_lab(3, 16, 4)),
        ("max pooling 3×16×16, 2×2, stride 1, padding 1", "pooling", pool_lab(3, 16)),
    ]
    print(f"Median of {steps} steps; wall clock (CPU time of the app's thread)\n")
    print("| terminal | case | update (ms) | frame: update + layout + render + encode (ms) | baseline: whole-screen repaint, nothing changed (ms) | frame / baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size in ((120, 36), (200, 60)):
        for name, tab_id, lab in cases:
            update, frame, base, cpu_frame, cpu_base = await bench(tab_id, lab, steps, size)
            print(
                f"| {size[0]}×{size[1]} | {name} | {update:.2f} | {frame:.2f} ({cpu_frame:.2f} CPU) "
                f"| {base:.2f} ({cpu_base:.2f} CPU) | {frame / base:.2f}× ({cpu_frame / cpu_base:.2f}× CPU) |"
            )

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100)
    asyncio.run(main(parser.parse_args().steps))
