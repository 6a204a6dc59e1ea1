"""PyTorch's errors in words for the learner's network, each with PyTorch's own line below."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnn_tui.i18n import describe, set_language
from cnn_tui.ml.torch_errors import describe_torch_error, explain_torch_error

MISTAKES = [
    (lambda: nn.Linear(256, 10)(torch.rand(2, 400)), "a Linear layer takes 256 inputs, but what reaches it has 400 numbers in its last dimension", "最后一维有 400 个数"),
    (lambda: nn.Conv2d(6, 16, 5)(torch.rand(2, 3, 32, 32)), "a Conv2d layer takes 6 input channels but receives 3", "in_channels"),
    (lambda: nn.Conv2d(3, 8, 5)(torch.rand(1, 3, 3, 3)), "shrunk to 3x3 before a layer whose kernel is 5x5", "卷积核 5x5"),
    (lambda: nn.MaxPool2d(2)(torch.rand(1, 3, 1, 1)), "the feature map is only 3x1x1", "只有 3x1x1"),
    (lambda: torch.rand(2, 16, 5, 6).view(-1, 400), "reshaping to [-1, 400] does not fit the batch's 960 numbers", "960 个数"),
    (lambda: nn.Conv2d(3, 8, 5)(torch.rand(2, 400)), "a convolution receives a [2, 400] tensor", "展平之后"),
    (lambda: F.cross_entropy(torch.rand(2, 5), torch.tensor([7, 1])), "an image's label is 7", "标签是 7"),
    (lambda: nn.BatchNorm2d(8)(torch.rand(2, 16, 4, 4)), "a BatchNorm layer is made for 8 channels but receives 16", "num_features"),
    (lambda: nn.Conv2d(3, 8, 5)(torch.rand(1, 3, 8, 8).double()), "the input is double but the network's weights are float", "float32"),
]


def _raised(mistake) -> Exception:
    with pytest.raises(Exception) as caught:
        mistake()
    return caught.value


@pytest.mark.parametrize(("mistake", "english", "chinese"), MISTAKES)
def test_each_known_mistake_is_explained_with_pytorchs_line_below(mistake, english, chinese):
    error = _raised(mistake)
    said = explain_torch_error(error)
    assert said is not None, str(error)
    meaning, original = str(said).split("\n")
    assert english in meaning
    assert original == f"    PyTorch said: {type(error).__name__}: {str(error).splitlines()[0]}"
    set_language("zh")
    assert chinese in describe(said) and describe(said).endswith(str(error).splitlines()[0])


def test_an_unknown_error_is_left_as_pytorch_said_it():
    error = RuntimeError("something else\nmore")
    assert explain_torch_error(error) is None
    assert describe_torch_error(error) == "RuntimeError: something else"
