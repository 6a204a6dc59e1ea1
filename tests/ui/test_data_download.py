"""The Training tab's download panel against a local server: progress bar, cancel with x, resume with D, data used at once."""

from __future__ import annotations

import pytest
from dataclasses import replace

from textual.widgets import ProgressBar, Static

from cnn_tui.ml import download
from cnn_tui.ui.widgets.data_download import DataDownload
from tests.archive_server import Served, fake_cifar_archive, serve
from tests.ui.training_helpers import make_app, open_training, until


def _text(widget: Static) -> str:
    return str(widget.render())


@pytest.mark.slow
async def test_download_panel_cancel_resume_and_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    archive = fake_cifar_archive(tmp_path / "made", per_batch=200)  # about 1.8 MB: many chunks to watch
    home = tmp_path / "xdg-data" / "cnn-tui"
    with serve(Served(archive, delay_s=0.01)) as served:
        monkeypatch.setenv("CNN_TUI_CIFAR10_URL", served.url)
        monkeypatch.setattr(download, "DOWNLOAD_DEFAULTS", replace(download.DOWNLOAD_DEFAULTS, md5=served.md5))
        app = make_app()
        async with app.run_test(size=(120, 36)) as pilot:
            tab = await open_training(pilot)
            source = _text(tab.query_one("#training-source", Static))
            assert "D: download CIFAR-10 (163 MB)" in source
            panel = tab.query_one(DataDownload)
            assert not panel.display
            assert not panel.query(ProgressBar)  # no idle bar redrawing in the background
            await pilot.press("D")
            await until(pilot, lambda: bool(panel.query(ProgressBar)) and (panel.query_one(ProgressBar).progress or 0) > 0)
            bar = panel.query_one(ProgressBar)
            assert panel.display and bar.total == len(archive)
            assert "MB/s" in _text(panel.query_one("#download-bytes", Static))
            assert str(home) in _text(panel.query_one("#download-title", Static))
            await pilot.press("x")  # cancel: the partial file stays
            # The panel hides and drops its bar a few messages after the download stops.
            await until(pilot, lambda: not panel.running and not panel.display and not panel.query(ProgressBar))
            part = home / (download.ARCHIVE_NAME + download.PART_SUFFIX)
            assert part.is_file() and 0 < part.stat().st_size < len(archive)
            kept = part.stat().st_size
            served.delay_s = 0.0
            await pilot.press("D")  # resumes
            await until(pilot, lambda: tab.sources.get("cifar10") is not None and tab.sources["cifar10"].state == "found")
            assert served.requests == [None, f"bytes={kept}-"] and not part.exists()
            assert tab.settings.data == "cifar10" and (home / "cifar-10-batches-py" / "data_batch_1").is_file()
            assert "✓ found" in _text(tab.query_one("#training-source", Static))


async def test_offline_download_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        tab = await open_training(pilot)
        await pilot.press("D")
        await until(pilot, lambda: "download failed" in _text(tab.query_one("#training-status", Static)))
        status = _text(tab.query_one("#training-status", Static))
        assert "press d for the synthetic data set" in status and "cannot download" in status
        await pilot.press("d")
        await until(pilot, lambda: tab.sources.get("synthetic") is not None)
        assert tab.settings.data == "synthetic"
