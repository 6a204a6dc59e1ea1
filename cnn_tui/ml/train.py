"""`train(...)` and `evaluate(...)`: the lecture's loop, fed from in-memory uint8 tensors, reporting through callbacks."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from cnn_tui.config import TrainRecipe
from cnn_tui.core.own_code import adopt_condition, stop_condition
from cnn_tui.i18n import LocalizedError, Phrase
from cnn_tui.ml.augment import BatchMaker
from cnn_tui.ml.data import Dataset, Normalization, Split, to_float
from cnn_tui.ml.divergence import FirstBadLayer, locate_divergence
from cnn_tui.ml.events import DIVERGED, FINISHED, STOPPED, BatchProgress, EpochResult, TrainController, TrainResult
from cnn_tui.ml.own_forward import OwnForwardStopped
from cnn_tui.ml.train_step import TrainStep

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("constant", "onecycle")
PRECISIONS = ("fp32", "bf16")


class RecipeError(LocalizedError, ValueError):
    """A recipe setting is out of range; the message names it."""


@dataclass(frozen=True)
class ResumeState:
    """What `--resume` needs beyond the weights: completed epochs and the optimiser's state."""

    epoch: int
    optimizer: dict


@dataclass(frozen=True)
class Evaluation:
    """Test-set results: mean loss, accuracy, accuracy per class and the confusion matrix (rows: true class)."""

    loss: float
    accuracy: float
    per_class: tuple[float, ...]
    confusion: tuple[tuple[int, ...], ...]
    count: int


def pick_device(name: str = "auto") -> torch.device:
    """`auto` means CUDA when present, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RecipeError("error.recipe.no_cuda")
    return torch.device(name)


def bf16_is_fast(device: torch.device) -> bool:
    """Whether bf16 autocast speeds training up here: CUDA with bf16, or a CPU oneDNN runs bf16 on (AVX-512)."""
    if device.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    if device.type != "cpu":
        return False
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def training_precision(precision: str, device: torch.device) -> tuple[str, Phrase | str]:
    """The precision training really uses, and why it differs from the recipe's (a Phrase; "" when it does not).

    bf16 falls back to fp32 where the hardware has no bf16 arithmetic: on an AVX2 CPU a bf16 step of the
    `resnet` net took 10× the CPU time of fp32 (benchmarks/README.md)."""
    if precision == "bf16" and not bf16_is_fast(device):
        return "fp32", Phrase("cli.precision.bf16_slow", hardware=_hardware(device))
    return precision, ""


def _hardware(device: torch.device) -> Phrase | str:
    if device.type == "cpu":
        return Phrase("cli.precision.this_cpu", capability=torch.backends.cpu.get_cpu_capability())
    return str(device)


def check_recipe(recipe: TrainRecipe) -> None:
    """Raise RecipeError for settings that cannot work."""
    if recipe.optimizer not in OPTIMIZERS:
        raise RecipeError("error.recipe.optimizer", name=recipe.optimizer, choices=", ".join(OPTIMIZERS))
    if recipe.schedule not in SCHEDULES:
        raise RecipeError("error.recipe.schedule", name=recipe.schedule, choices=", ".join(SCHEDULES))
    if recipe.epochs < 1 or recipe.batch_size < 1 or recipe.eval_batch_size < 1:
        raise RecipeError("error.recipe.sizes")
    if not recipe.lr > 0 or recipe.weight_decay < 0 or not 0 <= recipe.label_smoothing < 1:
        raise RecipeError("error.recipe.rates")
    if not 0 <= recipe.warmup < 1 or recipe.crop < 0 or recipe.crop > 16:
        raise RecipeError("error.recipe.warmup")
    if recipe.precision not in PRECISIONS:
        raise RecipeError("error.recipe.precision", name=recipe.precision, choices=", ".join(PRECISIONS))


def make_optimizer(model: nn.Module, recipe: TrainRecipe) -> torch.optim.Optimizer:
    """The recipe's optimiser, fused (one kernel for all parameters: 4× faster steps) where torch supports it."""
    params = list(model.parameters())

    def build(fused: bool | None) -> torch.optim.Optimizer:
        if recipe.optimizer == "sgd":
            return torch.optim.SGD(
                params, lr=recipe.lr, momentum=recipe.momentum, nesterov=recipe.momentum > 0,
                weight_decay=recipe.weight_decay, fused=fused,
            )
        kind = torch.optim.AdamW if recipe.optimizer == "adamw" else torch.optim.Adam
        return kind(params, lr=recipe.lr, weight_decay=recipe.weight_decay, fused=fused)

    try:
        return build(True)
    except (RuntimeError, TypeError, ValueError):  # a device or dtype without fused kernels
        return build(None)


def lr_at(step: int, total_steps: int, recipe: TrainRecipe) -> float:
    """The learning rate for a step: constant, or a one-cycle ramp (10 % → 100 % → 0) over the whole run."""
    if recipe.schedule == "constant":
        return recipe.lr
    warm = max(1, round(recipe.warmup * total_steps))
    if step < warm:
        return recipe.lr * (0.1 + 0.9 * step / warm)
    return recipe.lr * max(0.0, (total_steps - step) / max(1, total_steps - warm))


# Channels-last layout pays off for large batches (about 2× at batch 256 on 2 cores) but costs
# up to 3× at batch 8 with 2 threads (benchmarks/README.md), so it is chosen by batch size.
CHANNELS_LAST_FROM = 128


def _layout(batch_size: int) -> torch.memory_format:
    return torch.channels_last if batch_size >= CHANNELS_LAST_FROM else torch.contiguous_format


def _batch_input(images: torch.Tensor, normalization: Normalization | None, layout: torch.memory_format) -> torch.Tensor:
    """A uint8 batch as the model's float input in `layout` (reordered while still 1 byte per value)."""
    return to_float(images.contiguous(memory_format=layout), normalization)


@torch.no_grad()
def evaluate(
    model: nn.Module,
    split: Split,
    *,
    num_classes: int,
    normalization: Normalization | None = None,
    batch_size: int = 1000,
    device: torch.device | None = None,
    layout: torch.memory_format | None = None,
) -> Evaluation:
    """Loss, accuracy and confusion matrix on `split`, in eval mode without gradients.

    `layout` None picks the memory layout for `batch_size` and converts the model to it;
    `train` passes its own so testing between epochs leaves the model as it is.
    """
    device = device or next(model.parameters()).device
    if layout is None:
        layout = _layout(batch_size)
        model = model.to(device=device, memory_format=layout)
    was_training = model.training
    model.eval()
    criterion = nn.CrossEntropyLoss(reduction="sum")
    total_loss = torch.zeros((), device=device)
    confusion = torch.zeros(num_classes * num_classes, dtype=torch.int64, device=device)
    for start in range(0, len(split), batch_size):
        images = split.images[start : start + batch_size].to(device)
        labels = split.labels[start : start + batch_size].to(device)
        output = model(_batch_input(images, normalization, layout))
        total_loss += criterion(output, labels)
        confusion += torch.bincount(labels * num_classes + output.argmax(dim=1), minlength=num_classes**2)
    model.train(was_training)
    matrix = confusion.view(num_classes, num_classes).cpu()
    count = int(matrix.sum())
    per_class = matrix.diag().double() / matrix.sum(dim=1).clamp(min=1).double()
    return Evaluation(
        loss=float(total_loss) / max(1, count),
        accuracy=float(matrix.diag().sum()) / max(1, count),
        per_class=tuple(float(v) for v in per_class),
        confusion=tuple(tuple(int(v) for v in row) for row in matrix),
        count=count,
    )


def _not_finite(loss: float, epoch: int, batch: int, where: FirstBadLayer | None = None) -> Phrase:
    if where is not None:
        return Phrase("note.train.diverged_in", layer=where.layer, value=where.value, loss=loss, epoch=epoch, batch=batch)
    return Phrase("note.train.diverged", loss=loss, epoch=epoch, batch=batch)


def train(
    model: nn.Module,
    data: Dataset,
    recipe: TrainRecipe,
    *,
    normalization: Normalization | None = None,
    device: torch.device | None = None,
    controller: TrainController | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
    save: Callable[[EpochResult, ResumeState], None] | None = None,
    resume: ResumeState | None = None,
    split_batches: bool = True,
) -> TrainResult:
    """Train `model` on `data.train` for `recipe.epochs` epochs (minus those already done in `resume`).

    After each batch `on_batch` gets running numbers; after each epoch the test set is
    evaluated, `on_epoch` gets the epoch's numbers and `save` gets them with the state to
    resume from. The controller can pause, resume or stop the run between batches.
    `split_batches`: where the network allows it, torch's threads each train a slice of every
    batch (cnn_tui.ml.train_step); the thread count is read at the start of every epoch.
    """
    check_recipe(recipe)
    device = device or pick_device()
    controller = controller or TrainController()
    layout = _layout(recipe.batch_size)
    precision, _ = training_precision(recipe.precision, device)
    model = model.to(device=device, memory_format=layout)
    labels = data.train.labels.to(device)
    maker = BatchMaker(data.train.images.to(device), normalization=normalization, flip=recipe.flip, crop=recipe.crop, layout=layout)
    count = len(data.train)
    criterion = nn.CrossEntropyLoss(label_smoothing=recipe.label_smoothing)
    step = TrainStep(model, criterion, split=split_batches, bf16=precision == "bf16", device=device)
    optimizer = make_optimizer(model, recipe)
    if resume is not None:
        optimizer.load_state_dict(resume.optimizer)
    batches = math.ceil(count / recipe.batch_size)
    total_steps = batches * recipe.epochs
    first_epoch = resume.epoch if resume is not None else 0
    results: list[EpochResult] = []
    run_start = time.perf_counter()

    def finish(status: str, reason: Phrase | str = "") -> TrainResult:
        model.eval()
        return TrainResult(status, tuple(results), time.perf_counter() - run_start, reason)

    epoch, batch = first_epoch, 0
    outer = stop_condition()
    # A stop (x, quitting, Ctrl+C) also stops waiting for an own network's forward that never returns (own_forward).
    adopt_condition(lambda: controller.stopped or (outer is not None and outer()))
    try:
        for epoch in range(first_epoch, recipe.epochs):
            gen = torch.Generator().manual_seed(recipe.seed * 1_000_003 + epoch)
            torch.manual_seed(recipe.seed * 1_000_003 + epoch)  # dropout and other module randomness
            order = torch.randperm(count, generator=gen).to(device)
            model.train()
            loss_sum = torch.zeros((), device=device)
            correct = torch.zeros((), dtype=torch.int64, device=device)
            seen, paused, lr = 0, 0.0, recipe.lr
            epoch_start = time.perf_counter()
            with step.epoch(recipe.batch_size):
                for batch in range(batches):
                    paused += controller.checkpoint()
                    if controller.stopped:
                        return finish(STOPPED, Phrase("note.train.stopped", epoch=epoch + 1, batch=batch + 1))
                    index = order[batch * recipe.batch_size : (batch + 1) * recipe.batch_size]
                    draw = maker.draw(len(index), gen)
                    y = labels[index]
                    lr = lr_at(epoch * batches + batch, total_steps, recipe)
                    for group in optimizer.param_groups:
                        group["lr"] = lr
                    loss, hits = step(lambda a, b: maker.inputs(index[a:b], draw[a:b]), y)  # gradients left in .grad
                    value = loss.item()
                    if not math.isfinite(value):
                        where = locate_divergence(model, maker.inputs(index, draw), bf16=precision == "bf16")
                        return finish(DIVERGED, _not_finite(value, epoch + 1, batch + 1, where))
                    optimizer.step()
                    loss_sum += loss * len(y)
                    correct += hits
                    seen += len(y)
                    if on_batch is not None:
                        seconds = time.perf_counter() - epoch_start - paused
                        on_batch(
                            BatchProgress(
                                epoch=epoch + 1,
                                epochs=recipe.epochs,
                                batch=batch + 1,
                                batches=batches,
                                loss=float(loss_sum) / seen,
                                accuracy=int(correct) / seen,
                                images_per_s=seen / max(seconds, 1e-9),
                                seconds=seconds,
                                lr=lr,
                            )
                        )
            seconds = time.perf_counter() - epoch_start - paused
            eval_start = time.perf_counter()
            test = evaluate(
                model,
                data.test,
                num_classes=len(data.classes),
                normalization=normalization,
                batch_size=recipe.eval_batch_size,
                device=device,
                layout=layout,
            )
            result = EpochResult(
                epoch=epoch + 1,
                epochs=recipe.epochs,
                train_loss=float(loss_sum) / max(1, seen),
                train_accuracy=int(correct) / max(1, seen),
                test_loss=test.loss,
                test_accuracy=test.accuracy,
                seconds=seconds,
                eval_seconds=time.perf_counter() - eval_start,
                images_per_s=seen / max(seconds, 1e-9),
                lr=lr,
            )
            results.append(result)
            if on_epoch is not None:
                on_epoch(result)
            if save is not None:
                save(result, ResumeState(epoch=epoch + 1, optimizer=optimizer.state_dict()))
        return finish(FINISHED)
    except OwnForwardStopped:
        if not controller.stopped:
            raise
        return finish(STOPPED, Phrase("note.train.stopped", epoch=epoch + 1, batch=batch + 1))
    finally:
        adopt_condition(outer)
        step.close()
