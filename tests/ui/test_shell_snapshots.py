"""SVG snapshots of the shell in both languages and of the help screen."""

from __future__ import annotations

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE


def test_shell_english(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), terminal_size=SNAPSHOT_SIZE)


def test_shell_chinese_convolution_tab(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), press=["2"], terminal_size=SNAPSHOT_SIZE)


def test_help_screen(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), press=["question_mark"], terminal_size=SNAPSHOT_SIZE)


def test_help_screen_chinese(snap_compare):
    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), press=["question_mark", "L"], terminal_size=SNAPSHOT_SIZE)
