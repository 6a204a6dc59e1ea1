"""Pilot tests of the Practice screen (P): a right and a wrong answer checked at once and kept in the record,
a typo asked again, h opening the Convolution or Pooling tab at exactly the exercise and P bringing the learner
back, both languages, and a snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from cnn_tui.config import AppConfig
from cnn_tui.core.answers import answer_text
from cnn_tui.core.practice import topics
from cnn_tui.core.practice_progress import Progress, load, save
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.practice_screen import PracticeScreen
from cnn_tui.ui.tabs.stepper.convolution import ConvolutionTab
from cnn_tui.ui.tabs.stepper.pooling import PoolingTab
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import notified, text_of
from tests.waiting import wait_for_workers


@pytest.fixture
def record(tmp_path, monkeypatch) -> Path:
    """The learner's record, in a data folder of the test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path / "cnn-tui" / "practice.json"


def _start_with(record: Path, topic: str) -> None:
    """A record in which every other topic was answered once, so `topic` is asked first."""
    progress = Progress()
    for name in topics():
        if name != topic:
            progress = progress.record(name, True)
    save(record, progress)


async def _open_practice(pilot) -> PracticeScreen:
    await wait_for_workers(pilot)
    await pilot.press("P")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    assert isinstance(pilot.app.focused, Input)
    return screen


async def _answer(pilot, text: str) -> None:
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def _wrong(exercise) -> str:
    if isinstance(exercise.answer, tuple):
        return "×".join(str(n + 1) for n in exercise.answer)
    return str(exercise.answer + 7)


@pytest.mark.slow
async def test_a_right_answer_counts_and_asks_the_next(record):
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        first = screen.exercise
        assert first.question("en").splitlines()[-1] in text_of(screen, "#practice-question")
        await _answer(pilot, answer_text(first))
        assert "Right! Streak: 1." in text_of(screen, "#practice-feedback")
        assert screen.exercise is not first and not screen.reviewing
        assert app.screen.query_one(Input).value == ""
        assert "1/1" in text_of(screen, "#practice-progress")
    assert load(record).topics[first.topic].right == 1


@pytest.mark.slow
async def test_a_typo_is_explained_and_a_wrong_answer_shows_the_right_one(record):
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        exercise = screen.exercise
        await _answer(pilot, "what?")
        assert "is not a" in text_of(screen, "#practice-feedback") and screen.exercise is exercise
        await _answer(pilot, _wrong(exercise))
        shown = text_of(screen, "#practice-feedback")
        assert f"Not quite: the answer is {answer_text(exercise)}." in shown
        assert screen.reviewing and screen.query_one(Input).disabled
        await pilot.press("n")
        await pilot.pause()
        assert screen.exercise is not exercise and not screen.reviewing
    assert load(record).topics[exercise.topic].wrong == 1


@pytest.mark.slow
@pytest.mark.parametrize("topic, tab_class", [("conv_cell", ConvolutionTab), ("pool_cell", PoolingTab)])
async def test_h_opens_the_tab_at_the_exercise_and_p_comes_back(record, topic, tab_class):
    _start_with(record, topic)
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        exercise = screen.exercise
        assert exercise.topic == topic
        await _answer(pilot, _wrong(exercise))
        await pilot.press("h")
        await wait_for_workers(pilot)
        await pilot.pause()
        assert not isinstance(app.screen, PracticeScreen)
        tab = app.query_one(tab_class)
        assert tab.display and app.query_one("#tabs").active == ("convolution" if topic == "conv_cell" else "pooling")
        trace = tab.trace
        assert trace.input.tolist() == [[[float(v) for v in row] for row in ch] for ch in exercise.setting["input"]]
        assert trace.position(tab.step_index) == exercise.at  # the step on the cell that was asked
        assert trace.output[exercise.at] == pytest.approx(exercise.answer)
        assert f"output[{exercise.at[0]}][{exercise.at[1]}][{exercise.at[2]}]" in text_of(tab, f"#{tab.PREFIX}-status")
        if topic == "conv_cell":
            assert trace.weights.tolist() == [[[[float(v) for v in r] for r in c] for c in k] for k in exercise.setting["weight"]]
        assert notified(app, "P: back to practice")
        await pilot.press("P")
        await pilot.pause()
        assert app.screen is screen and screen.exercise is exercise and screen.reviewing


@pytest.mark.slow
async def test_no_h_where_no_tab_can_show_it(record):
    _start_with(record, "conv_params")
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        await _answer(pilot, _wrong(screen.exercise))
        assert "h:" not in text_of(screen, "#practice-feedback")
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is screen


async def test_practice_in_chinese_and_escape_goes_back(record):
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        assert "？" in text_of(screen, "#practice-question")
        assert "连续答对 0" in text_of(screen, "#practice-progress")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PracticeScreen)


async def test_a_damaged_record_is_said_and_left_alone(record):
    record.parent.mkdir(parents=True)
    record.write_text("{broken", encoding="utf-8")
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        assert "is not a practice record" in text_of(screen, "#practice-feedback")
        await _answer(pilot, answer_text(screen.exercise))
    assert record.read_text(encoding="utf-8") == "{broken"


def test_practice_screen_snapshot(snap_compare, record):
    _start_with(record, "conv_cell")

    async def wrong_answer(pilot):
        await wait_for_workers(pilot)
        pilot.app.install_screen(PracticeScreen(record, seed=3), "practice")
        await pilot.press("P")
        await pilot.pause()
        await _answer(pilot, "0")
        await pilot.pause()

    assert snap_compare(CnnTuiApp(AppConfig(lang="en")), run_before=wrong_answer, terminal_size=SNAPSHOT_SIZE)


async def test_a_served_session_keeps_its_own_record(record, tmp_path):
    own = tmp_path / "session-1" / "practice.json"  # what `cnn-tui serve` passes as --practice-record
    app = CnnTuiApp(AppConfig(lang="en", practice_record=own))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        exercise = screen.exercise
        await _answer(pilot, answer_text(exercise))
    assert load(own).topics[exercise.topic].right == 1
    assert not record.exists()  # the user's own record is not touched


def _topic_line(screen, topic: str) -> str:
    from cnn_tui.i18n import tr

    title = tr(f"practice.topic.{topic}")
    return next(line for line in text_of(screen, "#practice-progress").splitlines() if line.startswith(title))


async def test_progress_is_kept_across_restarts(record):
    asked: dict[str, list[bool]] = {}
    app = CnnTuiApp(AppConfig(lang="en"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:  # one right answer, then one wrong
        screen = await _open_practice(pilot)
        for right in (True, False):
            exercise = screen.exercise
            await _answer(pilot, answer_text(exercise) if right else _wrong(exercise))
            asked.setdefault(exercise.topic, []).append(right)
        assert screen.reviewing
    again = CnnTuiApp(AppConfig(lang="zh"))  # the next day, in Chinese
    async with again.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        assert "连续答对 0 · 最佳 1" in text_of(screen, "#practice-progress")
        for topic, answers in asked.items():
            assert f"{answers.count(True)}/{len(answers)} · 难度" in _topic_line(screen, topic)
        await _answer(pilot, answer_text(screen.exercise))
        assert "连续答对 1 · 最佳 1" in text_of(screen, "#practice-progress")
    assert load(record).streak == 1 and load(record).best == 1


async def test_the_keys_of_the_practice_screen_in_chinese(record):
    _start_with(record, "conv_cell")
    app = CnnTuiApp(AppConfig(lang="zh"))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open_practice(pilot)
        answering = {binding.description for _, binding, *_ in screen.active_bindings.values()}
        assert "删除左边的字符" in answering and not [text for text in answering if text.isascii()], answering
        await _answer(pilot, _wrong(screen.exercise))
        described = {binding.description for _, binding, *_ in screen.active_bindings.values()}
        assert {"下一个控件", "上一个控件", "复制选中的文字", "返回", "下一题", "一步步看"} <= described, described
        assert not {"Focus Next", "Focus Previous", "Copy selected text"} & described


def test_practice_screen_snapshot_in_chinese(snap_compare, record):
    _start_with(record, "conv_cell")

    async def wrong_answer(pilot):
        await wait_for_workers(pilot)
        pilot.app.install_screen(PracticeScreen(record, seed=3), "practice")
        await pilot.press("P")
        await pilot.pause()
        await _answer(pilot, "0")
        await pilot.pause()

    assert snap_compare(CnnTuiApp(AppConfig(lang="zh")), run_before=wrong_answer, terminal_size=SNAPSHOT_SIZE)
