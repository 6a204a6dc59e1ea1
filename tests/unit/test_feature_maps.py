"""The Feature maps pipeline: torch agrees with the lecture's formula and with F.conv2d."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnn_tui.core.feature_settings import (
    RANDOM,
    AxisFormula,
    FeatureMapSettings,
    FeatureSettingsError,
    shape_chain,
)
from cnn_tui.core.kernels import PRESETS, fits, preset_weights
from cnn_tui.ml.feature_maps import compute_feature_maps, conv_parameters, default_init, image_tensor


@pytest.fixture(scope="module")
def image() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 256, (41, 37, 3), dtype=np.uint8)


def test_lecture_setting_prints_the_lectures_shape():
    pixels = np.random.default_rng(0).integers(0, 256, (640, 640, 3), dtype=np.uint8)
    result = compute_feature_maps(pixels, FeatureMapSettings())
    texts = [(stage.kind, stage.shape_text) for stage in result.stages]
    assert texts == [
        ("image", "(640, 640, 3)"),
        ("to_tensor", "torch.Size([1, 3, 640, 640])"),
        ("conv", "torch.Size([1, 3, 319, 319])"),
    ]
    assert result.stages[2].layer == "Conv2d(3, 3, kernel_size=3, stride=2, padding=0)"
    assert result.maps.shape == (3, 319, 319) and result.maps.dtype == np.float32
    # the lecture's code, run literally under the same seed
    torch.manual_seed(0)
    conv = nn.Conv2d(in_channels=3, out_channels=3, kernel_size=3, stride=2, padding=0)
    expected = conv(torch.tensor(pixels).permute(2, 0, 1).unsqueeze(0).to(torch.float32))
    np.testing.assert_allclose(result.maps, expected[0].detach().numpy(), rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_default_init_equals_manual_seed_then_conv2d(seed):
    torch.manual_seed(seed)
    conv = nn.Conv2d(3, 5, 4)
    weight, bias = default_init(5, 3, 4, seed)
    assert torch.equal(weight, conv.weight.data) and torch.equal(bias, conv.bias.data)


def test_default_init_leaves_the_global_generator_alone():
    torch.manual_seed(3)
    before = torch.rand(2)
    torch.manual_seed(3)
    default_init(3, 3, 3, 99)
    assert torch.equal(torch.rand(2), before)


@pytest.mark.parametrize("name", list(PRESETS))
def test_hand_made_kernels_equal_functional_conv2d(image, name):
    size = 3 if fits(name, 3) else 5
    settings = FeatureMapSettings(out_channels=2, kernel_size=size, stride=1, padding=1, kernels=(name,))
    result = compute_feature_maps(image, settings)
    weight = torch.from_numpy(preset_weights(name, size, 3))[None]
    expected = F.conv2d(image_tensor(image), weight, torch.zeros(1), stride=1, padding=1)[0, 0].numpy()
    np.testing.assert_allclose(result.maps[0], expected, rtol=1e-5, atol=1e-3)
    assert result.bias[0] == 0 and result.bias[1] != 0  # channel 1 stays random, with its bias
    np.testing.assert_array_equal(result.weights[0], preset_weights(name, size, 3))


def test_red_only_kernel_outputs_the_red_channel(image):
    result = compute_feature_maps(image, FeatureMapSettings(out_channels=1, stride=1, padding=1, kernels=("red_only",)))
    np.testing.assert_array_equal(result.maps[0], image[:, :, 0].astype(np.float32))


def test_relu_and_pooling_match_torch(image):
    settings = FeatureMapSettings(out_channels=4, kernel_size=3, stride=1, relu=True, pool="avg", pool_kernel=3, pool_stride=2)
    result = compute_feature_maps(image, settings)
    weight, bias = conv_parameters(settings)
    x = F.conv2d(image_tensor(image), weight, bias)
    np.testing.assert_allclose(result.stage_maps()[0].maps, x[0].numpy(), rtol=1e-6)
    expected = nn.AvgPool2d(3, 2)(torch.relu(x))[0].numpy()
    np.testing.assert_allclose(result.maps, expected, rtol=1e-6)
    assert [s.kind for s in result.stage_maps()] == ["conv", "relu", "pool"]
    assert (result.stage_maps()[1].maps >= 0).all()


GRID = list(itertools.product([1, 2, 3, 5], [1, 2, 3], [0, 1, 2], ["none", "max", "avg"], [(2, 2), (3, 1)]))


@pytest.mark.parametrize("kernel,stride,padding,pool,pool_ks", GRID)
def test_shapes_match_the_formula(image, kernel, stride, padding, pool, pool_ks):
    settings = FeatureMapSettings(
        out_channels=2, kernel_size=kernel, stride=stride, padding=padding, relu=True,
        pool=pool, pool_kernel=pool_ks[0], pool_stride=pool_ks[1],
    )
    chain = shape_chain(settings, *image.shape)
    result = compute_feature_maps(image, settings)
    assert [step.shape_text() for step in chain] == [stage.shape_text for stage in result.stages]
    conv = chain[2]
    height, width = image.shape[:2]
    assert conv.shape[2] == (height - kernel + 2 * padding) // stride + 1
    assert conv.shape[3] == (width - kernel + 2 * padding) // stride + 1
    assert result.stage_maps()[-1].maps.shape == chain[-1].shape[1:]


def test_formula_text():
    assert AxisFormula(640, 3, 0, 2).text() == "⌊(640 − 3 + 2×0) / 2⌋ + 1 = ⌊318.5⌋ + 1 = 319"
    assert AxisFormula(5, 3, 1, 1).text() == "(5 − 3 + 2×1) / 1 + 1 = 5"


def test_chain_of_the_issue():
    settings = FeatureMapSettings(relu=True, pool="max")
    chain = shape_chain(settings, 640, 640)
    assert [(s.layer, s.shape_text()) for s in chain] == [
        ("", "(640, 640, 3)"),
        ("permute(2, 0, 1).unsqueeze(0)", "torch.Size([1, 3, 640, 640])"),
        ("Conv2d(3, 3, kernel_size=3, stride=2, padding=0)", "torch.Size([1, 3, 319, 319])"),
        ("ReLU()", "torch.Size([1, 3, 319, 319])"),
        ("MaxPool2d(kernel_size=2, stride=2)", "torch.Size([1, 3, 159, 159])"),
    ]


def test_user_mistakes_are_clear_errors(image):
    with pytest.raises(FeatureSettingsError, match="stride must be between 1 and 8, got 0"):
        FeatureMapSettings(stride=0)
    with pytest.raises(FeatureSettingsError, match="pooling must be one of"):
        FeatureMapSettings(pool="min")
    with pytest.raises(FeatureSettingsError, match="unknown kernel"):
        FeatureMapSettings(kernels=("wobble",))
    with pytest.raises(FeatureSettingsError) as error:
        shape_chain(FeatureMapSettings(kernel_size=11), 5, 5)
    assert error.value.code == "conv_too_big"
    with pytest.raises(FeatureSettingsError) as error:
        compute_feature_maps(image, FeatureMapSettings(kernel_size=2, kernels=("sobel_x",)))
    assert error.value.code == "kernel_size_preset"
    with pytest.raises(FeatureSettingsError) as error:
        shape_chain(FeatureMapSettings(stride=8, pool="max", pool_kernel=8), 20, 20)
    assert error.value.code == "pool_too_big"
    with pytest.raises(FeatureSettingsError):
        compute_feature_maps(image[:, :, :2], FeatureMapSettings())


def test_kernel_choices_per_channel():
    settings = FeatureMapSettings(out_channels=4).with_kernel(2, "sobel_x")
    assert settings.channel_kernels() == (RANDOM, RANDOM, "sobel_x", RANDOM)
    assert settings.with_kernel(2, RANDOM).kernels == ()
    assert FeatureMapSettings(out_channels=2).with_all_kernels("emboss").kernels == ("emboss", "emboss")
    assert FeatureMapSettings(pool="avg", pool_kernel=3, pool_stride=1).pool_text() == "AvgPool2d(kernel_size=3, stride=1)"
