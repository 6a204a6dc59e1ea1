"""Recorded training runs: `models/runs/<run id>/run.json` (settings, per-epoch metrics, times) beside `model.pth`.

This module only reads and writes JSON (no torch), so the app can list runs without loading
torch; `cnn_tui.ml.run_recorder` writes a record during training. A run's settings are
flattened to `section.field` keys (`model.conv_channels`, `recipe.lr`, `data.train_images` …)
so two runs can be compared setting by setting.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cnn_tui.core.regular_files import read_regular_text
from cnn_tui.i18n import LocalizedError
from cnn_tui.ml.events import EpochResult

RUN_FILE = "run.json"
CHECKPOINT_FILE = "model.pth"
RUNS_FOLDER = "runs"  # beside the checkpoint: models/image_classification.pth → models/runs/
FORMAT = "cnn-tui-run"
FORMAT_VERSION = 1
RUNNING = "running"


class RunsError(LocalizedError, ValueError):
    """A run cannot be found or read; the message says which and what to do."""


@dataclass(frozen=True)
class RunRecord:
    """One training run as recorded: what was trained, on what, how, and how it went."""

    run_id: str
    model: Mapping[str, Any]  # ModelConfig.to_dict()
    recipe: Mapping[str, Any]  # TrainRecipe as a dict
    data: Mapping[str, Any]  # name, source, train_images, test_images, classes
    label: str = ""
    status: str = RUNNING  # running | finished | stopped | diverged
    reason: str = ""
    started: str = ""
    parameters: int = 0
    mult_adds: int = 0
    device: str = ""
    threads: int = 0
    epochs: tuple[EpochResult, ...] = ()
    seconds: float = 0.0  # wall time of the run so far: training and per-epoch testing, pauses excluded
    resumed_from: int = 0  # epochs done before this run continued a checkpoint
    # per recorded epoch: {"epoch", "layers": [{"layer", "weight", "grad", "change", "dead"}]}, layers in forward order
    inner: tuple[Mapping[str, Any], ...] = ()  # (cnn_tui.ml.inner_numbers; absent from records made before it)
    folder: Path | None = field(default=None, compare=False)

    @property
    def model_name(self) -> str:
        return str(self.model.get("name", "?"))

    @property
    def title(self) -> str:
        """The label when there is one, else the run id."""
        return self.label or self.run_id

    @property
    def best_accuracy(self) -> float | None:
        return max((e.test_accuracy for e in self.epochs), default=None)

    @property
    def final_accuracy(self) -> float | None:
        return self.epochs[-1].test_accuracy if self.epochs else None

    @property
    def train_seconds(self) -> float:
        """Seconds spent training (testing and pauses excluded), summed over the recorded epochs."""
        return sum(e.seconds for e in self.epochs)

    @property
    def checkpoint(self) -> Path | None:
        """The run's own checkpoint (weights of its last completed epoch), when it exists."""
        if self.folder is None or not (self.folder / CHECKPOINT_FILE).exists():
            return None
        return self.folder / CHECKPOINT_FILE

    def settings(self) -> dict[str, str]:
        """Every setting as `section.field` → text, in a stable order (model, recipe, data, runtime)."""
        flat: dict[str, str] = {}
        for section, values in (("model", self.model), ("recipe", self.recipe)):
            for key, value in values.items():
                flat[f"{section}.{key}"] = format_value(value)
        for key in ("name", "source", "train_images", "test_images"):
            if key in self.data:
                flat[f"data.{key}"] = format_value(self.data[key])
        flat["run.device"] = self.device
        flat["run.threads"] = str(self.threads)
        return flat

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "run_id": self.run_id,
            "label": self.label,
            "status": self.status,
            "reason": self.reason,
            "started": self.started,
            "model": dict(self.model),
            "recipe": dict(self.recipe),
            "data": dict(self.data),
            "parameters": self.parameters,
            "mult_adds": self.mult_adds,
            "device": self.device,
            "threads": self.threads,
            "epochs": [e.to_dict() for e in self.epochs],
            "seconds": self.seconds,
            "resumed_from": self.resumed_from,
            "inner": [dict(entry) for entry in self.inner],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], folder: Path | None = None) -> RunRecord:
        if not isinstance(data, Mapping):
            raise ValueError(f"it holds a JSON {type(data).__name__}, not a record")
        if data.get("format") != FORMAT:
            raise ValueError("not a cnn-tui run record")
        for section in ("model", "recipe", "data"):
            if not isinstance(data.get(section), Mapping):
                raise ValueError(f"its {section!r} is not a table of settings")
        if not isinstance(data.get("epochs", []), list):
            raise ValueError("its 'epochs' is not a list")
        return cls(
            run_id=str(data["run_id"]),
            model=dict(data["model"]),
            recipe=dict(data["recipe"]),
            data=dict(data["data"]),
            label=str(data.get("label", "")),
            status=str(data.get("status", RUNNING)),
            reason=str(data.get("reason", "")),
            started=str(data.get("started", "")),
            parameters=int(data.get("parameters", 0)),
            mult_adds=int(data.get("mult_adds", 0)),
            device=str(data.get("device", "")),
            threads=int(data.get("threads", 0)),
            epochs=tuple(_epoch_result(e) for e in data.get("epochs", [])),
            seconds=float(data.get("seconds", 0.0)),
            resumed_from=int(data.get("resumed_from", 0)),
            inner=_inner(data.get("inner", [])),
            folder=folder,
        )


def _epoch_result(data: Any) -> EpochResult:
    """One recorded epoch, its numbers checked to be numbers (a damaged record raises ValueError or TypeError)."""
    if not isinstance(data, Mapping):
        raise ValueError("an epoch is not a table of numbers")
    numbers = {key: float(data[key]) for key in EpochResult.__dataclass_fields__}
    return EpochResult(**{**numbers, "epoch": int(numbers["epoch"]), "epochs": int(numbers["epochs"])})


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _inner(data: Any) -> tuple[dict[str, Any], ...]:
    """The recorded inner numbers, each checked to be what it claims (a damaged record raises ValueError or TypeError)."""
    if not isinstance(data, list):
        raise ValueError("its 'inner' is not a list")
    entries = []
    for entry in data:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("layers"), list):
            raise ValueError("an epoch's inner numbers are not a table")
        layers = [
            {"layer": str(row["layer"]), **{key: _number(row.get(key)) for key in ("weight", "grad", "change", "dead")}}
            for row in entry["layers"]
        ]
        entries.append({"epoch": int(entry["epoch"]), "layers": layers})
    return tuple(entries)


def format_value(value: Any) -> str:
    """A setting as text: lists as `32,64`, floats without trailing noise, None as `-`."""
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return ",".join(format_value(v) for v in value) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_run_id(model_name: str, when: datetime | None = None) -> str:
    """`20261128-043100-resnet-3f2a`: sortable by start time, readable, unique enough to never collide."""
    when = when or datetime.now()
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in model_name)[:24] or "model"
    return f"{when:%Y%m%d-%H%M%S}-{safe}-{secrets.token_hex(2)}"


def write_run(record: RunRecord, folder: Path) -> None:
    """Write `run.json` into `folder` atomically (temporary file, then rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / RUN_FILE
    partial = folder / f".{RUN_FILE}.{os.getpid()}.part"
    try:
        partial.write_text(json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def read_run(folder: Path) -> RunRecord:
    """The record in `folder`, or RunsError saying what is wrong with it."""
    path = folder / RUN_FILE
    try:
        return RunRecord.from_dict(json.loads(read_regular_text(path)), folder)
    except FileNotFoundError:
        raise RunsError("error.runs.not_a_run", folder=folder, file=RUN_FILE) from None
    except OSError as error:  # a FIFO, device or folder in its place, or unreadable
        raise RunsError("error.runs.unreadable", path=path, reason=error.strerror or str(error)) from None
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as error:
        # what is wrong inside the record: the English of from_dict's checks or of Python's own errors
        detail = error if isinstance(error, LocalizedError) else str(error)
        raise RunsError("error.runs.bad_record", path=path, detail=detail) from None


def _accuracy_key(record: RunRecord) -> tuple[float, str]:
    best = record.best_accuracy
    return (-(best if best is not None else -1.0), record.run_id)


def list_runs(runs_dir: Path) -> tuple[list[RunRecord], list[RunsError]]:
    """Every readable run under `runs_dir`, best test accuracy first, and the error of each unreadable folder."""
    if not runs_dir.is_dir():
        return [], []
    records, problems = [], []
    for folder in sorted(p for p in runs_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            records.append(read_run(folder))
        except RunsError as error:
            problems.append(error)
    records.sort(key=_accuracy_key)
    return records, problems


def find_runs(runs_dir: Path, keys: Iterable[str]) -> list[RunRecord]:
    """Runs named by id, unique id prefix, label, or rank in `cnn-tui runs` (1 = best); RunsError otherwise."""
    records, _ = list_runs(runs_dir)
    if not records:
        raise RunsError("error.runs.none", folder=runs_dir)
    found = []
    for key in keys:
        found.append(_find_one(records, key, runs_dir))
    return found


def _find_one(records: Sequence[RunRecord], key: str, runs_dir: Path) -> RunRecord:
    if key.isdigit() and 1 <= int(key) <= len(records) and len(key) <= 4:
        return records[int(key) - 1]
    exact = [r for r in records if r.run_id == key or (r.label and r.label == key)]
    if len(exact) == 1:
        return exact[0]
    matches = [r for r in records if r.run_id.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if not matches and not exact:
        raise RunsError("error.runs.unknown", name=key, folder=runs_dir)
    names = ", ".join(r.run_id for r in (exact or matches)[:4])
    raise RunsError("error.runs.ambiguous", name=key, names=names)


def setting_differences(reference: RunRecord, other: RunRecord) -> list[tuple[str, str, str]]:
    """(setting, reference's value, other's value) for every setting that differs, in settings order."""
    ours, theirs = reference.settings(), other.settings()
    keys = list(ours) + [k for k in theirs if k not in ours]
    return [(k, ours.get(k, "-"), theirs.get(k, "-")) for k in keys if ours.get(k, "-") != theirs.get(k, "-")]


def with_epoch(record: RunRecord, result: EpochResult, seconds: float) -> RunRecord:
    """The record with one more completed epoch and the run's wall time so far."""
    return replace(record, epochs=(*record.epochs, result), seconds=seconds)
