"""Own model files that exit, never return, break their own exception or import a sibling module: each is one
sentence from `cnn-tui train` (never a traceback, never a silent exit 0), and the app still quits."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from cnn_tui import config as settings
from cnn_tui.core.own_code import OwnCodeAbandoned, OwnCodeTimeout, abandon_own_code, abandon_when, run_bounded
from cnn_tui.ml.models import model_config
from cnn_tui.ml.own_model import OwnModelError

NET = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        {forward}
        return self.out(x.flatten(1))
"""


def write(folder: Path, text: str, name: str = "net.py") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def net(forward: str = "pass", after: str = "") -> str:
    return NET.replace("{forward}", forward) + after


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cnn_tui", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def one_sentence(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("after", "sentence"),
    [
        ("\nexit()\n", "importing {path} ended the program at net.py:14 (exit() or sys.exit(), no code)"),
        ("\nimport sys\nsys.exit(7)\n", "importing {path} ended the program at net.py:15 (exit() or sys.exit(), 7)"),
    ],
)
@pytest.mark.slow
def test_train_says_that_a_model_file_ends_the_program(tmp_path, after, sentence):
    path = write(tmp_path, net(after=after))
    line = one_sentence(cli("train", "--data", "synthetic", "--epochs", "1", "--model", f"{path}:Net", cwd=tmp_path))
    assert line == "cnn-tui train: " + sentence.format(path=path) + "; a model file must only define the network, so remove that call"
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p != path]  # nothing trained, nothing recorded


def test_exit_in_the_constructor_and_in_forward_are_sentences(tmp_path):
    constructor = write(tmp_path, net().replace("super().__init__()", "super().__init__(); raise SystemExit(3)"), "c.py")
    with pytest.raises(OwnModelError, match=r"^c.py:Net: the constructor ended the program at c.py:7 .*3\)"):
        model_config(f"{constructor}:Net")
    forward = write(tmp_path, net(forward="raise KeyboardInterrupt"), "f.py")
    with pytest.raises(OwnModelError, match=r"forward failed on a \[2, 3, 32, 32\] batch at f.py:11: KeyboardInterrupt$"):
        model_config(f"{forward}:Net")
    exits = write(tmp_path, net(forward="exit(5)"), "e.py")
    with pytest.raises(OwnModelError, match=r"forward ended the program at e.py:11 \(exit\(\) or sys.exit\(\), 5\)"):
        model_config(f"{exits}:Net")


@pytest.mark.slow
def test_an_exception_whose_str_raises_is_named(tmp_path):
    path = write(tmp_path, net(forward="raise Odd()", after="\nclass Odd(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"))
    line = one_sentence(cli("summary", "--model", f"{path}:Net", cwd=tmp_path))
    assert line.endswith("forward failed on a [2, 3, 32, 32] batch at net.py:11: Odd")


@pytest.mark.slow
def test_a_model_file_imports_a_module_from_its_folder_without_leaving_it_on_the_path(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    write(folder, "WIDTH = 7\n", "helpers_rb.py")
    path = write(folder, net(after="").replace("import torch.nn as nn", "import torch.nn as nn\nfrom helpers_rb import WIDTH"))
    before = list(sys.path)
    try:
        config = model_config(f"{path}:Net")
    finally:
        sys.modules.pop("helpers_rb", None)
    assert config.class_name == "Net" and sys.path == before
    result = cli("summary", "--model", f"{path}:Net", cwd=tmp_path)
    assert result.returncode == 0 and "Linear-1" in result.stdout, result.stderr


def test_a_forward_that_never_returns_is_a_sentence_after_the_time_limit(tmp_path, monkeypatch, endless_loop):
    monkeypatch.setattr(settings, "LIMITS", dataclasses.replace(settings.LIMITS, own_code_seconds=0.5))
    path = write(tmp_path, net(forward=endless_loop))
    with pytest.raises(OwnModelError) as raised:
        model_config(f"{path}:Net")
    assert str(raised.value) == (
        "net.py:Net: importing, building and checking it on a dummy batch did not finish within 0.5 s "
        "(an endless loop?); cnn-tui stopped waiting for it"
    )


def test_a_wait_for_own_code_can_be_abandoned_and_later_waits_still_work():
    release = threading.Event()
    stop = threading.Event()
    with abandon_when(stop.is_set):
        threading.Timer(0, stop.set).start()
        with pytest.raises(OwnCodeAbandoned):
            run_bounded(release.wait, 3600)
    waiting = threading.Event()

    def wait() -> None:
        waiting.set()
        release.wait()

    errors: list[BaseException] = []

    def caller() -> None:
        try:
            run_bounded(wait, 3600)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=caller)
    thread.start()
    waiting.wait()
    abandon_own_code()
    thread.join()
    assert [type(e) for e in errors] == [OwnCodeAbandoned]
    assert run_bounded(lambda: 42, 3600) == 42
    with pytest.raises(OwnCodeTimeout):
        run_bounded(release.wait, 0.01)
    release.set()


APP_SCRIPT = """
import dataclasses, sys, threading, asyncio
from cnn_tui import config as settings
settings.LIMITS = dataclasses.replace(settings.LIMITS, own_code_seconds=3600.0)
from textual.widgets import Input
from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.model.tab import ModelTab

async def main():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        tab = app.query_one(ModelTab)
        while tab.described is None:
            await pilot.pause(0.05)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = sys.argv[1]
        await pilot.press("enter")
        while not any(t.name == "cnn-tui own code" for t in threading.enumerate()):
            await pilot.pause(0.05)
        print("own code running", flush=True)
        await pilot.press("q")
    print("app closed", flush=True)

asyncio.run(main())
"""


@pytest.mark.slow
def test_the_app_quits_while_an_own_forward_never_returns(tmp_path):
    path = write(tmp_path, net(forward="while True: pass"))
    result = subprocess.run(
        [sys.executable, "-c", APP_SCRIPT, f"{path}:Net"], capture_output=True, text=True, timeout=240, cwd=Path.cwd()
    )
    # Without abandoning, the process would wait the whole hour-long limit for Textual's worker thread at exit.
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["own", "code", "running", "app", "closed"]
