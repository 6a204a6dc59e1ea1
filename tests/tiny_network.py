"""A small trained checkpoint of the lecture's network for the Feature maps tests, made once per session.

Trained for real (2 epochs on 600 synthetic images, one torch thread, fixed seed), then its
weights are rounded to 2 decimals and saved again without metrics, so what the learned view draws
does not depend on a machine's last floating-point bits (the recorded accuracy of the unrounded
weights would not describe the rounded ones).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

CHECKPOINT_NAME = "image_classification.pth"


@cache
def tiny_models_dir() -> Path:
    """A folder holding image_classification.pth (+ .json) trained on the synthetic set."""
    import torch

    from cnn_tui.config import TrainRecipe
    from cnn_tui.ml.checkpoints import load_model, read_meta, resume_path, save_checkpoint
    from cnn_tui.ml.models import LECTURE
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.synthetic import make_synthetic

    folder = Path(tempfile.mkdtemp(prefix="cnn-tui-tiny-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / CHECKPOINT_NAME
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        data = make_synthetic(train=600, test=100)
        recipe = TrainRecipe(name="tiny", epochs=2, batch_size=50, lr=3e-3, seed=0)
        run_training(data, prepare_run(data, LECTURE, recipe, checkpoint=path))
    finally:
        torch.set_num_threads(threads)
    model, meta = load_model(path)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.round(parameter * 100) / 100)
    resume_path(path).unlink(missing_ok=True)
    save_checkpoint(path, model, replace(read_meta(path), metrics=()))
    return folder
