"""SVG snapshots of the shell in both languages and of the help screen."""

from __future__ import annotations


from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import wait_for_workers


async def _image_loaded(pilot):
    """The Pixels tab (shown first) loads its image in a worker: wait for it."""
    await wait_for_workers(pilot)
    await pilot.pause()


def test_shell_chinese_convolution_tab(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), press=["2"], terminal_size=SNAPSHOT_SIZE)


def test_help_screen(snap_compare):
    assert snap_compare(
        CnnTuiApp(AppConfig(lang="en")), press=["question_mark"], run_before=_image_loaded, terminal_size=SNAPSHOT_SIZE
    )


def test_help_screen_chinese(snap_compare):
    async def switch_language_under_help(pilot):
        await _image_loaded(pilot)
        await pilot.press("question_mark", "L")
        await wait_for_workers(pilot)
        # The app re-measures the tab underline after the new labels' layout; on a loaded machine
        # that can still land before the layout, so resize (the bar measures again, without animation).
        await pilot.resize_terminal(SNAPSHOT_SIZE[0] - 1, SNAPSHOT_SIZE[1])
        await pilot.resize_terminal(*SNAPSHOT_SIZE)
        await pilot.pause()

    assert snap_compare(
        CnnTuiApp(AppConfig(lang="en")), run_before=switch_language_under_help, terminal_size=SNAPSHOT_SIZE
    )
