"""SVG snapshots of what each neuron looks for: a unit's field drawn in Predict and in the Feature maps tab's trained
network, a channel's top patches, and the Training tab's inner numbers after a recorded run (no number on screen
comes from training on this CPU: the committed tiny network, and the recorded run's untrained weights)."""

from __future__ import annotations

from cnn_tui.config import AppConfig, Paths
from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.feature_maps.top_patches_screen import TopPatchesScreen
from cnn_tui.ui.tabs.feature_maps import tab as feature_maps
from tests.conftest import SNAPSHOT_SIZE
from tests.tiny_network import tiny_models_dir
from tests.ui.test_predict_tab import open_predict
from tests.ui.test_training_snapshots import _after_run, _repeatable  # noqa: F401 (an autouse fixture: the recorded run)
from tests.ui.training_helpers import cached_synthetic, make_app  # noqa: F401 (an autouse fixture)
from tests.waiting import until, wait_for_workers


def tiny_app(tmp_path, lang: str = "en") -> CnnTuiApp:
    return CnnTuiApp(AppConfig(lang=lang, paths=Paths(data_dir=tmp_path, models_dir=tiny_models_dir())))


def test_predict_unit_field(snap_compare, tmp_path):
    """conv2's unit (6, 7) on the built-in test image: its 8×8 field framed, the effective field inside."""
    async def run_before(pilot) -> None:
        tab = await open_predict(pilot)
        await pilot.press("right", "right")
        await until(pilot, lambda: tab.field is not None and tab.field.field.unit == (6, 7))
        await wait_for_workers(pilot)

    assert snap_compare(tiny_app(tmp_path), run_before=run_before, terminal_size=SNAPSHOT_SIZE)


def _learned(*keys: str, lang: str = "en"):
    async def run_before(pilot) -> None:
        await wait_for_workers(pilot, rounds=3)
        await pilot.press("4")
        await wait_for_workers(pilot, rounds=3)
        await pilot.press("l")
        await wait_for_workers(pilot, rounds=3)
        for key in keys:
            await pilot.press(key)
            await wait_for_workers(pilot, rounds=2)
        if isinstance(pilot.app.screen, TopPatchesScreen):
            await until(pilot, lambda: pilot.app.screen.done)
            await wait_for_workers(pilot)

    return run_before


def test_learned_unit_field(snap_compare, tmp_path, monkeypatch):
    """conv2 of the tiny network, channel 1, unit (6, 6): the field on the synthetic test image."""
    monkeypatch.setattr(feature_maps, "timing_text", lambda seconds: tr("feature_maps.done", ms="12"))
    keys = ("v", "v", "c", "down")
    assert snap_compare(tiny_app(tmp_path), run_before=_learned(*keys), terminal_size=SNAPSHOT_SIZE)


def test_learned_unit_field_chinese(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setattr(feature_maps, "timing_text", lambda seconds: tr("feature_maps.done", ms="12"))
    assert snap_compare(tiny_app(tmp_path, "zh"), run_before=_learned("down"), terminal_size=SNAPSHOT_SIZE)


def test_top_patches(snap_compare, tmp_path):
    """conv2's channel 2: the 9 synthetic test images that excite it most, the first one's whole image framed."""
    keys = ("v", "v", "c", "c", "T")
    assert snap_compare(tiny_app(tmp_path), run_before=_learned(*keys), terminal_size=SNAPSHOT_SIZE)


def test_top_patches_chinese(snap_compare, tmp_path):
    """The same screen in Chinese: headings, hint and the class column ("圆环 ring") in the learner's language."""
    keys = ("v", "v", "c", "c", "T")
    assert snap_compare(tiny_app(tmp_path, "zh"), run_before=_learned(*keys), terminal_size=SNAPSHOT_SIZE)


def test_training_inner_numbers(snap_compare):
    """The recorded run's last epoch: its weights are the untrained ones (the replay does not train), no gradients."""
    assert snap_compare(make_app(), run_before=_after_run("v", "v", "v"), terminal_size=SNAPSHOT_SIZE)
