"""The `best` preset: whitened first layer, epochs fitted to a time budget, bf16 only where it is fast, a short real run."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from cnn_tui.cli import main
from cnn_tui.config import RECIPES
from cnn_tui.ml import train as train_module
from cnn_tui.ml.best import first_conv, fit_epochs, whiten_first_conv
from cnn_tui.ml.data import Normalization, load_dataset
from cnn_tui.ml.models import MODELS, build_model


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def synthetic():
    return load_dataset("synthetic", None).subset(train=600, test=200)


@pytest.mark.slow
def test_whitened_first_layer_decorrelates_the_training_patches(synthetic):
    model = build_model(MODELS["best"])
    norm = Normalization.of(synthetic.train)
    assert whiten_first_conv(model, synthetic.train, norm)
    conv = first_conv(model)
    x = synthetic.train.images.float().div(255)  # the patches it was whitened on
    x = (x - torch.tensor(norm.mean).view(1, 3, 1, 1)) / torch.tensor(norm.std).view(1, 3, 1, 1)
    half = conv.out_channels // 2
    with torch.no_grad():
        out = F.conv2d(x, conv.weight[:half]).transpose(0, 1).reshape(half, -1)
    cov = torch.cov(out.double())
    off = cov - torch.diag(torch.diag(cov))
    assert off.abs().max() < 1e-3 and torch.diag(cov).min() > 0.5  # decorrelated, near unit variance
    assert torch.equal(conv.weight[half:], -conv.weight[:half])  # ± pairs, as airbench


@pytest.mark.slow
def test_epochs_fit_the_time_budget_within_the_recipes_bounds(synthetic):
    model = build_model(MODELS["best"])
    recipe = replace(RECIPES["best"], batch_size=64, eval_batch_size=100)
    norm = Normalization.of(synthetic.train)
    cpu = torch.device("cpu")
    assert fit_epochs(model, synthetic, replace(recipe, time_budget_s=1e-6), norm, cpu).epochs == 1
    assert fit_epochs(model, synthetic, replace(recipe, time_budget_s=1e9), norm, cpu).epochs == recipe.epochs
    assert fit_epochs(model, synthetic, replace(recipe, time_budget_s=0), norm, cpu) == replace(recipe, time_budget_s=0)


def test_bf16_falls_back_to_fp32_where_the_hardware_is_slow_at_it(monkeypatch):
    cpu = torch.device("cpu")
    monkeypatch.setattr(train_module, "bf16_is_fast", lambda device: False)
    precision, why = train_module.training_precision("bf16", cpu)
    assert precision == "fp32" and "no fast bf16" in str(why)
    assert "没有快速的 bf16 运算" in why.in_language("zh")
    monkeypatch.setattr(train_module, "bf16_is_fast", lambda device: True)
    assert train_module.training_precision("bf16", cpu) == ("bf16", "")
    assert train_module.training_precision("fp32", cpu) == ("fp32", "")


@pytest.mark.slow
def test_best_trains_one_short_epoch_on_the_synthetic_set(tmp_path, capsys):
    args = [
        "train", "--model", "best", "--recipe", "best", "--data", "synthetic", "--train-limit", "256",
        "--test-limit", "100", "--batch-size", "64", "--time-budget-s", "0.001", "--threads", "1", "--plain",
        "--no-record", "--checkpoint", str(tmp_path / "best.pth"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "model best: 761,536 parameters" in out and "whiten=True" in out
    assert "epochs=1," in out  # fitted to the (tiny) budget
    assert [line[:9] for line in out.splitlines() if line.startswith("epoch:")] == ["epoch: 1 "]
    assert "second number, with flip test-time augmentation (image + mirror image): test accuracy 0." in out
