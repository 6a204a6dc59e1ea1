"""Checkpoints: weights as a plain state_dict (the lecture's own class loads it), JSON metadata beside, resume state.

For `models/image_classification.pth` there are up to three files, each written atomically
(temporary file, then rename): the `.pth` itself, `image_classification.json` (model config,
classes, normalisation, recipe, epoch, metrics) and `image_classification.resume.pth`
(optimiser state for `--resume`). They are written under one lock (`core.file_lock`, on
`.image_classification.pth.lock`) and read under it, so two runs saving to one path never mix
one's weights with the other's metadata. `check_writable` tells before training whether a path
can be written at all. Everything is read with `torch.load(weights_only=True)`;
problems raise `CheckpointError` with a message meant for the user.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch
from torch import nn

from cnn_tui.config import TrainRecipe
from cnn_tui.core.file_lock import locked
from cnn_tui.core.regular_files import NotRegularFile, open_regular, read_regular_text, writable_problem
from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization
from cnn_tui.ml.events import EpochResult
from cnn_tui.ml.models import LECTURE, ModelConfig, ModelConfigError, build_model
from cnn_tui.ml.train import ResumeState

FORMAT = "cnn-tui-checkpoint"
FORMAT_VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint is missing, damaged or of another network; the message says which and what to do."""


@dataclass(frozen=True)
class CheckpointMeta:
    """Everything needed to rebuild, evaluate and continue a model, stored as JSON beside its weights."""

    model: ModelConfig
    classes: tuple[str, ...]
    normalization: Normalization | None
    recipe: TrainRecipe | None
    epoch: int
    metrics: tuple[EpochResult, ...] = ()
    data: str = ""
    saved: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    assumed: bool = False  # True when no JSON was found and the lecture's defaults were assumed

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "model": self.model.to_dict(),
            "classes": list(self.classes),
            "normalization": self.normalization.to_dict() if self.normalization else None,
            "recipe": asdict(self.recipe) if self.recipe else None,
            "epoch": self.epoch,
            "metrics": [m.to_dict() for m in self.metrics],
            "data": self.data,
            "saved": self.saved,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckpointMeta:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not cnn-tui checkpoint metadata")
        if not isinstance(data.get("classes"), list) or not data["classes"]:
            raise ValueError("its 'classes' is not a list of class names")
        recipe = data.get("recipe")
        return cls(
            model=ModelConfig.from_dict(data["model"]),
            classes=tuple(str(c) for c in data["classes"]),
            normalization=Normalization.from_dict(data.get("normalization")),
            recipe=TrainRecipe(**recipe) if recipe else None,
            epoch=int(data["epoch"]),
            metrics=tuple(EpochResult.from_dict(m) for m in data.get("metrics", [])),
            data=str(data.get("data", "")),
            saved=str(data.get("saved", "")),
        )


def meta_path(path: Path) -> Path:
    return path.with_suffix(".json")


def resume_path(path: Path) -> Path:
    return path.with_name(path.stem + ".resume.pth")


def _atomic_write(path: Path, write) -> None:  # noqa: ANN001 - write(Path) -> None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def save_checkpoint(path: Path, model: nn.Module, meta: CheckpointMeta, resume: ResumeState | None = None) -> None:
    """Write weights, metadata and (optionally) resume state, each file replaced atomically, all under one lock."""
    weights = {key: value.detach().cpu().contiguous() for key, value in model.state_dict().items()}
    text = json.dumps(meta.to_dict(), indent=2, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        if resume is not None:
            state = {"epoch": resume.epoch, "optimizer": resume.optimizer}
            _atomic_write(resume_path(path), lambda p: torch.save(state, p))
        _atomic_write(path, lambda p: torch.save(weights, p))
        _atomic_write(meta_path(path), lambda p: p.write_text(text + "\n", encoding="utf-8"))


def check_writable(path: Path, what: str = "--checkpoint") -> None:
    """CheckpointError with a sentence unless a checkpoint can be written at `path` (run before training)."""
    problem = writable_problem(path)
    if problem:
        raise CheckpointError(f"{what} {path}: {problem}; choose a file path in a folder you can write to")


def _torch_load(path: Path, what: str) -> Any:
    if not path.exists():
        raise CheckpointError(f"no {what} at {path}; train one first with `cnn-tui train`")
    try:
        handle = open_regular(path)  # a FIFO or device would block torch.load forever
    except NotRegularFile as error:
        raise CheckpointError(f"{error}: give the path of a {what} file") from None
    except OSError as error:
        raise CheckpointError(f"{path} cannot be read ({error.strerror or error})") from None
    try:
        with handle:
            return torch.load(handle, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - the unpickler raises many kinds of error for a bad file
        text = str(error)
        if "Unsupported global" in text or "Weights only load failed" in text and "GLOBAL" in text:
            raise CheckpointError(
                f"{path} holds Python objects, not just tensors; cnn-tui only loads weights (weights_only=True)"
            ) from None
        with path.open("rb") as handle:
            is_zip = handle.read(2) == b"PK"
        if is_zip:
            raise CheckpointError(f"{path} is truncated or damaged ({_first_line(error)}); save or train it again") from None
        raise CheckpointError(f"{path} is not a PyTorch checkpoint") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def read_meta(path: Path) -> CheckpointMeta:
    """The metadata beside `path`; without it, the lecture's network and CIFAR-10 classes are assumed."""
    where = meta_path(path)
    if not where.exists():
        return CheckpointMeta(LECTURE, CIFAR10_CLASSES, None, None, epoch=0, assumed=True)
    try:
        return CheckpointMeta.from_dict(json.loads(read_regular_text(where)))
    except OSError as error:  # a FIFO, device or folder in its place, or unreadable
        raise CheckpointError(f"{where} cannot be read ({error.strerror or error})") from None
    except (ValueError, KeyError, TypeError, AttributeError, ModelConfigError) as error:
        raise CheckpointError(f"{where} is not valid cnn-tui checkpoint metadata ({_first_line(error)})") from None


def check_architecture(state: dict[str, torch.Tensor], model: nn.Module, path: Path, name: str) -> None:
    """Raise CheckpointError unless `state` has exactly the keys and shapes of `model`'s state_dict."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    extra = [k for k in state if k not in expected]
    if missing or extra:
        detail = "; ".join(
            part
            for part in (
                f"it lacks {', '.join(missing[:3])}" if missing else "",
                f"it has {', '.join(extra[:3])} which the model does not" if extra else "",
            )
            if part
        )
        raise CheckpointError(f"{path} was saved from another network than {name!r}: {detail}")
    for key, tensor in expected.items():
        if tuple(state[key].shape) != tuple(tensor.shape):
            raise CheckpointError(
                f"{path} was saved from another network than {name!r}: "
                f"{key} is {list(state[key].shape)} there but {list(tensor.shape)} here"
            )


def load_weights(path: Path) -> dict[str, torch.Tensor]:
    """The state_dict stored at `path` (a dict of tensors), or CheckpointError."""
    state = _torch_load(path, "checkpoint")
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path} is a PyTorch file but not a model state_dict (a dict of tensors)")
    return state


def load_model(path: Path, config: ModelConfig | None = None) -> tuple[nn.Module, CheckpointMeta]:
    """Rebuild the model saved at `path` (from its metadata, or `config` when given) and load its weights."""
    with locked(path, shared=True):  # the weights and the metadata of one save, never of two
        meta = read_meta(path)
        state = load_weights(path)
    config = config or meta.model
    if len(meta.classes) != config.num_classes:
        config = ModelConfig.from_dict({**config.to_dict(), "num_classes": len(meta.classes)})
    model = build_model(config)
    check_architecture(state, model, path, config.name)
    model.load_state_dict(state)
    model.eval()
    return model, meta


def load_resume(path: Path, meta: CheckpointMeta) -> ResumeState:
    """The optimiser state saved with `path`, checked against the metadata's epoch."""
    state = _torch_load(resume_path(path), "resume state")
    if not isinstance(state, dict) or "optimizer" not in state or "epoch" not in state:
        raise CheckpointError(f"{resume_path(path)} is not cnn-tui resume state")
    if int(state["epoch"]) != meta.epoch:
        raise CheckpointError(
            f"{resume_path(path)} is from epoch {state['epoch']} but {meta_path(path)} from epoch {meta.epoch} "
            "(an interrupted save?); train again without --resume"
        )
    return ResumeState(epoch=int(state["epoch"]), optimizer=state["optimizer"])
