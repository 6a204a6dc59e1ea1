"""Colour scales for feature maps: signs stay apart, scales are stated, viridis is the published table,
shrinking averages values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnn_tui.core.colormap import (
    DIVERGING_STOPS,
    ColourScale,
    colourize,
    filters_as_rgb,
    make_scales,
    resolve_kind,
)
from cnn_tui.core.feature_display import block_mean, display_maps, fit_factor
from cnn_tui.core.viridis import VIRIDIS

finite = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False, width=32)
UNIT = ColourScale("sequential", 0.0, 1.0, 0.0, 1.0, True)
VIRIDIS_FIRST, VIRIDIS_LAST = (68, 1, 84), (253, 231, 37)  # the published ends × 255, rounded


def _lightness(rgb: np.ndarray) -> np.ndarray:
    """CIE L* (0 black – 100 white) of sRGB uint8 colours (… × 3)."""
    c = rgb.astype(np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(y > 216 / 24389, 116 * np.cbrt(y) - 16, y * 24389 / 27)


def test_viridis_is_the_published_table():
    assert len(VIRIDIS) == 256
    # values as printed in matplotlib's lib/matplotlib/_cm_listed.py (_viridis_data)
    assert VIRIDIS[0] == (0.267004, 0.004874, 0.329415)
    assert VIRIDIS[64] == (0.229739, 0.322361, 0.545706)
    assert VIRIDIS[128] == (0.127568, 0.566949, 0.550556)
    assert VIRIDIS[192] == (0.369214, 0.788888, 0.382914)
    assert VIRIDIS[255] == (0.993248, 0.906157, 0.143936)


def test_the_sequential_lookup_runs_through_viridis_from_first_to_last():
    rgb = colourize(np.linspace(0.0, 1.0, 256), UNIT)
    assert tuple(rgb[0]) == VIRIDIS_FIRST and tuple(rgb[-1]) == VIRIDIS_LAST
    expected = np.rint(np.asarray(VIRIDIS) * 255).astype(np.uint8)
    assert (rgb == expected).all(), "each of 256 evenly spaced values gets its own entry of the table"
    assert tuple(colourize(np.array([0.5]), UNIT)[0]) == tuple(expected[128])  # (33, 145, 140)
    lightness = _lightness(rgb)
    assert 14 < lightness[0] < 16 and 90 < lightness[-1] < 92
    assert (np.diff(lightness) > -0.05).all(), "lighter at every step, up to rounding to 0–255"
    assert (np.diff(lightness[::2]) > 0).all()


def test_diverging_is_symmetric_and_white_at_zero():
    maps = [np.array([[-2.0, 0.0, 5.0]])]
    (scale,) = make_scales(maps, "diverging")
    assert (scale.low, scale.high, scale.data_min, scale.data_max) == (-5.0, 5.0, -2.0, 5.0)
    assert scale.middle == 0
    rgb = colourize(np.array([[-5.0, 0.0, 5.0]]), scale)
    assert tuple(rgb[0, 0]) == DIVERGING_STOPS[0]
    assert tuple(rgb[0, 1]) == DIVERGING_STOPS[2]
    assert tuple(rgb[0, 2]) == DIVERGING_STOPS[-1]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, (4, 5), elements=finite))
def test_diverging_keeps_negative_and_positive_apart(values):
    (scale,) = make_scales([values], "diverging")
    rgb = colourize(values, scale).astype(int)
    blue_minus_red = rgb[..., 2] - rgb[..., 0]
    bound = max(abs(scale.low), 1e-9)
    clearly = np.abs(values) > bound * 0.01
    assert (blue_minus_red[clearly & (values < 0)] > 0).all()
    assert (blue_minus_red[clearly & (values > 0)] < 0).all()


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, (3, 6), elements=finite))
def test_sequential_is_monotonic_in_brightness_and_hits_the_ends(values):
    (scale,) = make_scales([values], "sequential")
    assert (scale.low, scale.high) == (float(values.min()), float(values.max()))
    order = np.argsort(values, axis=None)
    rgb = colourize(values, scale).reshape(-1, 3).astype(int)[order]
    brightness = rgb @ np.array([299, 587, 114])
    assert (np.diff(brightness) >= -600).all()  # viridis gets lighter; rounding allows one step back
    if values.max() > values.min():
        assert tuple(rgb[0]) == VIRIDIS_FIRST and tuple(rgb[-1]) == VIRIDIS_LAST


def test_auto_chooses_by_sign_and_shared_vs_per_map():
    positive, signed = np.array([[1.0, 3.0]]), np.array([[-1.0, 10.0]])
    assert resolve_kind("auto", 0.0) == "sequential" and resolve_kind("auto", -0.1) == "diverging"
    shared = make_scales([positive, signed], "auto", shared=True)
    assert shared[0] == shared[1] and shared[0].kind == "diverging" and shared[0].high == 10.0
    own = make_scales([positive, signed], "auto", shared=False)
    assert own[0].kind == "sequential" and (own[0].low, own[0].high) == (1.0, 3.0)
    assert own[1].kind == "diverging" and own[1].low == -10.0
    assert make_scales([]) == []
    with pytest.raises(ValueError, match="unknown colour scale"):
        make_scales([positive], "rainbow")


def test_constant_map_and_out_of_range_values():
    (scale,) = make_scales([np.zeros((2, 2))], "sequential")
    rgb = colourize(np.zeros((2, 2)), scale)
    assert (rgb == rgb[0, 0]).all()
    (scale,) = make_scales([np.array([[0.0, 1.0]])], "sequential")
    clipped = colourize(np.array([[-7.0, 9.0, np.nan]]), scale)
    assert tuple(clipped[0, 0]) == VIRIDIS_FIRST and tuple(clipped[0, 1]) == VIRIDIS_LAST


def test_legend_stops_run_from_low_to_high():
    (scale,) = make_scales([np.array([[-4.0, 2.0]])], "diverging")
    stops = scale.stops(5)
    assert [value for value, _ in stops] == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert stops[2][1] == DIVERGING_STOPS[2]
    with pytest.raises(ValueError):
        scale.stops(1)


def test_filters_as_rgb_share_one_scale():
    weights = np.zeros((2, 3, 3, 3))
    weights[0, 0] = 1.0  # the red slice of filter 0 is the largest weight
    weights[1, 2] = -1.0
    images, low, high = filters_as_rgb(weights)
    assert images.shape == (2, 3, 3, 3) and (low, high) == (-1.0, 1.0)
    assert tuple(images[0, 1, 1]) == (255, 128, 128)
    assert tuple(images[1, 0, 0]) == (128, 128, 0)
    with pytest.raises(ValueError):
        filters_as_rgb(np.zeros((2, 1, 3, 3)))


def test_fit_factor_and_block_mean():
    assert fit_factor(319, 319, 20, 40) == 16
    assert fit_factor(10, 10, 20, 20) == 1
    values = np.arange(25, dtype=float).reshape(5, 5)
    shrunk = block_mean(values, 2)
    assert shrunk.shape == (3, 3)
    assert shrunk[0, 0] == np.mean([0, 1, 5, 6]) and shrunk[2, 2] == 24 and shrunk[0, 2] == np.mean([4, 9])
    assert block_mean(values, 1) is not None and block_mean(values, 1).shape == (5, 5)
    with pytest.raises(ValueError):
        block_mean(values, 0)
    with pytest.raises(ValueError):
        fit_factor(5, 5, 0, 3)


def test_display_maps_average_values_before_colouring():
    checker = np.array([[-1.0, 1.0], [1.0, -1.0]])
    scales = make_scales([checker], "diverging")
    (image,) = display_maps([checker], scales, 2)
    assert image.shape == (1, 1, 3) and tuple(image[0, 0]) == DIVERGING_STOPS[2]  # averages to 0: white
    with pytest.raises(ValueError):
        display_maps([checker], [], 1)
