"""Import hygiene: the core and ml layers never load Textual; the UI never loads torch up front."""

from __future__ import annotations

import pytest
import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_core_and_ml_never_import_textual_or_rich():
    out = _run(
        """
        import importlib, pkgutil, sys
        import cnn_tui.core, cnn_tui.ml
        for package in (cnn_tui.core, cnn_tui.ml):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
        print(sorted(m for m in ("textual", "rich") if m in sys.modules))
        """
    )
    assert out == "[]"


def test_core_never_imports_torch():
    out = _run(
        """
        import importlib, pkgutil, sys
        import cnn_tui.core
        for info in pkgutil.walk_packages(cnn_tui.core.__path__, "cnn_tui.core."):
            importlib.import_module(info.name)
        print("torch" in sys.modules)
        """
    )
    assert out == "False"


def test_render_never_imports_textual_or_torch():
    out = _run(
        """
        import importlib, pkgutil, sys
        import cnn_tui.render
        for info in pkgutil.walk_packages(cnn_tui.render.__path__, "cnn_tui.render."):
            importlib.import_module(info.name)
        print(sorted(m for m in ("textual", "torch") if m in sys.modules))
        """
    )
    assert out == "[]"


@pytest.mark.slow
def test_ui_and_cli_do_not_import_torch_up_front():
    out = _run(
        """
        import importlib, pkgutil, sys
        import cnn_tui.cli, cnn_tui.ui, cnn_tui.ui.app
        for info in pkgutil.walk_packages(cnn_tui.ui.__path__, "cnn_tui.ui."):
            importlib.import_module(info.name)
        print(sorted(m for m in ("torch", "torchvision") if m in sys.modules))
        """
    )
    assert out == "[]"


@pytest.mark.slow
def test_app_reaches_first_frame_without_torch():
    out = _run(
        """
        import asyncio, sys
        from cnn_tui.ui.app import CnnTuiApp

        async def main():
            app = CnnTuiApp()
            async with app.run_test(size=(120, 36)) as pilot:
                await pilot.pause()
            print("torch" in sys.modules)

        asyncio.run(main())
        """
    )
    assert out == "False"
