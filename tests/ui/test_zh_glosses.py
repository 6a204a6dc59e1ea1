"""The app's own names said in Chinese too: dropdown values glossed, the recipe's extras in words, the built-in
data set, the own-network form, the Pooling form's 最大 / 平均, and the default recipe set against the lecture's."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from cnn_tui.config import AppConfig
from cnn_tui.core.training_settings import TrainingSettings
from cnn_tui.i18n import set_language
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.settings_form import SettingsForm
from cnn_tui.ui.tabs.training.form import TrainingForm
from cnn_tui.ui.tabs.stepper.pooling import PoolingTab
from cnn_tui.render.training_text import lecture_note, recipe_note
from tests.shown import text_of
from tests.ui.training_helpers import open_training
from tests.waiting import until, wait_for_workers


def _labels(select: Select) -> list[str]:
    """What the dropdown's menu lists (its pop-up is an OptionList)."""
    menu = select.query_one(OptionList)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


def test_the_recipe_note_is_in_words_in_chinese_and_unchanged_in_english():
    set_language("zh")
    note = recipe_note(TrainingSettings())
    assert "schedule=" not in note and "flip=" not in note and "normalize=" not in note, note
    assert "one-cycle 学习率" in note and "标签平滑 0.1" in note
    assert "这不是讲义的训练循环" in lecture_note(TrainingSettings()) and "按 l" in lecture_note(TrainingSettings())
    assert lecture_note(TrainingSettings().with_recipe("lecture")).startswith("讲义的训练循环")
    set_language("en")
    assert recipe_note(TrainingSettings()).endswith("schedule=onecycle, flip=True crop=1, label_smoothing=0.1, normalize=True")


async def test_the_training_forms_dropdowns_gloss_their_values_and_l_chooses_the_lectures_recipe():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        tab = await open_training(pilot)
        assert "这不是讲义的训练循环" in text_of(tab, "#training-settings")
        await pilot.press("l")
        await until(pilot, lambda: tab.settings.recipe == "lecture")
        assert (tab.settings.batch_size, tab.settings.optimizer, tab.settings.model) == (8, "adam", "lecture")
        assert "讲义的训练循环：批大小 8" in text_of(tab, "#training-settings")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, TrainingForm))
        form = app.screen
        assert form.query_one("#training-field-model_file").placeholder == "文件路径.py:类名"
        for name, expected in (("recipe", "fast · 快速"), ("optimizer", "sgd · 随机梯度下降"), ("model", "lecture · 讲义的网络")):
            select = form.query_one(f"#training-field-{name}", Select)
            assert any(label.startswith(expected) for label in _labels(select)), (name, _labels(select))
        assert form.values()["recipe"] == "lecture"  # the values are still the names


async def test_the_model_selector_glosses_its_networks_in_the_apps_language():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: bool(app.query("#model-select")) and len(_labels(app.query_one("#model-select", Select))) > 1)
        assert "resnet · 残差网络" in _labels(app.query_one("#model-select", Select))
        await pilot.press("L")
        await until(pilot, lambda: "resnet · residual" in _labels(app.query_one("#model-select", Select)))
        assert str(app.query_one("#model-select", Select).value) == "lecture"


async def test_the_pooling_form_takes_the_lectures_chinese_words_for_its_mode():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_workers(pilot)
        await app.run_tab_action("pooling", None, "focus")
        tab = app.query_one(PoolingTab)
        for word, mode in (("平均", "avg"), ("最大池化", "max"), ("平均池化", "avg")):
            await app.run_tab_action("pooling", None, "form")
            await until(pilot, lambda: isinstance(app.screen, SettingsForm) and bool(app.screen.query("#field-mode")))
            app.screen.query_one("#field-mode").value = word
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, SettingsForm))
            assert tab.lab.mode == mode, word


def test_the_built_in_data_set_is_named_in_chinese():
    from cnn_tui.ml.synthetic import make_synthetic
    from cnn_tui.ui.tabs.training.job import data_facts

    set_language("zh")
    assert data_facts(make_synthetic(train=20, test=10))[0] == "数据集：合成的形状与纹理（训练集 20 张，测试集 10 张）"


async def test_the_lectures_cnn_overview_is_reachable_from_the_model_tab():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: bool(app.query("#model-chain")) and "数据输入层" in text_of(app, "#model-chain"))
        chain = " ".join(text_of(app, "#model-chain").split())
        assert "数据输入层 → CONV 卷积层 → POOL 池化层 → CONV 卷积层 → POOL 池化层 → 展平 → FC 全连接层" in chain, chain
        assert "RELU 激励层" in chain
        await pilot.press("t")
        await pilot.pause()
        lecture = text_of(app, "#lecture-text")
        assert "CNN 概述" in lecture and "去均值" in lecture and "数据输入层 → CONV → RELU → POOL → FC" in lecture


async def test_the_pooling_api_presets_show_the_pytorch_printout():
    from cnn_tui.ui.tabs.stepper.pooling import PoolingTab

    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_workers(pilot)
        await app.run_tab_action("pooling", None, "focus")
        tab = app.query_one(PoolingTab)
        assert "tensor(" not in text_of(tab, "#pool-formula")  # the padding table is not printed by the lecture
        tab.apply_preset("example:max-pool-api")
        await pilot.pause()
        assert "tensor([[[[4., 5.],\n          [7., 8.]]]])" in text_of(tab, "#pool-formula")
        tab.apply_preset("example:avg-pool-api")
        await pilot.pause()
        assert "tensor([[[[2., 3.],\n          [5., 6.]]]])" in text_of(tab, "#pool-formula")
