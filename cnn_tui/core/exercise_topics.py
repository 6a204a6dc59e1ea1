"""The exercise topics, one maker each, in the lecture's order; the step engine computes every answer.

Sizes come from `axis_geometry` (the lecture's formula with PyTorch's floor, dilation and ceil mode),
cells from `ConvTrace` and `PoolTrace`; settings are drawn so that PyTorch accepts them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cnn_tui.core.conv_geometry import axis_geometry
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.exercises import Exercise
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.i18n import Phrase

Rng = np.random.Generator


def _pick(rng: Rng, options: list | tuple) -> object:
    return options[int(rng.integers(len(options)))]


def _int(rng: Rng, low: int, high: int) -> int:
    """An int in [low, high], both ends included."""
    return int(rng.integers(low, high + 1))


def literal(values: object) -> str:
    """A nested list as PyTorch prints a small tensor: one innermost row a line, integers without `.0`."""
    array = np.asarray(values)

    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else f"{value:g}"

    def nest(a: np.ndarray, depth: int) -> str:
        if a.ndim == 1:
            return "[" + ", ".join(number(v) for v in a) + "]"
        joiner = "," + "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + joiner.join(nest(part, depth + 1) for part in a) + "]"

    return nest(array, 0)


def _named(name: str, values: object) -> str:
    text = f"{name} = " + literal(values).replace("\n", "\n" + " " * (len(name) + 3))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _call(function: str, *positional: str, **keywords: object) -> str:
    parts = list(positional) + [f"{key}={value}" for key, value in keywords.items()]
    return f"{function}({', '.join(parts)})"


def _shape(shape: tuple[int, ...] | list[int]) -> str:
    return "×".join(str(n) for n in shape)


# -- image basics ---------------------------------------------------------------------------


def pixel(rng: Rng, level: int) -> Exercise:
    """ToTensor divides by 255: from a tensor value back to the pixel's value (0–255)."""
    value = int(_pick(rng, [0, 255, 51, 102, 153, 204])) if level == 1 else _int(rng, 1, 254)
    if level == 2:
        value = 5 * _int(rng, 1, 50)
    shown = round(value / 255, 4)
    prompt = Phrase("practice.q.pixel", value=f"{shown:g}")
    setting = {"op": "to_tensor", "value": shown}
    return Exercise("pixel", level, prompt, "value", setting, value)


def to_tensor(rng: Rng, level: int) -> Exercise:
    """An H×W×3 uint8 image (as plt.imread gives it): one value of ToTensor's C×H×W tensor."""
    height, width = {1: (1, 2), 2: (2, 2), 3: (2, 3)}[level]
    if level == 1:
        image = rng.choice(np.array([0, 51, 102, 153, 204, 255]), (height, width, 3))
    elif level == 2:
        image = 5 * rng.integers(0, 52, (height, width, 3))
    else:
        image = rng.integers(0, 256, (height, width, 3))
    at = (_int(rng, 0, 2), _int(rng, 0, height - 1), _int(rng, 0, width - 1))
    answer = float(image[at[1], at[2], at[0]] / 255)
    prompt = Phrase("practice.q.to_tensor", image=_named("img", image), shape=_shape(image.shape), c=at[0], h=at[1], w=at[2])
    setting = {"op": "to_tensor", "input": image.tolist()}
    return Exercise("to_tensor", level, prompt, "value", setting, answer, at)


def layout(rng: Rng, level: int) -> Exercise:
    """HWC (plt.imread) and CHW (PyTorch): the shape after a permute."""
    height, width = _int(rng, 2, 64) * 10, _int(rng, 2, 64) * 10
    if level == 1:
        shape, dims = (height, width, 3), (2, 0, 1)
    elif level == 2:
        shape, dims = (3, height, width), (1, 2, 0)
    else:
        channels = int(_pick(rng, [1, 4]))
        shape, dims = (height, width, channels), (2, 0, 1)
    answer = tuple(shape[d] for d in dims)
    fields = {"shape": str(shape), "dims": ", ".join(map(str, dims))}
    if level == 2:
        prompt = Phrase("practice.q.layout_to_hwc", **fields)
    else:
        prompt = Phrase("practice.q.layout_to_chw", **fields)
    setting = {"op": "permute", "input_shape": list(shape), "dims": list(dims)}
    return Exercise("layout", level, prompt, "shape", setting, answer)


# -- convolution ----------------------------------------------------------------------------


def conv_size(rng: Rng, level: int) -> Exercise:
    """The output shape of nn.Conv2d: N = ⌊(W + 2P − D(F − 1) − 1) / S⌋ + 1 per axis."""
    channels, out_channels = int(_pick(rng, [1, 3])), int(_pick(rng, [1, 4, 6, 8, 16]))
    kernel = int(_pick(rng, [1, 3, 5]))
    stride, padding, dilation = 1, 0, 1
    height = width = _int(rng, max(kernel, 5), 32)
    if level == 2:
        padding, stride = _int(rng, 0, 2), int(_pick(rng, [1, 2]))
        kernel = int(_pick(rng, [3, 5]))
        height = width = stride * _int(rng, 3, 16) + kernel - 2 * padding  # the division comes out exact
    elif level == 3:
        kernel, stride, padding, dilation = int(_pick(rng, [3, 5])), _int(rng, 2, 3), _int(rng, 0, 2), _int(rng, 1, 2)
        span = dilation * (kernel - 1) + 1
        height, width = _int(rng, max(span, 7), 40), _int(rng, max(span, 7), 40)
    rows = axis_geometry("H", height, kernel, stride, padding, dilation)
    cols = axis_geometry("W", width, kernel, stride, padding, dilation)
    answer = (out_channels, rows.output, cols.output)
    keywords: dict[str, object] = {"in_channels": channels, "out_channels": out_channels, "kernel_size": kernel,
                                   "stride": stride, "padding": padding}
    if dilation != 1:
        keywords["dilation"] = dilation
    prompt = Phrase("practice.q.conv_size", shape=_shape((channels, height, width)), call=_call("nn.Conv2d", **keywords))
    setting = {"op": "conv2d", "input_shape": [channels, height, width], **keywords, "dilation": dilation}
    return Exercise("conv_size", level, prompt, "shape", setting, answer)


def conv_cell(rng: Rng, level: int) -> Exercise:
    """One output cell of F.conv2d: the window times the kernel, summed over every channel, plus the bias."""
    channels, kernels, size, stride, padding = 1, 1, _int(rng, 3, 5), 1, 0
    bias = [0]
    if level == 2:
        size, stride, padding = _int(rng, 3, 5), _int(rng, 1, 2), 1
        bias = [_int(rng, -3, 3)]
    elif level == 3:
        channels, kernels, size = _int(rng, 2, 3), 2, 4
        stride, padding = _int(rng, 1, 2), _int(rng, 0, 1)
        bias = [_int(rng, -3, 3) for _ in range(kernels)]
    inputs = rng.integers(0, 10, (channels, size, size))
    weight = rng.integers(-1, 2, (kernels, channels, 3, 3))
    trace = ConvTrace(inputs, weight, np.array(bias), stride, padding)
    at = tuple(_int(rng, 0, n - 1) for n in trace.output_shape)
    answer = int(round(trace.output[at]))
    call = _call("F.conv2d", "input", "weight", "bias", stride=stride, padding=padding)
    matrices = "\n".join([_named("input", inputs), _named("weight", weight), _named("bias", bias)])
    prompt = Phrase("practice.q.conv_cell", matrices=matrices, call=call, c=at[0], h=at[1], w=at[2])
    setting = {"op": "conv2d", "input": inputs.tolist(), "weight": weight.tolist(), "bias": bias,
               "stride": stride, "padding": padding, "dilation": 1}
    return Exercise("conv_cell", level, prompt, "value", setting, answer, at)


# -- pooling --------------------------------------------------------------------------------


def _pool_words(mode: str) -> Phrase:
    return Phrase("practice.word.max") if mode == "max" else Phrase("practice.word.avg")


def pool_size(rng: Rng, level: int) -> Exercise:
    """The output shape of max/avg pooling (channels stay), with padding and ceil_mode."""
    mode, channels = str(_pick(rng, ["max", "avg"])), int(_pick(rng, [1, 3, 6, 16]))
    kernel, stride, padding, ceil = 2, 2, 0, False
    height = width = 2 * _int(rng, 2, 16)
    if level == 2:
        kernel, stride = _int(rng, 2, 3), _int(rng, 1, 3)
        padding = _int(rng, 0, kernel // 2)
        height = width = _int(rng, 4, 30)
    elif level == 3:
        kernel, stride, ceil = _int(rng, 2, 3), _int(rng, 2, 3), True
        padding = _int(rng, 0, kernel // 2)
        height, width = _int(rng, 4, 30), _int(rng, 4, 30)
    rows = axis_geometry("H", height, kernel, stride, padding, 1, ceil)
    cols = axis_geometry("W", width, kernel, stride, padding, 1, ceil)
    answer = (channels, rows.output, cols.output)
    keywords: dict[str, object] = {"kernel_size": kernel, "stride": stride, "padding": padding}
    if ceil:
        keywords["ceil_mode"] = True
    layer = "nn.MaxPool2d" if mode == "max" else "nn.AvgPool2d"
    prompt = Phrase("practice.q.pool_size", shape=_shape((channels, height, width)), call=_call(layer, **keywords))
    setting = {"op": f"{mode}_pool2d", "input_shape": [channels, height, width], "kernel_size": kernel,
               "stride": stride, "padding": padding, "ceil_mode": ceil}
    return Exercise("pool_size", level, prompt, "shape", setting, answer)


def pool_cell(rng: Rng, level: int) -> Exercise:
    """One output cell of F.max_pool2d / F.avg_pool2d: padding, ceil_mode and count_include_pad included."""
    mode, size, kernel, stride, padding, ceil, include = "max", 4, 2, 2, 0, False, True
    if level == 2:
        mode, size, stride, padding = str(_pick(rng, ["max", "avg"])), _int(rng, 3, 4), _int(rng, 1, 2), 1
    elif level == 3:
        mode, size, kernel, stride = "avg", 5, 3, 2
        padding, ceil, include = _int(rng, 0, 1), bool(rng.integers(2)), bool(rng.integers(2))
    inputs = rng.integers(0, 21 if mode == "max" else 10, (1, size, size))
    trace = PoolTrace(inputs, mode, kernel, stride, padding, ceil, include)
    at = tuple(_int(rng, 0, n - 1) for n in trace.output_shape)
    answer = float(trace.output[at])
    keywords: dict[str, object] = {"kernel_size": kernel, "stride": stride, "padding": padding}
    if ceil:
        keywords["ceil_mode"] = True
    if mode == "avg" and not include:
        keywords["count_include_pad"] = False
    call = _call(f"F.{mode}_pool2d", "input", **keywords)
    prompt = Phrase("practice.q.pool_cell", matrices=_named("input", inputs), call=call, kind=_pool_words(mode),
                    c=at[0], h=at[1], w=at[2])
    setting: dict[str, object] = {"op": f"{mode}_pool2d", "input": inputs.tolist(), "kernel_size": kernel,
                                  "stride": stride, "padding": padding, "ceil_mode": ceil}
    if mode == "avg":
        setting["count_include_pad"] = include
    return Exercise("pool_cell", level, prompt, "value", setting, answer, at)


# -- layers and the lecture's network -------------------------------------------------------


def conv_params(rng: Rng, level: int) -> Exercise:
    """nn.Conv2d's parameters: out_channels × in_channels × kH × kW weights, plus out_channels biases."""
    if level == 1:
        channels, out_channels, kernel, bias = _pick(rng, [(3, 6, 3, True), (6, 16, 3, True)])  # type: ignore[misc]
    else:
        channels, out_channels = int(_pick(rng, [1, 3, 6, 16, 32])), int(_pick(rng, [6, 8, 16, 32, 64]))
        kernel, bias = int(_pick(rng, [1, 3, 5, 7])), level == 2 or bool(rng.integers(2))
    size = (kernel, kernel) if level < 3 else (kernel, int(_pick(rng, [1, 3, 5])))
    answer = out_channels * channels * size[0] * size[1] + (out_channels if bias else 0)
    shown = size[0] if size[0] == size[1] else f"({size[0]}, {size[1]})"
    keywords: dict[str, object] = {"in_channels": channels, "out_channels": out_channels, "kernel_size": shown}
    if not bias:
        keywords["bias"] = False
    prompt = Phrase("practice.q.conv_params", call=_call("nn.Conv2d", **keywords))
    setting = {"op": "conv_params", "in_channels": channels, "out_channels": out_channels,
               "kernel_size": list(size) if size[0] != size[1] else size[0], "bias": bool(bias)}
    return Exercise("conv_params", level, prompt, "count", setting, answer)


def linear_params(rng: Rng, level: int) -> Exercise:
    """nn.Linear's parameters: in_features × out_features weights, plus out_features biases."""
    bias = True
    if level == 1:
        features, out_features = _pick(rng, [(576, 120), (120, 84), (84, 10)])  # type: ignore[misc]
    else:
        features, out_features = int(_pick(rng, [64, 100, 128, 256, 400, 512, 576])), int(_pick(rng, [10, 32, 84, 120, 256]))
        bias = level == 2 or bool(rng.integers(2))
    keywords: dict[str, object] = {"in_features": features, "out_features": out_features}
    if not bias:
        keywords["bias"] = False
    answer = int(features) * int(out_features) + (int(out_features) if bias else 0)
    prompt = Phrase("practice.q.linear_params", call=_call("nn.Linear", **keywords))
    setting = {"op": "linear_params", "in_features": features, "out_features": out_features, "bias": bias}
    return Exercise("linear_params", level, prompt, "count", setting, answer)


def shape_chain(rng: Rng, level: int) -> Exercise:
    """The lecture's network (conv, pool, conv, pool, flatten): the shape after a layer, or Linear's in_features."""
    size, channels, kernel, padding = 32, (6, 16), 3, 0
    if level >= 2:
        size = int(_pick(rng, [28, 32, 36, 40, 48, 64]))
        channels = _pick(rng, [(6, 16), (16, 32), (32, 64)])  # type: ignore[assignment]
        kernel, padding = _pick(rng, [(3, 0), (5, 0), (3, 1), (5, 2)])  # type: ignore[misc]
    layers: list[dict[str, object]] = []
    for in_channels, out_channels in zip((3, channels[0]), channels):
        layers.append({"op": "conv2d", "in_channels": in_channels, "out_channels": out_channels,
                       "kernel_size": kernel, "stride": 1, "padding": padding})
        layers.append({"op": "max_pool2d", "kernel_size": 2, "stride": 2})
    depth = _int(rng, 1, 4) if level < 3 else 4
    shapes = _chain((3, size, size), layers[:depth])
    lines = "\n".join(f"  {i + 1}. {_layer_text(layer)}" for i, layer in enumerate(layers))
    setting = {"op": "sequential", "input_shape": [3, size, size], "layers": layers[:depth]}
    if level == 3:
        answer: int | tuple[int, ...] = int(np.prod(shapes[-1]))
        prompt = Phrase("practice.q.chain_features", shape=_shape((3, size, size)), layers=lines)
        return Exercise("shape_chain", level, prompt, "count", {**setting, "then": "flatten"}, answer)
    prompt = Phrase("practice.q.chain_shape", shape=_shape((3, size, size)), layers=lines, n=depth)
    return Exercise("shape_chain", level, prompt, "shape", setting, shapes[-1])


def _chain(shape: tuple[int, int, int], layers: list[dict[str, object]]) -> list[tuple[int, int, int]]:
    """The shape after each layer (conv2d or max_pool2d, square kernels)."""
    shapes = []
    for layer in layers:
        kernel, stride, padding = int(layer["kernel_size"]), int(layer["stride"]), int(layer.get("padding", 0))  # type: ignore[call-overload]
        side = axis_geometry("H", shape[1], kernel, stride, padding).output
        channels = int(layer["out_channels"]) if layer["op"] == "conv2d" else shape[0]  # type: ignore[call-overload]
        shape = (channels, side, side)
        shapes.append(shape)
    return shapes


def _layer_text(layer: dict[str, object]) -> str:
    keywords = {k: v for k, v in layer.items() if k != "op"}
    return _call("nn.Conv2d" if layer["op"] == "conv2d" else "nn.MaxPool2d", **keywords)


Maker = Callable[[Rng, int], Exercise]
# Topic -> its maker `(rng, level) -> Exercise`, in the lecture's order.
MAKERS: dict[str, Maker] = {
    "pixel": pixel,
    "to_tensor": to_tensor,
    "layout": layout,
    "conv_size": conv_size,
    "conv_cell": conv_cell,
    "pool_size": pool_size,
    "pool_cell": pool_cell,
    "conv_params": conv_params,
    "linear_params": linear_params,
    "shape_chain": shape_chain,
}
