"""`cnn-tui train --data FOLDER` on one's own photos, then `predict` and `eval` preparing images as training did."""

from __future__ import annotations

import json

import pytest

from cnn_tui.ml.checkpoints import CheckpointError, read_meta
import torch

from cnn_tui.cli import main
from tests.photo_folders import COLOURS, photo, save_as, write_photo_folder

CLASSES = ("blue", "green", "red")


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


@pytest.mark.slow
def test_a_folder_of_photos_trains_then_predict_and_eval_use_its_classes_and_policy(tmp_path, capsys):
    root = tmp_path / "pets"
    write_photo_folder(root, CLASSES, per_class=20)
    (root / "red" / "readme.txt").write_text("stray")
    ckpt = tmp_path / "models" / "pets.pth"
    args = ["--data", str(root), "--data-dir", str(tmp_path / "home"), "--checkpoint", str(ckpt), "--threads", "1"]
    code = main(["train", *args, "--epochs", "10", "--plain", "--no-record"])  # the default recipe, as a learner runs it
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "60 photos of 3 classes, " in out.err and "→ shorter side 32, centre crop 32×32" in out.err
    assert "classes: blue 20, green 20, red 20" in out.err and "skipped 1 file that is not a readable photo: red/readme.txt" in out.err
    accuracy = float(out.out.split("test accuracy ")[1].split(";")[0])
    assert accuracy >= 0.75  # one colour per class: loose, any CPU's arithmetic clears it
    meta = json.loads(ckpt.with_suffix(".json").read_text())
    assert meta["classes"] == list(CLASSES) and meta["input"] == {"side": 32, "resize": "crop", "test_share": 0.2}
    big = save_as(photo(COLOURS["red"], 1600, 1200, seed=99), tmp_path / "unseen", "jpg")
    assert main(["predict", str(big), "--checkpoint", str(ckpt), "--threads", "1"]) == 0
    shown = capsys.readouterr().out
    assert "(resized from 1600×1200 to 32×32, shorter side then centre crop)" in shown
    ranked = [line.split()[1] for line in shown.splitlines() if line.strip()[:2] in ("1.", "2.", "3.")]
    assert sorted(ranked) == list(CLASSES) and ranked[0] == "red"
    assert main(["eval", "--data", str(root), "--data-dir", str(tmp_path / "home"), "--checkpoint", str(ckpt), "--threads", "1"]) == 0
    report = capsys.readouterr().out
    assert "test images: 12 " in report and all(name in report for name in CLASSES)


def test_another_input_size_policy_and_test_share_are_recorded_and_reused_by_eval(tmp_path, capsys):
    root = tmp_path / "two"
    write_photo_folder(root, ("red", "blue"), per_class=6, mixed=False)
    ckpt = tmp_path / "m.pth"
    common = ["--data", str(root), "--data-dir", str(tmp_path / "home"), "--checkpoint", str(ckpt), "--threads", "1"]
    flags = ["--image-size", "24", "--resize", "squash", "--test-share", "0.5", "--epochs", "1", "--min-steps", "0"]
    assert main(["train", *common, *flags, "--plain", "--no-record"]) == 0
    out = capsys.readouterr()
    assert "12 photos of 2 classes, " in out.err and "→ squashed to 24×24 (the aspect ratio changes)" in out.err
    assert "train: (6, 24, 24, 3)" in out.out and "test: (6, 24, 24, 3)" in out.out
    assert json.loads(ckpt.with_suffix(".json").read_text())["input"] == {"side": 24, "resize": "squash", "test_share": 0.5}
    assert main(["eval", *common]) == 0  # no --resize, --test-share or size: the checkpoint's
    assert "test images: 6 " in capsys.readouterr().out
    assert main(["train", *common, "--resume", "--epochs", "2", "--plain", "--no-record"]) == 0  # the same photos again
    assert "train: (6, 24, 24, 3)" in capsys.readouterr().out


def test_metadata_naming_an_unknown_resize_policy_is_refused(tmp_path):
    meta = tmp_path / "m.json"
    text = {"format": "cnn-tui-checkpoint", "model": {"name": "lecture"}, "classes": ["a", "b"], "epoch": 1,
            "input": {"side": 32, "resize": "stretch", "test_share": 0.2}}
    meta.write_text(json.dumps(text))
    with pytest.raises(CheckpointError, match="resize policy 'stretch' is not one of crop, squash, pad"):
        read_meta(tmp_path / "m.pth")
