"""A writer process for the checkpoint lock test: imports only what saving needs (torch, cnn_tui.ml).

`multiprocessing` runs it in two processes of their own, as two `cnn-tui train` runs would be;
keeping it out of the test module keeps pytest, Textual and the CLI out of the writers' start-up.
"""

from __future__ import annotations

from pathlib import Path

CLASSES = tuple(f"c{i}" for i in range(10))


def save_pairs(folder: str, tag: int, count: int, barrier) -> None:  # noqa: ANN001 - a multiprocessing Barrier
    """Save this process's pair (every weight `tag`, metadata epoch `tag`) to `folder`/0.pth … `count - 1`.pth,
    waiting at `barrier` before each path so that both processes write it at the same moment."""
    import torch

    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.models import LECTURE

    torch.set_num_threads(1)
    model = torch.nn.Linear(8, 2)  # small: many saves in little time (the lock is what is tested, not the size)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.fill_(float(tag))
    meta = CheckpointMeta(LECTURE, CLASSES, None, None, epoch=tag)
    for index in range(count):
        barrier.wait(timeout=60)
        save_checkpoint(Path(folder) / f"{index}.pth", model, meta)
