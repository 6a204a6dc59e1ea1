"""An own network's every forward pass under the own-code time limit, so one that never returns cannot hold anything."""

from __future__ import annotations

import types
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.overrides import _get_current_function_mode_stack

from cnn_tui import config as settings
from cnn_tui.core.own_code import OwnCodeAbandoned, OwnCodeTimeout, inside_own_code, run_bounded
from cnn_tui.ml.model_config import ModelConfig
from cnn_tui.ml.own_model import OwnModelError

SPEC_ATTRIBUTE = "_cnn_tui_own_spec"  # `file.py:Class`, kept on the instance for the sentences


class OwnForwardStopped(OwnModelError):
    """The caller stopped waiting for the own network's forward (stop, `x`, quitting); training ends as stopped."""


def bound_forward(model: nn.Module, config: ModelConfig) -> nn.Module:
    """The same model, its `forward` now run with the own-code time limit (a bound method: `copy.deepcopy` keeps it)."""
    object.__setattr__(model, SPEC_ATTRIBUTE, f"{Path(config.file).name}:{config.class_name}")
    object.__setattr__(model, "forward", types.MethodType(_bounded_forward, model))
    return model


def _bounded_forward(self: nn.Module, *args: Any, **kwargs: Any) -> Any:
    forward = type(self).forward
    if inside_own_code():  # already in a bounded thread (the checks of own_model and own_model_training)
        return forward(self, *args, **kwargs)
    seconds = settings.LIMITS.own_code_seconds
    spec = getattr(self, SPEC_ATTRIBUTE, type(self).__name__)
    try:
        return run_bounded(_in_these_modes(lambda: forward(self, *args, **kwargs)), seconds)
    except OwnCodeTimeout:
        shape = list(args[0].shape) if args and isinstance(args[0], torch.Tensor) else "?"
        raise OwnModelError("error.own_model.forward_timeout", spec=spec, shape=shape, seconds=f"{seconds:g}") from None
    except OwnCodeAbandoned:
        raise OwnForwardStopped("error.own_model.forward_abandoned", spec=spec) from None


def _in_these_modes(work: Callable[[], Any]) -> Callable[[], Any]:
    """`work` to run in another thread with this thread's grad mode, inference mode, autocast and torch function
    modes (the receptive-field tracer and the dead-ReLU counter watch a forward pass through one)."""
    inference, grad = torch.is_inference_mode_enabled(), torch.is_grad_enabled()
    casts = [(device, torch.get_autocast_dtype(device)) for device in ("cpu", "cuda") if torch.is_autocast_enabled(device)]
    # torch keeps no public way to read the modes entered; this private call is the one place (tests: an own
    # network's receptive field, tests/unit/test_receptive_field_cli.py, fails when it changes).
    function_modes = _get_current_function_mode_stack()

    def run() -> Any:
        with ExitStack() as modes:
            modes.enter_context(torch.inference_mode() if inference else torch.set_grad_enabled(grad))
            for device, dtype in casts:
                modes.enter_context(torch.autocast(device, dtype=dtype))
            for mode in function_modes:
                modes.enter_context(mode)
            return work()

    return run
