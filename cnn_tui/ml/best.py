"""What the `best` recipe adds before training starts: airbench's whitened first layer, and epochs fitted to a time budget."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import replace

import torch
import torch.nn.functional as F
from torch import nn

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.augment import BatchMaker
from cnn_tui.ml.data import Dataset, Normalization, Split, to_float

WHITEN_EPS = 5e-4  # airbench's
WHITEN_IMAGES = 5000
PROBE_STEPS = 3


def first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


@torch.no_grad()
def whiten_first_conv(model: nn.Module, split: Split, normalization: Normalization | None, images: int = WHITEN_IMAGES) -> bool:
    """Set the first conv's filters to whitening filters of `split`'s patches; False when the model has none to set."""
    conv = first_conv(model)
    if conv is None or conv.groups != 1 or conv.out_channels < 2:
        return False
    x = to_float(split.images[:images], normalization)
    kh, kw = conv.kernel_size
    patches = F.unfold(x, (kh, kw)).transpose(1, 2).reshape(-1, x.shape[1] * kh * kw).double()
    patches -= patches.mean(dim=0)
    covariance = patches.T @ patches / max(1, patches.shape[0] - 1)
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)  # ascending
    half = min(conv.out_channels // 2, eigenvectors.shape[1])
    top = eigenvectors[:, -half:].flip(1) / (eigenvalues[-half:].flip(0) + WHITEN_EPS).sqrt()
    filters = torch.cat([top, -top], dim=1).T.float().reshape(2 * half, x.shape[1], kh, kw)
    conv.weight.zero_()
    conv.weight[: 2 * half] = filters
    if conv.bias is not None:
        conv.bias.zero_()
    return True


def _probe_seconds(model: nn.Module, data: Dataset, recipe: TrainRecipe, normalization: Normalization | None,
                   device: torch.device, steps: int = PROBE_STEPS) -> tuple[float, float]:
    """(seconds per training batch, seconds per test batch) of a copy of `model`, after one untimed step."""
    from cnn_tui.ml.train import _batch_input, _layout, make_optimizer, training_precision

    layout = _layout(recipe.batch_size)
    probe = copy.deepcopy(model).to(device=device, memory_format=layout)
    optimizer = make_optimizer(probe, replace(recipe, lr=1e-6))
    precision, _ = training_precision(recipe.precision, device)
    gen = torch.Generator().manual_seed(recipe.seed)
    count = min(len(data.train), recipe.batch_size)
    maker = BatchMaker(data.train.images[:count].to(device), normalization=normalization, flip=recipe.flip,
                       crop=recipe.crop, layout=layout)
    index, labels = torch.arange(count, device=device), data.train.labels[:count].to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing)

    def step() -> None:
        x = maker.inputs(index, maker.draw(count, gen))
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
            loss = criterion(probe(x), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        float(loss.detach())

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    train_s = (time.perf_counter() - start) / steps * recipe.batch_size / count
    probe.eval()
    test = data.test.images[: recipe.eval_batch_size].to(device)
    start = time.perf_counter()
    with torch.no_grad():
        probe(_batch_input(test, normalization, layout))
    eval_s = (time.perf_counter() - start) * recipe.eval_batch_size / max(1, len(test))
    return train_s, eval_s


def fit_epochs(model: nn.Module, data: Dataset, recipe: TrainRecipe, normalization: Normalization | None,
               device: torch.device) -> TrainRecipe:
    """The recipe with `epochs` cut to what fits `time_budget_s` here (at least 1, at most the recipe's)."""
    if recipe.time_budget_s <= 0:
        return recipe
    train_s, eval_s = _probe_seconds(model, data, recipe, normalization, device)
    epoch_s = math.ceil(len(data.train) / recipe.batch_size) * train_s
    epoch_s += math.ceil(len(data.test) / recipe.eval_batch_size) * eval_s
    epochs = max(1, min(recipe.epochs, int(recipe.time_budget_s // max(epoch_s, 1e-9))))
    return replace(recipe, epochs=epochs)


@torch.no_grad()
def flip_tta_accuracy(model: nn.Module, split: Split, normalization: Normalization | None, device: torch.device,
                      batch_size: int = 1000) -> float:
    """Test accuracy when the logits of each image and of its mirror image are added (flip test-time augmentation)."""
    was_training = model.training
    model.eval()
    correct = 0
    for start in range(0, len(split), batch_size):
        x = to_float(split.images[start : start + batch_size].to(device), normalization)
        logits = model(x) + model(x.flip(3))
        correct += int((logits.argmax(dim=1) == split.labels[start : start + batch_size].to(device)).sum())
    model.train(was_training)
    return correct / max(1, len(split))
