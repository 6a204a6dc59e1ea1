"""Class names in Chinese wherever the app shows them (issue 28: "飞机 airplane"): Predict's top classes and its
map titles, the Feature maps tab's trained network and the Training gallery (their Chinese names alone: narrow
columns), the gallery's detail screen."""

from __future__ import annotations

from cnn_tui.i18n import class_head, class_label
from cnn_tui.ui.screens.image_detail import ImageDetail
from cnn_tui.ui.tabs.training.gallery import TrainingGallery, captions
from cnn_tui.ui.tabs.training.results import TrainingResults
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.test_neuron_views import make_app as tiny_app
from tests.ui.test_neuron_views import open_learned
from tests.ui.test_predict_tab import open_predict
from tests.ui.test_training_snapshots import _after_run, _repeatable  # noqa: F401 (an autouse fixture: the recorded run)
from tests.ui.training_helpers import cached_synthetic, make_app  # noqa: F401 (an autouse fixture)
from tests.waiting import until, wait_for_workers


SYNTHETIC = ("disc", "ring", "square", "triangle", "cross", "h-stripes", "v-stripes", "diagonal", "checker", "dots")


def _named(text: str) -> list[str]:
    """The synthetic classes whose Chinese label ("圆环 ring") the text shows."""
    return [name for name in SYNTHETIC if class_label(name, "zh") in text]


async def test_predict_names_its_classes_in_chinese(tmp_path):
    app = tiny_app(tmp_path, "zh")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_predict(pilot)
        top = text_of(app, "#predict-top")
        assert len(_named(top)) == len([name for name in SYNTHETIC if f" {name} " in f" {top} "]) >= 3, top
        assert _named(text_of(app, "#predict-gradcam-title")), text_of(app, "#predict-gradcam-title")
        assert _named(text_of(app, "#predict-saliency-title"))


async def test_feature_maps_trained_network_names_its_classes_in_chinese(tmp_path):
    app = tiny_app(tmp_path, "zh")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_learned(pilot)
        await wait_for_workers(pilot)
        info = text_of(app, "#fl-info")
        label, predicted = info.split("标签：")[1].splitlines()[0].strip(), info.split("预测：")[1]
        heads = {class_head(name, "zh"): name for name in SYNTHETIC}  # the panel is narrow: the Chinese name alone
        assert label in heads, info
        assert sum(head in predicted for head in heads) == 3 and not any(name in predicted for name in SYNTHETIC), info


async def test_gallery_and_detail_name_classes_in_chinese():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _after_run("v")(pilot)
        report = app.query_one(TrainingResults).report
        await pilot.press("L")
        await until(pilot, lambda: app.lang == "zh")
        gallery = app.query_one(TrainingGallery)
        index = gallery.selected_image
        true, predicted = (str(line) for line in captions(report, index))
        assert true == class_label(report.classes[int(report.labels[index])], "zh")
        assert class_head(report.classes[int(report.predicted[index])], "zh") in predicted
        await pilot.press("enter")
        assert isinstance(app.screen, ImageDetail)
        title, top = text_of(app.screen, "#detail-title"), text_of(app.screen, "#detail-top")
        assert class_label(report.classes[int(report.labels[index])], "zh") in title, title
        assert all(class_label(report.classes[int(c)], "zh") in top for c in report.top_classes[index]), top
