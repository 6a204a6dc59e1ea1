"""The Predict tab shows file names from a stranger (the image's, the checkpoint's) with their control characters
escaped (issue 29): nothing in a name reaches the terminal as an escape sequence."""

from __future__ import annotations

from cnn_tui.config import AppConfig, Paths
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.test_predict_tab import open_predict
from tests.unit.test_file_names_escaped import RED_SHOWN, checkpoint, red  # noqa: F401 - fixtures


async def test_the_predict_tab_shows_the_image_and_checkpoint_names_escaped(checkpoint, red, tmp_path):
    """The Predict tab's heading names the image and the checkpoint file; with no network, the path it looked at."""
    hostile = tmp_path / "\x1b]2;T\x1b\\m.pth"
    checkpoint.rename(hostile)
    checkpoint.with_suffix(".json").rename(hostile.with_suffix(".json"))
    for chosen, expected in ((hostile, "\\x1b]2;T\\x1b\\m.pth"), (tmp_path / "\x1b[2Jnone.pth", "\\x1b[2Jnone.pth")):
        app = CnnTuiApp(AppConfig(lang="en", image=red, paths=Paths(models_dir=tmp_path), checkpoint=chosen))
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await open_predict(pilot)
            info = text_of(app, "#predict-info")
            assert "\x1b" not in info and expected in info
            if chosen == hostile:
                assert RED_SHOWN in info
