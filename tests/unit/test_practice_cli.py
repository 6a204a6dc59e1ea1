"""`cnn-tui practice`: the JSON worksheet contract, right and wrong answers typed into a real process, a pipe at
both ends, the record kept between runs and reset, and damaged records said in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnn_tui import commands
from cnn_tui.cli import main
from cnn_tui.commands.practice import Session
from cnn_tui.core.answers import answer_text
from cnn_tui.core.practice import topics
from cnn_tui.core.practice_progress import Progress, load, save

OPS = {"to_tensor", "permute", "conv2d", "max_pool2d", "avg_pool2d", "conv_params", "linear_params", "sequential"}
TORCH_NAMES = {
    "input", "input_shape", "weight", "out_channels", "kernel_size", "bias", "stride", "padding", "dilation",
    "ceil_mode", "count_include_pad", "in_channels", "in_features", "out_features",
}


def _practice(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess[str]:
    """`cnn-tui practice ARGS` with `stdin` typed in, in English whatever the machine's LANG."""
    return subprocess.run(
        [sys.executable, "-m", "cnn_tui", "practice", "--lang", "en", *args], input=stdin, capture_output=True,
        text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def _first(seed: int, topic: str):
    """The first exercise `cnn-tui practice --seed SEED --topic TOPIC` asks a new learner."""
    return Session(Path("unused"), Progress(), "en", topic, seed).next_exercise()


def test_registered():
    assert "practice" in commands.COMMANDS


def test_json_worksheet_follows_the_contract(capsys):
    assert main(["practice", "--json", "--count", "40", "--seed", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 40
    assert {line["topic"] for line in lines} == set(topics())
    for line in lines:
        setting = line["setting"]
        cell = line["ask"] == "value" and "input" in setting  # the pixel topic asks a value that is no cell
        assert set(line) == {"topic", "question", "ask", "setting", "answer"} | ({"at"} if cell else set())
        assert line["ask"] in {"shape", "value", "count"}
        assert setting["op"] in OPS
        if setting["op"] in {"conv2d", "max_pool2d", "avg_pool2d"}:
            assert set(setting) - {"op"} <= TORCH_NAMES, setting
        if line["ask"] == "shape":
            assert len(line["answer"]) == 3  # [C, H, W], without the batch
        if cell:
            assert len(line["at"]) == 3


def test_json_worksheet_is_reproducible_filtered_and_in_chinese(capsys):
    assert main(["practice", "--json", "--count", "5", "--seed", "9", "--topic", "pool_cell", "--lang", "zh"]) == 0
    first = capsys.readouterr().out
    assert main(["practice", "--json", "--count", "5", "--seed", "9", "--topic", "pool_cell", "--lang", "zh"]) == 0
    assert capsys.readouterr().out == first
    lines = [json.loads(line) for line in first.splitlines()]
    assert {line["topic"] for line in lines} == {"pool_cell"}
    assert all("是多少" in line["question"] for line in lines)


def test_a_right_answer_typed_in_counts_and_is_kept(tmp_path):
    record = tmp_path / "me.json"
    exercise = _first(11, "conv_size")
    done = _practice("--seed", "11", "--topic", "conv_size", "--progress", str(record),
                     stdin=f"[{', '.join(map(str, exercise.answer))}]\n")
    assert done.returncode == 0, done.stderr
    assert exercise.question("en") in done.stdout
    assert "Right! Streak: 1." in done.stdout
    assert "Score: 1 of 1 right; best streak 1." in done.stdout  # end of input ends with the score
    assert load(record).topics["conv_size"].right == 1


def test_a_wrong_answer_says_the_right_one_and_a_typo_is_asked_again(tmp_path):
    record = tmp_path / "me.json"
    exercise = _first(4, "conv_params")
    done = _practice("--seed", "4", "--topic", "conv_params", "--progress", str(record),
                     stdin=f"lots\n{exercise.answer + 1}\nq\n")
    assert done.returncode == 0, done.stderr
    assert "'lots' is not a number" in done.stdout
    assert f"Not quite: the answer is {answer_text(exercise)}." in done.stdout
    assert "Score: 0 of 1 right" in done.stdout
    assert load(record).topics["conv_params"].wrong == 1


def test_a_pipe_at_both_ends_in_chinese(tmp_path):
    exercise = _first(2, "linear_params")
    script = (
        f"printf '{exercise.answer}\\n' | {sys.executable} -m cnn_tui practice --seed 2 --topic linear_params "
        f"--lang zh --progress {tmp_path / 'p.json'} | cat"
    )
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert "正确！连续答对：1。" in done.stdout
    assert "得分：1 题中答对 1 题" in done.stdout
    assert "Traceback" not in done.stderr


def test_progress_lasts_across_runs_raises_the_level_and_resets(tmp_path, capsys):
    record = tmp_path / "me.json"
    progress = Progress()
    for _ in range(3):
        progress = progress.record("pool_size", True)
    save(record, progress)
    assert Session(record, load(record), "en", "pool_size", 1).next_exercise().level == 2
    assert load(record).best == 3
    assert main(["practice", "--reset", "--progress", str(record)]) == 0
    assert "Forgot the practice record" in capsys.readouterr().out
    assert not record.exists()
    assert load(record) == Progress()


def test_the_level_falls_back_after_wrong_answers():
    progress = Progress()
    for right in (True, True, True, False, False):
        progress = progress.record("conv_cell", right)
    assert progress.level("conv_cell") == 1
    assert progress.streak == 0 and progress.best == 3


@pytest.mark.parametrize("content", ["{not json", '{"version": 1, "streak": -1, "best": 0, "topics": {}}', "[]"])
def test_a_damaged_record_is_one_line_and_status_2(tmp_path, content):
    record = tmp_path / "me.json"
    record.write_text(content, encoding="utf-8")
    done = _practice("--progress", str(record))
    assert done.returncode == 2
    assert "is not a practice record" in done.stderr and "--reset" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_record_lives_in_the_user_data_folder(tmp_path):
    done = _practice("--seed", "1", stdin="q\n", env={"XDG_DATA_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "cnn-tui" / "practice.json") in done.stdout
