"""The app's open-image dialog (`o`) refuses a few hundred bytes of PNG or JPEG whose header claims 30000×30000 pixels
by that size, before decoding: one note naming the file and the limit, and the image shown before stays."""

from __future__ import annotations

from textual.widgets import Input

from cnn_tui.config import IMAGE_DEFAULTS, AppConfig
from cnn_tui.ui.app import CnnTuiApp
from tests.conftest import SNAPSHOT_SIZE
from tests.hostile import jpeg_bomb, png_bomb
from tests.shown import notifications
from tests.waiting import until, wait_for_workers


async def test_the_open_image_dialog_refuses_image_bombs_by_their_header(tmp_path):
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await until(pilot, lambda: app.shared.image is not None)
        shown = app.shared.image
        for bomb in (png_bomb(tmp_path / "bomb.png"), jpeg_bomb(tmp_path / "bomb.jpg")):
            await pilot.press("o")
            await pilot.pause()
            app.screen.query_one(Input).value = str(bomb)
            await pilot.press("enter")
            await wait_for_workers(pilot, rounds=3)
            await until(pilot, lambda: any(str(bomb) in str(n.title) for n in notifications(app)))
            note = next(n for n in notifications(app) if str(bomb) in str(n.title))
            assert str(note.title) == f"Cannot open {bomb}"
            assert str(note.message) == (
                f"900,000,000 pixels is over the limit of {IMAGE_DEFAULTS.max_pixels:,} (a possible decompression bomb). "
                "The previous image stays."
            )
            assert app.shared.image is shown  # the image shown before stays
