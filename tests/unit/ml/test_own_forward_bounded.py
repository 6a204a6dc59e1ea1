"""An own network whose forward never returns on a batch the model-file check did not try (a single image, only while
training): `cnn-tui predict` and `predict --explain` end with one sentence within the own-code time limit, and a
stopped training run ends as stopped with its last checkpoint intact instead of waiting forever."""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys
import threading

import pytest
import torch

from cnn_tui import config as settings
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ml.models import build_model, model_config
from cnn_tui.ml.own_model import OwnModelError
from cnn_tui.ml.predict import predict
from tests.own_networks import IN_EPOCH_TWO, ON_ONE_IMAGE, spinning, untrained_checkpoint, write_net


@pytest.fixture
def quick_limit(monkeypatch) -> float:
    monkeypatch.setattr(settings, "LIMITS", dataclasses.replace(settings.LIMITS, own_code_seconds=0.5))
    return 0.5


def test_a_forward_that_loops_on_one_image_is_a_sentence_within_the_limit(tmp_path, quick_limit, endless_loop):
    model, meta = load_model(untrained_checkpoint(tmp_path, write_net(tmp_path, ON_ONE_IMAGE, endless_loop)))
    two = torch.zeros(2, 3, 32, 32, dtype=torch.uint8)
    assert len(predict(model, two, meta.classes)) == 2  # the batch of two the check tried still works
    with pytest.raises(OwnModelError) as raised:
        predict(model, two[:1], meta.classes)
    assert str(raised.value) == (
        "net.py:Net: its forward on a [1, 3, 32, 32] batch did not finish within 0.5 s (an endless loop?); "
        "cnn-tui stopped waiting for it"
    )


def test_the_bounded_forward_keeps_grad_mode_hooks_and_copies(tmp_path):
    model = build_model(model_config(f"{write_net(tmp_path, 'False', 'pass')}:Net"))
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        assert not model(x).requires_grad
    with torch.inference_mode():
        assert model(x).is_inference()
    assert model(x).requires_grad
    seen = []
    model.conv.register_forward_hook(lambda _m, _a, out: seen.append(out.shape))
    model(x)
    assert seen == [torch.Size([2, 4, 32, 32])]
    twin = copy.deepcopy(model)
    with torch.no_grad():
        twin.out.bias.fill_(100.0)
        assert not torch.equal(twin(x), model(x))  # the copy's forward runs the copy's weights


def test_stopping_a_run_whose_forward_loops_only_in_training_ends_it_as_stopped(tmp_path, endless_loop):
    from cnn_tui.config import RECIPES
    from cnn_tui.ml.events import TrainController
    from cnn_tui.ml.session import prepare_run, run_training
    from cnn_tui.ml.synthetic import make_synthetic

    net = write_net(tmp_path, IN_EPOCH_TWO, endless_loop)  # the first batch of epoch 2, after one checkpoint
    data = make_synthetic(train=64, test=20)
    checkpoint = tmp_path / "run.pth"
    recipe = dataclasses.replace(RECIPES["lecture"], epochs=3, batch_size=16, min_steps=0)
    run = prepare_run(data, model_config(f"{net}:Net"), recipe, checkpoint=checkpoint, overrides={})
    controller = TrainController()
    outcome: list = []
    trainer = threading.Thread(target=lambda: outcome.append(run_training(data, run, controller=controller)))
    trainer.start()
    while not spinning() and trainer.is_alive():
        trainer.join(0.05)
    assert trainer.is_alive(), outcome
    controller.stop()
    trainer.join(30)  # well under the own-code limit (60 s): the stop ends the wait
    assert not trainer.is_alive()
    (result,) = outcome
    assert result.status == "stopped" and str(result.reason) == "stopped by request during epoch 2, before batch 1"
    assert len(result.epochs) == 1
    _, meta = load_model(checkpoint)
    assert meta.epoch == 1  # the last checkpoint, intact
    record = json.loads(next((tmp_path / "runs").glob("*/run.json")).read_text())
    assert record["status"] == "stopped"


PREDICT = """
import dataclasses, sys
from cnn_tui import config as settings
settings.LIMITS = dataclasses.replace(settings.LIMITS, own_code_seconds=float(sys.argv[1]))
from cnn_tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("extra", [(), ("--explain",)])
def test_cnn_tui_predict_ends_with_a_sentence_when_the_forward_never_returns(tmp_path, extra):
    checkpoint = untrained_checkpoint(tmp_path, write_net(tmp_path, ON_ONE_IMAGE, "while True: pass"))
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "red.png")
    result = subprocess.run(
        [sys.executable, "-c", PREDICT, "2", "predict", "--checkpoint", str(checkpoint), str(tmp_path / "red.png"), *extra],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "cnn-tui predict: net.py:Net: its forward on a [1, 3, 32, 32] batch did not finish within 2 s (an endless loop?); "
        "cnn-tui stopped waiting for it"
    )


@pytest.mark.slow
def test_ctrl_c_while_a_training_forward_never_returns_stops_cnn_tui_train(tmp_path):
    import signal

    net = write_net(tmp_path, IN_EPOCH_TWO, 'print("spinning", flush=True)\n            while True: pass')
    checkpoint = tmp_path / "c.pth"
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui", "train", "--data", "synthetic", "--model", f"{net}:Net", "--epochs", "3",
         "--train-limit", "64", "--test-limit", "20", "--batch-size", "16", "--min-steps", "0", "--plain",
         "--checkpoint", str(checkpoint)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        for line in process.stdout:
            if line.strip() == "spinning":
                break
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)  # well under the own-code limit (60 s): Ctrl+C ends the wait
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert load_model(checkpoint)[1].epoch == 1
    (record,) = (tmp_path / "runs").glob("*/run.json")
    assert json.loads(record.read_text())["status"] == "stopped"


def test_own_code_reuses_a_runner_that_finished_and_never_one_that_overran():
    from cnn_tui.core.own_code import OwnCodeTimeout, run_bounded

    first = run_bounded(threading.get_ident, 60)
    assert run_bounded(threading.get_ident, 60) == first  # no new thread (and no torch set-up) per forward pass
    release, stuck = threading.Event(), []
    with pytest.raises(OwnCodeTimeout):
        run_bounded(lambda: (stuck.append(threading.current_thread()), release.wait()), 0.2)
    try:
        assert run_bounded(threading.get_ident, 60) != stuck[0].ident
    finally:
        release.set()
    stuck[0].join(60)  # once the overrunning piece returns, its thread ends instead of waiting for more
    assert not stuck[0].is_alive()


@pytest.mark.slow
def test_cnn_tui_predict_ends_with_a_sentence_when_the_model_file_was_replaced_by_an_endless_loop(tmp_path):
    net = write_net(tmp_path, "False", "pass")
    checkpoint = untrained_checkpoint(tmp_path, net)
    net.write_text(net.read_text() + "\nwhile True:\n    pass\n")  # the case: replaced after training
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "red.png")
    result = subprocess.run(
        [sys.executable, "-c", PREDICT, "2", "predict", "--checkpoint", str(checkpoint), str(tmp_path / "red.png")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "cnn-tui predict: net.py:Net: importing, building and checking it on a dummy batch did not finish within 2 s "
        "(an endless loop?); cnn-tui stopped waiting for it"
    )
