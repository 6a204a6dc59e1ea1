"""Max and average pooling against torch: output, shapes, rejections, ceil_mode, count_include_pad, steps."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.pool_trace import INPUT, OUTSIDE, PADDING, PoolTrace


@st.composite
def pool_cases(draw):
    channels = draw(st.integers(1, 4))
    height, width = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    mode = draw(st.sampled_from(["max", "avg"]))
    ceil_mode, include_pad, integer = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-5, 10, (channels, height, width)).astype(np.float64) if integer else rng.normal(size=(channels, height, width))
    return x, mode, kernel, stride, padding, ceil_mode, include_pad, integer


def _torch_pool(x, mode, kernel, stride, padding, ceil_mode, include_pad):
    t = torch.tensor(x)[None]
    if mode == "max":
        return F.max_pool2d(t, kernel, stride, padding, ceil_mode=ceil_mode)[0].numpy()
    return F.avg_pool2d(t, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=include_pad)[0].numpy()


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(pool_cases())
def test_output_and_shape_equal_torch(case):
    x, mode, kernel, stride, padding, ceil_mode, include_pad, integer = case
    try:
        expected = _torch_pool(x, mode, kernel, stride, padding, ceil_mode, include_pad)
    except RuntimeError:
        with pytest.raises(SettingsError):
            PoolTrace(x, mode, kernel, stride, padding, ceil_mode, include_pad)
        return
    trace = PoolTrace(x, mode, kernel, stride, padding, ceil_mode, include_pad)
    assert trace.output.shape == expected.shape == trace.output_shape
    if integer and mode == "max":
        np.testing.assert_array_equal(trace.output, expected)
    else:
        np.testing.assert_allclose(trace.output, expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(pool_cases())
def test_steps_show_winner_or_sum_and_divisor(case):
    x, mode, kernel, stride, padding, ceil_mode, include_pad, _ = case
    try:
        trace = PoolTrace(x, mode, kernel, stride, padding, ceil_mode, include_pad)
    except SettingsError:
        return
    for step in trace.steps(0, 40):
        assert (step.channel, step.row, step.col) == trace.position(step.index)
        assert step.values.shape == step.kinds.shape == kernel
        assert (step.kinds == INPUT).any(), "every window covers at least one input cell"
        if mode == "max":
            assert step.kinds[step.winner] == INPUT
            assert step.values[step.winner] == step.result == step.values.max()
            flat = step.values.ravel()
            assert int(np.argmax(flat == step.result)) == step.winner[0] * kernel[1] + step.winner[1]
        else:
            counted = step.counted(include_pad)
            assert step.divisor == counted.sum()
            assert step.total == pytest.approx(step.values[counted].sum(), abs=1e-12)
            assert step.total / step.divisor == pytest.approx(step.result, abs=1e-12)
        assert not (step.kinds[step.values != trace.fill] == OUTSIDE).any()


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"kernel_size": 0}, "kernel_size"),
        ({"stride": 0}, "stride"),
        ({"stride": -1}, "stride"),
        ({"padding": -1}, "padding"),
        ({"padding": 2}, "padding"),
        ({"kernel_size": (3, 1), "padding": (1, 1)}, "padding"),
        ({"kernel_size": 6}, "kernel_size"),
        ({"kernel_size": 6, "stride": 1, "ceil_mode": True}, "kernel_size"),
    ],
)
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_torch_rejects_what_the_engine_rejects(kwargs, parameter, mode):
    x = np.arange(16.0).reshape(1, 4, 4)
    settings_ = {"kernel_size": 2, "stride": None, "padding": 0, "ceil_mode": False} | kwargs
    with pytest.raises(RuntimeError):
        _torch_pool(x, mode, settings_["kernel_size"], settings_["stride"], settings_["padding"], settings_["ceil_mode"], True)
    with pytest.raises(SettingsError) as error:
        PoolTrace(x, mode, **settings_)
    assert error.value.parameter == parameter


def test_unknown_mode_is_an_error():
    with pytest.raises(SettingsError, match="'max' or 'avg'"):
        PoolTrace(np.ones((2, 2)), "median")


def test_ceil_mode_window_beyond_padding_is_not_counted():
    # 5 wide, kernel 2, stride 2, ceil: the last window covers column 4 and one column outside.
    trace = PoolTrace(np.arange(25.0).reshape(5, 5), "avg", 2, 2, 0, ceil_mode=True)
    assert trace.output_shape == (1, 3, 3)
    last = trace.step(len(trace) - 1)
    assert last.kinds.tolist() == [[INPUT, OUTSIDE], [OUTSIDE, OUTSIDE]]
    assert last.divisor == 1 and last.result == 24
    assert trace.rows.ceil_mode and not trace.rows.exact


def test_max_padding_is_minus_infinity_and_never_wins():
    trace = PoolTrace(np.full((3, 3), -7.0), "max", 2, 1, 1)
    first = trace.step(0)
    assert first.kinds.tolist() == [[PADDING, PADDING], [PADDING, INPUT]]
    assert np.isneginf(first.values[0, 0]) and first.winner == (1, 1) and first.result == -7


def test_stride_defaults_to_kernel_and_torch_call():
    trace = PoolTrace(np.ones((4, 4)), "avg", 2, padding=1, count_include_pad=False, ceil_mode=True)
    assert trace.stride == (2, 2)
    assert trace.torch_call() == "nn.AvgPool2d(kernel_size=2, stride=2, padding=1, ceil_mode=True, count_include_pad=False)"
    assert PoolTrace(np.ones((4, 4)), "max", (2, 3), (1, 2)).torch_call() == "nn.MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=0)"


def test_ceil_mode_lets_a_kernel_overhang_a_small_input_like_torch():
    x = np.arange(16.0).reshape(1, 4, 4)
    trace = PoolTrace(x, "max", 6, None, 0, ceil_mode=True)
    np.testing.assert_array_equal(trace.output, _torch_pool(x, "max", 6, None, 0, True, True))
    assert trace.output_shape == (1, 1, 1) and trace.output[0, 0, 0] == 15
