"""The learner's journey through one app state: their image, the network they train and the lecture
follow them from tab to tab (Pilot, the keys a learner presses)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from textual.widgets import Input

from cnn_tui.core.step_lab import image_crop
from cnn_tui.ui.tabs.stepper.convolution import ConvolutionTab
from cnn_tui.ui.tabs.feature_maps.tab import FeatureMapsTab
from cnn_tui.ui.widgets.lecture_panel import LecturePanel
from cnn_tui.ui.screens.image_detail import ImageDetail
from cnn_tui.ui.tabs.training.gallery import TrainingGallery
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import QUICK, cached_synthetic, finish, make_app, open_training, until, use  # noqa: F401
from tests.waiting import wait_for_workers

pytestmark = pytest.mark.usefixtures("scratch_folder")


def _text(node, selector: str) -> str:
    return str(node.query_one(selector).render())


def _lecture(panel) -> str:
    """The lecture panel's text as one line: it breaks its lines by cell width, English between words and Chinese
    between characters, so a line break is a space in English and nothing in Chinese."""
    lines = [line.strip() for line in _text(panel, "#lecture-text").splitlines()]
    out = ""
    for line in lines:
        if out and line and not (ord(out[-1]) > 0x2E80 and ord(line[0]) > 0x2E80):
            out += " "
        out += line
    return out


async def _train_quickly(pilot) -> None:
    """A short synthetic run started from the Training tab's keys, waited for to its end."""
    tab = await open_training(pilot)
    await use(pilot, tab, QUICK)
    await pilot.press("s")
    await finish(pilot, tab)


async def test_the_lecture_sits_beside_every_tab_in_both_languages():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        panel = app.query_one(LecturePanel)
        assert not panel.display
        await pilot.press("t")
        assert panel.display
        assert "every pixel takes a value in [0, 255]" in _lecture(panel)
        assert "(640, 640, 3)" in _lecture(panel)
        await pilot.press("2")
        await pilot.pause()
        text = _lecture(panel)
        assert "N = (W − F + 2P) / S + 1" in text and "(5 − 3 + 2) / 1 + 1 = 5" in text
        assert panel.border_title == "The lecture · Convolution"
        await pilot.press("L")
        await pilot.pause()
        assert "卷积运算本质上就是在卷积核和输入数据的局部区域间做点积" in _lecture(panel)
        assert panel.border_title == "讲义 · 卷积层"
        await pilot.press("3")
        await pilot.pause()
        assert "[[2.5, 4.5], [10.5, 12.5]]" in _lecture(panel)
        await pilot.press("t")
        assert not panel.display


async def test_every_tab_has_its_lecture_section_in_both_languages():
    from cnn_tui.i18n import catalogue
    from cnn_tui.ui.tabs import TABS

    for spec in TABS:
        texts = catalogue()[f"lecture.{spec.key}"]
        assert texts["en"].strip() and texts["zh"].strip(), spec.key


@pytest.mark.slow
async def test_my_image_my_network_through_every_tab(tmp_path):
    """Open a photo, step a convolution on it, see its feature maps, train, and see the learned view
    use the network just trained."""
    pixels = np.random.default_rng(7).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "photo.png")
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await wait_for_workers(pilot)
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "photo.png")
        await pilot.press("enter")
        await until(pilot, lambda: app.shared.image is not None and app.shared.image.name == "photo.png")
        await wait_for_workers(pilot)
        await pilot.press("j", "j", "l", "l", "l", "l")
        await pilot.pause()
        point = app.shared.point
        assert point is not None

        await pilot.press("g")  # Pixels: "step a convolution here"
        await until(pilot, lambda: app.query(ConvolutionTab) and app.query_one(ConvolutionTab).lab.input_source.kind == "image")
        conv = app.query_one(ConvolutionTab)
        np.testing.assert_array_equal(conv.lab.input, image_crop(pixels, 1, 5, 5, point))

        await pilot.press("4")
        await until(pilot, lambda: app.query(FeatureMapsTab) and not app.query_one(FeatureMapsTab).computing, 120)
        assert "(60, 80, 3)" in _text(app, "#fm-chain")
        assert "torch.Size([1, 3, 29, 39])" in _text(app, "#fm-chain")  # ⌊(60 − 3) / 2⌋ + 1, ⌊(80 − 3) / 2⌋ + 1
        await pilot.press("l")
        await until(pilot, lambda: "No trained network" in _text(app, "#fl-info"))
        await pilot.press("l")

        await _train_quickly(pilot)

        await pilot.press("4", "l")
        await until(pilot, lambda: "image_classification.pth: lecture" in _text(app, "#fl-info"), 120)
        await pilot.press("I")  # the last image the learned view offers: the current image
        await until(pilot, lambda: "the current image, resized to 32×32" in _text(app, "#fl-info"))
        await wait_for_workers(pilot)


async def test_a_gallery_image_becomes_the_current_image():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _train_quickly(pilot)
        await pilot.press("v")
        gallery = app.query_one(TrainingGallery)
        await pilot.press("enter")
        assert isinstance(app.screen, ImageDetail)
        index = gallery.selected_image
        await pilot.press("o")
        await until(pilot, lambda: app.shared.image is not None and app.shared.image.source.startswith("test image #"))
        report = app.query_one("#training-results").report
        assert app.shared.image.source == f"test image #{index} ({report.classes[int(report.labels[index])]})"
        assert app.query_one("TabbedContent").active == "pixels"
        await until(pilot, lambda: app.query("#px-shape") and "(H, W, C) = (32, 32, 3)" in _shape_text(app))


def _shape_text(app) -> str:
    """The Pixels readout's shape line as a learner reads it."""
    import io

    from rich.console import Console

    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(app.query_one("#px-shape").content)
    return console.export_text()


async def test_a_gallery_image_leads_to_what_the_network_sees():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _train_quickly(pilot)
        await pilot.press("v", "enter")
        assert isinstance(app.screen, ImageDetail)
        await pilot.press("p")
        await until(pilot, lambda: app.query_one("TabbedContent").active == "predict")
        await until(pilot, lambda: app.shared.image is not None and app.shared.image.source.startswith("test image #"))
        await wait_for_workers(pilot)
