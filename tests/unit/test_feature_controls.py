"""The Feature maps tab's key rules: limits hold, choices cycle, kernels that do not fit are skipped."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_tui.core.feature_controls import (
    FIELDS,
    KERNEL_CHOICES,
    FeatureState,
    adjust,
    kernel_for_all,
    next_kernel,
    shown_stage,
    stages_of,
)
from cnn_tui.core.feature_display import block_peak, display_maps, working_factor
from cnn_tui.core.feature_settings import LIMITS, RANDOM, AxisFormula, FeatureMapSettings
from cnn_tui.core.colormap import make_scales


def test_numbers_stay_in_their_limits():
    state = FeatureState()
    for field in ("out_channels", "kernel_size", "stride", "padding", "pool_kernel", "pool_stride", "seed"):
        low, high = LIMITS[field]
        down = state
        for _ in range(20):
            down = adjust(down, field, -1)
        assert getattr(down.settings, field) == low
        up = adjust(state, field, 1)
        assert getattr(up.settings, field) == min(high, getattr(state.settings, field) + 1)


def test_fewer_channels_trim_kernels_and_selection():
    state = FeatureState()
    state = adjust(adjust(state, "channel", 1), "channel", 1)  # channel 2
    state = adjust(state, "kernel", 1)
    assert state.settings.channel_kernels() == (RANDOM, RANDOM, "identity")
    state = adjust(state, "out_channels", -1)
    assert state.view.channel == 1 and state.settings.kernels == ()
    assert adjust(state, "channel", 1).view.channel == 0  # wraps


def test_choices_cycle_both_ways():
    state = FeatureState()
    assert adjust(state, "pool", 1).settings.pool == "max"
    assert adjust(state, "pool", -1).settings.pool == "avg"
    assert adjust(state, "relu", -1).settings.relu is True
    assert adjust(state, "colours", 1).view.colours == "diverging"
    assert adjust(state, "shared", 1).view.shared is False
    assert adjust(state, "shrink", 1).view.shrink == "mean"
    with pytest.raises(ValueError, match="unknown setting"):
        adjust(state, "dilation", 1)


def test_kernels_that_do_not_fit_are_skipped():
    assert next_kernel("emboss", 1, 1) == "red_only"  # Sobel, Laplacian … need 2 or 3
    assert next_kernel(RANDOM, -1, 3) == KERNEL_CHOICES[-1]
    assert next_kernel("edge_vertical", 1, 2) == "emboss"


def test_stages_follow_the_layers():
    settings = FeatureMapSettings(relu=True, pool="max")
    assert stages_of(settings) == ("last", "conv", "relu", "pool")
    state = FeatureState(settings)
    assert shown_stage(state) == "pool"
    state = adjust(state, "stage", 1)
    assert shown_stage(state) == "conv"
    state = adjust(state, "relu", 1)  # ReLU off: the stage list shrinks, "conv" stays valid
    assert shown_stage(adjust(state, "stage", 1)) == "pool"


def test_kernel_for_all():
    state = adjust(FeatureState(), "kernel", 1)
    assert kernel_for_all(state).settings.channel_kernels() == ("identity",) * 3
    assert FIELDS[0] == "out_channels" and len(set(FIELDS)) == len(FIELDS)


def test_block_peak_keeps_thin_features_and_signs():
    values = np.zeros((4, 4))
    values[1, 2] = -9.0
    values[3, 0] = 5.0
    peak = block_peak(values, 2)
    assert peak.tolist() == [[0.0, -9.0], [5.0, 0.0]]
    assert block_peak(np.arange(9.0).reshape(3, 3), 2).tolist() == [[4.0, 5.0], [7.0, 8.0]]
    (scale,) = make_scales([values], "diverging")
    with pytest.raises(ValueError, match="unknown shrink"):
        display_maps([values], [scale], 2, "median")


def test_formula_without_the_quotient():
    assert AxisFormula(640, 3, 0, 2).text(quotient=False) == "⌊(640 − 3 + 2×0) / 2⌋ + 1 = 319"


def test_working_factor_keeps_images_under_the_limit():
    assert working_factor(640, 640, 4_000_000) == 1
    assert working_factor(3000, 4000, 4_000_000) == 2
    assert working_factor(150, 200, 10_000) == 2
    assert working_factor(101, 101, 2_601) == 2  # ⌈101 / 2⌉² = 2601
