"""Every exercise's answer is what PyTorch computes from the exercise's own JSON setting, over thousands of seeds.

The oracle below reads only the worksheet line (`Exercise.to_json`), so it also checks that the setting
carries everything torch needs, in torch's own argument names.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.transforms import ToTensor

from cnn_tui.core.answers import AnswerError, answer_text, check, is_right, parse_answer, parse_shape
from cnn_tui.core.exercises import LEVELS, level_for
from cnn_tui.core.practice import make, topics, worksheet

SEEDS_PER_TOPIC = 1000
META = torch.device("meta")  # shapes and parameter counts without computing (or initialising) anything


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny convolutions: threads only cost here (5 ms a call with 2, microseconds with 1)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _through(x: torch.Tensor, layer: dict) -> torch.Tensor:
    if layer["op"] == "conv2d":
        k = layer["kernel_size"]
        weight = torch.zeros(layer["out_channels"], layer["in_channels"], k, k, device=META)
        return F.conv2d(x, weight, None, layer["stride"], layer["padding"])
    return F.max_pool2d(x, layer["kernel_size"], layer["stride"])


def torch_answer(line: dict) -> object:
    """The answer to a worksheet line, computed by torch from the line alone."""
    s, at = line["setting"], line.get("at")
    op = s["op"]
    if op == "to_tensor" and "input" in s:
        tensor = ToTensor()(np.array(s["input"], dtype=np.uint8))
        return float(tensor[tuple(at)])
    if op == "to_tensor":  # the pixel whose ToTensor value is s["value"]
        values = ToTensor()(np.arange(256, dtype=np.uint8).reshape(256, 1, 1))[0, :, 0]
        return int(torch.argmin((values - s["value"]).abs()))
    if op == "permute":
        return list(torch.empty(s["input_shape"]).permute(*s["dims"]).shape)
    if op == "conv_params":
        layer = nn.Conv2d(s["in_channels"], s["out_channels"], s["kernel_size"], bias=s["bias"], device=META)
        return sum(p.numel() for p in layer.parameters())
    if op == "linear_params":
        layer = nn.Linear(s["in_features"], s["out_features"], bias=s["bias"], device=META)
        return sum(p.numel() for p in layer.parameters())
    if op == "sequential":
        out = torch.zeros(1, *s["input_shape"], device=META)
        for layer in s["layers"]:
            out = _through(out, layer)
        return out[0].numel() if s.get("then") == "flatten" else list(out.shape[1:])
    x = torch.tensor(s["input"], dtype=torch.float64)[None] if "input" in s else torch.zeros(1, *s["input_shape"], device=META)
    if op == "conv2d":
        if "weight" in s:
            weight, bias = torch.tensor(s["weight"], dtype=torch.float64), torch.tensor(s["bias"], dtype=torch.float64)
        else:
            weight = torch.zeros(s["out_channels"], s["in_channels"], s["kernel_size"], s["kernel_size"], device=META)
            bias = None
        out = F.conv2d(x, weight, bias, s["stride"], s["padding"], s["dilation"])
    elif op == "max_pool2d":
        out = F.max_pool2d(x, s["kernel_size"], s["stride"], s["padding"], ceil_mode=s["ceil_mode"])
    else:
        assert op == "avg_pool2d", op
        out = F.avg_pool2d(x, s["kernel_size"], s["stride"], s["padding"], s["ceil_mode"],
                           s.get("count_include_pad", True))
    return float(out[0][tuple(at)]) if at is not None else list(out.shape[1:])


def test_there_are_at_least_eight_topics_in_the_lecture_order():
    names = topics()
    assert len(names) >= 8
    assert names.index("pixel") < names.index("conv_size") < names.index("pool_size") < names.index("shape_chain")


@pytest.mark.slow
@pytest.mark.parametrize("name", topics())
def test_every_answer_equals_torch(name):
    for seed in range(SEEDS_PER_TOPIC):
        exercise = make(name, seed, LEVELS[seed % 3])
        line = json.loads(json.dumps(exercise.to_json()))
        expected = torch_answer(line)
        if isinstance(expected, list):
            assert line["answer"] == expected, (seed, line)
        else:
            assert line["answer"] == pytest.approx(expected, abs=1e-4), (seed, line)
        assert is_right(exercise, parse_answer(answer_text(exercise), exercise.ask)), (seed, line)


def test_a_seed_gives_the_same_exercise_and_levels_differ():
    assert make("conv_cell", 5, 2).to_json() == make("conv_cell", 5, 2).to_json()
    assert make("conv_cell", 5, 2).to_json() != make("conv_cell", 6, 2).to_json()
    easy = [len(make("conv_cell", s, 1).setting["input"]) for s in range(30)]
    hard = [len(make("conv_cell", s, 3).setting["input"]) for s in range(30)]
    assert max(easy) == 1 and min(hard) >= 2  # several channels only when hard


def test_a_worksheet_goes_from_easy_to_hard_through_every_topic():
    sheet = worksheet(30, seed=1)
    assert [e.level for e in sheet] == sorted(e.level for e in sheet)
    assert {e.level for e in sheet} == {1, 2, 3}
    assert {e.topic for e in sheet} == set(topics())
    assert {e.topic for e in worksheet(6, seed=1, only="pool_cell")} == {"pool_cell"}


def test_questions_are_asked_in_both_languages():
    for name in topics():
        exercise = make(name, 3, 2)
        english, chinese = exercise.question("en"), exercise.question("zh")
        assert english != chinese and "?" in english and "？" in chinese


@pytest.mark.parametrize("text", ["2×4×4", "2x4x4", "2,4,4", "[2, 4, 4]", "(2, 4, 4)", " 2 4 4 ", "2，4，4", "2*4*4"])
def test_shapes_are_read_however_they_are_written(text):
    assert parse_shape(text) == (2, 4, 4)


def test_values_counts_and_their_mistakes():
    exercise = make("pool_cell", 0, 3)
    value = float(exercise.answer)
    assert check(exercise, f"{value:.2f}")
    assert not check(exercise, f"{value + 0.05:.2f}")
    assert parse_answer("13/4", "value") == 3.25
    assert parse_answer("−2", "value") == -2
    with pytest.raises(AnswerError, match="not a number"):
        parse_answer("abc", "value")
    with pytest.raises(AnswerError, match="not a whole number"):
        parse_answer("2.5", "count")
    with pytest.raises(AnswerError, match="not a shape"):
        parse_answer("2×a", "shape")
    shape = make("conv_size", 0, 1)
    assert not check(shape, "1")  # one number is a shape of one dimension, which is wrong
    assert check(shape, "[" + ", ".join(map(str, shape.answer)) + "]")


def test_the_level_rises_every_three_right_answers():
    assert [level_for(n) for n in (0, 2, 3, 5, 6, 100)] == [1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize("name", ["conv_cell", "pool_cell", "conv_size", "pool_size"])
def test_a_playground_shows_the_exercise_exactly(name):
    from cnn_tui.core.exercise_lab import playground

    shown = 0
    for seed in range(200):
        exercise = make(name, seed, LEVELS[seed % 3])
        place = playground(exercise)
        if place is None:
            assert name.endswith("size")  # only a shape too big for the tabs has no playground
            continue
        shown += 1
        trace = place.lab.trace()
        if exercise.ask == "shape":
            assert trace.output_shape == exercise.answer
        else:
            assert trace.output[place.cell] == pytest.approx(exercise.answer)
            assert place.cell == exercise.at
    assert shown >= 20


def test_topics_without_a_playground():
    from cnn_tui.core.exercise_lab import playground

    assert all(playground(make(name, 1, 2)) is None for name in ("pixel", "layout", "conv_params", "shape_chain"))


def test_a_playground_keeps_the_exercise_s_own_numbers_as_the_learner_s():
    from cnn_tui.core.exercise_lab import playground

    assert playground(make("conv_cell", 2, 2)).lab.input_source.kind == "custom"  # a size change keeps them
    assert playground(make("pool_cell", 2, 2)).lab.input_source.kind == "custom"


@pytest.mark.parametrize("text", ["2×²×4", "9" * 5000, "٣,4,4", "", "[]", "2;4;4", "\x00", "1e999999"])
def test_any_text_is_an_answer_or_says_why(text):
    for ask in ("shape", "value", "count"):
        try:
            parse_answer(text, ask)
        except AnswerError as error:
            assert str(error)


def test_the_editor_finds_the_network_class_and_syntax_errors():
    from cnn_tui.core.model_file import network_class, syntax_problem

    assert network_class("import torch.nn as nn\nclass A:\n    pass\nclass Net(nn.Module):\n    pass\n") == "Net"
    assert network_class("from torch.nn import Module\nclass Net(Module):\n    pass\n") == "Net"
    assert network_class("x = 1\n") is None
    assert syntax_problem("class Net(nn.Module):\n    def f(self)\n") == (2, "expected ':'")


def test_an_own_model_error_s_line_in_the_saved_network():
    from cnn_tui.core.model_file import error_line

    assert error_line("my_network.py:22") == 22
    assert error_line("/srv/session-1/my_network.py:7") == 7
    assert error_line("other.py:22") is None and error_line("their_my_network.py:3") is None
    assert error_line("my_network.py") is None and error_line(None) is None
