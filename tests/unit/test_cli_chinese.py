"""Every subcommand speaks Chinese when asked: `--lang zh` before the subcommand, after it, or LANG=zh_CN.UTF-8.

Each case runs the real command (fast options: tiny synthetic data, one epoch) and checks a sentence of its
output in Chinese, and that the English of the same sentence is absent. Numbers a training computes are not
checked (another CPU computes other low digits)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnn_tui import commands, i18n
from cnn_tui.cli import main

ASSETS = Path(__file__).resolve().parents[2] / "cnn_tui" / "assets"
TINY = ["--data", "synthetic", "--train-limit", "64", "--test-limit", "32"]
MODES = ("before", "after", "LANG")


def _argv(mode: str, command: list[str]) -> list[str]:
    if mode == "before":
        return ["--lang", "zh", *command]
    if mode == "after":
        return [*command, "--lang", "zh"]
    return command


@pytest.fixture
def in_mode(monkeypatch):
    """Run the CLI in one of the three ways of asking for Chinese; returns (status, stdout, stderr)."""

    def run(mode: str, command: list[str], capsys) -> tuple[int, str, str]:
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", "zh_CN.UTF-8" if mode == "LANG" else "C.UTF-8")
        try:
            status = main(_argv(mode, command))
        except SystemExit as stopped:  # --help and argparse's errors
            status = int(stopped.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A one-epoch checkpoint on tiny synthetic data, trained once in English for eval and predict."""
    folder = tmp_path_factory.mktemp("trained")
    checkpoint = folder / "net.pth"
    status = main(["train", *TINY, "--epochs", "1", "--batch-size", "32", "--checkpoint", str(checkpoint), "--no-record", "--plain", "--lang", "en"])
    assert status == 0 and checkpoint.exists()
    i18n.set_language("en")
    return checkpoint


def test_every_command_is_covered_here():
    assert set(commands.COMMANDS) == {
        "explain", "train", "eval", "predict", "summary", "runs", "homework", "serve", "data",
        "receptive-field", "top-patches", "practice",
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(commands.COMMANDS))
def test_every_commands_help_is_chinese(name, mode, in_mode, capsys):
    status, out, _ = in_mode(mode, [name, "--help"], capsys)
    assert status == 0
    assert out.startswith(f"用法：cnn-tui {name}")
    assert i18n.tr(f"cli.command.{name}", lang="zh") in out
    assert "show this help message and exit" not in out and "显示这段帮助并退出" in out


@pytest.mark.parametrize("mode", MODES)
def test_explain(mode, in_mode, capsys):
    status, out, _ = in_mode(mode, ["explain", "presets"], capsys)
    assert status == 0 and "Padding（填充）: 5×5 输入，3×3 卷积核，填充 1 保持大小：5×5" in out
    status, _, err = in_mode(mode, ["explain", "conv", "--preset", "conv-padding", "--stride", "0"], capsys)
    assert status == 2 and "stride（步长）至少为 1" in err and "must be at least" not in err
    status, _, err = in_mode(mode, ["explain", "conv", "--input", "[[1, 2], [3]]", "--kernel", "[[1]]"], capsys)
    assert status == 2 and err.strip() == "cnn-tui explain: 各行长短不一：input[1] 有 1 个数，而 input[0] 有 2 个；所有行必须一样长"


@pytest.mark.parametrize("mode", MODES)
def test_summary(mode, in_mode, capsys):
    status, out, _ = in_mode(mode, ["summary"], capsys)
    assert status == 0 and out.startswith("模型 lecture：输入 [1, 3, 32, 32]") and "Conv2d-1" in out


@pytest.mark.parametrize("mode", MODES)
def test_train(mode, in_mode, capsys, tmp_path):
    command = ["train", *TINY, "--epochs", "1", "--batch-size", "32", "--checkpoint", str(tmp_path / "n.pth"), "--plain"]
    status, out, _ = in_mode(mode, [*command, "--runs-dir", str(tmp_path / "runs")], capsys)
    assert status == 0
    assert "数据：合成的形状与纹理（种子 0，5000 张训练图像，1000 张测试图像）（子集：64 张训练图像，32 张测试图像）" in out and "输入：ToTensor（÷255）" in out and "完成，用时" in out and "已记录为运行" in out
    assert "；设备 cpu，1 个线程（批大小 32 太小，不值得分给多个线程）" in out
    assert "epoch: 1 loss:" in out  # the lecture's own line, as the lecture prints it
    assert "done in" not in out and "recorded as run" not in out


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_eval(mode, in_mode, capsys, trained):
    status, out, _ = in_mode(mode, ["eval", "--checkpoint", str(trained), *TINY], capsys)
    assert status == 0
    assert "每个类别的准确率：" in out and "混淆矩阵：" in out and "  圆盘 disc " in out and "真实 \\ 预测" in out
    assert "per-class accuracy" not in out


@pytest.mark.parametrize("mode", MODES)
def test_predict(mode, in_mode, capsys, trained):
    status, out, _ = in_mode(mode, ["predict", str(ASSETS / "img.png"), "--checkpoint", str(trained), "--top", "10"], capsys)
    assert status == 0 and "（从 640×640 缩放到 32×32）" in out
    assert all(f"{i18n.tr(f'class_name.{name}', lang='zh')} {name}" in out for name in ("disc", "ring", "dots"))
    status, _, err = in_mode(mode, ["predict", "no/such.png", "--checkpoint", str(trained)], capsys)
    assert status == 2 and err.strip() == "cnn-tui predict: 无法打开 'no/such.png'：文件不存在"


@pytest.mark.parametrize("mode", MODES)
def test_runs(mode, in_mode, capsys, tmp_path):
    status, out, _ = in_mode(mode, ["runs", "--runs-dir", str(tmp_path)], capsys)
    assert status == 0 and "中还没有记录的运行" in out
    status, _, err = in_mode(mode, ["runs", "--runs-dir", str(tmp_path), "--compare", "1"], capsys)
    assert status == 2 and "--compare 至少需要两次运行" in err


@pytest.mark.parametrize("mode", MODES)
def test_homework(mode, in_mode, capsys, tmp_path):
    command = ["homework", *TINY, "--epochs", "1", "--batch-size", "32", "--only", "channels", "--no-combine", "--no-record", "--plain"]
    status, out, _ = in_mode(mode, command, capsys)
    assert status == 0
    assert "建议（今日作业）" in out and "基线" in out and "在 synthetic 上的作业" in out
    assert "suggestion (今日作业)" not in out


@pytest.mark.parametrize("mode", MODES)
def test_serve(mode, in_mode, capsys):
    status, _, err = in_mode(mode, ["serve", "--port", "0"], capsys)
    assert status == 2 and "'0' 不是端口号（1 到 65535）" in err and "错误" in err


@pytest.mark.parametrize("mode", MODES)
def test_data(mode, in_mode, capsys, tmp_path):
    status, out, _ = in_mode(mode, ["data", "status", "--data-dir", str(tmp_path)], capsys)
    assert status == 0 and out.startswith("cnn-tui 按这个顺序查找数据集：") and "数据目录：" in out
    status, _, err = in_mode(mode, ["data", "path", "extra"], capsys)
    assert status == 2 and "path 不接受 PATH" in err



@pytest.mark.parametrize("mode", MODES)
def test_receptive_field(mode, in_mode, capsys):
    status, out, _ = in_mode(mode, ["receptive-field", "--layer", "conv2", "--unit", "3", "5"], capsys)
    assert status == 0 and "conv2 的单元 (3, 5) 看到输入的第 6–13 行、第 10–17 列（8×8 的区域）" in out
    assert "sees input rows" not in out
    status, _, err = in_mode(mode, ["receptive-field", "--layer", "conv2", "--unit", "13", "0"], capsys)
    assert status == 2 and "不在 conv2 的 13×13 特征图之内" in err


@pytest.mark.parametrize("mode", MODES)
def test_top_patches(mode, in_mode, capsys, trained, tmp_path):
    command = ["top-patches", "--checkpoint", str(trained), "--test-limit", "32", "--data-dir", str(tmp_path)]
    status, out, _ = in_mode(mode, [*command, "--layer", "conv2", "--channel", "3", "--top", "2"], capsys)
    assert status == 0 and out.startswith("conv2 的通道 3：在 32 张测试图像中最能激发它的 2 张")
    status, _, err = in_mode(mode, [*command, "--layer", "linear1", "--channel", "0"], capsys)
    assert status == 2 and "'linear1'" in err and "特征图" in err


@pytest.mark.parametrize("mode", MODES)
def test_practice(mode, in_mode, capsys, monkeypatch, tmp_path):
    status, out, _ = in_mode(mode, ["practice", "--json", "--count", "2", "--seed", "9", "--topic", "pool_cell"], capsys)
    assert status == 0 and all("是多少" in json.loads(line)["question"] for line in out.splitlines())
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    status, out, _ = in_mode(mode, ["practice", "--seed", "3", "--progress", str(tmp_path / "p.json")], capsys)
    assert status == 0 and out.startswith("练习：输入答案后按回车") and "得分：0 题中答对 0 题" in out
    assert "Score:" not in out


@pytest.mark.slow
def test_the_installed_entry_point_reads_lang_from_the_environment():
    env = {"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"}
    import os

    env.update({k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "HOME")})
    result = subprocess.run([sys.executable, "-m", "cnn_tui", "summary"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("模型 lecture：输入")


def test_the_cores_error_codes_have_the_same_english_in_the_catalogue():
    from cnn_tui.core.conv_geometry import RULES
    from cnn_tui.core.images import ERROR_TEXTS
    from cnn_tui.core.matrix_parse import MESSAGES

    for prefix, texts in (("matrix.error", MESSAGES), ("engine.rule", RULES), ("pixels.error", ERROR_TEXTS)):
        for code, english in texts.items():
            assert i18n.tr(f"{prefix}.{code}", lang="en") == english, code
