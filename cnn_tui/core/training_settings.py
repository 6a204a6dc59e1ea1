"""The Training tab's settings: what the form edits, checked field by field into a frozen dataclass.

Pure Python (no torch): the tab validates a form at once and shows what is wrong next to the
field; the worker turns valid settings into a recipe and calls the same `prepare_run` /
`run_training` as `cnn-tui train`, where the recipe is checked again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cnn_tui.config import LIMITS, RECIPES, TRAIN_DEFAULTS
from cnn_tui.core.confinement import Confinement, ConfinementError
from cnn_tui.core.model_file import is_model_file

CIFAR10 = "cifar10"  # the default source: the data set in the data home (cnn_tui.ml.data_home)
SYNTHETIC = "synthetic"
# Form fields in order; each has a label `training.field.<name>`.
FIELDS: tuple[str, ...] = (
    "data",
    "model",
    "recipe",
    "epochs",
    "batch_size",
    "lr",
    "optimizer",
    "train_limit",
    "test_limit",
    "seed",
    "checkpoint",
)
# The form's fields: also `model_file`, the learner's own network as path/to/file.py:ClassName, which
# replaces `model` when given (the settings then hold it as their model).
FORM_FIELDS: tuple[str, ...] = (*FIELDS[:2], "model_file", *FIELDS[2:])
MAX_EPOCHS = LIMITS.epochs
MAX_BATCH = LIMITS.batch_size
# What a path can be on Linux (PATH_MAX, NAME_MAX): a longer paste is refused in the form, where it is typed,
# not later as 'File name too long' with the whole paste in the tab's message.
MAX_PATH_CHARS = 4096
MAX_NAME_BYTES = 255


@dataclass(frozen=True)
class TrainingSettings:
    """One run's settings; `data` is cifar10, synthetic or a path, limits None mean every image."""

    data: str = CIFAR10
    model: str = TRAIN_DEFAULTS.model
    recipe: str = TRAIN_DEFAULTS.recipe
    epochs: int = RECIPES[TRAIN_DEFAULTS.recipe].epochs
    batch_size: int = RECIPES[TRAIN_DEFAULTS.recipe].batch_size
    lr: float = RECIPES[TRAIN_DEFAULTS.recipe].lr
    optimizer: str = RECIPES[TRAIN_DEFAULTS.recipe].optimizer
    train_limit: int | None = None
    test_limit: int | None = None
    seed: int = RECIPES[TRAIN_DEFAULTS.recipe].seed
    checkpoint: str = str(TRAIN_DEFAULTS.checkpoint)

    @property
    def source(self) -> str | None:
        """What `load_dataset` takes: None for the default CIFAR-10 folder, else synthetic or a path."""
        return None if self.data == CIFAR10 else self.data

    def overrides(self) -> dict[str, object]:
        """The recipe fields this form sets (passed to `prepare_run` as `cnn-tui train` passes its flags)."""
        return {
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "lr": self.lr,
            "optimizer": self.optimizer,
            "seed": self.seed,
        }

    def with_recipe(self, name: str) -> TrainingSettings:
        """The same data, model and limits with the recipe `name` and its own epochs, batch size, lr, optimiser, seed."""
        recipe = RECIPES[name]
        return replace(
            self,
            recipe=name,
            epochs=recipe.epochs,
            batch_size=recipe.batch_size,
            lr=recipe.lr,
            optimizer=recipe.optimizer,
            seed=recipe.seed,
        )

    def as_text(self) -> dict[str, str]:
        """Each field as the form shows it (empty for no limit)."""
        values = {name: getattr(self, name, "") for name in FORM_FIELDS}
        return {name: "" if value is None else format_value(value) for name, value in values.items()}


def format_value(value: object) -> str:
    """A setting as text: learning rates like 0.004 or 1e-05, everything else as str()."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field: a catalogue key (`training.problem.<code>`) and its fields."""

    field: str
    code: str
    values: Mapping[str, object]


def _int(text: str, field: str, low: int, high: int) -> int | FieldProblem:
    try:
        value = int(text.strip().replace("_", "").replace(",", ""))
    except ValueError:
        return FieldProblem(field, "not_int", {"text": text})
    if not low <= value <= high:
        return FieldProblem(field, "int_range", {"low": low, "high": high})
    return value


def _limit(text: str, field: str) -> int | None | FieldProblem:
    if not text.strip() or text.strip().lower() in ("all", "-"):
        return None
    return _int(text, field, 1, 10**9)


def _lr(text: str) -> float | FieldProblem:
    try:
        value = float(text.strip())
    except ValueError:
        return FieldProblem("lr", "not_number", {"text": text})
    if not math.isfinite(value) or not 0 < value <= 10:
        return FieldProblem("lr", "lr_range", {})
    return value


def _path(text: str, field: str) -> str | FieldProblem:
    """`text` if it can be a path here (at most MAX_PATH_CHARS, each name at most MAX_NAME_BYTES); else a problem."""
    if len(text) > MAX_PATH_CHARS:
        return FieldProblem(field, "path_too_long", {"length": len(text), "limit": MAX_PATH_CHARS})
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in text.split("/")):
        return FieldProblem(field, "name_too_long", {"limit": MAX_NAME_BYTES})
    return text


def _model(name: str, models: Sequence[str], field: str = "model") -> str | FieldProblem:
    """A registered model, or an own model file that exists (the worker checks the class when it builds it)."""
    if name in models and field == "model":
        return name
    if is_model_file(name):
        file = name.rpartition(":")[0]
        return name if Path(file).expanduser().is_file() else FieldProblem(field, "model_file", {"path": file})
    if field == "model_file":
        return FieldProblem(field, "model_form", {})
    return FieldProblem("model", "choice", {"choices": ", ".join(models)})


def confined(field: str, text: str, check: Callable[[str], object]) -> str | FieldProblem:
    """`text` as the session's confinement resolves it (`check`), or the problem saying why it may not be used."""
    try:
        return str(check(text))
    except ConfinementError as error:
        return FieldProblem(field, "confined", {"reason": error})  # its paths are shortened where it is shown


def parse_settings(
    values: Mapping[str, str], *, models: Sequence[str], optimizers: Sequence[str],
    confinement: Confinement = Confinement(),
) -> TrainingSettings | list[FieldProblem]:
    """The settings the form's text describes, or every problem found (one per field at most). In a served
    session (`confinement` active) the data folder, checkpoint and own network file must lie in its folder."""
    if confinement.active:
        values = dict(values)
        checks = {
            "data": (confinement.resolve, lambda v: v.strip() not in ("", CIFAR10, SYNTHETIC)),
            "checkpoint": (confinement.writable, lambda v: bool(v.strip())),
            "model_file": (confinement.own_model, lambda v: is_model_file(v.strip())),
            "model": (confinement.own_model, lambda v: is_model_file(v.strip())),
        }
        for field, (check, applies) in checks.items():
            if applies(values.get(field, "")):
                result = confined(field, values[field].strip(), check)
                if isinstance(result, FieldProblem):
                    return [result]
                values[field] = result
    problems: list[FieldProblem] = []
    parsed: dict[str, object] = {}

    def take(field: str, result: object) -> None:
        if isinstance(result, FieldProblem):
            problems.append(result)
        else:
            parsed[field] = result

    data = values.get("data", "").strip()
    take("data", _path(data, "data") if data else FieldProblem("data", "empty", {}))
    own = values.get("model_file", "").strip()
    own_path = _path(own, "model_file")
    if isinstance(own_path, FieldProblem):
        model: str | FieldProblem = own_path
    else:
        model = _model(own, models, "model_file") if own else _model(values.get("model", "").strip(), models)
    if isinstance(model, FieldProblem):
        problems.append(model)
    else:
        parsed["model"] = model
    recipe = values.get("recipe", "").strip()
    take("recipe", recipe if recipe in RECIPES else FieldProblem("recipe", "choice", {"choices": ", ".join(RECIPES)}))
    take("epochs", _int(values.get("epochs", ""), "epochs", 1, MAX_EPOCHS))
    take("batch_size", _int(values.get("batch_size", ""), "batch_size", 1, MAX_BATCH))
    take("lr", _lr(values.get("lr", "")))
    optimizer = values.get("optimizer", "").strip().lower()
    take(
        "optimizer",
        optimizer if optimizer in optimizers else FieldProblem("optimizer", "choice", {"choices": ", ".join(optimizers)}),
    )
    take("train_limit", _limit(values.get("train_limit", ""), "train_limit"))
    take("test_limit", _limit(values.get("test_limit", ""), "test_limit"))
    take("seed", _int(values.get("seed", "0"), "seed", 0, 2**31 - 1))
    checkpoint = values.get("checkpoint", "").strip()
    if not checkpoint:
        take("checkpoint", FieldProblem("checkpoint", "empty", {}))
    elif isinstance(_path(checkpoint, "checkpoint"), FieldProblem):
        take("checkpoint", _path(checkpoint, "checkpoint"))
    elif Path(checkpoint).is_dir():
        take("checkpoint", FieldProblem("checkpoint", "is_dir", {"path": checkpoint}))
    else:
        take("checkpoint", checkpoint)
    if problems:
        return problems
    return TrainingSettings(**parsed)  # type: ignore[arg-type]
