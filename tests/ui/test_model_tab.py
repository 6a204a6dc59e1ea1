"""Pilot tests of the Model tab: the lecture's chain of shapes, the same summary as `cnn-tui summary`, the code."""

from __future__ import annotations

import argparse
import io
import re
from contextlib import redirect_stdout


from cnn_tui.commands import summary as summary_command
from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.model.tab import ModelTab
from tests.conftest import SNAPSHOT_SIZE
from tests.ui.training_helpers import until
from tests.waiting import mounted
from tests.shown import text_of


async def open_model(pilot) -> ModelTab:
    await pilot.pause()
    await pilot.press("5")
    tab = await mounted(pilot, ModelTab)
    await until(pilot, lambda: tab.described is not None)
    await pilot.pause()
    return tab


async def test_the_lecture_network_as_a_chain_of_shapes():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        assert app.focused is tab
        chain = " ".join(text_of(app, "#model-chain").split())
        assert (
            "3×32×32 → conv1 → 6×30×30 → pool1 → 6×15×15 → conv2 → 16×13×13 → pool2 → 16×6×6 → "
            "flatten → 576 → linear1 → 120 → linear2 → 84 → out → 10"
        ) in chain


async def test_the_table_shows_the_numbers_of_cnn_tui_summary():
    out = io.StringIO()
    with redirect_stdout(out):
        assert summary_command.run(argparse.Namespace(model="lecture", batch_size=1)) == 0
    printed = out.getvalue()
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_model(pilot)
        table = text_of(app, "#model-table")
        rows = re.findall(r"^\s*(\w+-\d+)\s+(\[[^\]]*\])\s+([\d,]+)\s+([\d,]+)$", printed, re.M)
        assert [row[0] for row in rows] == [
            "Conv2d-1", "MaxPool2d-2", "Conv2d-3", "MaxPool2d-4", "Linear-5", "Linear-6", "Linear-7",
        ]
        for row in rows:
            line = next(line for line in table.splitlines() if f" {row[0]} " in line)
            assert all(part in line for part in row), (row, line)
        for total in ("Total params: 81,302", "Forward/backward pass size (MB): 0.08", "Estimated Total Size (MB): 0.40"):
            assert total in printed and total in table
        assert "Mult-Adds per image" in table


async def test_the_code_is_the_models_class_and_its_config():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        code = tab.described.code
        assert "class ImageClassification(nn.Module):" in code and "    def forward(self, x):" in code
        assert "self.conv2 = nn.Conv2d(6, 16, kernel_size=(3, 3), stride=(1, 1))" in code
        assert code.rstrip().endswith("model = ImageClassification()")
        source = text_of(app, "#model-source")
        assert "self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2" in source


async def test_models_can_be_chosen_with_m_and_the_selector():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        names = list(tab.models)
        assert names[0] == "lecture"
        await pilot.press("m")
        expected = names[1 % len(names)]
        await until(pilot, lambda: tab.described is not None and tab.described.name == expected)
        assert tab.model == expected and str(app.query_one("#model-select").value) == expected
        assert f"{tab.described.summary.total_params:,} parameters" in text_of(app, "#model-help")


async def test_an_unknown_model_is_one_clear_line_in_the_apps_language_and_again_after_a_switch():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        tab.show_model("resnet9000")
        await until(pilot, lambda: "未知的模型 'resnet9000'" in text_of(tab, "#model-chain"))
        await pilot.press("L")
        await until(pilot, lambda: "unknown model 'resnet9000'" in text_of(tab, "#model-chain"))


async def test_the_best_preset_is_explained_with_its_table_and_expected_result():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        tab.show_model("best")
        await until(pilot, lambda: tab.described is not None and tab.described.name == "best")
        await pilot.pause()
        help_text = " ".join(text_of(app, "#model-help").split())
        assert "761,536 parameters" in help_text and "whitened first layer" in help_text and "~0.84" in help_text
        assert "3×32×32" in text_of(app, "#model-chain")
        table = text_of(app, "#model-table")
        assert "Total params: 761,536" in table and "Mult-Adds per image" in table


async def test_the_description_is_in_chinese_in_the_chinese_ui():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_model(pilot)
        described = " ".join(text_of(app, "#model-help").split())
        assert "讲义中的 ImageClassification" in described and "the lecture's" not in described


async def test_an_unusable_active_network_says_why(tmp_path):
    from cnn_tui.ml.checkpoints import meta_path

    broken = tmp_path / "broken.pth"
    broken.write_bytes(b"not a checkpoint")
    meta_path(broken).write_text("{not json", encoding="utf-8")  # its metadata says which network: unreadable
    app = CnnTuiApp(AppConfig(lang="en", checkpoint=broken))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        await until(pilot, lambda: "cannot be used" in text_of(tab, "#model-active", width=400))
        line = " ".join(text_of(tab, "#model-active", width=400).split())
        assert line.startswith(f"The network at {broken} cannot be used: ") and "train one in tab 6" in line
