"""Training for real on small synthetic sets: it learns, repeats with a seed, pauses/stops from another thread, stops on NaN."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
import torch

from cnn_tui.config import RECIPES, TrainRecipe
from cnn_tui.ml.augment import BatchMaker
from cnn_tui.ml.data import Normalization, to_float
from cnn_tui.ml.events import DIVERGED, FINISHED, STOPPED, BatchProgress, EpochResult, TrainController
from cnn_tui.ml.models import build_model
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.train import RecipeError, evaluate, lr_at, train

QUICK = replace(RECIPES["fast"], epochs=3, batch_size=64, optimizer="adam", lr=3e-3, weight_decay=0.0)


@pytest.fixture(scope="module")
def small():
    return make_synthetic(train=2048, test=300, seed=5)


def _model(seed: int = 0):
    torch.manual_seed(seed)
    return build_model("lecture")


@pytest.mark.slow
def test_training_improves_test_accuracy_and_reports_every_batch_and_epoch(small):
    model = _model()
    norm = Normalization.of(small.train)
    before = evaluate(model, small.test, num_classes=10, normalization=norm)
    batches: list[BatchProgress] = []
    epochs: list[EpochResult] = []
    result = train(model, small, QUICK, normalization=norm, device=torch.device("cpu"), on_batch=batches.append, on_epoch=epochs.append)
    assert result.status == FINISHED and result.epochs == tuple(epochs) and len(epochs) == 3
    assert len(batches) == 3 * 32 and batches[-1].batch == batches[-1].batches == 32
    assert batches[0].images_per_s > 0 and 0 <= batches[-1].accuracy <= 1
    assert epochs[-1].test_accuracy > before.accuracy + 0.25
    assert epochs[-1].train_loss < epochs[0].train_loss
    after = evaluate(model, small.test, num_classes=10, normalization=norm)
    assert after.accuracy == epochs[-1].test_accuracy
    assert sum(map(sum, after.confusion)) == after.count == 300
    assert epochs[0].line().startswith("epoch: 1 loss:") and " acc:" in epochs[0].line() and "s  test_acc:" not in epochs[0].line()


@pytest.mark.slow
def test_lecture_network_reaches_90_percent_on_synthetic_data():
    data = make_synthetic()
    recipe = replace(RECIPES["fast"], epochs=3, batch_size=64, optimizer="adam", lr=3e-3, weight_decay=0.0)
    result = train(_model(), data, recipe, normalization=Normalization.of(data.train))
    assert result.best_accuracy >= 0.90


def test_same_seed_same_run(small):
    recipe = replace(QUICK, epochs=1)
    part = small.subset(train=512, test=100)
    a, b = _model(1), _model(1)
    ra = train(a, part, recipe)
    rb = train(b, part, recipe)
    assert ra.epochs[0].train_loss == rb.epochs[0].train_loss
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True))


def test_pause_resume_and_stop_from_another_thread(small):
    controller = TrainController()
    at_batch_2, paused_by_main = threading.Event(), threading.Event()
    seen: list[int] = []

    def on_batch(progress: BatchProgress) -> None:
        seen.append(progress.batch)
        if progress.batch == 2 and progress.epoch == 1:
            at_batch_2.set()
            assert paused_by_main.wait(10)

    outcome = {}
    worker = threading.Thread(
        target=lambda: outcome.update(result=train(_model(), small, QUICK, controller=controller, on_batch=on_batch))
    )
    worker.start()
    assert at_batch_2.wait(30)
    controller.pause()
    paused_by_main.set()
    worker.join(0.3)
    assert worker.is_alive() and seen == [1, 2] and controller.paused  # held before batch 3
    controller.resume()
    while len(seen) < 5:
        worker.join(0.01)
    controller.stop()
    worker.join(30)
    assert not worker.is_alive()
    result = outcome["result"]
    assert result.status == STOPPED and "stopped by request" in str(result.reason)
    assert 5 <= len(seen) < 32 and result.epochs == ()


def test_stop_ends_a_pause():
    controller = TrainController()
    controller.pause()
    threading.Timer(0.05, controller.stop).start()
    assert controller.checkpoint(timeout=10) < 5
    assert controller.stopped and not controller.paused


def test_nan_loss_stops_with_a_reason(small):
    model = _model()
    with torch.no_grad():
        model.out.bias.fill_(float("nan"))
    saved = []
    result = train(model, small, QUICK, save=lambda *a: saved.append(a))
    assert result.status == DIVERGED and result.epochs == () and saved == []
    reason = str(result.reason)
    assert "loss became nan at epoch 1, batch 1: training diverged" in reason


def test_a_huge_learning_rate_diverges_cleanly(small):
    recipe = replace(QUICK, optimizer="sgd", lr=1e6, schedule="constant", epochs=1)
    result = train(_model(), small, recipe)
    assert result.status == DIVERGED and ("nan" in str(result.reason) or "inf" in str(result.reason))


def test_learning_rate_schedules():
    one = TrainRecipe(name="t", epochs=1, batch_size=1, lr=1.0, schedule="onecycle", warmup=0.2)
    values = [lr_at(step, 100, one) for step in range(100)]
    assert values[0] == pytest.approx(0.1) and max(values) == pytest.approx(1.0) and values[20] == pytest.approx(1.0)
    assert values[-1] == pytest.approx(1 / 80) and all(a >= b for a, b in zip(values[20:], values[21:]))
    assert lr_at(50, 100, replace(one, schedule="constant")) == 1.0


@pytest.mark.parametrize("field, value", [("optimizer", "rmsprop"), ("schedule", "cosine"), ("lr", 0.0), ("epochs", 0), ("crop", -1)])
def test_bad_recipes_are_refused_before_training(small, field, value):
    with pytest.raises(RecipeError):
        train(_model(), small, replace(QUICK, **{field: value}))


@pytest.mark.parametrize("flip_images, crop", [(True, 0), (False, 2), (True, 2)])
def test_augmentations_flip_and_shift_whole_batches(flip_images, crop):
    images = torch.randint(0, 256, (64, 3, 6, 6), dtype=torch.uint8)
    maker = BatchMaker(images, normalization=None, flip=flip_images, crop=crop)
    index = torch.randperm(64)[:40]
    draw = maker.draw(40, torch.Generator().manual_seed(0))
    x = maker.inputs(index, draw)
    assert x.shape == (40, 3, 6, 6) and x.dtype == torch.float32 and x.is_contiguous(memory_format=torch.channels_last)
    out = (x * 255).round().to(torch.uint8)
    padded = torch.nn.functional.pad(images, (crop,) * 4, mode="reflect") if crop else images
    kinds = set()
    for i, source in enumerate(index.tolist()):  # each output is a 6×6 window of its padded image, mirrored or not
        windows = {
            (dy, dx, mirrored): window.flip(2) if mirrored else window
            for dy in range(2 * crop + 1)
            for dx in range(2 * crop + 1)
            for mirrored in ((False, True) if flip_images else (False,))
            for window in [padded[source, :, dy : dy + 6, dx : dx + 6]]
        }
        match = [key for key, window in windows.items() if torch.equal(out[i], window)]
        assert match, i
        kinds.add(match[0])
    assert len(kinds) > 1  # not the same transform for the whole batch
    if flip_images:
        assert {k[2] for k in kinds} == {False, True}
    again = maker.inputs(index, maker.draw(40, torch.Generator().manual_seed(0)))
    assert torch.equal(x, again)
    # slices made apart (as the threads of a split batch make them) are the batch's own rows
    assert torch.equal(torch.cat([maker.inputs(index[a:b], draw[a:b]) for a, b in ((0, 7), (7, 30), (30, 40))]), x)


def test_batch_inputs_equal_to_float_without_augmentation():
    images = torch.randint(0, 256, (20, 3, 5, 7), dtype=torch.uint8)
    norm = Normalization(mean=(0.49, 0.48, 0.45), std=(0.25, 0.24, 0.26))
    index = torch.tensor([3, 0, 19, 7])
    for normalization in (None, norm):
        for layout in (torch.channels_last, torch.contiguous_format):
            maker = BatchMaker(images, normalization=normalization, flip=False, crop=0, layout=layout)
            x = maker.inputs(index)
            assert x.is_contiguous(memory_format=layout)
            assert torch.equal(x, to_float(images[index], normalization))
