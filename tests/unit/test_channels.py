"""Channels, statistics, downsampling and the built-in images."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from cnn_tui.config import DEFAULT_IMAGE_PATH
from cnn_tui.core.builtin_images import BUILTIN_IMAGES, black_image, default_image, white_image
from cnn_tui.core.channels import (
    channel_colour,
    channel_stats,
    channel_values,
    channel_view,
    chw_shape,
    grayscale,
    neighbourhood,
    to_tensor,
)
from cnn_tui.core.downsample import Pyramid, downsample
from cnn_tui.core.images import load_image
from cnn_tui.core.test_image import BARS, main, make_test_image

images = arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12), st.just(3)))


def test_grayscale_matches_pillow_convert_l():
    pixels = np.random.default_rng(2).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    ours = grayscale(pixels).astype(int)
    pillow = np.asarray(Image.fromarray(pixels).convert("L")).astype(int)
    assert np.abs(ours - pillow).max() <= 1
    assert grayscale(np.array([[[255, 255, 255], [0, 0, 0]]], dtype=np.uint8)).tolist() == [[255, 0]]


def test_channel_views_draw_each_channel_in_its_colour():
    pixels = np.array([[[10, 20, 30]]], dtype=np.uint8)
    assert channel_view(pixels, "rgb") is pixels
    assert channel_view(pixels, "r").tolist() == [[[10, 0, 0]]]
    assert channel_view(pixels, "g").tolist() == [[[0, 20, 0]]]
    assert channel_view(pixels, "b").tolist() == [[[0, 0, 30]]]
    grey = int(grayscale(pixels)[0, 0])
    assert channel_view(pixels, "gray").tolist() == [[[grey, grey, grey]]]
    assert channel_values(pixels, "b").tolist() == [[30]]
    assert channel_colour(np.array([[7]], dtype=np.uint8), 1).tolist() == [[[0, 7, 0]]]
    with pytest.raises(ValueError, match="unknown channel mode"):
        channel_values(pixels, "x")
    with pytest.raises(ValueError):
        channel_view(pixels, "split")


@settings(max_examples=40, deadline=None)
@given(images)
def test_stats_agree_with_numpy(pixels):
    stats = channel_stats(pixels)
    for c in range(3):
        assert stats.minimum[c] == pixels[:, :, c].min()
        assert stats.maximum[c] == pixels[:, :, c].max()
        assert stats.mean[c] == pytest.approx(pixels[:, :, c].mean())
        assert stats.histograms[c].sum() == pixels.shape[0] * pixels.shape[1]
        assert stats.histograms[c][int(pixels[0, 0, c])] >= 1
    assert stats.histograms.shape == (3, 256) and stats.pixel_count == pixels.shape[0] * pixels.shape[1]


def test_to_tensor_and_chw():
    assert to_tensor((255, 0, 51)) == (1.0, 0.0, 0.2)
    assert chw_shape((640, 480, 3)) == (3, 640, 480)


def test_neighbourhood_marks_outside_cells():
    values = np.arange(16).reshape(4, 4)
    window = neighbourhood(values, 0, 0, 3)
    assert window.tolist() == [[-1, -1, -1], [-1, 0, 1], [-1, 4, 5]]
    assert neighbourhood(values, 2, 2, 3).tolist() == [[5, 6, 7], [9, 10, 11], [13, 14, 15]]
    assert neighbourhood(values, 3, 3, 5)[2, 2] == 15
    with pytest.raises(ValueError, match="odd"):
        neighbourhood(values, 0, 0, 4)


@settings(max_examples=40, deadline=None)
@given(images, st.integers(1, 5))
def test_downsample_is_the_block_mean(pixels, factor):
    small = downsample(pixels, factor)
    h, w = pixels.shape[:2]
    assert small.shape == (-(-h // factor), -(-w // factor), 3)
    block = pixels[:factor, :factor].reshape(-1, 3).astype(float).mean(axis=0)
    assert np.abs(small[0, 0].astype(float) - block).max() < 1  # Pillow's fixed-point rounding
    last = pixels[(small.shape[0] - 1) * factor :, (small.shape[1] - 1) * factor :].reshape(-1, 3).mean(axis=0)
    assert np.abs(small[-1, -1].astype(float) - last).max() < 1


def test_pyramid_reuses_levels_within_rounding():
    pixels = np.random.default_rng(3).integers(0, 256, (48, 48, 3), dtype=np.uint8)
    pyramid = Pyramid(pixels)
    assert pyramid.level(1) is pixels
    pyramid.warm([2])
    eight = pyramid.level(8)
    direct = downsample(pixels, 8)
    assert eight.shape == direct.shape
    assert np.abs(eight.astype(int) - direct.astype(int)).max() <= 1
    assert pyramid.level(8) is eight  # cached
    with pytest.raises(ValueError):
        downsample(pixels, 0)


# -- built-in images -------------------------------------------------------------------------


def test_lecture_black_and_white_images():
    black, white = black_image(), white_image()
    assert black.shape == (200, 200, 3) and white.shape == (200, 200, 3)
    assert black.pixels.max() == 0 and white.pixels.min() == 255
    assert black.name == "np.zeros([200, 200, 3])" and white.name == "np.full([200, 200, 3], 255)"
    assert list(BUILTIN_IMAGES) == ["test", "black", "white"]


def test_test_image_is_deterministic_and_teaches():
    image = make_test_image(640)
    assert image.shape == (640, 640, 3) and image.dtype == np.uint8
    assert np.array_equal(image, make_test_image(640))
    bar_width = 640 // len(BARS)
    for index, colour in enumerate(BARS):
        assert image[10, index * bar_width + 5].tolist() == list(colour)
    ramps = image[160:320]
    assert ramps[0, 0].tolist() == [0, 0, 0] and ramps[0, -1].tolist() == [255, 0, 0]
    assert ramps[40, -1].tolist() == [0, 255, 0] and ramps[80, -1].tolist() == [0, 0, 255]
    assert ramps[159, -1].tolist() == [255, 255, 255]
    assert image[320, 320].tolist() == [255, 255, 255] and image[320, 321].tolist() == [0, 0, 0]  # checkerboard
    with pytest.raises(ValueError):
        make_test_image(100)


def test_shipped_image_is_the_generated_one():
    assert DEFAULT_IMAGE_PATH.is_file(), "cnn_tui/assets/img.png is missing: python -m cnn_tui.core.test_image cnn_tui/assets/img.png"
    assert np.array_equal(load_image(DEFAULT_IMAGE_PATH).pixels, make_test_image(640))


def test_default_image_is_drawn_when_the_file_is_missing(tmp_path):
    image = default_image(tmp_path / "img.png")
    assert image.shape == (640, 640, 3) and image.name == "img.png"
    assert np.array_equal(image.pixels, make_test_image(640))


def test_generator_command_writes_a_png(tmp_path, capsys):
    assert main([str(tmp_path / "out" / "img.png"), "--size", "64"]) == 0
    assert load_image(tmp_path / "out" / "img.png").shape == (64, 64, 3)
    assert main([str(tmp_path / "bad.png"), "--size", "65"]) == 2
    assert "multiple of 16" in capsys.readouterr().err


def test_prepare_computes_stats_and_the_fit_level(tmp_path):
    from cnn_tui.core.prepare import open_source, prepare

    Image.new("RGB", (64, 32), (10, 20, 30)).save(tmp_path / "flat.png")
    prepared = prepare(open_source(tmp_path / "flat.png"), cols=16, rows=4)
    assert prepared.stats.minimum == (10, 20, 30) and prepared.stats.maximum == (10, 20, 30)
    assert prepared.pyramid.level(4).shape == (8, 16, 3)  # fit: 64 / 16 = 4
    assert open_source("black").pixels.max() == 0
    with pytest.raises(ValueError, match="no built-in image"):
        open_source("purple")
