"""An exercise opened in the Convolution or Pooling tab: its lab (input, kernel, settings) and the output cell asked.

Cell exercises carry their matrices; size exercises get a 0, 1, 2, … input of their shape when it fits
the tabs (config.Limits); the rest (a pixel, parameter counts, the network) have no playground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnn_tui.core.exercises import Exercise
from cnn_tui.core.step_lab import CUSTOM, RANGE, ConvLab, PoolLab, Source, make_input, make_kernels, within_limits

CONV_TAB, POOL_TAB = "convolution", "pooling"


@dataclass(frozen=True, eq=False)
class Playground:
    """Which tab, the lab it shows, and the output cell (channel, row, column) to step to."""

    tab: str
    lab: ConvLab | PoolLab
    cell: tuple[int, int, int]


def _pair(value: object) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))  # type: ignore[index]


def _fits(shape: list[int], **sizes: int) -> bool:
    channels, height, width = shape
    return (
        within_limits("channels", channels) and within_limits("size", height) and within_limits("size", width)
        and all(within_limits(name, value) for name, value in sizes.items())
    )


def playground(exercise: Exercise) -> Playground | None:
    """The lab that shows `exercise` step by step, or None when no tab can."""
    s = exercise.setting
    cell = tuple(exercise.at) if exercise.at is not None and len(exercise.at) == 3 else (0, 0, 0)
    if s["op"] == "conv2d":
        settings = {"stride": _pair(s["stride"]), "padding": _pair(s["padding"]), "dilation": _pair(s["dilation"])}
        if "input" in s:
            lab = ConvLab(np.array(s["input"], float), np.array(s["weight"], float), np.array(s["bias"], float),
                          input_source=CUSTOM, **settings)
            return Playground(CONV_TAB, lab, cell)  # type: ignore[arg-type]
        shape, kernels, kernel = s["input_shape"], s["out_channels"], s["kernel_size"]
        if not _fits(shape, kernels=kernels, kernel_size=kernel):
            return None
        inputs = make_input(RANGE, tuple(shape), np.zeros(0))
        source = Source("random", seed=exercise.seed)
        weights = make_kernels(source, (kernels, shape[0], kernel, kernel), np.zeros(0))
        lab = ConvLab(inputs, weights, np.zeros(kernels), kernel_source=source, **settings)
        return Playground(CONV_TAB, lab, cell)  # type: ignore[arg-type]
    if s["op"] in ("max_pool2d", "avg_pool2d"):
        if "input" in s:
            inputs, source = np.array(s["input"], float), CUSTOM
        elif _fits(s["input_shape"], kernel_size=s["kernel_size"]):
            inputs, source = make_input(RANGE, tuple(s["input_shape"]), np.zeros(0)), RANGE
        else:
            return None
        lab = PoolLab(
            inputs, s["op"][:3], _pair(s["kernel_size"]), _pair(s["stride"]), _pair(s["padding"]), bool(s["ceil_mode"]),
            bool(s.get("count_include_pad", True)), input_source=source,
        )
        return Playground(POOL_TAB, lab, cell)  # type: ignore[arg-type]
    return None
