"""Any nn.Module as a chain of geometry steps, for the receptive fields of `cnn_tui.core.receptive_field`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from cnn_tui.core.receptive_field import (
    INPUT, MERGE, UNKNOWN, WHOLE, WINDOW, Field, GeometryStep, ReceptiveField, ReceptiveFieldError,
    receptive_field, step_fields,
)

# (positional index, keyword, default) of the window settings of each function (after the input).
CONV_ARGS = {"stride": (3, 1), "padding": (4, 0), "dilation": (5, 1)}
POOL_ARGS = {"kernel_size": (1, None), "stride": (2, None), "padding": (3, 0), "dilation": (4, 1)}
AVG_POOL_ARGS = {"kernel_size": (1, None), "stride": (2, None), "padding": (3, 0)}
MAX_POOLS = {"max_pool2d", "max_pool2d_with_indices", "_max_pool2d"}
PAD_MODES = {"constant": "zeros"}  # F.pad's mode -> GeometryStep.mode
ADAPTIVE_POOLS = {"adaptive_max_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d_with_indices"}


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    items = tuple(int(v) for v in value)
    return (items[0], items[0]) if len(items) == 1 else (items[0], items[1])


def _setting(args: tuple, kwargs: dict, name: str, where: tuple[int, Any]) -> Any:
    position, default = where
    if name in kwargs:
        return kwargs[name]
    return args[position] if len(args) > position else default


def _maps_shape(tensor: torch.Tensor) -> tuple[int, int] | None:
    return (int(tensor.shape[-2]), int(tensor.shape[-1])) if tensor.dim() == 4 else None


class _Tracer(TorchFunctionMode):
    """Records a GeometryStep for every function whose output comes from the image."""

    def __init__(self, image: torch.Tensor) -> None:
        super().__init__()
        self.steps = [GeometryStep("input", INPUT, (), _maps_shape(image))]
        self.made: dict[int, int] = {id(image): 0}  # id(tensor) -> step
        self.kept: list[torch.Tensor] = [image]  # alive, so no id is reused during the pass

    def step_of(self, tensor: object) -> int | None:
        return self.made.get(id(tensor)) if isinstance(tensor, torch.Tensor) else None

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        flat = [*args, *(a for arg in args if isinstance(arg, (list, tuple)) for a in arg), *kwargs.values()]
        sources = tuple(dict.fromkeys(i for i in map(self.step_of, flat) if i is not None))
        result = out[0] if isinstance(out, tuple) and out and isinstance(out[0], torch.Tensor) else out
        if not sources or not isinstance(result, torch.Tensor):
            return out
        step = self._step(getattr(func, "__name__", str(func)), sources, args, kwargs, result)
        self.made[id(result)] = len(self.steps)
        self.kept.append(result)
        self.steps.append(step)
        return out

    def _step(self, name: str, sources: tuple[int, ...], args: tuple, kwargs: dict, out: torch.Tensor) -> GeometryStep:
        shape = _maps_shape(out)
        before = [self.steps[i].shape for i in sources]
        if shape is None:
            return GeometryStep(name, WHOLE, sources, None)
        if name == "conv2d":
            return _conv_step(name, sources, args, kwargs, shape)
        if name in MAX_POOLS or name == "avg_pool2d":
            return _pool_step(name, sources, args, kwargs, shape)
        if name == "pad" and len(sources) == 1:
            pads = [int(v) for v in _setting(args, kwargs, "pad", (1, ()))]
            left, top = (pads + [0, 0, 0, 0])[0], (pads + [0, 0, 0, 0])[2]
            mode = str(_setting(args, kwargs, "mode", (2, "constant")))
            return GeometryStep(name, WINDOW, sources, shape, padding=(top, left), mode=PAD_MODES.get(mode, mode))
        if all(b == shape or b == (1, 1) or b is None for b in before):
            return GeometryStep(name, MERGE, sources, shape)
        if name in ADAPTIVE_POOLS and len(sources) == 1 and before[0] is not None:
            return _adaptive_step(name, sources, before[0], shape)
        return GeometryStep(name, UNKNOWN, sources, shape)


def _conv_step(name: str, sources: tuple[int, ...], args: tuple, kwargs: dict, shape: tuple[int, int]) -> GeometryStep:
    weight = args[1] if len(args) > 1 else kwargs["weight"]
    kernel = (int(weight.shape[-2]), int(weight.shape[-1]))
    dilation = _pair(_setting(args, kwargs, "dilation", CONV_ARGS["dilation"]))
    padding_value = _setting(args, kwargs, "padding", CONV_ARGS["padding"])
    if padding_value == "same":  # PyTorch puts the odd one of an even total padding after
        padding = (dilation[0] * (kernel[0] - 1) // 2, dilation[1] * (kernel[1] - 1) // 2)
    elif padding_value == "valid":
        padding = (0, 0)
    else:
        padding = _pair(padding_value)
    stride = _pair(_setting(args, kwargs, "stride", CONV_ARGS["stride"]))
    return GeometryStep(name, WINDOW, sources[:1], shape, kernel, stride, padding, dilation)


def _pool_step(name: str, sources: tuple[int, ...], args: tuple, kwargs: dict, shape: tuple[int, int]) -> GeometryStep:
    table = AVG_POOL_ARGS if name == "avg_pool2d" else POOL_ARGS
    kernel = _pair(_setting(args, kwargs, "kernel_size", table["kernel_size"]))
    stride_value = _setting(args, kwargs, "stride", table["stride"])
    stride = kernel if stride_value is None or stride_value == [] or stride_value == () else _pair(stride_value)
    padding = _pair(_setting(args, kwargs, "padding", table["padding"]))
    dilation = _pair(_setting(args, kwargs, "dilation", table.get("dilation", (len(args), 1))))
    return GeometryStep(name, WINDOW, sources[:1], shape, kernel, stride, padding, dilation)


def _adaptive_step(name: str, sources: tuple[int, ...], before: tuple[int, int], shape: tuple[int, int]) -> GeometryStep:
    """Adaptive pooling is a plain window when each output size divides the input's; else not followed."""
    if before[0] % shape[0] or before[1] % shape[1]:
        return GeometryStep(name, UNKNOWN, sources, shape)
    kernel = (before[0] // shape[0], before[1] // shape[1])
    return GeometryStep(name, WINDOW, sources, shape, kernel, kernel)


@dataclass(frozen=True)
class GeometryChain:
    """A network's geometry steps and, for each named module whose output they record, its step."""

    steps: tuple[GeometryStep, ...]
    layers: dict[str, int]

    def map_layers(self) -> list[str]:
        """The named modules that output maps (N×C×h×w), in the order the forward pass reaches them."""
        return [name for name, i in sorted(self.layers.items(), key=lambda item: item[1]) if self.steps[i].shape]

    @cached_property
    def fields(self) -> list[Field | None]:
        """Every step's field, computed once."""
        return step_fields(self.steps)

    def field(self, layer: str) -> Field | None:
        """The layer's receptive field size, jump and start (None when it has no maps or is not followed)."""
        index = self.layers.get(layer)
        return None if index is None or self.steps[index].shape is None else self.fields[index]

    def changes(self, layer: str) -> bool:
        """Whether the layer's field differs from what it is given: a window, or a merge of several branches."""
        step = self.steps[self.layers[layer]]
        return step.kind == WINDOW or len(step.inputs) > 1

    def field_rows(self, upto: str | None = None) -> list[tuple[str, tuple[int, int], Field | None]]:
        """(layer, maps (h, w), field) for every layer with maps whose field changes, up to and with `upto`."""
        rows, listed = [], set()
        for layer in self.map_layers():
            index = self.layers[layer]
            if (self.changes(layer) and index not in listed) or layer == upto:  # a block and its last part: once
                rows.append((layer, self.steps[index].shape, self.field(layer)))  # type: ignore[arg-type]
                listed.add(index)
            if layer == upto:
                break
        return rows

    def receptive_field(self, layer: str, unit: tuple[int, int]) -> ReceptiveField:
        """What unit (row, col) of `layer` sees; ReceptiveFieldError for an unknown layer or unit."""
        if layer not in self.layers:
            listed = ", ".join(self.map_layers()) or "-"
            raise ReceptiveFieldError("error.receptive_field.unknown_layer", name=layer, listed=listed)
        return receptive_field(self.steps, self.layers[layer], unit, layer)


def layer_fields(model: nn.Module, input_size: tuple[int, ...] = (3, 32, 32)) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(layer, field size, jump) of every layer whose field changes (conv, pooling, a residual block's sum), in
    forward order; a layer whose field cannot be followed (after upsampling) is left out."""
    chain = geometry_chain(model, input_size)
    return [(layer, field.size, field.jump) for layer, _shape, field in chain.field_rows() if field is not None]


def geometry_chain(model: nn.Module, input_size: tuple[int, ...] = (3, 32, 32)) -> GeometryChain:
    """Trace one forward pass of zeros through `model` (in eval mode, without gradients)."""
    layers: dict[str, int] = {}
    hooks = []
    parameter = next(model.parameters(), None)
    image = torch.zeros(1, *input_size, device=parameter.device if parameter is not None else "cpu")
    tracer = _Tracer(image)

    def hook_for(name: str):  # type: ignore[no-untyped-def]
        def hook(_module: nn.Module, _inputs: tuple, output: object) -> None:
            if isinstance(output, tuple) and output:
                output = output[0]
            index = tracer.step_of(output)
            if index is not None and name not in layers:
                layers[name] = index

        return hook

    for name, module in model.named_modules():
        if module is not model:
            hooks.append(module.register_forward_hook(hook_for(name)))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), tracer:
            model(image)
    finally:
        for handle in hooks:
            handle.remove()
        model.train(was_training)
    return GeometryChain(tuple(tracer.steps), layers)
