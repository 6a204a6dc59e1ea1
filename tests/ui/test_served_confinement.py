"""A served session (`--confine DIR`, as `cnn-tui serve` starts it) tried from the keyboard: the open dialog, its
completion and the Model tab's own network file stay in the session's folder; a path out of it is a sentence, and
nothing outside is read or imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import Input

from cnn_tui.config import AppConfig
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.open_image import PathSuggester
from cnn_tui.ui.tabs.model.tab import ModelTab
from tests.conftest import REPO_ROOT, SNAPSHOT_SIZE
from tests.shown import notified, text_of
from tests.waiting import until, wait_for_workers


@pytest.fixture
def session(tmp_path, monkeypatch):
    """A session folder with an image and a link out, beside a folder with a secret image and a network file
    that leaves a mark when imported; the working directory is elsewhere (as the server's)."""
    folder, outside = tmp_path / "session", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    Image.new("RGB", (3, 2), (1, 2, 3)).save(folder / "mine.png")
    Image.new("RGB", (5, 4), (9, 9, 9)).save(outside / "secret.png")
    (outside / "evil.py").write_text(f"open({str(outside / 'ran')!r}, 'w').close()\nimport torch\nNet = torch.nn.Identity\n")
    (folder / "link").symlink_to(outside)
    (folder / "evil-link.py").symlink_to(outside / "evil.py")
    monkeypatch.chdir(outside)
    return folder, outside


def shape(app: CnnTuiApp) -> str:
    return text_of(app, "#px-shape", width=120)


@pytest.mark.slow
async def test_the_open_dialog_opens_only_files_in_the_session_folder(session, monkeypatch):
    import cnn_tui.core.prepare as prepare

    folder, outside = session
    opened: list[str] = []
    real = prepare.open_source
    monkeypatch.setattr(prepare, "open_source", lambda source, *a, **k: opened.append(str(source)) or real(source, *a, **k))
    app = CnnTuiApp(AppConfig(lang="en", confine=folder))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await wait_for_workers(pilot, rounds=3)
        tries = [("../outside/secret.png", "is outside this session's folder"),
                 (str(outside / "secret.png"), "is outside this session's folder"),
                 ("link/secret.png", "is a link that leads out of this session's folder")]
        for typed, said in tries:
            await pilot.press("o")
            await pilot.pause()
            app.screen.query_one(Input).value = typed
            await pilot.press("enter")
            await wait_for_workers(pilot, rounds=3)
            assert notified(app, said), typed
            assert "(640, 640, 3)" in shape(app)  # the test image stays
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = "mine.png"  # relative to the session's folder, not the working directory
        await pilot.press("enter")
        await wait_for_workers(pilot, rounds=3)
        assert "(H, W, C) = (2, 3, 3)" in shape(app)
    assert opened == ["test", str(folder.resolve() / "mine.png")]  # nothing outside was read


async def test_the_open_dialog_completes_only_inside_the_session_folder(session):
    from cnn_tui.ui.state import confinement

    folder, outside = session
    suggester = PathSuggester(confinement(AppConfig(confine=folder)))
    assert await suggester.get_suggestion("mi") == "mine.png"
    assert await suggester.get_suggestion("lin") is None  # the link out is not offered
    for typed in ("../outside/se", f"{outside}/se", "/et", "~/", "link/se"):
        assert await suggester.get_suggestion(typed) is None, typed
    assert await PathSuggester().get_suggestion(f"{outside}/se") == f"{outside}/secret.png"  # unconfined: anywhere


@pytest.mark.slow
async def test_the_model_tab_imports_an_own_network_only_from_the_session_folder(session):
    folder, outside = session
    shutil.copy(REPO_ROOT / "examples" / "my_network.py", folder / "my_network.py")
    app = CnnTuiApp(AppConfig(lang="en", confine=folder))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("5")
        tab = app.query_one(ModelTab)
        await until(pilot, lambda: tab.described is not None)
        tries = [(f"{outside}/evil.py:Net", "is outside this session's folder"),
                 ("../outside/evil.py:Net", "is outside this session's folder"),
                 ("evil-link.py:Net", "is a link that leads out of this session's folder")]
        for typed, said in tries:
            await pilot.press("f")
            await pilot.pause()
            app.screen.query_one(Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert said in text_of(app.screen, "#convpool-form-message"), typed
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one(Input).value = "my_network.py:MyNetwork"
        await pilot.press("enter")
        await until(pilot, lambda: tab.described is not None and tab.described.name.endswith("my_network.py:MyNetwork"))
        assert tab.described.name == f"{folder.resolve()}/my_network.py:MyNetwork"
    assert not (outside / "ran").exists()  # evil.py never ran


@pytest.mark.slow
async def test_the_training_form_saves_and_reads_only_in_the_session_folder(session):
    from tests.ui.training_helpers import open_training

    folder, outside = session
    app = CnnTuiApp(AppConfig(lang="en", confine=folder, checkpoint=folder / "image_classification.pth"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await open_training(pilot)
        before = tab.settings
        tries = [("checkpoint", f"{outside}/stolen.pth", "is outside this session's folder"),
                 ("checkpoint", "link/stolen.pth", "is a link that leads out"),
                 ("data", "..", "is outside this session's folder"),
                 ("model_file", "../outside/evil.py:Net", "is outside this session's folder")]
        for field, typed, said in tries:
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one(f"#training-field-{field}", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert said in text_of(app.screen, "#training-form-problems"), typed
            await pilot.press("escape")
            await pilot.pause()
        assert tab.settings == before
    assert not (outside / "ran").exists() and not (outside / "stolen.pth").exists()
