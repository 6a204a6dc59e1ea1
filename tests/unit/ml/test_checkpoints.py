"""Checkpoints: round trip, the lecture's own loading code, resume = uninterrupted run, and every kind of bad file."""

from __future__ import annotations

import errno

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from cnn_tui.config import RECIPES
from cnn_tui.ml import checkpoints
from cnn_tui.ml.checkpoints import CheckpointError, CheckpointMeta, load_model, load_resume, read_meta, save_checkpoint
from cnn_tui.ml.data import CIFAR10_CLASSES
from cnn_tui.ml.events import STOPPED, TrainController
from cnn_tui.ml.models import LECTURE, ModelConfig, build_model
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.train import ResumeState
from tests.unit.ml.test_models import LectureImageClassification

RECIPE = replace(RECIPES["fast"], epochs=2, batch_size=64, optimizer="adam", lr=3e-3, weight_decay=0.0)


@pytest.fixture(scope="module")
def data():
    return make_synthetic(train=640, test=200, seed=2)


def _save(path: Path, model=None, epoch: int = 1) -> torch.nn.Module:
    model = model or build_model("lecture")
    meta = CheckpointMeta(LECTURE, CIFAR10_CLASSES, None, RECIPE, epoch=epoch, data="test")
    optimizer = torch.optim.Adam(model.parameters())
    save_checkpoint(path, model, meta, ResumeState(epoch, optimizer.state_dict()))
    return model


def test_round_trip_and_the_lectures_own_loading_code(tmp_path):
    path = tmp_path / "models" / "image_classification.pth"
    model = _save(path)
    assert sorted(p.name for p in path.parent.iterdir()) == [
        ".image_classification.pth.lock",  # held while the three files are written or read (two runs, one path)
        "image_classification.json",
        "image_classification.pth",
        "image_classification.resume.pth",
    ]
    loaded, meta = load_model(path)
    x = torch.rand(3, 3, 32, 32)
    assert torch.equal(loaded(x), model.eval()(x))
    assert meta.model == LECTURE and meta.classes == CIFAR10_CLASSES and meta.recipe == RECIPE and meta.epoch == 1
    # the lecture's test(): model.load_state_dict(torch.load('model/image_classification.pth'))
    lecture = LectureImageClassification()
    lecture.load_state_dict(torch.load(path))
    assert torch.equal(lecture(x), model(x))
    assert load_resume(path, meta).epoch == 1


def test_a_bare_lecture_state_dict_loads_with_assumed_metadata(tmp_path):
    path = tmp_path / "lecture.pth"
    torch.save(LectureImageClassification().state_dict(), path)
    model, meta = load_model(path)
    assert meta.assumed and meta.classes == CIFAR10_CLASSES and meta.normalization is None
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 10)


@pytest.mark.slow
def test_resume_continues_exactly_like_an_uninterrupted_run(tmp_path, data):
    straight = prepare_run(data, LECTURE, RECIPE, checkpoint=tmp_path / "a.pth")
    run_training(data, straight)
    first = prepare_run(data, LECTURE, RECIPE, checkpoint=tmp_path / "b.pth")
    controller = TrainController()
    stopped = run_training(data, first, controller=controller, on_epoch=lambda _: controller.stop())
    assert stopped.status == STOPPED and len(stopped.epochs) == 1
    resumed = prepare_run(data, LECTURE, RECIPE, checkpoint=tmp_path / "b.pth", resume=True)
    assert resumed.first_epoch == 1 and resumed.recipe.epochs == 2 and len(resumed.history) == 1
    run_training(data, resumed)
    a, b = load_model(tmp_path / "a.pth"), load_model(tmp_path / "b.pth")
    for key, value in a[0].state_dict().items():
        assert torch.allclose(value, b[0].state_dict()[key], atol=1e-6), key
    assert b[1].epoch == 2 and [m.epoch for m in b[1].metrics] == [1, 2]
    assert a[1].metrics[-1].test_accuracy == b[1].metrics[-1].test_accuracy
    longer = prepare_run(data, LECTURE, RECIPE, checkpoint=tmp_path / "b.pth", resume=True, overrides={"epochs": 3})
    assert longer.first_epoch == 2 and longer.recipe.epochs == 3
    with pytest.raises(CheckpointError, match="already trained 2 of 2 epochs"):
        prepare_run(data, LECTURE, RECIPE, checkpoint=tmp_path / "b.pth", resume=True)


def test_resume_refuses_other_classes_missing_metadata_and_mismatched_files(tmp_path, data):
    path = tmp_path / "m.pth"
    _save(path)
    with pytest.raises(CheckpointError, match="trained on classes airplane"):
        prepare_run(data, LECTURE, RECIPE, checkpoint=path, resume=True)
    state = torch.load(checkpoints.resume_path(path))
    torch.save({**state, "epoch": 5}, checkpoints.resume_path(path))
    with pytest.raises(CheckpointError, match="interrupted save"):
        load_resume(path, read_meta(path))
    bare = tmp_path / "bare.pth"
    torch.save(build_model("lecture", num_classes=10).state_dict(), bare)
    with pytest.raises(CheckpointError, match="no cnn-tui metadata"):
        prepare_run(data, LECTURE, RECIPE, checkpoint=bare, resume=True)


def test_saving_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.pth"
    good = _save(path)

    real_write = Path.write_bytes

    def failing_write(self, data):
        real_write(self, data[:10])  # half written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError, match="No space left"):
        _save(path, build_model("lecture"), epoch=2)
    monkeypatch.undo()
    loaded, meta = load_model(path)
    assert meta.epoch == 1 and torch.equal(loaded.out.bias, good.out.bias)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


class Thing:
    """Not something weights_only=True will unpickle."""


@pytest.mark.parametrize(
    "make, words",
    [
        ("missing", "no checkpoint at .*cnn-tui train"),
        ("folder", "is a folder"),
        ("text", "not a PyTorch checkpoint"),
        ("empty", "not a PyTorch checkpoint"),
        ("truncated", "truncated or damaged"),
        ("object", "holds Python objects"),
        ("tensor", "not a model state_dict"),
        ("other_shape", r"another network than 'lecture': conv1.weight is \[8, 3, 3, 3\] there but \[6, 3, 3, 3\] here"),
        ("other_keys", "another network than 'lecture': it lacks conv1.weight"),
        ("bad_json", "not valid cnn-tui checkpoint metadata"),
    ],
)
def test_bad_checkpoints_are_clear_errors(tmp_path, make, words):
    path = tmp_path / "m.pth"
    if make == "folder":
        path.mkdir()
    elif make == "text":
        path.write_text("hello, I am a text file\n")
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "truncated":
        _save(path)
        path.write_bytes(path.read_bytes()[:1500])
    elif make == "object":
        torch.save({"x": Thing()}, path)
    elif make == "tensor":
        torch.save(torch.zeros(3), path)
    elif make == "other_shape":
        torch.save(build_model(ModelConfig(conv_channels=(8, 16))).state_dict(), path)
    elif make == "other_keys":
        torch.save({"fc.weight": torch.zeros(2, 2)}, path)
    elif make == "bad_json":
        _save(path)
        checkpoints.meta_path(path).write_text(json.dumps({"format": "something else"}))
    with pytest.raises(CheckpointError, match=words):
        load_model(path)


def test_explicit_config_must_match_the_weights(tmp_path):
    path = tmp_path / "m.pth"
    _save(path)
    with pytest.raises(CheckpointError, match="another network than 'wide'"):
        load_model(path, ModelConfig(name="wide", conv_channels=(32, 64)))
