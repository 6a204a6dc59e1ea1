"""Grad-CAM and saliency (cnn_tui.ml.attribution) against a second, hook-free computation with torch.func.

The reference below runs the network by hand in two pieces — the input up to the layer, then the
layer's output A to the logits — and differentiates the second piece with `torch.func.grad`, so it
shares no code with the forward hook, `autograd.grad` call or pooling of the implementation.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_tui.ml.attribution import LayerError, conv_layers, explain
from cnn_tui.ml.models import LECTURE, WIDE_BN, ModelConfig, build_model


def _stage(model, i: int, x: torch.Tensor) -> torch.Tensor:
    """Stage i's conv output, from the previous stage's pooled output."""
    return getattr(model, f"conv{i}")(x)


def _after_conv(model, i: int, a: torch.Tensor) -> torch.Tensor:
    """From conv i's output to the logits, written out by hand (BatchNorm in eval mode: running statistics)."""
    cfg = model.config
    act = model.activation
    x = a
    for j in range(i, len(cfg.conv_channels) + 1):
        if j > i:
            x = getattr(model, f"conv{j}")(x)
        if cfg.batch_norm:
            bn = getattr(model, f"bn{j}")
            x = (x - bn.running_mean[None, :, None, None]) / torch.sqrt(bn.running_var[None, :, None, None] + bn.eps)
            x = x * bn.weight[None, :, None, None] + bn.bias[None, :, None, None]
        x = getattr(model, f"pool{j}")(act(x))
    x = x.reshape(x.shape[0], -1)
    for j in range(1, len(cfg.fc_sizes) + 1):
        x = act(getattr(model, f"linear{j}")(x))
    return model.out(x)


def _before_conv(model, i: int, x: torch.Tensor) -> torch.Tensor:
    """Conv i's output from the input, by hand."""
    cfg = model.config
    for j in range(1, i):
        x = getattr(model, f"conv{j}")(x)
        if cfg.batch_norm:
            x = getattr(model, f"bn{j}")(x)
        x = getattr(model, f"pool{j}")(model.activation(x))
    return _stage(model, i, x)


def reference(model, x: torch.Tensor, layer_index: int, target: int) -> tuple[np.ndarray, np.ndarray]:
    """(Grad-CAM, saliency) from torch.func.grad on the hand-written pieces."""
    model.eval()
    with torch.no_grad():
        a = _before_conv(model, layer_index, x[None])
    grad_a = torch.func.grad(lambda t: _after_conv(model, layer_index, t)[0, target])(a)
    alpha = grad_a[0].mean(dim=(1, 2))
    cam = torch.clamp(torch.einsum("k,khw->hw", alpha, a[0]), min=0)
    full = lambda t: _after_conv(model, layer_index, _before_conv(model, layer_index, t[None]))[0, target]  # noqa: E731
    grad_x = torch.func.grad(full)(x)
    return cam.detach().numpy(), grad_x.abs().max(dim=0).values.detach().numpy()


def _model(config: ModelConfig, seed: int):
    torch.manual_seed(seed)
    model = build_model(config)
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.BatchNorm2d):  # statistics unlike the defaults, so BatchNorm matters
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.2, 0.2)
    return model.eval()


@pytest.mark.parametrize("config", [LECTURE, WIDE_BN], ids=["lecture", "wide_bn"])
@pytest.mark.parametrize("layer_index", [1, 2])
def test_maps_match_the_reference(config, layer_index):
    model = _model(config, seed=layer_index)
    x = torch.randn(3, 32, 32, generator=torch.Generator().manual_seed(7))
    top1 = explain(model, x, layer=f"conv{layer_index}")
    with torch.no_grad():
        logits = model(x[None])[0]
    assert top1.target == int(logits.argmax())
    assert top1.logit == pytest.approx(float(logits.max()), rel=1e-5)
    probabilities = torch.softmax(logits, 0)
    assert [i for i, _ in top1.top] == probabilities.topk(5).indices.tolist()
    assert [p for _, p in top1.top] == pytest.approx(probabilities.topk(5).values.tolist(), rel=1e-5)
    for target in (top1.target, top1.top[3][0]):  # the top-1 class and a less likely one
        got = explain(model, x, layer=f"conv{layer_index}", target=target)
        cam, saliency = reference(model, x, layer_index, target)
        assert got.target == target and got.layer == f"conv{layer_index}"
        assert got.gradcam.shape == cam.shape and got.saliency.shape == (32, 32)
        assert cam.max() > 0 and saliency.max() > 0  # the comparison is not between two blank maps
        np.testing.assert_allclose(got.gradcam, cam, rtol=1e-4, atol=1e-6 * cam.max())
        np.testing.assert_allclose(got.saliency, saliency, rtol=1e-4, atol=1e-6 * saliency.max())


def test_default_layer_is_the_last_conv_and_bad_names_list_the_conv_layers():
    model = _model(LECTURE, seed=0)
    x = torch.zeros(3, 32, 32)
    assert conv_layers(model) == ["conv1", "conv2"]
    assert explain(model, x).layer == "conv2"
    with pytest.raises(LayerError, match="no layer 'conv9'; its conv layers are: conv1, conv2"):
        explain(model, x, layer="conv9")


def test_in_place_activation_after_the_layer_does_not_change_the_map():
    class InPlace(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3)
            self.out = torch.nn.Linear(4 * 30 * 30, 10)

        def forward(self, x):
            return self.out(torch.relu_(self.conv(x)).flatten(1))

    torch.manual_seed(0)
    model = InPlace().eval()
    x = torch.randn(3, 32, 32, generator=torch.Generator().manual_seed(1))
    got = explain(model, x, layer="conv")
    with torch.no_grad():
        a = model.conv(x[None])
    target = got.target
    grad = torch.func.grad(lambda t: model.out(torch.relu(t).flatten(1))[0, target])(a)
    expected = torch.clamp((grad[0].mean(dim=(1, 2))[:, None, None] * a[0]).sum(0), min=0).detach().numpy()
    np.testing.assert_allclose(got.gradcam, expected, rtol=1e-4, atol=1e-7)


@settings(max_examples=12, deadline=None)
@given(
    kernels=st.lists(st.sampled_from([1, 3, 5]), min_size=1, max_size=3),
    padding=st.integers(0, 1),
    layer=st.integers(0, 2),
)
def test_the_map_has_the_layers_resolution(kernels, padding, layer):
    """Whatever the stack, Grad-CAM is as large as the chosen conv layer's output; saliency is the input's size."""
    convs = [torch.nn.Conv2d(3 if i == 0 else 4, 4, k, padding=padding) for i, k in enumerate(kernels)]
    body = torch.nn.Sequential(*[part for conv in convs for part in (conv, torch.nn.ReLU(), torch.nn.MaxPool2d(2))])
    torch.manual_seed(0)
    model = torch.nn.Sequential(body, torch.nn.Flatten(), torch.nn.LazyLinear(10))
    x = torch.randn(3, 32, 32)
    try:
        model(x[None])
    except RuntimeError:  # the stack shrank the image to nothing
        return
    index = min(layer, len(convs) - 1)
    name = conv_layers(model)[index]
    side = 32
    for k in kernels[: index + 1]:
        conv_side = side + 2 * padding - k + 1
        side = conv_side // 2
    got = explain(model.eval(), x, layer=name)
    assert got.gradcam.shape == (conv_side, conv_side)
    assert got.saliency.shape == (32, 32)
    assert (got.gradcam >= 0).all()
