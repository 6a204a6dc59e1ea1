"""The lecture's network: names, shapes, 81,302 parameters, and weights the lecture's own class loads unchanged."""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn

from cnn_tui.ml.models import (
    LECTURE,
    MODELS,
    ImageClassification,
    ModelConfig,
    ModelConfigError,
    build_model,
    count_parameters,
    model_config,
)


class LectureImageClassification(nn.Module):
    """Copied from the lecture (图像分类案例), unchanged apart from this docstring."""

    def __init__(self):
        super(LectureImageClassification, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, stride=1, kernel_size=3)
        self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(6, 16, stride=1, kernel_size=3)
        self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.linear1 = nn.Linear(576, 120)
        self.linear2 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = self.pool1(x)
        x = torch.relu(self.conv2(x))
        x = self.pool2(x)
        x = x.reshape(x.size(0), -1)
        x = torch.relu(self.linear1(x))
        x = torch.relu(self.linear2(x))
        return self.out(x)


def test_lecture_model_has_the_lectures_layers_and_parameter_count():
    model = build_model("lecture")
    assert isinstance(model, ImageClassification)
    names = [name for name, _ in model.named_children()]
    assert names == ["conv1", "pool1", "conv2", "pool2", "linear1", "linear2", "out"]
    assert count_parameters(model) == 81_302 == count_parameters(LectureImageClassification())
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert LECTURE.feature_sizes() == [15, 6] and LECTURE.feature_size() == 576


def test_state_dicts_move_both_ways_between_our_model_and_the_lectures():
    torch.manual_seed(1)
    ours = build_model("lecture")
    theirs = LectureImageClassification()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict(ours.state_dict())  # strict: same keys, same shapes
    x = torch.rand(4, 3, 32, 32)
    assert torch.equal(ours(x), theirs(x))
    # ours pools before the ReLU (faster, same numbers): the gradients are the lecture's too
    ours(x).square().sum().backward()
    theirs(x).square().sum().backward()
    for (name, mine), (_, lectures) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert torch.allclose(mine.grad, lectures.grad, atol=1e-6), name
    back = build_model("lecture")
    back.load_state_dict(LectureImageClassification().state_dict())


def test_configs_round_trip_and_build_variants():
    wide = ModelConfig(name="wide", conv_channels=(32, 64), fc_sizes=(256,), padding=1, activation="gelu", batch_norm=True, dropout=0.1)
    assert ModelConfig.from_dict(wide.to_dict()) == wide
    model = build_model(wide)
    assert [n for n, _ in model.named_children()][:3] == ["conv1", "bn1", "pool1"]
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert build_model("lecture", num_classes=3).out.out_features == 3
    assert set(MODELS) >= {"lecture"}


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"activation": "tanh"}, "unknown activation"),
        ({"conv_channels": ()}, "conv_channels"),
        ({"conv_channels": (4, 4, 4, 4)}, "shrink"),
        ({"dropout": 1.0}, "dropout"),
        ({"fc_sizes": (0,)}, "positive"),
    ],
)
def test_bad_configs_say_what_is_wrong(settings, words):
    with pytest.raises(ModelConfigError, match=words):
        ModelConfig(**settings)


def test_unknown_names_and_settings_are_clear_errors():
    with pytest.raises(ModelConfigError, match="unknown model 'vgg16'.*lecture"):
        model_config("vgg16")
    with pytest.raises(ModelConfigError, match="unknown model settings: colour"):
        ModelConfig.from_dict({**LECTURE.to_dict(), "colour": "red"})
