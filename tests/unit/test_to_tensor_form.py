"""What the Pixels tab says ToTensor returns is what torchvision's ToTensor returns, for the lecture's three arrays:
plt.imread's uint8 image (÷255 → float32), np.full([200, 200, 3], 255) (int64, kept) and np.zeros (float64, kept)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torchvision.transforms import ToTensor

from cnn_tui.core.channels import to_tensor_form

LECTURE_ARRAYS = {
    "plt.imread uint8": np.full((200, 200, 3), (255, 128, 0), dtype=np.uint8),
    "np.full int64": np.full([200, 200, 3], 255),
    "np.zeros float64": np.zeros([200, 200, 3]),
}


@pytest.mark.parametrize("name", list(LECTURE_ARRAYS))
def test_the_readout_says_what_torchvision_returns(name):
    array = LECTURE_ARRAYS[name]
    tensor = ToTensor()(array)
    form = to_tensor_form(str(array.dtype))
    assert f"torch.{form.dtype}" == str(tensor.dtype)
    assert form.values(array[0, 0]) == pytest.approx(tuple(tensor[:, 0, 0].tolist()))
    assert tuple(tensor.shape) == (3, 200, 200)


def test_the_lecture_arrays_kept_as_they_are():
    assert to_tensor_form("int64").values((255, 255, 255)) == (255, 255, 255)
    assert to_tensor_form("float64").values((0, 0, 0)) == (0.0, 0.0, 0.0)
    assert ToTensor()(np.full([2, 2, 3], 255)).dtype == torch.int64  # the lecture's white image is not ÷255
