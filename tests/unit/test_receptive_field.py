"""Receptive fields from geometry equal the gradient support of a unit, for every preset and for own model files."""

from __future__ import annotations

import textwrap

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.overrides import TorchFunctionMode

from cnn_tui.core.receptive_field import INPUT, WINDOW, GeometryStep, ReceptiveFieldError, receptive_field, step_fields
from cnn_tui.ml.models import MODELS, build_model, model_config
from cnn_tui.ml.receptive_field import geometry_chain


class _MaxAsSum(TorchFunctionMode):
    """Max pooling sends its gradient to one input per window; a sum over the same windows (a depthwise conv of
    ones with the pool's kernel, stride, padding and dilation) sends it to all of them, as the box claims."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name in ("max_pool2d", "max_pool2d_with_indices"):
            return _window_sum(*args, **kwargs)
        if name == "adaptive_max_pool2d":
            return F.adaptive_avg_pool2d(args[0], args[1])
        return func(*args, **kwargs)


def _window_sum(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    expected = F.max_pool2d(x.detach(), kernel_size, stride, padding, dilation, ceil_mode).shape
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = stride or kernel_size
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    ones = torch.ones(x.shape[1], 1, kh, kw)
    padded = F.pad(x, (pw, pw + sw * kw, ph, ph + sh * kh))  # room on the right for ceil mode's last window
    out = F.conv2d(padded, ones, stride=(sh, sw), dilation=dilation, groups=x.shape[1])
    return out[..., : expected[-2], : expected[-1]]


def _positive(model: nn.Module) -> nn.Module:
    """Weights made positive, biases 0, BatchNorm's statistics left at mean 0 and variance 1; eval mode."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias"):
                parameter.zero_()
            else:
                parameter.copy_(parameter.abs() + 0.01)
    return model.eval()


def _gradient_boxes(model: nn.Module, units: dict[str, list[tuple[int, int]]], size=(3, 32, 32)):
    """For each layer and unit, the bounding box of the input pixels with a non-zero gradient (one forward pass:
    unit k of a layer is read from image k of a batch of identical images)."""
    batch = max(len(u) for u in units.values())
    outputs: dict[str, torch.Tensor] = {}
    modules = dict(model.named_modules())
    handles = [
        modules[layer].register_forward_hook(lambda _m, _i, out, layer=layer: outputs.setdefault(layer, out))
        for layer in units
    ]
    one = torch.rand(1, *size, generator=torch.Generator().manual_seed(0)) + 0.5
    image = one.repeat(batch, 1, 1, 1).requires_grad_()
    try:
        with _MaxAsSum():
            model(image)
    finally:
        for handle in handles:
            handle.remove()
    boxes = {}
    for layer, cells in units.items():
        picked = sum(outputs[layer][k, :, r, c].sum() for k, (r, c) in enumerate(cells))
        (grad,) = torch.autograd.grad(picked, image, retain_graph=True)
        for k, unit in enumerate(cells):
            rows, cols = torch.nonzero(grad[k].abs().sum(0), as_tuple=True)
            found = None if rows.numel() == 0 else (int(rows.min()), int(cols.min()), int(rows.max()), int(cols.max()))
            boxes[layer, unit] = found
    return boxes


def _units(shape: tuple[int, int]) -> list[tuple[int, int]]:
    rows, cols = shape
    corners = {(0, 0), (0, cols - 1), (rows - 1, 0), (rows - 1, cols - 1), (rows // 2, cols // 2), (1 % rows, cols // 3)}
    return sorted(corners)


def _check_every_layer(model: nn.Module, size=(3, 32, 32)) -> int:
    """Compare every layer with maps whose field differs from its input's (windows and merges of branches)."""
    chain = geometry_chain(model, size)
    model = _positive(model)
    units = {}
    for layer in chain.map_layers():
        step = chain.steps[chain.layers[layer]]
        if step.kind == WINDOW or len(step.inputs) > 1 or isinstance(dict(model.named_modules())[layer], nn.Sequential):
            units[layer] = _units(step.shape)
    boxes = _gradient_boxes(model, units, size)
    for layer, cells in units.items():
        for unit in cells:
            field = chain.receptive_field(layer, unit)
            assert boxes[layer, unit] == field.box, (layer, unit)
            start = chain.field(layer).start
            top, left = start[0] + unit[0] * field.jump[0], start[1] + unit[1] * field.jump[1]
            bottom, right = top + field.size[0] - 1, left + field.size[1] - 1
            if top >= 0 and left >= 0 and bottom < size[1] and right < size[2]:
                assert field.box == (top, left, bottom, right), (layer, unit)
    return sum(len(cells) for cells in units.values())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_preset_matches_the_gradient_support(name):
    assert _check_every_layer(build_model(name)) >= 10


OWN_MODEL = textwrap.dedent(
    """
    import torch
    import torch.nn.functional as F
    from torch import nn

    class Odd(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=2, dilation=3)
            self.conv2 = nn.Conv2d(4, 4, kernel_size=3, dilation=2, padding=1)
            self.pool = nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)
            self.side = nn.Conv2d(4, 4, kernel_size=1)
            self.conv3 = nn.Conv2d(4, 6, kernel_size=(3, 2), stride=(1, 2), padding=(2, 3), dilation=(1, 3))
            self.conv4 = nn.Conv2d(6, 6, kernel_size=4, padding="same", padding_mode="reflect")
            self.out = nn.Linear(6, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            x = self.pool(F.relu(self.conv2(x)))
            x = x + self.side(F.avg_pool2d(F.pad(x, (1, 1, 1, 1)), 3, stride=1))
            x = F.max_pool2d(F.relu(self.conv3(x)), 2, stride=1, dilation=2)
            x = self.conv4(x)
            return self.out(x.mean(dim=(2, 3)))
    """
)


def test_own_file_with_stride_padding_dilation_and_a_branch(tmp_path):
    path = tmp_path / "odd.py"
    path.write_text(OWN_MODEL)
    model = build_model(model_config(f"{path}:Odd"))
    chain = geometry_chain(model)
    assert chain.map_layers() == ["conv1", "conv2", "pool", "side", "conv3", "conv4"]
    assert _check_every_layer(model) >= 20


def test_the_lecture_network_by_hand():
    chain = geometry_chain(build_model("lecture"))
    table = {layer: (chain.field(layer).size, chain.field(layer).jump) for layer in chain.map_layers()}
    assert table == {
        "conv1": ((3, 3), (1, 1)),
        "pool1": ((4, 4), (2, 2)),
        "conv2": ((8, 8), (2, 2)),
        "pool2": ((10, 10), (4, 4)),
    }
    assert chain.receptive_field("conv2", (0, 0)).box == (0, 0, 7, 7)
    assert chain.receptive_field("conv2", (3, 5)).box == (6, 10, 13, 17)
    assert chain.receptive_field("pool2", (5, 5)).box == (20, 20, 29, 29)


def test_a_residual_merge_takes_the_wider_branch():
    steps = [
        GeometryStep("input", INPUT, (), (9, 9)),
        GeometryStep("conv2d", WINDOW, (0,), (9, 9), (3, 3), padding=(1, 1)),
        GeometryStep("conv2d", WINDOW, (1,), (9, 9), (3, 3), padding=(1, 1)),
        GeometryStep("add", "merge", (1, 2), (9, 9)),
    ]
    fields = step_fields(steps)
    assert fields[3].size == (5, 5) and fields[3].start == (-2, -2)
    assert receptive_field(steps, 3, (4, 4), "block").box == (2, 2, 6, 6)


def test_errors_name_the_layer_and_the_choices():
    chain = geometry_chain(build_model("lecture"))
    with pytest.raises(ReceptiveFieldError, match="conv1, pool1, conv2, pool2"):
        chain.receptive_field("conv9", (0, 0))
    with pytest.raises(ReceptiveFieldError, match="13×13"):
        chain.receptive_field("conv2", (13, 0))
    with pytest.raises(ReceptiveFieldError, match="out"):
        chain.receptive_field("out", (0, 0))


def test_upsampling_is_refused_not_guessed(tmp_path):
    class Up(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 3)
            self.after = nn.Conv2d(3, 3, 3)

        def forward(self, x):
            return self.after(F.interpolate(self.conv(x), scale_factor=2))

    chain = geometry_chain(Up())
    assert chain.receptive_field("conv", (0, 0)).box == (0, 0, 2, 2)
    with pytest.raises(ReceptiveFieldError, match="interpolate"):
        chain.receptive_field("after", (0, 0))
