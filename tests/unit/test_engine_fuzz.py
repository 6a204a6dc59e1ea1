"""Fuzzing the conv/pool engine (Hypothesis): any settings a person could type give a result within the memory
budget or a SettingsError sentence, never another exception."""

from __future__ import annotations

from dataclasses import replace
from unittest import mock

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnn_tui.config import LIMITS
from cnn_tui.core import conv_geometry
from cnn_tui.core.conv_geometry import SettingsError
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.pool_trace import PoolTrace

BUDGET = 200_000  # numbers; small, so that accepted cases stay fast
# Sizes from the ordinary to the absurd (10^6 padding asked for 298 GiB before the budget).
SIZE = st.one_of(st.integers(-2, 8), st.integers(-2, 10**6))
PAIR = st.tuples(SIZE, SIZE)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_sentence(error: SettingsError) -> None:
    text = str(error)
    assert text and "\n" not in text and error.rule in conv_geometry.RULES


def _within_budget(trace: ConvTrace | PoolTrace) -> None:
    assert trace.padded.size + trace.output.size <= BUDGET


@FUZZ
@given(
    channels=st.integers(1, 3), kernels=st.integers(1, 3), size=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kernel=st.tuples(st.integers(1, 6), st.integers(1, 6)), stride=PAIR, padding=PAIR, dilation=PAIR,
)
def test_conv_settings_give_a_result_or_a_sentence(channels, kernels, size, kernel, stride, padding, dilation):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, (channels, *size)).astype(float)
    w = rng.integers(-1, 2, (kernels, channels, *kernel)).astype(float)
    with mock.patch.object(conv_geometry, "LIMITS", replace(LIMITS, trace_numbers=BUDGET)):
        try:
            trace = ConvTrace(x, w, None, stride, padding, dilation)
        except SettingsError as error:
            _check_sentence(error)
            return
    _within_budget(trace)
    expected = F.conv2d(torch.tensor(x[None]), torch.tensor(w), stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(trace.output, expected[0].numpy())


@FUZZ
@given(
    mode=st.sampled_from(["max", "avg"]), size=st.tuples(st.integers(1, 12), st.integers(1, 12)),
    kernel=st.one_of(st.tuples(st.integers(1, 6), st.integers(1, 6)), PAIR), stride=PAIR, padding=PAIR,
    ceil_mode=st.booleans(),
)
def test_pool_settings_give_a_result_or_a_sentence(mode, size, kernel, stride, padding, ceil_mode):
    x = np.arange(2 * size[0] * size[1], dtype=float).reshape(2, *size)
    with mock.patch.object(conv_geometry, "LIMITS", replace(LIMITS, trace_numbers=BUDGET)):
        try:
            trace = PoolTrace(x, mode, kernel, stride, padding, ceil_mode)
        except SettingsError as error:
            _check_sentence(error)
            return
    _within_budget(trace)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    expected = pool(torch.tensor(x[None]), kernel, stride, padding, ceil_mode=ceil_mode)
    np.testing.assert_allclose(trace.output, expected[0].numpy())
