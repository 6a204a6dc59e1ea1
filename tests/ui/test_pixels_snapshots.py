"""SVG snapshots of the Pixels tab: RGB, one channel, the channels side by side, values when zoomed
in, the lecture's black and white images, and the notification for a bad file."""

from __future__ import annotations

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import until, wait_for_workers


async def _settle(pilot) -> None:
    await wait_for_workers(pilot, rounds=3)


def _after(*keys: str):
    """run_before for snap_compare: wait for the image, press `keys`, wait for what they started."""

    async def run(pilot) -> None:
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return run


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param((), id="rgb"),
        pytest.param(("c",), id="r_channel"),
        pytest.param(("c",) * 5, id="side_by_side"),
        pytest.param(("c", "right", "right", *["plus"] * 10, "right"), id="zoomed_values"),
        pytest.param(("n",), id="black"),
        pytest.param(("n", "n"), id="white"),
    ],
)
@pytest.mark.slow
def test_pixels(snap_compare, keys):
    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=_after(*keys), terminal_size=SNAPSHOT_SIZE)


@pytest.mark.slow
def test_pixels_bad_file_notification(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.png").write_bytes(b"")

    async def open_empty(pilot) -> None:
        await _settle(pilot)
        await pilot.press("o", *"empty.png", "enter")
        await _settle(pilot)
        # The image is read in a worker whose word comes back as a notification: wait for its toast to be shown.
        await until(pilot, lambda: len(pilot.app.screen.query("Toast")) == 1)
        await pilot.pause()

    app = CnnTuiApp(AppConfig(lang="en"))
    assert snap_compare(app, run_before=open_empty, terminal_size=SNAPSHOT_SIZE)
