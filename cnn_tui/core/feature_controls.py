"""What the Feature maps tab's keys change: each setting's step rule, as pure functions of the state.

The state is the pipeline's `FeatureMapSettings` plus `ViewOptions` (which channel is selected,
how maps are coloured, which stage is drawn). `adjust(state, field, delta)` returns the next
state; numbers stay inside `LIMITS`, choices cycle, and kernel choices skip presets that do
not fit the current kernel_size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cnn_tui.config import FEATURE_MAP_DEFAULTS
from cnn_tui.core.colormap import KINDS
from cnn_tui.core.feature_settings import LIMITS, POOL_MODES, RANDOM, FeatureMapSettings
from cnn_tui.core.kernels import PRESETS, fits

STAGES: tuple[str, ...] = ("last", "conv", "relu", "pool")
"""Which maps to draw: the pipeline's output, or after a given layer (when that layer is on)."""
KERNEL_CHOICES: tuple[str, ...] = (RANDOM, *PRESETS)

# The rows of the settings panel, in order; each is a field of FeatureMapSettings or ViewOptions.
FIELDS: tuple[str, ...] = (
    "out_channels",
    "kernel_size",
    "stride",
    "padding",
    "relu",
    "pool",
    "pool_kernel",
    "pool_stride",
    "seed",
    "channel",
    "kernel",
    "colours",
    "shared",
    "stage",
    "shrink",
)


@dataclass(frozen=True)
class ViewOptions:
    """How results are drawn."""

    channel: int = 0  # the selected output channel (its kernel is shown and changed)
    colours: str = FEATURE_MAP_DEFAULTS.colours  # a colormap kind
    shared: bool = True  # one colour scale for all maps, or one per map
    stage: str = "last"
    shrink: str = FEATURE_MAP_DEFAULTS.shrink  # a block of values drawn as one pixel: "peak" or "mean"


@dataclass(frozen=True)
class FeatureState:
    settings: FeatureMapSettings = FeatureMapSettings()
    view: ViewOptions = ViewOptions()


def _cycle(choices: tuple[str, ...], current: str, delta: int) -> str:
    return choices[(choices.index(current) + delta) % len(choices)]


def _clamp(name: str, value: int) -> int:
    low, high = LIMITS[name]
    return max(low, min(high, value))


def next_kernel(current: str, delta: int, kernel_size: int) -> str:
    """The next kernel choice in the catalogue that can be made at `kernel_size`."""
    index = KERNEL_CHOICES.index(current)
    for step in range(1, len(KERNEL_CHOICES) + 1):
        candidate = KERNEL_CHOICES[(index + step * delta) % len(KERNEL_CHOICES)]
        if candidate == RANDOM or fits(candidate, kernel_size):
            return candidate
    return RANDOM


def stages_of(settings: FeatureMapSettings) -> tuple[str, ...]:
    """The stages that exist for these settings: last, conv, then relu and pool when on."""
    present = ["last", "conv"]
    if settings.relu:
        present.append("relu")
    if settings.pool != "none":
        present.append("pool")
    return tuple(present)


def shown_stage(state: FeatureState) -> str:
    """The layer whose maps are drawn ("last" resolved to conv, relu or pool)."""
    stages = stages_of(state.settings)
    stage = state.view.stage if state.view.stage in stages else "last"
    return stages[-1] if stage == "last" else stage


def adjust(state: FeatureState, field: str, delta: int) -> FeatureState:
    """The state after changing `field` by `delta` steps (±1; toggles ignore the sign)."""
    s, v = state.settings, state.view
    if field in ("out_channels", "kernel_size", "stride", "padding", "pool_kernel", "pool_stride", "seed"):
        value = _clamp(field, getattr(s, field) + delta)
        s = replace(s, **{field: value})  # fewer out_channels drop the extra kernel choices
        if field == "out_channels":
            v = replace(v, channel=min(v.channel, value - 1))
    elif field == "relu":
        s = replace(s, relu=not s.relu)
    elif field == "pool":
        s = replace(s, pool=_cycle(POOL_MODES, s.pool, delta))
    elif field == "channel":
        v = replace(v, channel=(v.channel + delta) % s.out_channels)
    elif field == "kernel":
        s = s.with_kernel(v.channel, next_kernel(s.kernel_for(v.channel), delta, s.kernel_size))
    elif field == "colours":
        v = replace(v, colours=_cycle(KINDS, v.colours, delta))
    elif field == "shrink":
        v = replace(v, shrink="mean" if v.shrink == "peak" else "peak")
    elif field == "shared":
        v = replace(v, shared=not v.shared)
    elif field == "stage":
        stages = stages_of(s)
        v = replace(v, stage=_cycle(stages, v.stage if v.stage in stages else "last", delta))
    else:
        raise ValueError(f"unknown setting {field!r}; choose one of {', '.join(FIELDS)}")
    return FeatureState(s, v)


def kernel_for_all(state: FeatureState) -> FeatureState:
    """Every output channel gets the selected channel's kernel."""
    name = state.settings.kernel_for(state.view.channel)
    return replace(state, settings=state.settings.with_all_kernels(name))
