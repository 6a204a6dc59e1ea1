"""Mistakes of an own network that only training reveals, found on dummy batches before the first step."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from cnn_tui.ml.model_config import ModelConfig
from cnn_tui.ml.own_model import FILE_ARCH, OwnModelError, bounded, describe_error, exit_code, file_line

TRAIN_CHECK_BATCH = 3  # not the eval check's 2: a forward that hard-codes the batch size shows here


def _spec(config: ModelConfig) -> str:
    return f"{Path(config.file).name}:{config.class_name}"


def check_training(model: nn.Module, config: ModelConfig, *, train_images: int, batch_size: int) -> None:
    """OwnModelError unless the own network (`config.arch == "file"`; others pass) can take a training step:
    trainable parameters, a training-mode forward on a batch of 3 giving [3, classes] floating-point scores that
    depend on the parameters, and a forward on the epoch's last batch when it holds a single image."""
    if config.arch != FILE_ARCH:
        return
    spec = _spec(config)
    if not any(p.requires_grad for p in model.parameters()):
        raise OwnModelError("error.own_model.no_parameters", spec=spec)
    last = train_images % batch_size if train_images > batch_size else train_images
    bounded(spec, lambda: _try_steps(model, config, spec, last))


def _try_steps(model: nn.Module, config: ModelConfig, spec: str, last: int) -> None:
    saved = {name: value.detach().clone() for name, value in model.state_dict().items()}
    was_training = model.training
    path = Path(config.file)
    try:
        model.train()
        _try_step(model, config, spec, path)
        if last == 1:
            try:
                _forward(model, config, 1)
            except BaseException as error:  # noqa: BLE001 - BatchNorm1d: "Expected more than 1 value per channel"
                raise OwnModelError(
                    "error.own_model.last_batch_of_one", spec=spec, where=file_line(error, path), error=describe_error(error)
                ) from None
    finally:
        model.zero_grad(set_to_none=True)
        model.load_state_dict(saved)
        model.train(was_training)


def _forward(model: nn.Module, config: ModelConfig, batch: int) -> object:
    size = config.image_size
    inputs = torch.rand(batch, config.in_channels, size, size, generator=torch.Generator().manual_seed(0))
    with torch.enable_grad():
        return model(inputs)


def _try_step(model: nn.Module, config: ModelConfig, spec: str, path: Path) -> None:
    shape = [TRAIN_CHECK_BATCH, config.in_channels, config.image_size, config.image_size]
    try:
        output = _forward(model, config, TRAIN_CHECK_BATCH)
    except SystemExit as error:
        raise OwnModelError("error.own_model.exits_forward", spec=spec, where=file_line(error, path), code=exit_code(error)) from None
    except BaseException as error:  # noqa: BLE001 - the learner's code can raise anything
        raise OwnModelError(
            "error.own_model.train_forward_failed", spec=spec, shape=shape, where=file_line(error, path), error=describe_error(error)
        ) from None
    expected = [TRAIN_CHECK_BATCH, config.num_classes]
    got = list(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
    if got != expected:
        raise OwnModelError("error.own_model.train_wrong_output", spec=spec, shape=shape, got=got, expected=expected)
    assert isinstance(output, torch.Tensor)
    if not output.is_floating_point():
        raise OwnModelError("error.own_model.not_float", spec=spec, dtype=str(output.dtype).removeprefix("torch."))
    if not output.requires_grad:
        raise OwnModelError("error.own_model.detached", spec=spec)
    loss = nn.functional.cross_entropy(output.float(), torch.zeros(TRAIN_CHECK_BATCH, dtype=torch.long))
    try:
        loss.backward()
    except BaseException as error:  # noqa: BLE001
        raise OwnModelError("error.own_model.backward_failed", spec=spec, error=describe_error(error)) from None
    if all(p.grad is None for p in model.parameters()):
        raise OwnModelError("error.own_model.detached", spec=spec)


def training_failure(error: BaseException, config: ModelConfig, epoch: int, batch: int) -> OwnModelError | None:
    """The sentence for an error raised inside the own network's file while training (None for other errors)."""
    if config.arch != FILE_ARCH or isinstance(error, OwnModelError):
        return None
    path = Path(config.file).resolve()
    import traceback

    if not any(Path(frame.filename).resolve() == path for frame in traceback.extract_tb(error.__traceback__)):
        return None
    return OwnModelError(
        "error.own_model.training_failed", spec=_spec(config), epoch=epoch, batch=batch,
        where=file_line(error, path), error=describe_error(error),
    )
