"""Data that training cannot use is said as what it is (issue 29): a channel with one value in every training image
(std 0) is centred, not divided by 0 (training no longer ends in nan and 'lower the learning rate'); a checkpoint
JSON with std [0, 0, 0] predicts numbers, not `nan%`; classes without training or test images are named."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch
from PIL import Image

from cnn_tui.cli import main
from cnn_tui.i18n import describe, set_language
from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization, load_dataset, to_float
from cnn_tui.ml.data_warnings import data_warnings
from cnn_tui.ml.models import LECTURE, build_model


def _tree(root: Path, blue: int | None = None, empty_train: str = "", empty_test: str = "", per_class: int = 8) -> Path:
    """train/ and test/ with classes a, b, c of random 32×32 images; blue set to one value if given."""
    rng = np.random.default_rng(0)
    for split, empty in (("train", empty_train), ("test", empty_test)):
        for name in ("a", "b", "c"):
            (root / split / name).mkdir(parents=True)
            for i in range(0 if name == empty else per_class):
                pixels = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
                if blue is not None:
                    pixels[..., 2] = blue
                Image.fromarray(pixels).save(root / split / name / f"{i}.png")
    return root


def test_a_zero_std_is_centred_not_divided_by():
    images = torch.full((2, 3, 4, 4), 7, dtype=torch.uint8)
    values = to_float(images, Normalization((0.5, 0.5, 7 / 255), (0.25, 0.0, 0.0)))
    assert torch.isfinite(values).all()
    assert torch.allclose(values[:, 2], torch.zeros(2, 4, 4), atol=1e-6)  # centred, scale 1
    assert torch.allclose(values[:, 0], torch.full((2, 4, 4), (7 / 255 - 0.5) / 0.25), atol=1e-5)


def test_constant_channels_and_empty_classes_are_named_in_both_languages(tmp_path):
    data = load_dataset(_tree(tmp_path / "d", blue=7, empty_train="b"), tmp_path / "home", cache=False)
    warnings = data_warnings(data)
    assert [str(w) for w in warnings] == [
        "warning: class 'b' has no training images (an empty folder?), so the network can never learn it",
        "warning: channel B is 7 in every training image (standard deviation 0): it tells the classes nothing, "
        "and normalising only centres it (it cannot be scaled)",
    ]
    set_language("zh")
    try:
        assert describe(warnings[1]).startswith("警告：通道 B 在每张训练图像中都是 7（标准差为 0）")
    finally:
        set_language("en")


def test_training_on_a_constant_channel_finishes_and_says_why(tmp_path, capsys):
    """Before: 'the loss became nan at epoch 1, batch 1: training diverged; lower the learning rate (--lr)'."""
    folder = _tree(tmp_path / "d", blue=7)
    args = ["train", "--data", str(folder), "--epochs", "1", "--plain", "--min-steps", "0", "--threads", "1",
            "--checkpoint", str(tmp_path / "m.pth")]
    assert main(args) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "warning: channel B is 7 in every training image (standard deviation 0)" in said
    assert "nan" not in said and "diverged" not in said and "learning rate" not in said
    assert (tmp_path / "m.pth").is_file()


def test_a_checkpoint_json_with_std_zero_predicts_numbers_not_nan(tmp_path, capsys):
    torch.manual_seed(0)
    path = tmp_path / "m.pth"
    meta = CheckpointMeta(LECTURE, CIFAR10_CLASSES, Normalization((0.5, 0.5, 0.5), (0.0, 0.0, 0.0)), None, epoch=1)
    save_checkpoint(path, build_model(LECTURE), meta)
    assert json.loads(path.with_suffix(".json").read_text())["normalization"]["std"] == [0.0, 0.0, 0.0]
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(tmp_path / "p.png")
    assert main(["predict", str(tmp_path / "p.png"), "--checkpoint", str(path), "--threads", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert len(lines) == 3 and not any("nan" in line for line in lines)
    assert all(line.rstrip().endswith("%") for line in lines)


def test_eval_says_a_class_without_test_images_has_none(tmp_path, capsys):
    folder = _tree(tmp_path / "d", empty_test="b")
    assert main(["train", "--data", str(folder), "--epochs", "1", "--plain", "--min-steps", "0", "--threads", "1",
                 "--checkpoint", str(tmp_path / "m.pth")]) == 0
    capsys.readouterr()
    assert main(["eval", "--data", str(folder), "--checkpoint", str(tmp_path / "m.pth"), "--threads", "1"]) == 0
    rows = capsys.readouterr().out.split("per-class accuracy:\n")[1].split("\n\n")[0].splitlines()
    assert rows[1] == "  b  no test images"
    assert rows[0].startswith("  a  ") and rows[2].startswith("  c  ") and "no test images" not in rows[0] + rows[2]


def test_the_training_tabs_bars_say_a_class_without_test_images_has_none():
    from cnn_tui.ui.tabs.training.results import accuracy_rows

    evaluation = SimpleNamespace(accuracy=0.5, per_class=(1.0, 0.0, 0.0), confusion=((2, 0, 0), (0, 0, 0), (2, 0, 0)))
    rows = accuracy_rows(SimpleNamespace(classes=("a", "b", "c"), evaluation=evaluation))
    assert [row.text for row in rows] == ["1.00", "no test images", "0.00"]
