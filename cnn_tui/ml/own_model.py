"""Networks from the learner's own Python file: `--model path/to/file.py:ClassName`."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import torch
from torch import nn

from cnn_tui import config as settings
from cnn_tui.core.model_file import is_model_file
from cnn_tui.core.own_code import OwnCodeAbandoned, OwnCodeTimeout, run_bounded
from cnn_tui.i18n import Phrase
from cnn_tui.ml.model_config import ModelConfig, ModelConfigError
from cnn_tui.ml.torch_errors import describe_torch_error

FILE_ARCH = "file"
DEFAULT_OUTPUTS = 10  # the classes an own model must score when constructed with no arguments (CIFAR-10's)
CHECK_BATCH = 2


class OwnModelError(ModelConfigError):
    """An own model file cannot be used; the message is one sentence saying what is wrong."""


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_config(name: str) -> ModelConfig:
    """The config for `file.py:ClassName`, checked by building the model once (OwnModelError otherwise)."""
    if not is_model_file(name):
        raise OwnModelError("error.own_model.form", name=name)
    file, _, class_name = name.rpartition(":")
    path = Path(file).expanduser()
    _check_file(path)
    config = ModelConfig(  # named file.py:Class in tables and run ids; the full path is kept in `file`
        name=f"{path.name}:{class_name}", arch=FILE_ARCH, file=str(path.resolve()), class_name=class_name, sha256=file_sha256(path)
    )
    build_file_model(config)
    return config


def _check_file(path: Path) -> None:
    if not path.exists():
        raise OwnModelError("error.own_model.no_file", path=str(path))
    if not path.is_file():
        raise OwnModelError("error.own_model.folder", path=str(path))


def changed_note(config: ModelConfig) -> Phrase | None:
    """A warning when an own model's file differs from the one the checkpoint was trained with, else None."""
    if config.arch != FILE_ARCH or not config.sha256:
        return None
    path = Path(config.file)
    if path.is_file() and file_sha256(path) == config.sha256:
        return None
    return Phrase("cli.note.own_model_changed", file=config.file)


def file_line(error: BaseException, path: Path) -> str:
    """`file.py:LINE` of the deepest frame inside the learner's file (else the deepest frame at all)."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if Path(f.filename).resolve() == path.resolve()]
    frame = (inside or frames or [None])[-1]
    if isinstance(error, SyntaxError) and error.lineno is not None and not inside:
        return f"{path.name}:{error.lineno}"
    if frame is None:
        return path.name
    return f"{Path(frame.filename).name}:{frame.lineno}"


def describe_error(error: BaseException) -> Phrase | str:
    """The learner's error: PyTorch's put in words for their network (the original line below), else as raised;
    an exception whose __str__ itself raises is named by its type."""
    try:
        return describe_torch_error(error)
    except BaseException:  # noqa: BLE001 - the learner's exception class may break its own __str__
        return type(error).__name__


def exit_code(error: SystemExit) -> str:
    return repr(error.code) if error.code is not None else "no code"


_PATH_LOCK = threading.Lock()


@contextmanager
def _folder_on_path(folder: Path) -> Iterator[None]:
    """The model file's folder first on sys.path while it is imported (it may import a sibling module), then removed."""
    entry = str(folder)
    with _PATH_LOCK:
        added = entry not in sys.path
        if added:
            sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added:
            with _PATH_LOCK:
                if entry in sys.path:
                    sys.path.remove(entry)


def load_class(path: Path, class_name: str) -> type[nn.Module]:
    """Import `path` as a module and return its nn.Module subclass `class_name`."""
    _check_file(path)
    module_name = f"cnn_tui_own_model_{file_sha256(path)[:16]}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise OwnModelError("error.own_model.not_importable", path=str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # inspect.getsource (the Model tab's code view) looks classes up here
    try:
        with _folder_on_path(path.resolve().parent):
            spec.loader.exec_module(module)
    except SyntaxError as error:
        sys.modules.pop(module_name, None)
        raise OwnModelError(
            "error.own_model.syntax", path=str(path), where=f"{path.name}:{error.lineno}", message=error.msg
        ) from None
    except SystemExit as error:
        sys.modules.pop(module_name, None)
        raise OwnModelError(
            "error.own_model.exits_import", path=str(path), where=file_line(error, path), code=exit_code(error)
        ) from None
    except BaseException as error:  # noqa: BLE001 - the learner's code can raise anything, KeyboardInterrupt too
        sys.modules.pop(module_name, None)
        raise OwnModelError(
            "error.own_model.import_failed", path=str(path), where=file_line(error, path), error=describe_error(error)
        ) from None
    found = getattr(module, class_name, None)
    if found is None:
        modules = sorted(
            n for n, v in vars(module).items()
            if isinstance(v, type) and issubclass(v, nn.Module) and v.__module__ == module_name
        )
        if not modules:
            raise OwnModelError("error.own_model.no_class_none", path=str(path), class_name=class_name)
        raise OwnModelError("error.own_model.no_class", path=str(path), class_name=class_name, classes=", ".join(modules))
    if not (isinstance(found, type) and issubclass(found, nn.Module)):
        raise OwnModelError("error.own_model.not_module", path=str(path), class_name=class_name)
    return found


def _required_arguments(cls: type) -> list[str]:
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return []
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in signature.parameters.values() if p.kind in kinds and p.default is inspect.Parameter.empty]


def _takes_num_classes(cls: type) -> bool:
    try:
        return "num_classes" in inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return False


def build_file_model(config: ModelConfig) -> nn.Module:
    """Construct the config's class and check it maps [2, 3, 32, 32] to [2, num_classes].

    Import, construction and check run in a daemon thread with a time limit (`Limits.own_code_seconds`):
    a file that never returns is one OwnModelError sentence, and the app can abandon the wait (`x`, `q`)."""
    path = Path(config.file)
    spec = f"{path.name}:{config.class_name}"
    return bounded(spec, lambda: _build(config, path, spec))


T = TypeVar("T")


def bounded(spec: str, work: Callable[[], T]) -> T:
    """`work()` (the learner's code) within `Limits.own_code_seconds`; OwnModelError when it overruns or is abandoned."""
    seconds = settings.LIMITS.own_code_seconds
    try:
        return run_bounded(work, seconds)
    except OwnCodeTimeout:
        raise OwnModelError("error.own_model.timeout", spec=spec, seconds=f"{seconds:g}") from None
    except OwnCodeAbandoned:
        raise OwnModelError("error.own_model.abandoned", spec=spec) from None


def _build(config: ModelConfig, path: Path, spec: str) -> nn.Module:
    cls = load_class(path, config.class_name)
    required = _required_arguments(cls)
    if required:
        raise OwnModelError("error.own_model.needs_arguments", spec=spec, arguments=", ".join(required))
    kwargs: dict[str, int] = {}
    if config.num_classes != DEFAULT_OUTPUTS:
        if not _takes_num_classes(cls):
            raise OwnModelError(
                "error.own_model.num_classes", spec=spec, outputs=DEFAULT_OUTPUTS, classes=config.num_classes
            )
        kwargs["num_classes"] = config.num_classes
    try:
        model = cls(**kwargs)
    except SystemExit as error:
        raise OwnModelError(
            "error.own_model.exits_constructor", spec=spec, where=file_line(error, path), code=exit_code(error)
        ) from None
    except BaseException as error:  # noqa: BLE001
        raise OwnModelError(
            "error.own_model.constructor_failed", spec=spec, where=file_line(error, path), error=describe_error(error)
        ) from None
    _check_output(model, config, path, spec)
    return model


def _check_output(model: nn.Module, config: ModelConfig, path: Path, spec: str) -> None:
    size = config.image_size
    shape = [CHECK_BATCH, config.in_channels, size, size]
    batch = torch.rand(*shape, generator=torch.Generator().manual_seed(0))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            output = model(batch)
    except SystemExit as error:
        raise OwnModelError(
            "error.own_model.exits_forward", spec=spec, where=file_line(error, path), code=exit_code(error)
        ) from None
    except BaseException as error:  # noqa: BLE001
        raise OwnModelError(
            "error.own_model.forward_failed", spec=spec, shape=shape, where=file_line(error, path), error=describe_error(error)
        ) from None
    finally:
        model.train(was_training)
    expected = [CHECK_BATCH, config.num_classes]
    got = list(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
    if got != expected:
        raise OwnModelError("error.own_model.wrong_output", spec=spec, shape=shape, got=got, expected=expected)
