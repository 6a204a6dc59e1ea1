"""Pilot tests of the Predict tab: the current image through the active network, its top classes and both maps,
layer and class keys, a new image, a new checkpoint, and no checkpoint at all."""

from __future__ import annotations


import numpy as np
from textual.widgets import TabbedContent

from cnn_tui.config import AppConfig, Paths
from cnn_tui.core.images import LoadedImage
from cnn_tui.ml.attribution import explain_image
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.messages import UseCheckpoint, UseImage
from cnn_tui.ui.tabs.predict.tab import PredictTab
from tests.conftest import SNAPSHOT_SIZE
from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir
from tests.waiting import mounted, wait_for_workers
from tests.ui.training_helpers import until
from tests.shown import text_of


async def open_predict(pilot) -> PredictTab:
    """Press 7 once the app has its image and wait for the tab's first result (or its word that there is no
    network)."""
    await until(pilot, lambda: pilot.app.shared.image is not None)
    await pilot.press("7")
    tab = await mounted(pilot, PredictTab)
    await until(pilot, lambda: tab.drawn > 0 and tab.result is not None or tab.network_missing)
    await wait_for_workers(pilot)
    assert pilot.app.query_one(TabbedContent).active == "predict"
    return tab


async def redrawn(pilot, tab: PredictTab) -> None:
    await until(pilot, lambda: tab.drawn == tab.requested)
    await pilot.pause()


def expected(app, layer: str | None = None, target: int | None = None):
    model, meta = load_model(app.shared.checkpoint)
    result = explain_image(
        model, app.shared.image.image.pixels, size=32, normalization=meta.normalization, layer=layer, target=target
    )
    return meta, result


async def test_shows_the_networks_top_classes_and_maps_for_the_current_image():
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_predict(pilot)
        assert app.focused is tab
        meta, result = expected(app)
        top = [line.split() for line in text_of(app, "#predict-top").splitlines()[1:] if line.strip()]
        assert [row[0] for row in top] == [meta.classes[i] for i, _ in result.explanation.top]
        assert [row[-1] for row in top] == [f"{p:.1%}" for _, p in result.explanation.top]
        assert "640×640 → 32×32 (bilinear, antialiased)" in text_of(app, "#predict-input")
        first = meta.classes[result.explanation.target]
        assert f"Grad-CAM conv2 13×13: {first}" in text_of(app, "#predict-gradcam-title")
        assert f"Saliency |∂y/∂x|: {first}" in text_of(app, "#predict-saliency-title")
        np.testing.assert_allclose(tab.result.explanation.gradcam, result.explanation.gradcam, rtol=1e-5, atol=1e-9)
        # the colour bar states the scale: 0 to the map's largest value
        high = float(result.explanation.gradcam.max())
        assert f"{high:.5g}" in text_of(app, "#predict-gradcam")

        await pilot.press("l")
        await redrawn(pilot, tab)
        assert "Grad-CAM conv1 30×30" in text_of(app, "#predict-gradcam-title")
        await pilot.press("c")
        await redrawn(pilot, tab)
        second = result.explanation.top[1][0]
        _, chosen = expected(app, layer="conv1", target=second)
        assert f"Grad-CAM conv1 30×30: {meta.classes[second]}" in text_of(app, "#predict-gradcam-title")
        np.testing.assert_allclose(tab.result.explanation.gradcam, chosen.explanation.gradcam, rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(tab.result.explanation.saliency, chosen.explanation.saliency, rtol=1e-5, atol=1e-9)


async def test_follows_a_new_image_and_a_new_checkpoint(tmp_path):
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_predict(pilot)
        pixels = np.random.default_rng(0).integers(0, 256, (50, 80, 3), dtype=np.uint8)
        app.post_message(UseImage(LoadedImage(pixels=pixels, name="noise.png", mode="RGB", size=(80, 50)), "noise.png"))
        await until(pilot, lambda: tab.result is not None and tab.result.original_size == (80, 50))
        await redrawn(pilot, tab)
        assert "80×50 → 32×32" in text_of(app, "#predict-input")
        assert "image noise.png" in text_of(app, "#predict-info")
        app.post_message(UseCheckpoint(tmp_path / "none.pth"))
        await until(pilot, lambda: tab.network_missing)
        await pilot.pause()
        info = text_of(app, "#predict-info")
        assert f"No trained network at {tmp_path / 'none.pth'}" in " ".join(info.split())
        app.post_message(UseCheckpoint(tiny_models_dir() / CHECKPOINT_NAME))
        await until(pilot, lambda: tab.result is not None)
        await redrawn(pilot, tab)
        assert "Top 5" in text_of(app, "#predict-top")


async def test_without_a_checkpoint_it_says_how_to_get_one(tmp_path):
    app = CnnTuiApp(AppConfig(lang="zh", paths=Paths(models_dir=tmp_path / "models")))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_predict(pilot)
        info = " ".join(text_of(app, "#predict-info").split())
        assert "处没有训练好的网络" in info and "cnn-tui train --data synthetic" in info and "合成数据集" in info


def test_snapshot(snap_compare):
    """The fixed synthetic checkpoint on the built-in test image: input, top 5, Grad-CAM at conv2, saliency."""
    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))

    async def run_before(pilot) -> None:
        await open_predict(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SNAPSHOT_SIZE)



async def test_p_in_the_pixels_tab_shows_what_the_network_sees():
    from cnn_tui.ui.tabs.pixels.view import PixelView

    app = CnnTuiApp(AppConfig(lang="en", paths=Paths(models_dir=tiny_models_dir())))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        # The image is shown and has the focus (until then the tab's keys have no widget to reach).
        await until(pilot, lambda: isinstance(app.focused, PixelView))
        await pilot.press("p")
        await until(pilot, lambda: app.query_one(TabbedContent).active == "predict" and bool(app.query(PredictTab)))
        tab = app.query_one(PredictTab)
        await until(pilot, lambda: tab.result is not None)
        await redrawn(pilot, tab)
        assert "image img.png" in text_of(app, "#predict-info")
