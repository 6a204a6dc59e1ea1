"""Pilot tests of the Feature maps tab: it opens on the lecture's setting and every key does its job."""

from __future__ import annotations


import shutil
from pathlib import Path

import numpy as np
import pytest
from textual.app import App
from textual.widgets import TabbedContent

from cnn_tui.config import AppConfig, Paths
from cnn_tui.core.feature_controls import FIELDS
from cnn_tui.core.images import load_image
from cnn_tui.core.kernels import preset_weights
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.messages import OpenImage
from cnn_tui.ui.state import CurrentImage, LabState
from cnn_tui.ui.tabs.feature_maps.tab import FeatureMapsTab
from cnn_tui.ui.tabs.feature_maps.grid import FeatureGrid
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import until, wait_for_workers
from tests.tiny_network import tiny_models_dir
from tests.shown import text_of


async def settle(pilot) -> None:
    """Wait for every run to finish and its messages to be handled (up to 30 s)."""

    def idle() -> bool:
        tabs = pilot.app.query(FeatureMapsTab)
        return not tabs or not tabs.first().computing

    await wait_for_workers(pilot)
    await until(pilot, idle, timeout=30)
    await wait_for_workers(pilot)


async def open_tab(pilot) -> FeatureMapsTab:
    """Press 4 once the Pixels tab has its image, and wait for the maps."""
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    assert pilot.app.query_one(TabbedContent).active == "feature-maps"
    return pilot.app.query_one(FeatureMapsTab)


async def test_opens_on_the_lectures_setting():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        assert app.focused is tab
        chain = text_of(app, "#fm-chain")
        assert "printed by PyTorch" in chain
        assert "Conv2d(3, 3, kernel_size=3, stride=2, padding=0)" in chain
        assert "torch.Size([1, 3, 319, 319])" in chain and "torch.Size([1, 3, 640, 640])" in chain
        assert "N = ⌊(640 − 3 + 2×0) / 2⌋ + 1 = 319" in chain
        assert tab.result_maps().shape == (3, 319, 319)
        assert app.query_one("#fm-grid", FeatureGrid).panel_count == 4
        assert not app.query_one("#fm-grid", FeatureGrid).loading  # the spinner is gone with the run
        assert "computed in" in text_of(app, "#fm-status")
        await pilot.press("L")  # the language key relabels the tab
        await pilot.pause()
        assert "PyTorch 打印的形状" in text_of(app, "#fm-chain")
        assert "步长" in text_of(app, "#fm-settings")


@pytest.mark.slow
async def test_keys_change_the_layer_and_the_chain_follows():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        await pilot.press("o", "o", "S", "p", "r", "m")
        await settle(pilot)
        settings = tab.state.settings
        assert (settings.out_channels, settings.stride, settings.padding, settings.relu, settings.pool) == (
            5, 1, 1, True, "max",
        )
        chain = text_of(app, "#fm-chain")
        assert "torch.Size([1, 5, 640, 640])" in chain  # (640 − 3 + 2) / 1 + 1
        assert "MaxPool2d(kernel_size=2, stride=2)" in chain and "torch.Size([1, 5, 320, 320])" in chain
        assert tab.result_maps().shape == (5, 320, 320) and (tab.result_maps() >= 0).all()
        assert app.query_one("#fm-grid", FeatureGrid).panel_count == 6
        await pilot.press("O", "O", "O", "O", "O")  # out_channels stops at 1
        await settle(pilot)
        assert tab.state.settings.out_channels == 1 and tab.result_maps().shape[0] == 1


async def test_arrows_choose_a_setting_and_change_it():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        await pilot.press("down", "right", "right")  # kernel_size 3 → 5
        assert FIELDS[tab.selected] == "kernel_size"
        await pilot.press("down", "left")  # stride 2 → 1
        await settle(pilot)
        assert (tab.state.settings.kernel_size, tab.state.settings.stride) == (5, 1)
        assert tab.result_maps().shape == (3, 636, 636)
        await pilot.press("up", "up", "up")  # wraps to the last row
        assert FIELDS[tab.selected] == FIELDS[-1]
        result = tab.result  # keys that change only the drawing do not recompute
        await pilot.press("x", "z", "c")
        await settle(pilot)
        assert tab.result is result
        assert (tab.state.view.colours, tab.state.view.shared, tab.state.view.channel) == ("diverging", False, 1)
        assert "own scale per map" in text_of(app, "#fm-legend")
        assert "channel 1" in text_of(app, "#fm-weights-title")


async def test_hand_made_kernel_for_one_channel_then_all():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        await pilot.press(*["n"] * 7)  # random → identity → … → Sobel x
        await settle(pilot)
        assert tab.state.settings.channel_kernels() == ("sobel_x", "random", "random")
        np.testing.assert_array_equal(tab.result.weights[0], preset_weights("sobel_x"))
        assert "Sobel x" in text_of(app, "#fm-weights-title")
        await pilot.press("a")
        await settle(pilot)
        assert tab.state.settings.channel_kernels() == ("sobel_x",) * 3
        maps = tab.result_maps()
        np.testing.assert_allclose(maps[0], maps[2])
        await pilot.press("c", "N")  # channel 1 back to Sobel x's predecessor: vertical edge
        await settle(pilot)
        assert tab.state.settings.channel_kernels() == ("sobel_x", "edge_vertical", "sobel_x")


@pytest.mark.slow
async def test_impossible_setting_is_explained_and_recoverable():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        await pilot.press(*["n"] * 7, "K", "K")  # Sobel x at kernel_size 1
        await settle(pilot)
        status = text_of(app, "#fm-status")
        assert "needs kernel_size of at least 3" in status
        assert tab.result_maps().shape == (3, 319, 319)  # the last good maps stay
        await pilot.press("k", "k")
        await settle(pilot)
        assert "computed in" in text_of(app, "#fm-status")


class _TabOnly(App):
    """Just the tab, given a shared state whose current image is a file."""

    def __init__(self, image: Path) -> None:
        super().__init__()
        self.shared = LabState(image=CurrentImage(load_image(image), image))

    def compose(self):
        yield FeatureMapsTab(self.shared)


async def test_a_bad_image_keeps_the_current_maps(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        await settle(pilot)
        app.post_message(OpenImage(broken))
        await settle(pilot)
        assert "(640, 640, 3)" in text_of(app, "#fm-chain") and tab.result_maps().shape == (3, 319, 319)
        assert app.shared.image.source == "test"


async def test_a_very_large_image_is_shrunk_first(tmp_path, monkeypatch):
    from dataclasses import replace

    from PIL import Image

    from cnn_tui.ui.tabs.feature_maps import tab as feature_maps

    monkeypatch.setattr(feature_maps, "FEATURE_MAP_DEFAULTS", replace(feature_maps.FEATURE_MAP_DEFAULTS, max_pixels=10_000))
    path = tmp_path / "big.png"
    Image.fromarray(np.full((150, 200, 3), 90, dtype=np.uint8)).save(path)
    app = _TabOnly(path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        chain = text_of(app, "#fm-chain")
        assert "(75, 100, 3)  image, shrunk 2× from 150×200" in chain
        assert "torch.Size([1, 3, 37, 49])" in chain  # ⌊(75 − 3) / 2⌋ + 1, ⌊(100 − 3) / 2⌋ + 1


async def test_follows_the_pixels_tab_image():
    pytest.importorskip("cnn_tui.ui.tabs.pixels.tab", reason="needs the Pixels tab")
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")  # the Pixels tab shows the lecture's black image
        await settle(pilot)
        await open_tab(pilot)
        chain = text_of(app, "#fm-chain")
        assert "torch.Size([1, 3, 200, 200])" in chain and "torch.Size([1, 3, 99, 99])" in chain


@pytest.mark.slow
async def test_an_image_changed_while_hidden_is_convolved_when_the_tab_is_shown_again():
    pytest.importorskip("cnn_tui.ui.tabs.pixels.tab", reason="needs the Pixels tab")
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_tab(pilot)
        assert "torch.Size([1, 3, 640, 640])" in text_of(app, "#fm-chain")
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("n")  # the Pixels tab shows the lecture's black image; the maps wait, unseen
        await settle(pilot)
        await open_tab(pilot)
        chain = text_of(app, "#fm-chain")
        assert "torch.Size([1, 3, 200, 200])" in chain and "torch.Size([1, 3, 99, 99])" in chain


async def test_a_small_terminal_still_draws():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=(60, 20)) as pilot:
        await open_tab(pilot)
        grid = app.query_one("#fm-grid", FeatureGrid)
        assert grid.panel_count == 4
        assert grid.render() is not None


@pytest.mark.slow
async def test_trained_network_view():
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_tab(pilot)
        settings = tab.state.settings
        await pilot.press("l")
        await settle(pilot)
        info = text_of(app, "#fl-info")
        assert "test image 1 / 100 (synthetic)" in info and "predicted:" in info
        chain = text_of(app, "#fl-chain")
        assert "conv1 = Conv2d(3, 6, kernel_size=(3, 3), stride=(1, 1))" in chain
        assert "torch.Size([1, 6, 30, 30])" in chain and "torch.Size([1, 16, 6, 6])" in chain
        assert "conv1 filters" in text_of(app, "#fl-filters")
        await pilot.press("i")
        await settle(pilot)
        assert "test image 2 / 100" in text_of(app, "#fl-info")
        await pilot.press("I", "I")
        await settle(pilot)
        assert "the current image, resized to 32×32" in text_of(app, "#fl-info")
        await pilot.press("v", "v", "c")  # pool1, then conv2; its kernel 1 has 6 input slices
        await pilot.pause()
        assert "conv2 kernel 1" in text_of(app, "#fl-weights-title")
        await pilot.press("o", "s", "a")  # the hand-made layer's keys do nothing here
        assert tab.state.settings == settings
        await pilot.press("l")
        await settle(pilot)
        assert "printed by PyTorch" in text_of(app, "#fm-chain")


async def test_trained_network_missing_then_found(tmp_path):
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tmp_path)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_tab(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "No trained network at" in text_of(app, "#fl-info")
        assert "cnn-tui train --data synthetic" in text_of(app, "#fl-info")
        for file in tiny_models_dir().glob("image_classification.*"):  # not the runs/ record
            shutil.copy(file, tmp_path / file.name)
        await pilot.press("l", "l")
        await settle(pilot)
        assert "test image 1 / 100" in text_of(app, "#fl-info")
