"""A 100 KB paste into the Training tab's form (issue 29): the form refuses it where it was typed, and a long path
that is a path stays a few lines in the side panel, so the message after `s` stays on the screen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cnn_tui.core.training_settings import MAX_PATH_CHARS
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import QUICK, make_app, open_training, until, use

pytestmark = pytest.mark.usefixtures("scratch_folder")


def _on_screen(app, selector: str) -> bool:
    region = app.query_one(selector).region
    return region.height > 0 and region.y + region.height <= app.screen.size.height


async def test_a_100_kb_paste_is_refused_in_the_form_with_one_short_line_per_field():
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        before = tab.settings
        await pilot.press("e")
        form = app.screen
        form.query_one("#training-field-data").value = "/tmp/" + "x" * 100_000
        form.query_one("#training-field-model_file").value = "/tmp/" + "m" * 100_000 + ".py:Net"
        form.query_one("#training-field-epochs").value = "9" * 100_000 + "x"
        form.apply()
        await pilot.pause()
        assert app.screen is form and tab.settings == before
        problems = text_of(form, "#training-form-problems").splitlines()
        assert problems[0] == f"data: 100,005 characters: a path can be at most {MAX_PATH_CHARS:,}"
        assert problems[1] == f"own model: 100,012 characters: a path can be at most {MAX_PATH_CHARS:,}"
        assert problems[2].startswith("epochs: '999") and "…" in problems[2] and len(problems[2]) < 100
        form.query_one("#training-field-data").value = "/tmp/" + "n" * 300
        form.query_one("#training-field-model_file").value = ""
        form.query_one("#training-field-epochs").value = "1"
        form.apply()
        await pilot.pause()
        assert text_of(form, "#training-form-problems").strip() == (
            "data: a folder or file name in it is longer than 255 bytes, the most a name can be"
        )


async def test_a_long_path_keeps_the_side_panel_and_the_message_after_s_on_the_screen(tmp_path):
    app = make_app()
    (tmp_path / "a-file").write_text("not a folder")
    deep = "/".join(["y" * 200] * 19)  # about 3,800 characters, every name a legal length
    checkpoint = str(tmp_path / "a-file" / deep / "m.pth")
    assert len(checkpoint) < MAX_PATH_CHARS
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        await use(pilot, tab, replace(QUICK, data="synthetic"))
        await pilot.pause()
        short = len(text_of(app, "#training-settings", width=37).splitlines())  # with the default checkpoint path
        tab.apply_settings(replace(tab.settings, checkpoint=checkpoint))
        await pilot.pause()
        await pilot.press("s")
        await until(pilot, lambda: "could not run" in text_of(app, "#training-status"))
        status = text_of(app, "#training-status", width=37)
        assert _on_screen(app, "#training-status") and _on_screen(app, "#training-settings")
        assert "…" in status and "y" * 200 not in status.replace("\n", "")
        assert len(text_of(app, "#training-settings", width=37).splitlines()) <= short + 4  # the path: a few lines
