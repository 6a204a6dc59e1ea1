"""The Pixels readout states an EXIF-rotated image's size as shown, upright, beside the note that says it was turned
(issue 29: it gave the stored size, which contradicted the (H, W, C) shape under it), and its file name escaped."""

from __future__ import annotations

import numpy as np
from PIL import Image

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.waiting import wait_for_workers


async def test_a_rotated_image_reads_upright_and_its_name_escaped(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored 40 wide and 30 tall; shown turned 90° clockwise: 30 wide, 40 tall
    path = tmp_path / "\x1b[31mturned.png"
    Image.fromarray(np.zeros((30, 40, 3), dtype=np.uint8)).save(path, exif=exif)
    app = CnnTuiApp(AppConfig(image=path))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await wait_for_workers(pilot, rounds=3)
        image = text_of(app, "#px-image", width=120)
        assert "(H, W, C) = (40, 30, 3)" in text_of(app, "#px-shape", width=120)
        assert "\\x1b[31mturned.png · mode RGB · 30×40" in image and "\x1b" not in image
        assert "turned upright by its EXIF orientation (6)" in image
