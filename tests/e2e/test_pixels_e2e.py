"""The Pixels tab in a real terminal: `cnn-tui data/img.jpg` shows the lecture's shape."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from cnn_tui.core.test_image import make_test_image

pytestmark = pytest.mark.e2e


def test_image_from_the_command_line_shows_its_shape(tmux_app, tmp_path):
    (tmp_path / "data").mkdir()
    Image.fromarray(make_test_image(640)).save(tmp_path / "data" / "img.jpg", quality=90)
    term = tmux_app("--lang en data/img.jpg", cwd=tmp_path)
    screen = term.wait_for("(H, W, C) = (640, 640, 3)")
    assert "img.jpg · mode RGB · 640×640" in screen
    assert "▀" in screen  # the image itself, in half blocks
    term.wait_for("1 cell = 12×24 px")
    term.send("c")
    term.wait_for("R channel")
    term.send("+")
    term.wait_for("1 cell = 8×16 px")
    term.send("q")
    assert term.pane_dead(), "cnn-tui did not exit on q"


def test_bad_image_on_the_command_line_is_one_clear_line(tmp_path):
    if shutil.which("cnn-tui") is None:
        pytest.skip("the installed cnn-tui script is not available")
    (tmp_path / "empty.png").write_bytes(b"")
    result = subprocess.run(["cnn-tui", str(tmp_path / "empty.png")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("the file is empty (0 bytes)")
    assert "Traceback" not in result.stderr
