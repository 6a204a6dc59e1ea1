"""The conv2d step engine against torch: same output, same shapes, same rejections, steps that add up."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.conv_trace import ConvTrace

small = st.integers(1, 4)


@st.composite
def conv_cases(draw):
    cin, cout = draw(small), draw(small)
    height, width = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    integer = draw(st.booleans())
    with_bias = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if integer:
        x = rng.integers(-5, 10, (cin, height, width)).astype(np.float64)
        w = rng.integers(-2, 3, (cout, cin, *kernel)).astype(np.float64)
        b = rng.integers(-3, 4, cout).astype(np.float64)
    else:
        x, w, b = rng.normal(size=(cin, height, width)), rng.normal(size=(cout, cin, *kernel)), rng.normal(size=cout)
    return x, w, (b if with_bias else None), stride, padding, dilation, integer


def _torch_conv(x, w, b, stride, padding, dilation):
    bias = None if b is None else torch.tensor(b)
    return F.conv2d(torch.tensor(x)[None], torch.tensor(w), bias, stride, padding, dilation)[0].numpy()


@settings(max_examples=120, deadline=None)
@given(conv_cases())
def test_output_and_shape_equal_torch(case):
    x, w, b, stride, padding, dilation, integer = case
    try:
        expected = _torch_conv(x, w, b, stride, padding, dilation)
    except RuntimeError:
        with pytest.raises(SettingsError):
            ConvTrace(x, w, b, stride, padding, dilation)
        return
    trace = ConvTrace(x, w, b, stride, padding, dilation)
    assert trace.output.shape == expected.shape == trace.output_shape
    if integer:
        np.testing.assert_array_equal(trace.output, expected)
    else:
        np.testing.assert_allclose(trace.output, expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(conv_cases())
def test_steps_follow_pytorch_order_and_add_up(case):
    x, w, b, stride, padding, dilation, _ = case
    try:
        trace = ConvTrace(x, w, b, stride, padding, dilation)
    except SettingsError:
        return
    order = [(s.out_channel, s.row, s.col) for s in trace]
    assert order == [(o, r, c) for o in range(trace.out_channels) for r in range(trace.rows.output) for c in range(trace.cols.output)]
    for step in trace.steps(0, 30):
        assert step.inputs.shape == step.kernel.shape == step.products.shape == w.shape[1:]
        np.testing.assert_allclose(step.products, step.inputs * step.kernel)
        np.testing.assert_allclose(step.partial_sums, step.products.sum(axis=(1, 2)))
        assert step.partial_sums.sum() + step.bias == pytest.approx(step.result, abs=1e-9)
        assert step.result == trace.output[step.out_channel, step.row, step.col]
        assert trace.index_of(step.out_channel, step.row, step.col) == step.index
        # the window's rows and columns, in padded coordinates, hold exactly the inputs shown
        window = trace.padded[:, list(step.rows)][:, :, list(step.cols)]
        np.testing.assert_array_equal(window, step.inputs)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"stride": 0}, "stride"),
        ({"stride": (1, -1)}, "stride"),
        ({"padding": -1}, "padding"),
        ({"dilation": 0}, "dilation"),
        ({"weights": np.ones((1, 2, 3, 3))}, "in_channels"),
        ({"weights": np.ones((1, 1, 6, 6))}, "kernel_size"),
        ({"weights": np.ones((1, 1, 3, 3)), "dilation": 3}, "kernel_size"),
        ({"bias": [1.0, 2.0, 3.0], "weights": np.ones((2, 1, 3, 3))}, "bias"),
    ],
)
def test_torch_rejects_what_the_engine_rejects(kwargs, parameter):
    x = np.arange(25.0).reshape(1, 5, 5)
    settings_ = {"weights": np.ones((1, 1, 3, 3)), "bias": None, "stride": 1, "padding": 0, "dilation": 1} | kwargs
    with pytest.raises(RuntimeError):
        _torch_conv(x, settings_["weights"], None if settings_["bias"] is None else np.asarray(settings_["bias"]),
                    settings_["stride"], settings_["padding"], settings_["dilation"])
    with pytest.raises(SettingsError) as error:
        ConvTrace(x, **settings_)
    assert error.value.parameter == parameter
    assert parameter in str(error.value)


def test_kernel_shapes_and_single_bias_broadcast():
    x = np.arange(16.0).reshape(4, 4)
    one = ConvTrace(x, np.ones((2, 2)))
    assert one.output_shape == (1, 3, 3) and one.output[0, 0, 0] == 0 + 1 + 4 + 5
    two = ConvTrace(np.stack([x, x]), np.ones((3, 2, 2, 2)), bias=1.5)
    assert two.output_shape == (3, 3, 3)
    np.testing.assert_array_equal(two.bias, [1.5, 1.5, 1.5])
    assert two.output[2, 0, 0] == 2 * 10 + 1.5


def test_step_index_out_of_range():
    trace = ConvTrace(np.ones((3, 3)), np.ones((2, 2)))
    assert len(trace) == 4
    with pytest.raises(IndexError):
        trace.step(4)


def test_torch_call_lists_settings():
    trace = ConvTrace(np.ones((3, 5, 5)), np.ones((2, 3, 3, 2)), stride=(2, 1), padding=1, dilation=2)
    assert trace.torch_call() == (
        "nn.Conv2d(in_channels=3, out_channels=2, kernel_size=(3, 2), stride=(2, 1), padding=1, dilation=2)"
    )
