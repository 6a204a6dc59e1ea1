"""Own model files whose forward never returns on some batches only, for the tests of the own-code time limit.

    net = write_net(folder, ON_ONE_IMAGE, endless_loop)   # loops on a single image (the check tries 2)
    checkpoint = untrained_checkpoint(folder, net)       # as training would save it
    spinning()                                           # True once a forward has entered its loop
"""

from __future__ import annotations

import builtins
import textwrap
from pathlib import Path

NET = """
import builtins
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.out = nn.Linear(4 * 32 * 32, 10)
        self.calls = 0

    def forward(self, x):
        self.calls += self.training and x.shape[0] == 16
        if {when}:
            builtins.cnn_tui_test_spinning = True
            {loop}
        return self.out(self.conv(x).relu().flatten(1))
"""

ON_ONE_IMAGE = "x.shape[0] == 1"  # the checks try batches of 2 (eval), 3 and 1 only for a last batch of one (training)
# The fifth training batch of 16 (not a check's batch): the first of epoch 2 when an epoch has 4 batches of 16.
IN_EPOCH_TWO = "self.calls == 5"


def write_net(folder: Path, when: str, loop: str, name: str = "net.py") -> Path:
    """net.py whose forward runs the line `loop` (conftest's endless_loop in-process) when `when` holds."""
    path = folder / name
    path.write_text(textwrap.dedent(NET).replace("{when}", when).replace("{loop}", loop), encoding="utf-8")
    builtins.cnn_tui_test_spinning = False
    return path


def spinning() -> bool:
    """Whether a forward of a network from `write_net` (in this process) has entered its loop."""
    return getattr(builtins, "cnn_tui_test_spinning", False)


def untrained_checkpoint(folder: Path, net: Path, name: str = "own.pth") -> Path:
    """An own network's checkpoint as training writes it (the weights as built: what it predicts does not matter)."""
    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.models import build_model, model_config

    config = model_config(f"{net}:Net")
    path = folder / name
    meta = CheckpointMeta(model=config, classes=tuple("abcdefghij"), normalization=None, recipe=None, epoch=1)
    save_checkpoint(path, build_model(config), meta)
    return path
