"""Split batches (cnn_tui.ml.train_step): threads that each train a slice compute what the whole batch computes."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from torch import nn

from cnn_tui.config import RECIPES
from cnn_tui.ml.data import Normalization
from cnn_tui.ml.models import build_model
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.threads import shards_for
from cnn_tui.ml.train import train
from cnn_tui.ml.train_step import TrainStep, can_split

CPU = torch.device("cpu")


def _gradients_of(step: TrainStep, model: nn.Module, x: torch.Tensor, y: torch.Tensor, threads: int):
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with step.epoch(len(y)) as shards:
            loss, hits = step(x, y)
    finally:
        torch.set_num_threads(previous)
        step.close()
    return shards, float(loss), int(hits), [p.grad.clone() for p in model.parameters()]


@pytest.mark.parametrize("batch, threads, shards", [(256, 2, 2), (200, 3, 3), (130, 4, 2)])
def test_a_split_batch_gives_the_whole_batchs_loss_hits_and_gradients(batch, threads, shards):
    torch.manual_seed(1)
    model = build_model("lecture")
    x, y = torch.randn(batch, 3, 32, 32), torch.randint(0, 10, (batch,))
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    whole = _gradients_of(TrainStep(model, criterion, split=False, bf16=False, device=CPU), model, x, y, threads)
    split = _gradients_of(TrainStep(model, criterion, split=True, bf16=False, device=CPU), model, x, y, threads)
    assert whole[0] == 1 and split[0] == shards
    assert split[1] == pytest.approx(whole[1], rel=1e-6) and split[2] == whole[2]
    for a, b in zip(whole[3], split[3]):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-7)


def test_only_networks_without_batchnorm_dropout_or_buffers_are_split():
    assert can_split(build_model("lecture"))
    assert not can_split(build_model("resnet"))  # BatchNorm: its statistics would be per slice
    assert not can_split(nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(3072, 10)))
    with_buffer = nn.Linear(3072, 10)
    with_buffer.register_buffer("count", torch.zeros(()))
    assert not can_split(with_buffer)


@pytest.mark.parametrize(
    "batch, threads, splittable, shards",
    [(256, 2, True, 2), (256, 16, True, 4), (127, 2, True, 1), (128, 2, True, 2), (256, 1, True, 1), (256, 2, False, 1)],
)
def test_slices_are_never_smaller_than_64_images(batch, threads, splittable, shards):
    assert shards_for(batch, threads, splittable) == shards


@pytest.mark.slow
def test_training_with_split_batches_follows_the_same_path_and_gives_torch_its_threads_back():
    data = make_synthetic(train=1024, test=200, seed=3)
    norm = Normalization.of(data.train)
    recipe = replace(RECIPES["fast"], epochs=2, batch_size=256, min_steps=0)
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        results = []
        for split in (False, True):
            torch.manual_seed(0)
            results.append(train(build_model("lecture"), data, recipe, normalization=norm, device=CPU, split_batches=split))
            assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(previous)
    whole, split = results
    for a, b in zip(whole.epochs, split.epochs):
        assert b.train_loss == pytest.approx(a.train_loss, rel=1e-3)
        assert b.test_loss == pytest.approx(a.test_loss, rel=1e-3)
