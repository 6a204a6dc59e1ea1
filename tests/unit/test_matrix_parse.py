"""Matrices typed by a person: nested lists, shapes with a source, and one clear line for every mistake."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_tui.core.matrix_parse import MatrixParseError, as_input, as_weights, parse_matrix, parse_numbers, parse_shape


def test_nested_lists():
    np.testing.assert_array_equal(parse_matrix("[[0, 1], [2, 3.5]]"), [[0, 1], [2, 3.5]])
    assert parse_matrix("[[[1]], [[2]], [[-3e0]]]").shape == (3, 1, 1)


def test_sources():
    np.testing.assert_array_equal(parse_matrix("range:4x4"), np.arange(16).reshape(4, 4))
    assert parse_matrix("zeros:2x3").sum() == 0 and parse_matrix("ones:2X3").sum() == 6
    a, b = parse_matrix("random:3x5x5", seed=0), parse_matrix("random:3x5x5", seed=0)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (3, 5, 5) and a.min() >= 0 and a.max() <= 9 and np.all(a == a.round())
    assert not np.array_equal(a, parse_matrix("random:3x5x5", seed=1))
    kernel = parse_matrix("random:2x3x3", seed=0, random_range=(-1, 1))
    assert set(np.unique(kernel)) <= {-1.0, 0.0, 1.0}


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[1, 2], [3]]", "ragged rows: input[1] has 1 number(s) but input[0] has 2"),
        ("[[[1, 2], [3, 4]], [[1, 2]]]", "ragged matrix: input[1] is 1×2 but input[0] is 2×2"),
        ('[[1, "a"]]', 'input[0][1]: "a" is not a number'),
        ("[[1, true]]", "input[0][1]: true is not a number"),
        ("[[1, null]]", "input[0][1]: null is not a number"),
        ("[[1, NaN]]", "NaN is not a finite number"),
        ("[[1, 1e999]]", "inf is not a finite number"),
        ("[[1, 2]", "not a matrix (Expecting"),
        ("[[]]", "input[0]: an empty list"),
        ("", "input: empty"),
        ("hello", "'hello' is not a matrix"),
        ("bogus:3x3", "unknown source 'bogus'"),
        ("range:3x0", "has a zero size"),
        ("range:3by3", "should be sizes joined by x"),
        ("random:9999x9999", "too large"),
        ("[" * 5000 + "1" + "]" * 5000, "input: lists nested 5,000 deep, more than the 8 a matrix can use"),
        ("[" + '{"a": ' * 5000 + "1" + "}" * 5000 + "]", "input: lists nested 5,001 deep"),
        ("[" * 9 + "1" + "]" * 9, "input: lists nested 9 deep"),
        ('[["[[[[[[[[[["]]', 'input[0][0]: "[[[[[[[[[[" is not a number'),  # brackets inside a string do not nest
    ],
)
def test_mistakes_are_one_clear_line(text, message):
    with pytest.raises(MatrixParseError) as error:
        parse_matrix(text)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_numbers():
    np.testing.assert_array_equal(parse_numbers("1"), [1])
    np.testing.assert_array_equal(parse_numbers("[1, -0.5]"), [1, -0.5])
    np.testing.assert_array_equal(parse_numbers("1,0"), [1, 0])
    for bad in ("", "x", "1,,2", "inf"):
        with pytest.raises(MatrixParseError, match="bias"):
            parse_numbers(bad)


def test_shape_and_rank_helpers():
    assert parse_shape("3×5×5") == (3, 5, 5)
    assert as_input(np.ones((2, 2))).shape == (1, 2, 2)
    assert as_weights(np.ones((2, 2))).shape == (1, 1, 2, 2)
    assert as_weights(np.ones((3, 2, 2))).shape == (1, 3, 2, 2)
    with pytest.raises(MatrixParseError, match="give \\[H\\]\\[W\\] or \\[C\\]\\[H\\]\\[W\\]"):
        as_input(np.ones(3))
    with pytest.raises(MatrixParseError, match="5 dimension"):
        as_weights(np.ones((1, 1, 1, 1, 1)))


def test_the_deepest_nest_allowed_still_gets_its_rank_sentence():
    with pytest.raises(MatrixParseError, match="has 8 dimension"):
        as_weights(parse_matrix("[" * 8 + "1" + "]" * 8), "kernel")
