"""The lecture's homework (今日作业) as experiments: each suggestion tried alone against the lecture's network."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch

from cnn_tui.config import TrainRecipe
from cnn_tui.i18n import Phrase
from cnn_tui.ml.data import Dataset
from cnn_tui.ml.events import BatchProgress, EpochResult, TrainController, TrainResult
from cnn_tui.ml.models import ModelConfig
from cnn_tui.ml.own_model import FILE_ARCH
from cnn_tui.ml.runs import format_value
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.variants import edit_config, model_cost

MORE_CHANNELS = (32, 64)
BIGGER_FC = (512, 256)
LR_FACTOR = 3.0
# Switching optimiser needs a learning rate that suits it: Adam-style steps are about 10–50× smaller than SGD's.
SGD_LR_FROM_ADAM = 10.0
ADAM_LR_FROM_SGD = 1 / 50
OTHER_ACTIVATION = {"relu": "gelu", "gelu": "relu", "leaky_relu": "gelu", "silu": "relu"}
BASELINE = "baseline"
COMBINED = "combined"
LR_GROUP = {"lr_up", "lr_down", "optimizer"}
# Suggestions that change the network's layers: the learner's own network (a file) is changed in its file instead.
LAYER_KEYS = ("channels", "fc", "activation")


@dataclass(frozen=True)
class Experiment:
    """One homework run: what it changes (in the lecture's words too) and the settings it trains with; `title`
    is a catalogue phrase (`str()` gives the English a run's label is recorded with, `describe()` the learner's)."""

    key: str
    title: Phrase
    lecture_words: str
    detail: str
    config: ModelConfig
    recipe: TrainRecipe


@dataclass(frozen=True)
class HomeworkResult:
    """An experiment's outcome and cost."""

    experiment: Experiment
    result: TrainResult
    parameters: int
    mult_adds: int
    run_id: str = ""

    @property
    def accuracy(self) -> float | None:
        return self.result.last.test_accuracy if self.result.last else None

    @property
    def train_seconds(self) -> float:
        return sum(e.seconds for e in self.result.epochs)


def _change(key: str, before: object, after: object) -> str:
    return f"{key} {format_value(before)} → {format_value(after)}"


def homework_experiments(config: ModelConfig, recipe: TrainRecipe) -> list[Experiment]:
    """The baseline, then one experiment per suggestion (two for the learning rate: larger and smaller); for the
    learner's own network only those of the training (its layers are changed in its file, not by LAYER_KEYS)."""
    experiments = [Experiment(BASELINE, Phrase("homework_title.baseline", name=config.name), "基线", "-", config, recipe)]

    def model(key: str, title: Phrase, words: str, field: str, **edit: object) -> None:
        if config.arch == FILE_ARCH:
            return
        new = edit_config(config, **edit)  # type: ignore[arg-type]
        detail = _change(field, getattr(config, field), getattr(new, field))
        experiments.append(Experiment(key, title, words, detail, new, recipe))

    def train(key: str, title: Phrase, words: str, **changes: object) -> None:
        new = replace(recipe, **changes)  # type: ignore[arg-type]
        detail = ", ".join(_change(k, getattr(recipe, k), v) for k, v in changes.items())
        experiments.append(Experiment(key, title, words, detail, config, new))

    model("channels", Phrase("homework_title.channels"), "增加卷积核输出通道数", "conv_channels", channels=MORE_CHANNELS)
    model("fc", Phrase("homework_title.fc"), "增加全连接层的参数量", "fc_sizes", fc=BIGGER_FC)
    train("lr_up", Phrase("homework_title.lr_up", factor=LR_FACTOR), "调整学习率", lr=_round(recipe.lr * LR_FACTOR))
    train("lr_down", Phrase("homework_title.lr_down", factor=LR_FACTOR), "调整学习率", lr=_round(recipe.lr / LR_FACTOR))
    if recipe.optimizer == "sgd":
        train("optimizer", Phrase("homework_title.optimizer_adam"), "调整优化方法", optimizer="adam", lr=_round(recipe.lr * ADAM_LR_FROM_SGD))
    else:
        train("optimizer", Phrase("homework_title.optimizer_sgd"), "调整优化方法", optimizer="sgd",
              lr=_round(recipe.lr * SGD_LR_FROM_ADAM), momentum=0.9)
    other = OTHER_ACTIVATION[config.activation]
    model("activation", Phrase("homework_title.activation", other=other), "修改激活函数", "activation", activation=other)
    return experiments


def _round(value: float) -> float:
    return float(f"{value:.3g}")


def helped(results: Sequence[HomeworkResult], margin: float) -> list[HomeworkResult]:
    """Experiments whose final test accuracy beat the baseline's by more than `margin` (best first)."""
    base = next((r.accuracy for r in results if r.experiment.key == BASELINE), None)
    if base is None:
        return []
    better = [r for r in results if r.experiment.key not in (BASELINE, COMBINED) and (r.accuracy or 0) > base + margin]
    return sorted(better, key=lambda r: -(r.accuracy or 0))


def combined_experiment(results: Sequence[HomeworkResult], margin: float) -> Experiment | None:
    """Every change that helped, applied together; None if fewer than two helped.

    Changes that set the learning rate (larger, smaller, another optimiser with its own rate)
    exclude each other: only the one that helped most is taken.
    """
    chosen: list[Experiment] = []
    for result in helped(results, margin):
        group = LR_GROUP if result.experiment.key in LR_GROUP else {result.experiment.key}
        if any(e.key in group for e in chosen):
            continue
        chosen.append(result.experiment)
    if len(chosen) < 2:
        return None
    base = next(r.experiment for r in results if r.experiment.key == BASELINE)
    config, recipe = base.config, base.recipe
    for exp in chosen:
        if exp.config != base.config:
            config = edit_config(
                config,
                channels=exp.config.conv_channels if exp.config.conv_channels != base.config.conv_channels else None,
                fc=exp.config.fc_sizes if exp.config.fc_sizes != base.config.fc_sizes else None,
                activation=exp.config.activation if exp.config.activation != base.config.activation else None,
            )
        if exp.recipe != base.recipe:
            changed = {k: v for k, v in asdict(exp.recipe).items() if getattr(base.recipe, k) != v}
            recipe = replace(recipe, **changed)
    titles = " + ".join(e.key for e in chosen)
    detail = "; ".join(e.detail for e in chosen)
    return Experiment(COMBINED, Phrase("homework_title.combined", titles=titles), "综合", detail, config, recipe)


def run_experiment(
    data: Dataset,
    experiment: Experiment,
    *,
    runs_dir: Path | None,
    device: torch.device | None = None,
    controller: TrainController | None = None,
    on_batch: Callable[[BatchProgress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
) -> HomeworkResult:
    """Train one experiment from scratch (seeded by its recipe), recorded in `runs_dir` when given."""
    run = prepare_run(
        data, experiment.config, experiment.recipe, checkpoint=None, runs_dir=runs_dir,
        record=runs_dir is not None, label=f"homework: {experiment.title}",
    )
    cost = model_cost(experiment.config, len(data.classes))
    result = run_training(data, run, device=device, controller=controller, on_batch=on_batch, on_epoch=on_epoch)
    return HomeworkResult(experiment, result, cost.parameters, cost.mult_adds, run.run_id)
