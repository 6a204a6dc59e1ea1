"""`cnn-tui train / eval / predict / summary`: real runs on small synthetic sets, one-line errors, Ctrl+C, displays."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
from PIL import Image
from rich.console import Console

from cnn_tui.cli import main
from cnn_tui.commands.train_display import PlainDisplay, RichDisplay, make_display
from cnn_tui.ml.events import BatchProgress, EpochResult

SMALL = ["--data", "synthetic", "--train-limit", "1200", "--test-limit", "300", "--batch-size", "64", "--optimizer", "adam", "--lr", "3e-3"]


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _one_line_error(capsys, code: int, *words: str) -> None:
    out = capsys.readouterr()
    assert code == 2
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.err, out.err
    for word in words:
        assert word in lines[0]


def test_summary_prints_the_lecture_table(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "Linear-5              [1, 120]          69,240          69,120" in out
    assert "Total params: 81,302" in out and "Estimated Total Size (MB): 0.40" in out and "Mult-Adds per image: 371,856" in out
    _one_line_error(capsys, main(["summary", "--model", "vgg"]), "cnn-tui summary: unknown model 'vgg'")


@pytest.mark.slow
def test_train_eval_predict_and_resume(tmp_path, capsys):
    ckpt = tmp_path / "models" / "m.pth"
    assert main(["train", *SMALL, "--epochs", "2", "--plain", "--threads", "1", "--checkpoint", str(ckpt)]) == 0
    assert torch.get_num_threads() == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("epoch:")]
    assert [line[:9] for line in lines] == ["epoch: 1 ", "epoch: 2 "] and " acc:" in lines[0] and "test_acc:" in lines[0]
    assert "train: (1200, 32, 32, 3)" in out and "81,302 parameters" in out and "saved" in out
    meta = json.loads(ckpt.with_suffix(".json").read_text())
    assert meta["epoch"] == 2 and meta["recipe"]["epochs"] == 2 and meta["normalization"] and len(meta["metrics"]) == 2

    assert main(["eval", "--checkpoint", str(ckpt), "--data", "synthetic", "--test-limit", "300"]) == 0
    out = capsys.readouterr().out
    accuracy = meta["metrics"][-1]["test_accuracy"]
    assert out.splitlines()[0] == f"Acc: {accuracy:.2f}"
    assert "per-class accuracy:" in out and "confusion matrix:" in out and "  checker " in out

    picture = tmp_path / "shape.png"
    Image.fromarray(np.full((40, 50, 3), 128, dtype=np.uint8)).save(picture)
    code = main(["predict", str(picture), str(tmp_path / "missing.png"), "--checkpoint", str(ckpt), "--top", "2"])
    captured = capsys.readouterr()
    assert code == 2 and "missing.png" in captured.err and "no such file" in captured.err
    assert "(resized from 50×40 to 32×32)" in captured.out
    ranked = [line for line in captured.out.splitlines() if line.startswith("  ")]
    assert len(ranked) == 2 and ranked[0].startswith("  1. ") and ranked[0].endswith("%")

    assert main(["train", *SMALL, "--resume", "--epochs", "3", "--plain", "--checkpoint", str(ckpt)]) == 0
    out = capsys.readouterr().out
    assert "resuming" in out and [line[:8] for line in out.splitlines() if line.startswith("epoch:")] == ["epoch: 3"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["train", "--data", "no/such/folder"], ["cnn-tui train: --data no/such/folder: no such file", "--data synthetic"]),
        (["train", "--data", "synthetic", "--optimizer", "rmsprop"], ["unknown optimizer 'rmsprop'"]),
        (["train", "--data", "synthetic", "--model", "alexnet"], ["unknown model 'alexnet'"]),
        (["eval", "--checkpoint", "no/such.pth", "--data", "synthetic"], ["cnn-tui eval: no checkpoint at no/such.pth"]),
        (["predict", "x.png", "--checkpoint", "no/such.pth"], ["cnn-tui predict: no checkpoint"]),
    ],
)
def test_user_errors_are_one_line_with_status_2(capsys, args, words):
    _one_line_error(capsys, main(args), *words)


def test_bad_checkpoint_and_other_classes_are_one_line(tmp_path, capsys):
    text = tmp_path / "notes.pth"
    text.write_text("not weights")
    _one_line_error(capsys, main(["eval", "--checkpoint", str(text), "--data", "synthetic"]), "not a PyTorch checkpoint")
    lecture = tmp_path / "lecture.pth"
    from cnn_tui.ml.models import build_model

    torch.save(build_model("lecture").state_dict(), lecture)
    code = main(["eval", "--checkpoint", str(lecture), "--data", "synthetic"])
    captured = capsys.readouterr()
    assert code == 2 and "assuming the lecture's network" in captured.err and "trained on classes airplane" in captured.err


def test_offline_without_cifar10_is_one_clear_line(tmp_path, capsys, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    code = main(["train", "--data-dir", str(tmp_path / "data"), "--checkpoint", str(tmp_path / "m.pth")])
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.err
    last = out.err.strip().splitlines()[-1]
    assert "cannot download" in last and "`cnn-tui data import PATH`" in last and "`--data synthetic`" in last
    assert not (tmp_path / "data" / "cifar-10-batches-py").exists()


@pytest.mark.slow
def test_ctrl_c_stops_after_the_batch_keeps_the_checkpoint_and_exits_130(tmp_path):
    ckpt = tmp_path / "m.pth"
    process = subprocess.Popen(
        [sys.executable, "-m", "cnn_tui", "train", *SMALL, "--epochs", "200", "--plain", "--checkpoint", str(ckpt)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in process.stdout:
            if line.startswith("epoch: 1 "):
                break
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "Traceback" not in err and "stopped by request" in err and f"{ckpt} holds epoch" in err
    epoch = json.loads(ckpt.with_suffix(".json").read_text())["epoch"]
    assert epoch >= 1 and f"holds epoch {epoch}" in err
    from cnn_tui.ml.checkpoints import load_model

    assert load_model(ckpt)[1].epoch == epoch


def test_displays_rich_on_a_terminal_plain_otherwise(capsys):
    assert isinstance(make_display(plain=True), PlainDisplay)
    assert isinstance(make_display(plain=False), PlainDisplay)  # pytest's stdout is not a terminal
    console = Console(record=True, width=120, force_terminal=True, file=io.StringIO())
    display = RichDisplay(console)
    result = EpochResult(1, 2, 1.59926, 0.41, 1.3, 0.52, 28.97, 1.0, 1700.0, 1e-3)
    with display:
        display.batch(BatchProgress(1, 2, 10, 20, 1.7, 0.3, 1500.0, 1.0, 1e-3))
        display.epoch(result)
        display.batch(BatchProgress(2, 2, 5, 20, 1.2, 0.5, 1600.0, 1.0, 1e-3))
    text = console.export_text()
    assert "epoch: 1 loss:1.59926 acc:0.41 time:28.97s" in text
    assert "epoch 2/2" in text and "1,600 img/s" in text
    plain = PlainDisplay()
    plain.batch(BatchProgress(1, 2, 10, 20, 1.7, 0.3, 1500.0, 1.0, 1e-3))
    plain.epoch(result)
    assert capsys.readouterr().out.startswith("epoch: 1 loss:1.59926 acc:0.41 time:28.97s  test_loss:1.30000 test_acc:0.5200")


PLAN_PROBE = """
import os, sys
import cnn_tui.ml.threads as threads
import cnn_tui.commands.options as options
threads.cpu_count = lambda: 16
threads.others_load = lambda: float(sys.argv[1])
applied = options.apply_wait_policy
def probe(plan):
    print("torch loaded before the plan:", "torch" in sys.modules)
    applied(plan)
    import torch  # after the plan, as the command does: run on this machine's cores, not the 16 pretended
    real_set_threads, cores = torch.set_num_threads, len(os.sched_getaffinity(0))
    torch.set_num_threads = lambda count: real_set_threads(min(count, cores))
options.apply_wait_policy = probe
from cnn_tui.cli import main
code = main(["train", *sys.argv[3:], "--epochs", "1", "--plain", "--no-record", "--checkpoint", sys.argv[2]])
print("OMP_WAIT_POLICY", os.environ.get("OMP_WAIT_POLICY"), code)
"""


@pytest.mark.parametrize(
    "load, batch, given, header, policy",
    [
        ("4.0", "256", None, "12 threads, threads wait passively (batch 256; other work keeps 4.0 of 16 cores busy)", "PASSIVE"),
        ("0.0", "256", None, "16 threads, threads spin while waiting (batch 256 on 16 quiet cores)", "None"),
        ("0.0", "8", None, "1 thread (batch 8 is too small to share between threads)", "None"),
        ("4.0", "256", "ACTIVE", "12 threads, threads spin while waiting (batch 256; other work keeps 4.0 of 16 cores busy; "
         "OMP_WAIT_POLICY=ACTIVE from the environment)", "ACTIVE"),
    ],
)
@pytest.mark.slow
def test_train_chooses_threads_and_waiting_before_torch_loads(tmp_path, load, batch, given, header, policy):
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given:
        env["OMP_WAIT_POLICY"] = given
    small = ["--data", "synthetic", "--train-limit", "256", "--test-limit", "64", "--batch-size", batch]
    result = subprocess.run(
        [sys.executable, "-c", PLAN_PROBE, load, str(tmp_path / "m.pth"), *small],
        capture_output=True, text=True, env=env, timeout=300,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "torch loaded before the plan: False", result.stdout + result.stderr
    assert any(line.endswith(f"device cpu, {header}") for line in lines), result.stdout
    assert lines[-1] == f"OMP_WAIT_POLICY {policy} 0"


@pytest.mark.parametrize(
    "split, header",
    [
        ("--split-batches", "4 threads, each training its own 1/4 of every batch (batch 256 on 16 quiet cores)"),
        ("--no-split-batches", "16 threads, threads spin while waiting (batch 256 on 16 quiet cores)"),
    ],
)
@pytest.mark.slow
def test_train_says_when_its_threads_each_train_a_slice_of_every_batch(tmp_path, split, header):
    small = ["--data", "synthetic", "--train-limit", "512", "--test-limit", "64", "--min-steps", "0", split]
    result = subprocess.run(
        [sys.executable, "-c", PLAN_PROBE, "0.0", str(tmp_path / "m.pth"), *small],
        capture_output=True, text=True, timeout=300,
    )
    lines = result.stdout.splitlines()
    assert any(line.endswith(f"device cpu, {header}") for line in lines), result.stdout + result.stderr
    assert lines[-1].endswith(" 0"), result.stdout + result.stderr


def test_a_diverging_run_says_what_happened_and_what_to_change(tmp_path, capsys):
    ckpt = tmp_path / "models" / "m.pth"
    args = ["--data", "synthetic", "--train-limit", "256", "--test-limit", "64", "--batch-size", "32"]
    code = main(["train", *args, "--optimizer", "sgd", "--lr", "1e9", "--epochs", "1", "--plain", "--threads", "1", "--checkpoint", str(ckpt)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "training diverged; lower the learning rate (--lr) and start again; no epoch finished, nothing was saved" in err
