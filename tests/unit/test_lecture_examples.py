"""Every worked example of the lecture, with the numbers the lecture prints, checked here and against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from cnn_tui.core.lecture_examples import CONV_EXAMPLES, EXAMPLES, POOL_EXAMPLES, example


def test_padding_tables_of_the_pooling_section():
    assert example("max-pool-padding").trace().output[0].tolist() == [
        [0, 1, 2, 2], [3, 4, 5, 5], [6, 7, 8, 8], [6, 7, 8, 8],
    ]
    assert example("avg-pool-padding").trace().output[0].tolist() == [
        [0, 0.25, 0.75, 0.5], [0.75, 2, 3, 1.75], [2.25, 5, 6, 3.25], [1.5, 3.25, 3.75, 2],
    ]


def test_stride_tables_of_the_pooling_section():
    assert example("max-pool-stride").trace().output[0].tolist() == [[5, 7], [13, 15]]
    assert example("avg-pool-stride").trace().output[0].tolist() == [[2.5, 4.5], [10.5, 12.5]]


def test_pytorch_api_examples():
    assert example("max-pool-api").trace().output[0].tolist() == [[4, 5], [7, 8]]
    assert example("avg-pool-api").trace().output[0].tolist() == [[2, 3], [5, 6]]
    assert example("max-pool-channels").trace().output.tolist() == [
        [[4, 5], [7, 8]], [[50, 60], [80, 90]], [[55, 66], [88, 99]],
    ]
    assert example("max-pool-api").trace().torch_call() == "nn.MaxPool2d(kernel_size=2, stride=1, padding=0)"


def test_feature_map_size_example():
    trace = example("conv-padding").trace()
    assert trace.output_shape == (1, 5, 5)
    assert trace.cols.numeric() == "(5 − 3 + 2) / 1 + 1 = 5"
    assert trace.torch_call() == "nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, stride=1, padding=1)"


def test_convolution_examples_shapes():
    assert example("conv-basic").trace().output[0].tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    assert example("conv-stride").trace().output_shape == (1, 3, 3)
    assert example("conv-multi-channel").trace().output_shape == (1, 3, 3)
    multi = example("conv-multi-kernel").trace()
    assert multi.output_shape == (2, 3, 3) and multi.in_channels == 3


@pytest.mark.parametrize("preset", CONV_EXAMPLES, ids=lambda e: e.name)
def test_conv_presets_equal_nn_conv2d(preset):
    trace = preset.trace()
    layer = nn.Conv2d(trace.in_channels, trace.out_channels, trace.kernel_size, preset.stride, preset.padding).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(trace.weights))
        layer.bias.copy_(torch.tensor(trace.bias))
        expected = layer(torch.tensor(trace.input)[None])[0].numpy()
    np.testing.assert_array_equal(trace.output, expected)
    if preset.expected is not None:
        np.testing.assert_array_equal(trace.output, np.array(preset.expected))
    assert trace.cols.numeric() == preset.formula


@pytest.mark.parametrize("preset", POOL_EXAMPLES, ids=lambda e: e.name)
def test_pool_presets_equal_nn_pooling(preset):
    trace = preset.trace()
    layer = (nn.MaxPool2d if preset.mode == "max" else nn.AvgPool2d)(preset.kernel_size, preset.stride, preset.padding)
    expected = layer(torch.tensor(trace.input)[None])[0].numpy()
    np.testing.assert_array_equal(trace.output, expected)
    np.testing.assert_array_equal(trace.output, np.array(preset.expected))


def test_names_are_unique_and_unknown_names_list_the_choices():
    assert len(EXAMPLES) == len(CONV_EXAMPLES) + len(POOL_EXAMPLES)
    with pytest.raises(KeyError, match="choose one of: conv-basic"):
        example("nope")
