"""Checkpoints: weights as a plain state_dict (the lecture's own class loads it), JSON metadata beside, resume state."""

from __future__ import annotations

import io
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
from cnn_tui.core.photo_resize import POLICIES
from cnn_tui.core.regular_files import NotRegularFile, open_regular, read_regular_text, writable_problem
from cnn_tui.i18n import LocalizedError
from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization
from cnn_tui.ml.events import EpochResult
from cnn_tui.ml.models import LECTURE, ModelConfig, ModelConfigError, build_model
from cnn_tui.ml.train import ResumeState

FORMAT = "cnn-tui-checkpoint"
FORMAT_VERSION = 1


class CheckpointError(LocalizedError, ValueError):
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
    # How photos were prepared for the network (cnn_tui.core.photo_resize): '' when the images came at its size
    # (CIFAR-10; predict then resizes to the square as before), else crop, squash or pad; and a plain photo
    # folder's test share, so eval finds the same test photos.
    resize: str = ""
    test_share: float = 0.0

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
            "input": {"side": self.model.image_size, "resize": self.resize, "test_share": self.test_share},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckpointMeta:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not cnn-tui checkpoint metadata")
        if not isinstance(data.get("classes"), list) or not data["classes"]:
            raise ValueError("its 'classes' is not a list of class names")
        recipe = data.get("recipe")
        prepared = data.get("input") if isinstance(data.get("input"), dict) else {}
        resize = str(prepared.get("resize", "") or "")
        if resize and resize not in POLICIES:
            raise ValueError(f"its input resize policy {resize!r} is not one of {', '.join(POLICIES)}")
        return cls(
            model=ModelConfig.from_dict(data["model"]),
            classes=tuple(str(c) for c in data["classes"]),
            normalization=Normalization.from_dict(data.get("normalization")),
            recipe=TrainRecipe(**recipe) if recipe else None,
            epoch=int(data["epoch"]),
            metrics=tuple(EpochResult.from_dict(m) for m in data.get("metrics", [])),
            data=str(data.get("data", "")),
            saved=str(data.get("saved", "")),
            resize=resize,
            test_share=float(prepared.get("test_share", 0.0) or 0.0),
        )


def meta_path(path: Path) -> Path:
    return path.with_suffix(".json")


def resume_path(path: Path) -> Path:
    return path.with_name(path.stem + ".resume.pth")


def _replace_together(files: list[tuple[Path, bytes]]) -> None:
    """Write every file beside its target first, then move them all into place: a write that fails (a full disk)
    leaves every target as it was, so the previous epoch's weights, metadata and resume state stay one set."""
    partials = [(path.with_name(f".{path.name}.{os.getpid()}.part"), path) for path, _ in files]
    try:
        for (partial, _), (_, data) in zip(partials, files):
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
        for partial, path in partials:
            os.replace(partial, path)
    finally:
        for partial, _ in partials:
            partial.unlink(missing_ok=True)


def _torch_bytes(value: Any) -> bytes:
    """`torch.save(value)` in memory: a full disk is then Python's OSError(ENOSPC) on writing, not torch's zip error."""
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def save_checkpoint(path: Path, model: nn.Module, meta: CheckpointMeta, resume: ResumeState | None = None) -> None:
    """Write weights, metadata and (optionally) resume state, replaced together, all under one lock
    (OSError when they cannot be written, the files of the previous save left whole)."""
    weights = {key: value.detach().cpu().contiguous() for key, value in model.state_dict().items()}
    text = json.dumps(meta.to_dict(), indent=2, ensure_ascii=False)
    files = [] if resume is None else [(resume_path(path), _torch_bytes({"epoch": resume.epoch, "optimizer": resume.optimizer}))]
    files += [(path, _torch_bytes(weights)), (meta_path(path), (text + "\n").encode("utf-8"))]
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        _replace_together(files)


def check_writable(path: Path, runs_folder: bool = False) -> None:
    """CheckpointError with a sentence unless a checkpoint (or with `runs_folder`, a run record) can be written
    at `path` (run before training)."""
    problem = writable_problem(path)
    if problem and runs_folder:
        raise CheckpointError("error.checkpoint.runs_not_writable", path=path, problem=problem)
    if problem:
        raise CheckpointError("error.checkpoint.not_writable", path=path, problem=problem)


def _torch_load(path: Path, resume: bool = False) -> Any:
    """What `torch.load(weights_only=True)` gives for `path`: a checkpoint, or with `resume` its resume state."""
    if not path.exists():
        if resume:
            raise CheckpointError("error.checkpoint.no_resume_state", path=path)
        raise CheckpointError("error.checkpoint.no_checkpoint", path=path)
    try:
        handle = open_regular(path)  # a FIFO or device would block torch.load forever
    except NotRegularFile as error:
        if resume:
            raise CheckpointError("error.checkpoint.resume_not_a_file", problem=str(error)) from None
        raise CheckpointError("error.checkpoint.not_a_file", problem=str(error)) from None
    except OSError as error:
        raise CheckpointError("error.checkpoint.unreadable", path=path, reason=error.strerror or str(error)) from None
    try:
        with handle:
            return torch.load(handle, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - the unpickler raises many kinds of error for a bad file
        text = str(error)
        if "Unsupported global" in text or "Weights only load failed" in text and "GLOBAL" in text:
            raise CheckpointError("error.checkpoint.python_objects", path=path) from None
        with path.open("rb") as handle:
            is_zip = handle.read(2) == b"PK"
        if is_zip:
            raise CheckpointError("error.checkpoint.damaged", path=path, detail=_first_line(error)) from None
        raise CheckpointError("error.checkpoint.not_pytorch", path=path) from None


def _first_line(error: BaseException) -> str:
    """The first line of what `error` says (another library's text, so untranslated)."""
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
        raise CheckpointError("error.checkpoint.unreadable", path=where, reason=error.strerror or str(error)) from None
    except (ValueError, KeyError, TypeError, AttributeError, ModelConfigError) as error:
        # a catalogue error (a bad model config …) stays one, so the app gives it in its language
        detail = error if isinstance(error, LocalizedError) else _first_line(error)
        raise CheckpointError("error.checkpoint.bad_metadata", path=where, detail=detail) from None


def check_architecture(state: dict[str, torch.Tensor], model: nn.Module, path: Path, name: str) -> None:
    """Raise CheckpointError unless `state` has exactly the keys and shapes of `model`'s state_dict."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    extra = [k for k in state if k not in expected]
    lacks, has = ", ".join(missing[:3]), ", ".join(extra[:3])
    if missing and extra:
        raise CheckpointError("error.checkpoint.other_network_keys", path=path, name=name, lacks=lacks, has=has)
    if missing:
        raise CheckpointError("error.checkpoint.other_network_lacks", path=path, name=name, lacks=lacks)
    if extra:
        raise CheckpointError("error.checkpoint.other_network_has", path=path, name=name, has=has)
    for key, tensor in expected.items():
        if tuple(state[key].shape) != tuple(tensor.shape):
            raise CheckpointError(
                "error.checkpoint.other_network_shape",
                path=path,
                name=name,
                tensor=key,
                there=list(state[key].shape),
                here=list(tensor.shape),
            )


def load_weights(path: Path) -> dict[str, torch.Tensor]:
    """The state_dict stored at `path` (a dict of tensors), or CheckpointError."""
    state = _torch_load(path)
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError("error.checkpoint.not_state_dict", path=path)
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
    state = _torch_load(resume_path(path), resume=True)
    if not isinstance(state, dict) or "optimizer" not in state or "epoch" not in state:
        raise CheckpointError("error.checkpoint.not_resume_state", path=resume_path(path))
    if int(state["epoch"]) != meta.epoch:
        raise CheckpointError(
            "error.checkpoint.resume_epoch",
            path=resume_path(path),
            epoch=state["epoch"],
            meta=meta_path(path),
            meta_epoch=meta.epoch,
        )
    return ResumeState(epoch=int(state["epoch"]), optimizer=state["optimizer"])
