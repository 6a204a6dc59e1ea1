"""Pilot tests of what each neuron looks for in the app: the unit under the arrow keys with its receptive field
drawn (Predict, Feature maps' trained network) and a channel's top patches (`T`), from the committed tiny network."""

from __future__ import annotations

import numpy as np
import torch

from cnn_tui.config import AppConfig, Paths
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ml.receptive_field import geometry_chain
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.top_patches import layer_maxima, top_units
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.feature_maps.top_patches_screen import TopPatchesScreen
from cnn_tui.ui.tabs.feature_maps.tab import FeatureMapsTab
from cnn_tui.ui.tabs.feature_maps.learned_view import LearnedView
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.tiny_network import tiny_models_dir
from tests.ui.test_predict_tab import open_predict
from tests.waiting import mounted, until, wait_for_workers


def make_app(tmp_path, lang: str = "en") -> CnnTuiApp:
    return CnnTuiApp(AppConfig(lang=lang, paths=Paths(data_dir=tmp_path, models_dir=tiny_models_dir())))


def chain_of(app):
    model, _meta = load_model(app.shared.checkpoint)
    return geometry_chain(model)


async def test_predict_arrows_draw_the_units_field_on_the_input(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_predict(pilot)
        assert "Unit (" not in text_of(app, "#predict-defs")  # no cursor before the first arrow: the definitions
        await pilot.press("right")  # the first press shows the cursor in the middle of conv2's 13×13 maps
        await until(pilot, lambda: tab.field is not None)
        assert tab.unit == (6, 6)
        await pilot.press("right", "right", "down")
        await until(pilot, lambda: tab.field is not None and tab.field.field.unit == (7, 8))
        await wait_for_workers(pilot)
        expected = chain_of(app).receptive_field("conv2", (7, 8))
        assert tab.field.field == expected
        assert expected.size == (8, 8) and expected.jump == (2, 2)  # the lecture's hand table
        top, left, bottom, right = expected.box
        shown = text_of(app, "#predict-defs")
        assert f"Unit (7, 8) of conv2: field 8×8, jump 2, sees rows {top}–{bottom}, columns {left}–{right} (framed)." in shown
        effective = tab.field.effective
        assert effective.shape == (32, 32) and effective[top : bottom + 1, left : right + 1].max() > 0
        outside = effective.copy()
        outside[top : bottom + 1, left : right + 1] = 0
        assert not outside.any()  # the gradient never leaves the receptive field
        await pilot.press("l")  # the next conv layer (conv1): the cursor follows onto its maps
        await until(pilot, lambda: tab.field is not None and tab.field.field.layer == "conv1")
        assert tab.field.field.size == (3, 3)


async def test_predict_cursor_stays_inside_the_maps(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_predict(pilot)
        await pilot.press("up", *["up"] * 9, *["left"] * 9)
        await until(pilot, lambda: tab.field is not None and tab.field.field.unit == (0, 0))
        assert tab.field.field.box[:2] == (0, 0)


async def open_learned(pilot) -> LearnedView:
    await until(pilot, lambda: pilot.app.shared.image is not None)
    await pilot.press("4")
    tab = await mounted(pilot, FeatureMapsTab)
    await wait_for_workers(pilot)
    await pilot.press("l")
    view = pilot.app.query_one(LearnedView)
    await until(pilot, lambda: view.loading_done)
    await wait_for_workers(pilot)
    assert tab.learned_mode
    return view


async def test_learned_view_arrows_draw_the_field_of_the_selected_maps_unit(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await open_learned(pilot)
        await pilot.press("down")  # conv1's 30×30 maps: the middle, one row down is the first press's middle
        cursor = view.cursor
        await until(pilot, lambda: cursor.found is not None)
        assert cursor.unit == (15, 15)
        await pilot.press("c")  # channel 1: the cursor's field again, for that channel
        await until(pilot, lambda: cursor.found is not None and cursor.found.channel == 1)
        await wait_for_workers(pilot)
        assert cursor.found.field == chain_of(app).receptive_field("conv1", (15, 15))
        legend = text_of(app, "#fl-field")
        assert "Unit (15, 15) of conv1: field 3×3, jump 1, sees rows 15–17, columns 15–17 (framed)." in legend
        assert "|∂unit/∂pixel| (channel 1)" in legend
        await pilot.press("v")  # the next stage (pool1): the cursor kept inside its smaller maps
        await until(pilot, lambda: cursor.found is not None and cursor.found.field.layer == "pool1")
        rows, cols = view.field_target()[4]
        assert cursor.unit == (min(15, rows - 1), min(15, cols - 1))


def direct_top(app, layer: str, channel: int) -> list[tuple[int, float]]:
    """The channel's top 9 (image, activation) computed here over the synthetic test set."""
    model, meta = load_model(app.shared.checkpoint)
    images = make_synthetic().test.images
    with torch.inference_mode():
        maxima = layer_maxima(model, images, layer, normalization=meta.normalization)
    return [(index, value) for index, _unit, value in top_units(maxima, channel, 9)]


async def open_top_patches(pilot) -> TopPatchesScreen:
    """The trained network's view, conv2's channel 2, and its top patches (`T`) once found."""
    await open_learned(pilot)
    await pilot.press("v", "v", "c", "c")  # conv2, channel 2
    await wait_for_workers(pilot)
    await pilot.press("T")
    screen = pilot.app.screen
    assert isinstance(screen, TopPatchesScreen)
    await until(pilot, lambda: screen.done)
    await wait_for_workers(pilot)
    return screen


async def test_top_patches_of_the_selected_channel(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await open_top_patches(pilot)
        assert screen.problem is None
        assert (screen.found.layer, screen.found.channel) == ("conv2", 2)
        expected = direct_top(app, "conv2", 2)
        assert [(p.index, p.activation) for p in screen.found.patches] == [
            (index, np.float32(value).item()) for index, value in expected
        ]
        table = text_of(screen, "#tp-table")
        assert f"Channel 2 of conv2: the 9 of {screen.found.images:,} test images" in table
        first = screen.found.patches[0]
        assert f"#{1}" in text_of(screen, "#tp-image", 40) and f"test image {first.index}" in text_of(screen, "#tp-image", 40)
        await pilot.press("right")
        assert screen.selected == 1 and f"test image {screen.found.patches[1].index}" in text_of(screen, "#tp-image", 40)
        await pilot.press("escape")
        assert not isinstance(app.screen, TopPatchesScreen)


async def test_top_patches_without_the_networks_data_say_why(tmp_path):
    """A network trained on CIFAR-10 where there is no CIFAR-10: one sentence, no traceback."""
    from dataclasses import replace

    from cnn_tui.ml.checkpoints import read_meta, save_checkpoint
    from cnn_tui.ml.data import CIFAR10_CLASSES
    from tests.tiny_network import CHECKPOINT_NAME

    models = tmp_path / "models"
    source = tiny_models_dir() / CHECKPOINT_NAME
    model, _meta = load_model(source)
    save_checkpoint(models / CHECKPOINT_NAME, model, replace(read_meta(source), classes=CIFAR10_CLASSES, data=""))
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(data_dir=tmp_path / "data", models_dir=models)))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_learned(pilot)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TopPatchesScreen)
        await until(pilot, lambda: screen.done)
        assert screen.found is None
        said = text_of(screen, "#tp-row")
        assert "the test images of the data this network was trained on (CIFAR-10) cannot be read here" in said
        await pilot.press("escape")
        assert not isinstance(app.screen, TopPatchesScreen)
