"""The Training tab on a folder of one's own photos: the log states classes, counts and the resize policy first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.training.live import TrainingLive
from tests.conftest import SNAPSHOT_SIZE
from tests.photo_folders import write_photo_folder
from tests.shown import text_of
from tests.ui.training_helpers import QUICK, finish, open_training, use

pytestmark = pytest.mark.usefixtures("scratch_folder")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_photo_folder_is_described_before_the_first_epoch(lang):
    folder = Path("pets").resolve()
    write_photo_folder(folder, ("blue", "green", "red"), per_class=5)
    (folder / "red" / "notes.txt").write_text("not a photo")
    app = CnnTuiApp(AppConfig(lang=lang))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, replace(QUICK, data=str(folder), train_limit=None, test_limit=None, epochs=1, batch_size=4))
        assert "photo" in text_of(app, "#training-source") or "照片" in text_of(app, "#training-source")
        await pilot.press("s")
        await finish(pilot, tab)
        notes = " ".join(line.strip() for line in app.query_one(TrainingLive).notes)  # long lines wrap
    if lang == "en":
        assert "15 photos of 3 classes, " in notes and "→ shorter side 32, centre crop 32×32" in notes
        assert "classes: blue 5, green 5, red 5" in notes and "skipped 1 file that is not a readable photo: red/notes.txt" in notes
    else:
        assert "3 个类别的 15 张照片" in notes and "短边缩放到 32，居中裁剪为 32×32" in notes
        assert "类别：blue 5，green 5，red 5" in notes and "red/notes.txt" in notes
