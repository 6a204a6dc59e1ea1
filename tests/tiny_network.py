"""A small trained checkpoint of the lecture's network, for the tests that show what a trained network sees.

Its weights are committed (tests/data/tiny_network.npz, in hundredths) with their metadata
(tests/data/tiny_network.json): a network trained on this CPU would show other digits on another
CPU, whose kernels round differently. They were trained for real, 2 epochs on 600 synthetic images with
one torch thread, and rounded to 2 decimals; `python -m tests.tiny_network` trains and writes them again.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

CHECKPOINT_NAME = "image_classification.pth"
WEIGHTS = Path(__file__).resolve().parent / "data" / "tiny_network.npz"
META = WEIGHTS.with_suffix(".json")
SCALE = 100  # weights are kept as whole hundredths


@cache
def tiny_models_dir() -> Path:
    """A folder holding image_classification.pth (+ .json) made from the committed weights."""
    import numpy as np
    import torch

    from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
    from cnn_tui.ml.models import build_model

    meta = CheckpointMeta.from_dict(json.loads(META.read_text()))
    model = build_model(meta.model)
    with np.load(WEIGHTS) as stored:
        state = {key: torch.from_numpy(stored[key].astype(np.float32) / SCALE) for key in stored.files}
    model.load_state_dict(state)
    folder = Path(tempfile.mkdtemp(prefix="cnn-tui-tiny-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    save_checkpoint(folder / CHECKPOINT_NAME, model, meta)
    return folder


def record() -> None:
    """Train the tiny network again and write its rounded weights and metadata into tests/data."""
    from dataclasses import replace

    import numpy as np
    import torch

    from cnn_tui.config import TrainRecipe
    from cnn_tui.ml.checkpoints import load_model, read_meta
    from cnn_tui.ml.models import LECTURE
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.synthetic import make_synthetic

    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / CHECKPOINT_NAME
        data = make_synthetic(train=600, test=100)
        recipe = TrainRecipe(name="tiny", epochs=2, batch_size=50, lr=3e-3, seed=0)
        run_training(data, prepare_run(data, LECTURE, recipe, checkpoint=path))
        model, _ = load_model(path)
        meta = replace(read_meta(path), metrics=(), saved="2026-01-01T00:00:00+00:00")
    norm = meta.normalization
    if norm is not None:  # the recipe may normalise: its statistics, rounded, as the weights are
        meta = replace(meta, normalization=type(norm)(tuple(round(v, 4) for v in norm.mean), tuple(round(v, 4) for v in norm.std)))
    weights = {key: torch.round(value * SCALE).to(torch.int16).numpy() for key, value in model.state_dict().items()}
    np.savez_compressed(WEIGHTS, **weights)
    META.write_text(json.dumps(meta.to_dict(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    record()
