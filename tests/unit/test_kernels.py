"""The kernel catalogue: textbook 3×3 values, sizes, channel weights."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_tui.core.kernels import (
    COLOUR_NAMES,
    PRESETS,
    SPATIAL_NAMES,
    KernelError,
    binomial_row,
    fits,
    preset_weights,
    spatial_kernel,
    stack_presets,
)

TEXTBOOK_3X3 = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "edge_horizontal": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "edge_vertical": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}


@pytest.mark.parametrize("name", sorted(TEXTBOOK_3X3))
def test_textbook_values_at_3x3(name):
    np.testing.assert_array_equal(spatial_kernel(name, 3), np.array(TEXTBOOK_3X3[name], dtype=np.float32))


def test_blurs_average_to_one():
    np.testing.assert_allclose(spatial_kernel("box_blur", 3), np.full((3, 3), 1 / 9), rtol=1e-6)
    np.testing.assert_allclose(spatial_kernel("gaussian", 3) * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]], rtol=1e-6)
    for size in (1, 2, 5, 7):
        for name in ("box_blur", "gaussian", "identity", "sharpen", "emboss"):
            if fits(name, size):
                assert spatial_kernel(name, size).sum() == pytest.approx(1.0, abs=1e-5), (name, size)


@pytest.mark.parametrize("size", [3, 4, 5, 7, 11])
def test_derivative_kernels_sum_to_zero_and_have_the_size(size):
    for name in ("edge_horizontal", "edge_vertical", "sobel_x", "sobel_y", "laplacian"):
        kernel = spatial_kernel(name, size)
        assert kernel.shape == (size, size)
        assert kernel.dtype == np.float32
        assert kernel.sum() == pytest.approx(0.0, abs=1e-4)
    np.testing.assert_array_equal(spatial_kernel("sobel_y", size), spatial_kernel("sobel_x", size).T)


def test_sobel_5x5_is_opencvs():
    expected = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1])
    np.testing.assert_array_equal(spatial_kernel("sobel_x", 5), expected)


def test_binomial_rows():
    assert binomial_row(1).tolist() == [1]
    assert binomial_row(4).tolist() == [1, 3, 3, 1]
    with pytest.raises(ValueError):
        binomial_row(0)


def test_too_small_and_unknown_are_errors():
    assert not fits("sobel_x", 2)
    with pytest.raises(KernelError, match="at least 3"):
        spatial_kernel("sobel_x", 2)
    with pytest.raises(KernelError, match="unknown kernel 'nope'"):
        spatial_kernel("nope")


def test_spatial_preset_acts_on_the_channel_mean():
    weights = preset_weights("sobel_x", 3, in_channels=3)
    assert weights.shape == (3, 3, 3)
    np.testing.assert_allclose(weights.sum(axis=0), spatial_kernel("sobel_x", 3), rtol=1e-6)
    np.testing.assert_allclose(weights[0], weights[2])


def test_colour_presets_weigh_channels_at_the_centre():
    red = preset_weights("red_only", 3)
    assert red[0, 1, 1] == 1 and np.count_nonzero(red) == 1
    redness = preset_weights("redness", 5)
    assert redness[:, 2, 2].tolist() == [1.0, -0.5, -0.5]
    assert np.count_nonzero(redness) == 3
    assert not np.signbit(redness).any() or (redness[np.signbit(redness)] != 0).all()  # no −0
    with pytest.raises(KernelError, match="weighs 3 channels"):
        preset_weights("red_only", 3, in_channels=1)


def test_catalogue_order_and_stack():
    assert list(PRESETS) == [*SPATIAL_NAMES, *COLOUR_NAMES]
    assert "red_only" in COLOUR_NAMES and "laplacian" in SPATIAL_NAMES
    stacked = stack_presets(["identity", "red_only"], 3)
    assert stacked.shape == (2, 3, 3, 3)
    with pytest.raises(KernelError):
        stack_presets([])
