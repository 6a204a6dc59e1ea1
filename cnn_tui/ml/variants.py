"""Model variants as edits of a preset: channels per conv, fully connected sizes, activation, BatchNorm, dropout, depth.

`edit_config(model_config("wide"), channels=(32, 64), activation="gelu")` returns a checked
`ModelConfig` (renamed `wide-custom` when anything changed, so a record never claims to be the
preset it is not). `model_cost` gives the parameter count and multiply-adds per image that
`cnn-tui summary` and the train command's header show before training.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnn_tui.ml.models import ModelConfig, ModelConfigError, build_model
from cnn_tui.ml.summary import summarize

CUSTOM_SUFFIX = "-custom"
# ModelConfig fields that `edit_config` sets, by its keyword.
EDITABLE = {
    "channels": "conv_channels",
    "fc": "fc_sizes",
    "activation": "activation",
    "batch_norm": "batch_norm",
    "dropout": "dropout",
    "depth": "depth",
    "image_size": "image_size",
}


def parse_sizes(text: str, what: str, *, allow_empty: bool = False) -> tuple[int, ...]:
    """`"32,64"` → (32, 64); `"none"` or `""` → () where allowed; ModelConfigError names `what` otherwise."""
    cleaned = text.strip().lower()
    if cleaned in ("", "none", "-"):
        if allow_empty:
            return ()
        raise ModelConfigError("error.model.sizes_empty", what=what)
    sizes = []
    for part in cleaned.replace(" ", "").split(","):
        if not part.isdigit() or int(part) < 1:
            raise ModelConfigError("error.model.sizes_invalid", what=what, text=text)
        sizes.append(int(part))
    return tuple(sizes)


def edit_config(
    config: ModelConfig,
    *,
    channels: Sequence[int] | None = None,
    fc: Sequence[int] | None = None,
    activation: str | None = None,
    batch_norm: bool | None = None,
    dropout: float | None = None,
    depth: int | None = None,
    image_size: int | None = None,
) -> ModelConfig:
    """`config` with the given settings changed (None keeps a setting); checked, and renamed when changed."""
    given = {
        "channels": channels, "fc": fc, "activation": activation, "batch_norm": batch_norm, "dropout": dropout,
        "depth": depth, "image_size": image_size,
    }
    if config.arch == "file" and any(value is not None for value in given.values()):
        raise ModelConfigError("error.model.own_network", name=config.name)
    values = config.to_dict()
    changed = False
    for key, value in given.items():
        if value is None:
            continue
        field = EDITABLE[key]
        new = list(value) if key in ("channels", "fc") else value
        if values[field] != new:
            values[field], changed = new, True
    if not changed:
        return config
    if not values["name"].endswith(CUSTOM_SUFFIX):
        values["name"] = values["name"] + CUSTOM_SUFFIX
    return ModelConfig.from_dict(values)


@dataclass(frozen=True)
class ModelCost:
    """What a model costs before it is trained: parameters and multiply-adds for one 3×32×32 image."""

    parameters: int
    mult_adds: int

    def line(self, name: str) -> str:
        return f"model {name}: {self.parameters:,} parameters, {self.mult_adds:,} multiply-adds per image"


def model_cost(config: ModelConfig, num_classes: int | None = None) -> ModelCost:
    """Parameters and multiply-adds of the network `config` builds (one forward pass of zeros)."""
    model = build_model(config, num_classes=num_classes)
    summary = summarize(model, (config.in_channels, config.image_size, config.image_size), 1, config.name)
    return ModelCost(summary.total_params, summary.mult_adds)
