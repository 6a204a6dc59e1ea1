"""A diverged run's reason names the layer where it started: the first whose output is not finite."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from cnn_tui.config import RECIPES
from cnn_tui.ml.divergence import first_nonfinite_layer
from cnn_tui.ml.events import DIVERGED
from cnn_tui.ml.models import build_model
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.train import train

QUICK = replace(RECIPES["fast"], epochs=1, batch_size=64, optimizer="adam", lr=3e-3, weight_decay=0.0)


@pytest.fixture(scope="module")
def small():
    return make_synthetic(train=256, test=64, seed=5)


def _model(name: str = "lecture"):
    torch.manual_seed(0)
    return build_model(name)


def test_a_bad_conv2_is_named_in_the_reason_in_both_languages(small):
    model = _model()
    with torch.no_grad():
        model.conv2.bias[3] = float("nan")
    result = train(model, small, QUICK)
    assert result.status == DIVERGED
    assert str(result.reason) == (
        "it started in layer conv2, the first whose output held nan; the loss became nan at epoch 1, batch 1: training diverged"
    )
    assert result.reason.in_language("zh").startswith("问题始于层 conv2：它是第一个输出中出现 nan 的层；第 1 轮第 1 批")


def test_inf_is_told_apart_from_nan():
    model = _model().eval()
    with torch.no_grad():
        model.conv1.weight[0, 0, 0, 0] = float("inf")
    found = first_nonfinite_layer(model, torch.rand(2, 3, 32, 32) + 0.1)
    assert (found.layer, found.value) == ("conv1", "inf")


def test_a_finite_network_names_no_layer():
    assert first_nonfinite_layer(_model().eval(), torch.rand(2, 3, 32, 32)) is None


def test_a_huge_learning_rate_names_a_layer_of_the_network(small):
    model = _model()
    result = train(model, small, replace(QUICK, optimizer="sgd", lr=1e6, schedule="constant"))
    assert result.status == DIVERGED
    reason = str(result.reason)
    assert reason.startswith("it started in layer ") and reason.endswith("training diverged")
    layer = reason.removeprefix("it started in layer ").split(",")[0]
    assert layer in dict(model.named_modules())


def test_the_probe_leaves_batchnorm_statistics_alone():
    model = _model("wide_bn").train()
    before = model.bn1.running_mean.clone()
    with torch.no_grad():
        model.conv2.bias[0] = float("nan")
    found = first_nonfinite_layer(model, torch.rand(4, 3, 32, 32))
    assert found.layer == "conv2"
    assert torch.equal(model.bn1.running_mean, before) and model.training


def test_a_network_that_cannot_be_copied_still_diverges_with_the_plain_reason(small):
    import threading

    from cnn_tui.ml.divergence import locate_divergence

    model = _model()
    model.lock = threading.Lock()  # deepcopy refuses it
    with torch.no_grad():
        model.conv2.bias[0] = float("nan")
    assert locate_divergence(model, torch.rand(2, 3, 32, 32)) is None
    result = train(model, small, QUICK)
    assert result.status == DIVERGED and str(result.reason) == "the loss became nan at epoch 1, batch 1: training diverged"
