"""The Model tab's receptive-field line: each conv and pooling layer's field size and jump, in both languages."""

from __future__ import annotations

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.test_model_tab import open_model
from tests.ui.training_helpers import until


async def test_the_lecture_network_field_sizes_and_jumps():
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await open_model(pilot)
        chain = " ".join(text_of(app, "#model-chain").split())
        assert "Receptive field and /jump" in chain
        assert "conv1 3×3 /1 · pool1 4×4 /2 · conv2 8×8 /2 · pool2 10×10 /4" in chain


async def test_the_residual_network_in_chinese():
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_model(pilot)
        tab.show_model("resnet")
        await until(pilot, lambda: tab.described is not None and tab.described.name == "resnet")
        await pilot.pause()
        chain = " ".join(text_of(app, "#model-chain").split())
        assert "感受野与 /步距" in chain
        assert "stem.conv 4×4 /2" in chain and "stages.0.1 26×26 /4" in chain
