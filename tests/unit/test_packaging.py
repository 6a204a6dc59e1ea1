"""`pip install .` (not editable) gives a working cnn-tui from any folder: the wheel holds every data file it reads."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "cnn_tui"


def _package_data() -> set[str]:
    """Every file of the package that is not Python source: locales, styles, templates, the default image."""
    return {
        path.relative_to(REPO_ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


def _dependency_folders() -> list[str]:
    """The folders this interpreter imports cnn-tui's dependencies from."""
    import importlib.util

    folders = []
    for name in ("numpy", "PIL", "rich", "textual", "textual_plotext", "plotext", "torch", "torchvision"):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, f"{name} is not installed"
        folder = str(Path(spec.origin).resolve().parent.parent)
        if folder not in folders:
            folders.append(folder)
    return folders


@pytest.mark.slow
def test_wheel_holds_the_package_data_and_runs_from_another_folder(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("cnn_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = _package_data()
    assert {"cnn_tui/assets/img.png", "cnn_tui/ui/app.tcss", "cnn_tui/locales/training.toml"} <= needed
    assert needed <= names, f"missing from the wheel: {sorted(needed - names)}"
    assert not any(name.startswith(("tests/", "data/", "models/", "benchmarks/")) for name in names)
    assert any(name.endswith("entry_points.txt") for name in names)

    # Installed (not editable) into a fresh environment that borrows only the dependencies, run from elsewhere.
    # The dependencies are wherever this interpreter finds them (a virtualenv, a system or a user site): the new
    # environment gets those folders by a .pth file, not by --system-site-packages, which inside a virtualenv
    # would borrow the base interpreter's packages instead.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, timeout=300,
    )
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()
    (Path(site_packages) / "dependencies.pth").write_text("\n".join(_dependency_folders()) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    check = (
        "import cnn_tui, numpy as np; from cnn_tui.config import DEFAULT_IMAGE_PATH as p; "
        "from cnn_tui.core.builtin_images import default_image; from cnn_tui.core.test_image import make_test_image; "
        "from cnn_tui.i18n import set_language, tr; set_language('zh'); "
        "assert np.array_equal(default_image().pixels, make_test_image(640)); "
        "print(cnn_tui.__file__, p.is_file(), tr('training.data.cached', path='x', kind=''))"
    )
    out = subprocess.run([str(python), "-c", check], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    where, found, text = out.stdout.split(" ", 2)
    assert where.startswith(str(venv)) and found == "True" and "已缓存" in text
    version = subprocess.run([str(venv / "bin" / "cnn-tui"), "--version"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("cnn-tui ")
