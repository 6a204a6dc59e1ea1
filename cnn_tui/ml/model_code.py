"""A model's Python code as the lecture writes it: `__init__` with one line per layer, `forward` step by step.

For the lecture-shaped `ImageClassification` the code is generated from the built model (each
layer's repr is valid PyTorch) and its config, so for the lecture's config it reads like the
lecture's own class, and it loads the model's `state_dict` and computes the same outputs. Any
other network (a residual one, any nn.Module) is shown by its class's source.
"""

from __future__ import annotations

import inspect

from torch import nn

from cnn_tui.ml.models import ImageClassification

ACTIVATION_CALLS = {"relu": "torch.relu", "leaky_relu": "F.leaky_relu", "gelu": "F.gelu", "silu": "F.silu"}


def model_code(model: nn.Module) -> str:
    """Python source that builds and runs `model` (the lecture's style for ImageClassification)."""
    config = getattr(model, "config", None)
    if type(model) is not ImageClassification or getattr(config, "arch", "plain") != "plain":
        return inspect.getsource(type(model))
    act = ACTIVATION_CALLS[config.activation]
    lines = ["import torch", "import torch.nn as nn"]
    if act.startswith("F."):
        lines.append("import torch.nn.functional as F")
    lines += ["", "", "class ImageClassification(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    lines += [f"        self.{name} = nn.{module!r}" for name, module in model.named_children()]
    lines += ["", "    def forward(self, x):"]
    for i in range(1, len(config.conv_channels) + 1):
        inner = f"self.bn{i}(self.conv{i}(x))" if config.batch_norm else f"self.conv{i}(x)"
        lines += [f"        x = {act}({inner})", f"        x = self.pool{i}(x)"]
    lines.append("        x = x.reshape(x.size(0), -1)")
    for j in range(1, len(config.fc_sizes) + 1):
        lines.append(f"        x = {act}(self.linear{j}(x))")
        if config.dropout > 0:
            lines.append("        x = self.dropout(x)")
    lines += ["        return self.out(x)", "", "", "model = ImageClassification()"]
    return "\n".join(lines) + "\n"
