"""Pilot tests of the Pixels tab: keys and clicks move the cursor, change channel and zoom, and the
readout follows; images open from the command line, the dialog and the built-ins; bad files only
give a notification."""

from __future__ import annotations

import pytest
from pathlib import Path

import numpy as np
from PIL import Image
from textual.widgets import Input

from cnn_tui.config import AppConfig
from cnn_tui.core.test_image import make_test_image
from cnn_tui.core.viewport import Zoom
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.tabs.pixels.tab import PixelsTab
from cnn_tui.ui.tabs.pixels.view import PixelView
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import notifications, notified, text_of
from tests.waiting import until, wait_for_workers

TEST_IMAGE = make_test_image(640)


async def _ready(pilot) -> None:
    """Wait for loading workers (a failed load starts another) and the messages they post."""
    await wait_for_workers(pilot, rounds=3)


def _text(app: CnnTuiApp, part: str) -> str:
    """The plain text a readout part shows."""
    return text_of(app, f"#px-{part}", width=120)


def _view(app: CnnTuiApp) -> PixelView:
    return app.query_one(PixelView)


def _cell_colours(view: PixelView, y: int) -> list[tuple[tuple[int, ...] | None, tuple[int, ...] | None]]:
    cells = []
    for segment in view.render_line(y):
        style = segment.style
        fg = tuple(style.color.triplet) if style and style.color and style.color.triplet else None
        bg = tuple(style.bgcolor.triplet) if style and style.bgcolor and style.bgcolor.triplet else None
        cells += [(fg, bg)] * len(segment.text)
    return cells


@pytest.mark.slow
async def test_default_image_shows_the_lecture_shape():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        assert "(H, W, C) = (640, 640, 3)" in _text(app, "shape")
        assert "uint8" in _text(app, "shape") and "(C, H, W) = (3, 640, 640)" in _text(app, "shape")
        view = _view(app)
        assert view.cursor == (320, 320) and app.focused is view
        assert "pixel (row, col) = (320, 320)" in _text(app, "cursor")
        assert "R, G, B = (255, 255, 255)" in _text(app, "cursor")
        assert "(1.000, 1.000, 1.000)" in _text(app, "cursor")
        assert "1 cell = 12×24 px" in _text(app, "view")


@pytest.mark.slow
async def test_fitted_view_shows_the_area_averaged_image():
    from cnn_tui.core.downsample import downsample

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        small = downsample(TEST_IMAGE, view.viewport.zoom.down)
        for y in (0, 5, 12, 20):
            cells = _cell_colours(view, y)
            for x in (0, 7, 30, 50):
                if (y, x) == view.viewport.cell_of(*view.cursor)[1::-1]:
                    continue
                assert cells[x] == (tuple(small[2 * y, x].tolist()), tuple(small[2 * y + 1, x].tolist()))


@pytest.mark.slow
async def test_cursor_keys_move_by_one_displayed_block_and_update_the_readout():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        step = view.viewport.zoom.down
        await pilot.press("right", "right", "down", "l", "j", "h", "k", "up")
        await pilot.pause()
        row, col = 320, 320 + 2 * step
        assert view.cursor == (row, col)
        assert f"pixel (row, col) = ({row}, {col})" in _text(app, "cursor")
        rgb = tuple(int(v) for v in TEST_IMAGE[row, col])
        assert f"R, G, B = {rgb}" in _text(app, "cursor")
        view.set_cursor(row, step + 1)
        await pilot.press("left", "left", "left")
        assert view.cursor[1] == 0  # stops at the edge
        await pilot.press("2", "1")  # away and back: the image has the keys again
        await pilot.pause()
        await pilot.press("right")
        assert app.focused is view and view.cursor[1] == step


@pytest.mark.slow
async def test_cursor_move_redraws_only_its_lines():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        lines = [view.render_line(y) for y in range(view.size.height)]
        was = view.viewport.cell_of(*view.cursor)[1]
        await pilot.press("right")
        await pilot.pause()
        y = view.viewport.cell_of(*view.cursor)[1]
        assert view.render_line(y) is not lines[y]  # the cursor's line is drawn anew
        kept = [view.render_line(other) is lines[other] for other in range(view.size.height) if other not in (y, was)]
        assert kept and all(kept)  # every line the cursor was not on is kept as drawn


@pytest.mark.slow
async def test_channel_key_cycles_modes_and_draws_one_channel():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        await pilot.press("c")
        await pilot.pause()
        assert view.mode == "r" and "R channel" in _text(app, "view")
        colours = {c for line in range(10) for cell in _cell_colours(view, line) for c in cell if c is not None}
        assert colours and all(g == 0 and b == 0 for _, g, b in colours)
        assert "R" in _text(app, "matrix") and "G" not in _text(app, "matrix").split("\n")[1]
        await pilot.press("c", "c", "c")
        await pilot.pause()
        assert view.mode == "gray" and "Greyscale" in _text(app, "view")
        await pilot.press("c")
        await pilot.pause()
        assert view.mode == "split" and view.panel_count == 3 and "side by side" in _text(app, "view")
        await pilot.press("c")
        assert view.mode == "rgb"


@pytest.mark.slow
async def test_zoom_keys_change_the_scale_and_zero_fits():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        fit = view.viewport.zoom
        await pilot.press("plus")
        await pilot.pause()
        assert view.viewport.zoom.scale > fit.scale
        assert "1 cell = 8×16 px" in _text(app, "view")
        await pilot.press(*["plus"] * 10)
        await pilot.pause()
        assert view.viewport.zoom == Zoom(up=6) and "1 px = 6×3 cells" in _text(app, "view")
        assert view.viewport.contains(*view.cursor)
        await pilot.press("minus")
        await pilot.pause()
        assert view.viewport.zoom == Zoom(up=4)
        await pilot.press("0")
        await pilot.pause()
        assert view.viewport.zoom == fit and "1 cell = 12×24 px" in _text(app, "view")


@pytest.mark.slow
async def test_zoomed_in_blocks_print_values():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("c", *["plus"] * 10)  # R channel, 1 px = 6×3 cells
        await pilot.pause()
        view = _view(app)
        x, y, _ = view.viewport.cell_of(*view.cursor)
        text = "".join(s.text for s in view.render_line(y + 1))
        assert text[x : x + 6].strip() == str(int(TEST_IMAGE[view.cursor][0]))


@pytest.mark.slow
async def test_pan_moves_the_window_and_the_cursor_with_it():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        await pilot.press(*["plus"] * 6)  # 1:1
        await pilot.pause()
        before, cursor = view.viewport, view.cursor
        await pilot.press("shift+right")
        await pilot.pause()
        shift = view.viewport.left - before.left
        assert shift > 0 and view.cursor == (cursor[0], cursor[1] + shift)
        assert f"({cursor[0]}, {cursor[1] + shift})" in _text(app, "cursor")
        await pilot.press("shift+up")
        assert view.viewport.top < before.top


@pytest.mark.slow
async def test_click_moves_the_cursor():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        view = _view(app)
        await pilot.click(PixelView, offset=(10, 3))
        await pilot.pause()
        expected = view.viewport.pixel_at(10, 3)
        assert view.cursor == expected
        assert f"pixel (row, col) = {expected}" in _text(app, "cursor")


@pytest.mark.slow
async def test_next_image_cycles_the_lectures_black_and_white():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("n")
        await _ready(pilot)
        assert "(H, W, C) = (200, 200, 3)" in _text(app, "shape")
        assert "np.zeros([200, 200, 3])" in _text(app, "image")
        assert "dtype float64" in _text(app, "shape")  # as the lecture's np.zeros makes it
        assert "R, G, B = (0, 0, 0)" in _text(app, "cursor")
        await pilot.press("n")
        await _ready(pilot)
        assert "R, G, B = (255, 255, 255)" in _text(app, "cursor")
        assert "dtype int64" in _text(app, "shape")  # np.full([200, 200, 3], 255)
        await pilot.press("n")
        await _ready(pilot)
        assert "(640, 640, 3)" in _text(app, "shape") and "dtype uint8" in _text(app, "shape")


async def test_image_from_the_command_line(tmp_path):
    pixels = np.zeros((30, 40, 4), dtype=np.uint8)
    pixels[:, :, 3] = 255
    pixels[15, 20] = (9, 8, 7, 255)
    pixels[0, 0, 3] = 0
    Image.fromarray(pixels, mode="RGBA").save(tmp_path / "small.png")
    app = CnnTuiApp(AppConfig(image=tmp_path / "small.png"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        assert "(H, W, C) = (30, 40, 3)" in _text(app, "shape")
        assert "small.png · mode RGBA" in _text(app, "image")
        assert "transparency composited on (255, 255, 255)" in _text(app, "image")
        assert "R, G, B = (9, 8, 7)" in _text(app, "cursor")
        (notification,) = notifications(app)  # the note is announced too
        assert "transparency composited" in notification.message


@pytest.mark.slow
async def test_open_dialog_loads_a_file_and_bad_files_keep_the_image(tmp_path):
    Image.new("RGB", (3, 2), (1, 2, 3)).save(tmp_path / "tiny.png")
    (tmp_path / "empty.png").write_bytes(b"")
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "tiny.png")
        await pilot.press("enter")
        await _ready(pilot)
        assert "(H, W, C) = (2, 3, 3)" in _text(app, "shape")
        for bad, reason in (("empty.png", "the file is empty (0 bytes)"), ("", "it is a directory")):
            await pilot.press("o")
            await pilot.pause()
            app.screen.query_one(Input).value = str(tmp_path / bad)
            await pilot.press("enter")
            await _ready(pilot)
            assert "(H, W, C) = (2, 3, 3)" in _text(app, "shape")  # the previous image stays
            assert notified(app, reason)
        await pilot.press("o")
        await pilot.press("escape")
        assert isinstance(app.screen.query_one(PixelsTab), PixelsTab)


@pytest.mark.slow
async def test_bad_command_line_image_falls_back_to_the_default(tmp_path):
    (tmp_path / "broken.png").write_text("not a png")
    app = CnnTuiApp(AppConfig(image=tmp_path / "broken.png"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await _ready(pilot)
        assert "(640, 640, 3)" in _text(app, "shape")
        (notification,) = notifications(app)
        assert "not an image Pillow can read" in notification.message and "broken.png" in notification.title


@pytest.mark.slow
async def test_notes_are_announced_for_a_one_pixel_image(tmp_path):
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(tmp_path / "dot.png")
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        app.query_one(PixelsTab).open(Path(tmp_path / "dot.png"))
        await _ready(pilot)
        assert _view(app).viewport.zoom == Zoom(up=6)
        (notification,) = notifications(app)
        assert "a single pixel" in notification.message and "transparency composited" in notification.message


@pytest.mark.slow
async def test_language_switch_redraws_the_readout():
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert "图像的形状 (H, W, C) = (640, 640, 3)" in _text(app, "shape")
        assert "1 格 = 12×24 像素" in _text(app, "view")
        rows = {key: text for _, section in app.help_sections() for key, text in section}
        assert rows["c"] == "通道" and rows["o"] == "打开图像"


async def test_path_suggester_completes_files_and_directories(tmp_path):
    from cnn_tui.ui.screens.open_image import PathSuggester

    (tmp_path / "images").mkdir()
    (tmp_path / "img.png").write_bytes(b"x")
    (tmp_path / ".hidden.png").write_bytes(b"x")
    suggester = PathSuggester()
    assert await suggester.get_suggestion(str(tmp_path / "img")) == str(tmp_path / "img.png")
    assert await suggester.get_suggestion(str(tmp_path / "ima")) == str(tmp_path / "images") + "/"
    assert await suggester.get_suggestion(str(tmp_path / ".hid")) == str(tmp_path / ".hidden.png")
    assert await suggester.get_suggestion(str(tmp_path / "nothing")) is None
    assert await suggester.get_suggestion("/no/such/dir/x") is None


@pytest.mark.slow
async def test_an_image_changed_while_hidden_is_shown_when_the_tab_is_shown_again():
    from cnn_tui.ui.messages import OpenImage

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        app.post_message(OpenImage("black"))  # as another tab would ask for it
        await _ready(pilot)
        await pilot.press("1")
        await _ready(pilot)
        assert "(H, W, C) = (200, 200, 3)" in _text(app, "shape")
        assert "R, G, B = (0, 0, 0)" in _text(app, "cursor") and _view(app).cursor == (100, 100)


@pytest.mark.slow
async def test_switching_tabs_while_the_image_loads_stays_switched():
    from textual.widgets import TabbedContent

    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("2")  # before the image has arrived
        await _ready(pilot)
        assert app.query_one(TabbedContent).active == "convolution"
        await pilot.press("1")  # the tab prepares the image it was not shown while hidden
        await _ready(pilot)
        assert app.focused is _view(app)
        assert not app.query_one("#pixel-readout").can_focus


@pytest.mark.slow
async def test_the_tabs_keys_work_while_the_first_image_is_prepared(monkeypatch):
    """Until the image is shown the tab says it is loading; its keys already work (here p: to Predict),
    and once the image is shown the view has the focus."""
    import threading

    from textual.widgets import TabbedContent

    import cnn_tui.core.prepare as prepare_module

    release = threading.Event()
    prepare = prepare_module.prepare

    def held_prepare(*args, **kwargs):
        release.wait(timeout=60)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "prepare", held_prepare)
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        try:
            await until(pilot, lambda: isinstance(app.focused, PixelsTab))
            assert text_of(app, "#pixels-placeholder").strip() == "Loading the image …"
            await pilot.press("p")
            await until(pilot, lambda: app.query_one(TabbedContent).active == "predict")
            await pilot.press("1")
        finally:
            release.set()
        await until(pilot, lambda: app.focused is not None and isinstance(app.focused, PixelView))
        assert "(H, W, C) = (640, 640, 3)" in _text(app, "shape")
