"""`cnn-tui predict --explain / --json / --save-png / --layer` on a fixed random checkpoint."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from cnn_tui.cli import build_command_parser, main
from cnn_tui.ml.attribution import explain
from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
from cnn_tui.ml.data import CIFAR10_CLASSES, Normalization, to_float
from cnn_tui.ml.models import LECTURE, build_model
from cnn_tui.ml.predict import to_input

NORM = Normalization((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))


@pytest.fixture
def checkpoint(tmp_path):
    torch.manual_seed(3)
    model = build_model(LECTURE)
    path = tmp_path / "m.pth"
    save_checkpoint(path, model, CheckpointMeta(LECTURE, CIFAR10_CLASSES, NORM, None, epoch=1))
    return path, model


@pytest.fixture
def picture(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "photo.png"
    Image.fromarray(rng.integers(0, 256, (45, 70, 3), dtype=np.uint8)).save(path)
    return path


def test_json_has_the_documented_shape_and_the_networks_numbers(checkpoint, picture, capsys):
    path, model = checkpoint
    assert main(["predict", str(picture), "--checkpoint", str(path), "--explain", "--json", "--top", "5", "--threads", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == ["image", "input", "top", "gradcam", "saliency"]
    assert record["image"] == str(picture)
    assert np.array(record["input"]).shape == (3, 32, 32)
    assert len(record["top"]) == 5 and set(record["top"][0]) == {"class", "probability"}
    assert record["gradcam"]["layer"] == "conv2" and record["gradcam"]["class"] == record["top"][0]["class"]
    assert np.array(record["gradcam"]["map"]).shape == (13, 13) and np.array(record["saliency"]).shape == (32, 32)
    # the input is the image resized and normalised as the checkpoint says; the maps are explain()'s on it
    x = to_float(to_input(np.asarray(Image.open(picture).convert("RGB")))[None], NORM)[0]
    np.testing.assert_allclose(np.array(record["input"]), x.numpy(), rtol=1e-6)
    expected = explain(model, x)
    np.testing.assert_allclose(np.array(record["gradcam"]["map"]), expected.gradcam, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(np.array(record["saliency"]), expected.saliency, rtol=1e-5, atol=1e-8)
    assert record["top"][0]["class"] == CIFAR10_CLASSES[expected.target]


def test_text_output_layer_choice_and_png(checkpoint, picture, tmp_path, capsys):
    path, _ = checkpoint
    out = tmp_path / "out" / "explained.png"
    args = ["predict", str(picture), "--checkpoint", str(path), "--layer", "conv1", "--save-png", str(out), "--threads", "1"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "resized from 70×45 to 32×32" in text and "Grad-CAM at conv1 (30×30)" in text and "saliency at the input (32×32)" in text
    with Image.open(out) as saved:
        assert saved.size == (2 * 70 + 8, 45)  # two panels at the image's size, a gap between


def test_a_bad_layer_is_one_sentence_listing_the_conv_layers(checkpoint, picture, capsys):
    path, _ = checkpoint
    assert main(["predict", str(picture), "--checkpoint", str(path), "--explain", "--layer", "linear1x"]) == 2
    err = capsys.readouterr().err
    assert err == "cnn-tui predict: the network has no layer 'linear1x'; its conv layers are: conv1, conv2\n"


def test_help_states_the_definitions():
    text = build_command_parser("predict").format_help()
    for words in ("ReLU(Σ_k α_k A_k)", "∂y/∂A_k", "|∂y/∂x|", "last Conv2d", "before the softmax", "not normalised"):
        assert words in text


@pytest.mark.parametrize("name", ["out.jpg", "out", "out.png.jpeg"])
def test_save_png_refuses_a_name_that_is_not_png_before_any_work(checkpoint, picture, tmp_path, capsys, name):
    path, _ = checkpoint
    out = tmp_path / name
    with pytest.raises(SystemExit) as exit_:
        main(["predict", str(picture), "--checkpoint", str(path), "--save-png", str(out), "--threads", "1"])
    assert exit_.value.code == 2 and not out.exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (f"cnn-tui predict: error: argument --save-png: {str(out)!r}: the picture is written as PNG, so the "
                       f"name must end in .png (e.g. {str(out.with_suffix('.png'))!r})")


def test_save_png_writes_png_bytes_under_any_case_of_the_suffix_and_numbers_several(checkpoint, picture, tmp_path):
    path, _ = checkpoint
    assert main(["predict", str(picture), str(picture), "--checkpoint", str(path), "--save-png",
                 str(tmp_path / "OUT.PNG"), "--threads", "1"]) == 0
    for name in ("OUT-1.PNG", "OUT-2.PNG"):
        with Image.open(tmp_path / name) as saved:
            assert saved.format == "PNG"
    assert "OUT must end in .png (out.jpg is refused" in " ".join(build_command_parser("predict").format_help().split())
