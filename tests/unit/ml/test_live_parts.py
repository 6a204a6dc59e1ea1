"""The ml pieces behind the Training and Model tabs: between-batch calls, data-source states, the layer chain, the run report."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cnn_tui.config import RECIPES
from cnn_tui.ml.checkpoints import CheckpointError
from cnn_tui.ml.data import CIFAR10_FOLDER, load_dataset
from cnn_tui.ml.events import STOPPED
from cnn_tui.ml.layer_chain import layer_chain
from cnn_tui.ml.live_control import LiveController
from cnn_tui.ml.models import build_model, model_config
from cnn_tui.ml.run_report import checkpoint_report, run_report
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.source_state import BUILT_IN, CACHED, FOUND, MISSING, source_state
from cnn_tui.ml.synthetic import make_synthetic
from tests.unit.ml.conftest import write_batches_folder


@pytest.fixture(scope="module")
def tiny():
    return make_synthetic(train=256, test=64, seed=3)


def test_calls_run_in_the_training_thread_between_batches_and_while_paused(tiny):
    controller = LiveController(poll_s=0.01)
    prepared = prepare_run(tiny, model_config("lecture"), RECIPES["fast"], checkpoint=None, overrides={"epochs": 1, "batch_size": 32})
    trainer_threads: set[int] = set()
    calls: list[tuple[int, int]] = []  # (thread id, batches done when the call ran)
    done: list[int] = []
    paused = threading.Event()

    def on_batch(progress) -> None:
        trainer_threads.add(threading.get_ident())
        done.append(progress.batch)
        if progress.batch == 2:
            controller.pause()
            controller.call_between_batches(lambda: (calls.append((threading.get_ident(), len(done))), paused.set()))

    worker = threading.Thread(target=lambda: run_training(tiny, prepared, controller=controller, on_batch=on_batch))
    worker.start()
    assert paused.wait(10), "the queued call did not run while paused"
    controller.call_between_batches(lambda: calls.append((threading.get_ident(), len(done))))
    deadline = 100
    while len(calls) < 2 and deadline:
        threading.Event().wait(0.02)
        deadline -= 1
    assert len(done) == 2, "training went on while paused"
    controller.resume()
    worker.join(20)
    assert not worker.is_alive()
    assert [c[0] for c in calls] == [worker.ident, worker.ident] and trainer_threads == {worker.ident}
    assert [c[1] for c in calls] == [2, 2] and len(done) == 8


def test_stop_while_paused_ends_the_run(tiny):
    controller = LiveController(poll_s=0.01)
    prepared = prepare_run(tiny, model_config("lecture"), RECIPES["fast"], checkpoint=None, overrides={"epochs": 1, "batch_size": 32})
    controller.pause()
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run_training(tiny, prepared, controller=controller)))
    worker.start()
    controller.stop()
    worker.join(10)
    assert not worker.is_alive() and result[0].status == STOPPED


def test_source_states(tmp_path: Path):
    data_dir = tmp_path / "data"
    missing = source_state(None, data_dir)
    assert (missing.state, missing.reason, missing.path) == (MISSING, "absent", str(data_dir / CIFAR10_FOLDER))
    assert "--data synthetic" in missing.detail
    assert source_state("synthetic", data_dir).state == BUILT_IN
    assert source_state(str(tmp_path / "nope"), data_dir).reason == "no_such_path"
    (tmp_path / "file.txt").write_text("x")
    assert source_state(str(tmp_path / "file.txt"), data_dir).reason == "not_a_folder"
    assert source_state(str(tmp_path), data_dir).reason == "not_cifar"
    write_batches_folder(data_dir / CIFAR10_FOLDER, per_batch=2)
    found = source_state(None, data_dir)
    assert (found.state, found.kind) == (FOUND, "batches")
    load_dataset(None, data_dir, download=False)
    assert source_state(None, data_dir).state == CACHED


def test_layer_chain_of_the_lecture_network():
    chain = layer_chain(build_model("lecture"))
    assert [(s.name, s.shape) for s in chain] == [
        ("input", (3, 32, 32)),
        ("conv1", (6, 30, 30)),
        ("pool1", (6, 15, 15)),
        ("conv2", (16, 13, 13)),
        ("pool2", (16, 6, 6)),
        ("flatten", (576,)),
        ("linear1", (120,)),
        ("linear2", (84,)),
        ("out", (10,)),
    ]
    assert [s.kind for s in chain][1:3] == ["Conv2d", "MaxPool2d"]


def test_run_report_agrees_with_evaluate_and_predict(tiny, tmp_path: Path):
    prepared = prepare_run(
        tiny, model_config("lecture"), RECIPES["fast"], checkpoint=tmp_path / "m.pth", overrides={"epochs": 1, "batch_size": 32}
    )
    run_training(tiny, prepared)
    report = run_report(prepared.model, tiny.test, tiny.classes, normalization=prepared.normalization, batch_size=20)
    assert report.images.shape == (64, 32, 32, 3) and report.images.dtype == np.uint8
    assert np.array_equal(report.images[5], tiny.test.images[5].permute(1, 2, 0).numpy())
    assert report.top_classes.shape == (64, 3) and np.all(np.diff(report.top_probabilities, axis=1) <= 0)
    correct = int((report.predicted == report.labels).sum())
    assert report.evaluation.accuracy == pytest.approx(correct / 64)
    assert len(report.mistakes()) == 64 - correct
    confusion = np.array(report.evaluation.confusion)
    assert np.array_equal(np.diag(confusion), np.bincount(report.labels[report.predicted == report.labels], minlength=10))
    again, meta = checkpoint_report(tmp_path / "m.pth", tiny)
    assert np.array_equal(again.top_classes, report.top_classes) and meta.epoch == 1
    other = replace(tiny, classes=tuple(f"c{i}" for i in range(10)))
    with pytest.raises(CheckpointError, match="trained on classes"):
        checkpoint_report(tmp_path / "m.pth", other)


@pytest.mark.parametrize(
    "changes",
    [{}, {"batch_norm": True, "dropout": 0.5, "activation": "gelu"}, {"conv_channels": (8, 16, 32), "padding": 1, "fc_sizes": (64,)}],
)
def test_generated_code_builds_the_same_network(changes):
    import torch

    from cnn_tui.ml.model_code import model_code
    from cnn_tui.ml.models import ModelConfig

    model = build_model(ModelConfig.from_dict({**ModelConfig().to_dict(), **changes}))
    code = model_code(model)
    namespace: dict = {}
    exec(compile(code, "<model code>", "exec"), namespace)  # the code the Model tab shows
    rebuilt = namespace["model"]
    rebuilt.load_state_dict(model.state_dict())  # strict: same names and shapes
    model.eval(), rebuilt.eval()
    x = torch.rand(2, 3, 32, 32)
    assert torch.allclose(model(x), rebuilt(x), atol=1e-6)


def test_the_lecture_models_code_reads_like_the_lecture():
    from cnn_tui.ml.model_code import model_code

    code = model_code(build_model("lecture"))
    assert "self.conv1 = nn.Conv2d(3, 6, kernel_size=(3, 3), stride=(1, 1))" in code
    assert "self.linear1 = nn.Linear(in_features=576, out_features=120, bias=True)" in code
    assert "        x = torch.relu(self.conv1(x))\n        x = self.pool1(x)\n" in code
    assert "x = x.reshape(x.size(0), -1)" in code and code.count("nn.Linear") == 3
