"""The pooling tab's PyTorch printout is what torch prints, for the lecture's pooling outputs and a few others."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn as nn

from cnn_tui.core.lecture_examples import POOL_EXAMPLES
from cnn_tui.core.tensor_print import torch_print


@pytest.mark.parametrize("preset", POOL_EXAMPLES, ids=lambda e: e.name)
def test_every_pooling_example_prints_as_torch_prints_it(preset):
    output = preset.trace().output[np.newaxis]  # (1, C, H, W), as the lecture's inputs
    assert torch_print(output) == repr(torch.tensor(output, dtype=torch.float32))


def test_the_lectures_printouts():
    inputs = torch.tensor([[[[0, 1, 2], [3, 4, 5], [6, 7, 8]]]]).float()
    assert torch_print(nn.MaxPool2d(2, 1)(inputs).numpy()) == "tensor([[[[4., 5.],\n          [7., 8.]]]])"
    assert torch_print(nn.AvgPool2d(2, 1)(inputs).numpy()) == "tensor([[[[2., 3.],\n          [5., 6.]]]])"


@pytest.mark.parametrize("values", [[[-1.5, 2.25], [0.0, 3.0]], [[1e-6, 5.0]], [[123456.0, -7.0, 0.0]], [[0.1, 2000.0]]])
def test_other_values_print_as_torch_prints_them(values):
    assert torch_print(np.array(values)) == repr(torch.tensor(values, dtype=torch.float32))
