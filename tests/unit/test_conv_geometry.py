"""Output-size arithmetic per axis: the lecture's formula, floors, ceil mode, dilation, uncovered cells."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_tui import i18n
from cnn_tui.core.conv_geometry import RULES, SettingsError, as_pair, axis_geometry


def test_lecture_formula_5x5_kernel_3_padding_1():
    axis = axis_geometry("W", 5, 3, 1, 1)
    assert axis.output == 5 and axis.exact and axis.uncovered == ()
    assert axis.symbolic() == "N = (W − F + 2P) / S + 1"
    assert axis.numeric() == "(5 − 3 + 2) / 1 + 1 = 5"


def test_floor_when_not_exact_and_the_uncovered_column():
    axis = axis_geometry("W", 6, 3, 2, 0)
    assert axis.output == 2 and not axis.exact
    assert axis.numeric() == "⌊(6 − 3 + 0) / 2⌋ + 1 = ⌊1.5⌋ + 1 = 2"
    assert axis.symbolic() == "N = ⌊(W − F + 2P) / S⌋ + 1"
    assert axis.uncovered == (5,)


def test_ceil_mode_rounds_up_and_drops_a_window_starting_in_the_padding():
    axis = axis_geometry("H", 5, 2, 2, 0, ceil_mode=True)
    assert axis.output == 3 and axis.numeric() == "⌈(5 − 2 + 0) / 2⌉ + 1 = ⌈1.5⌉ + 1 = 3"
    # 4 + 2·1 − 2 = 4 → ⌈4/3⌉ + 1 = 3, but window 2 would start at 6 ≥ 4 + 1: PyTorch keeps 2.
    corrected = axis_geometry("H", 4, 2, 3, 1, ceil_mode=True)
    assert corrected.ceil_corrected and corrected.output == 2
    assert corrected.numeric().endswith("+ 1 − 1 = 2")


def test_dilation_formula_and_gaps():
    axis = axis_geometry("W", 7, 3, 1, 0, dilation=2)
    assert axis.output == 3 and axis.effective_kernel == 5
    assert axis.symbolic() == "N = (W + 2P − D(F − 1) − 1) / S + 1"
    assert axis.numeric() == "(7 + 0 − 2×(3 − 1) − 1) / 1 + 1 = 3"
    assert list(axis.window(1)) == [1, 3, 5]
    gaps = axis_geometry("W", 7, 3, 3, 0, dilation=3)
    assert gaps.output == 1 and gaps.uncovered == (1, 2, 4, 5)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2))
def test_output_is_the_number_of_windows_that_fit(size, kernel, stride, padding, dilation):
    span = dilation * (kernel - 1) + 1
    if span > size + 2 * padding:
        return
    axis = axis_geometry("W", size, kernel, stride, padding, dilation)
    fits = [start for start in range(0, size + 2 * padding) if start % stride == 0 and start + span <= size + 2 * padding]
    assert axis.output == len(fits)
    assert axis.exact == ((size + 2 * padding - span) % stride == 0)
    covered = {p - padding for start in fits for p in range(start, start + span, dilation)}
    assert axis.uncovered == tuple(i for i in range(size) if i not in covered)


def test_as_pair():
    assert as_pair(3, "k") == (3, 3) and as_pair((2, 1), "k") == (2, 1)
    for bad in (True, (1, 2, 3), (1.5, 2), "3"):
        with pytest.raises(TypeError, match="k must be"):
            as_pair(bad, "k")  # type: ignore[arg-type]


def test_every_rule_has_a_message_in_both_languages_with_the_same_fields():
    catalogue = i18n.catalogue()
    for rule, english in RULES.items():
        key = f"engine.rule.{rule}"
        assert key in catalogue, key
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        assert fields == {name for _, name, _, _ in string.Formatter().parse(catalogue[key]["en"]) if name}
        assert catalogue[key]["en"] == english


def test_settings_error_names_the_parameter():
    error = SettingsError("padding", "pool_padding_half", value=2, kernel=2, limit=1)
    assert error.parameter == "padding" and error.rule == "pool_padding_half"
    assert str(error).startswith("padding 2 is more than half the kernel size 2")
    assert i18n.tr(f"engine.rule.{error.rule}", lang="zh", **error.fields).startswith("padding 2 超过")
