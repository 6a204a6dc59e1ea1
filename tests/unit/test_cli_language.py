"""The command line's language: --lang before or after a subcommand, or LANG/LC_ALL, chooses it."""

from __future__ import annotations

import pytest

from cnn_tui import commands, i18n
from cnn_tui.cli import main, take_language


@pytest.mark.parametrize(
    ("argv", "lang", "rest"),
    [
        (["--lang", "zh", "summary"], "zh", ["summary"]),
        (["summary", "--lang", "zh", "--model", "wide"], "zh", ["summary", "--model", "wide"]),
        (["summary", "--lang=en"], "en", ["summary"]),
        (["eval", "--", "--lang", "zh"], None, ["eval", "--", "--lang", "zh"]),
        (["image.png"], None, ["image.png"]),
    ],
)
def test_lang_is_taken_out_wherever_it_stands(argv, lang, rest):
    assert take_language(argv) == (lang, rest)


def test_an_unknown_language_is_argparses_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        take_language(["summary", "--lang", "fr"])
    assert stopped.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--lang", "zh", "summary"], ["summary", "--lang", "zh"]])
def test_global_lang_reaches_the_subcommand(argv, capsys):
    assert main(argv) == 0
    assert "Conv2d-1" in capsys.readouterr().out
    assert i18n.language() == "zh"


def test_lang_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert main(["summary"]) == 0
    assert i18n.language() == "zh"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert main(["summary"]) == 0
    assert i18n.language() == "en"


def test_help_speaks_chinese_argparses_words_included(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "zh"])
    out = capsys.readouterr().out
    assert out.startswith("用法：cnn-tui ")
    assert "选项:" in out and "显示这段帮助并退出" in out and "显示程序的版本号并退出" in out
    assert "卷积神经网络的终端实验室" in out and "命令（cnn-tui 命令 --help 查看详情）：" in out
    width = max(len(name) for name in commands.COMMANDS)  # the names in a column as wide as the longest
    assert f"  {'summary':<{width}}  模型的 torchsummary 表" in out
    assert f"  {'practice':<{width}}  由引擎批改的练习" in out
    from cnn_tui.commands.text_cells import cells

    assert all(cells(line) <= 60 for line in out.splitlines() if line.startswith("  --"))


def test_english_help_keeps_argparses_own_words(capsys):
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage: cnn-tui ") and "\noptions:\n" in out and "show this help message and exit" in out


def test_argparse_errors_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["summary", "--lang", "zh", "--bogus"])
    assert capsys.readouterr().err.splitlines()[-1] == "cnn-tui summary：错误：无法识别的参数：--bogus"


def test_chinese_wraps_by_cells_between_characters_never_before_a_closing_mark():
    from cnn_tui.commands.argparse_words import wrap_cells
    from cnn_tui.commands.text_cells import cells

    lines = wrap_cells("应用启动时使用的已训练网络：默认 models/image_classification.pth，可以替换。", 20)
    assert lines == ["应用启动时使用的已训", "练网络：默认", "models/image_classification.pth，", "可以替换。"]
    assert all(cells(line) <= 20 for line in lines if "models" not in line)  # a path is never broken
    assert not any(line[0] in "，。：" for line in lines)
    assert "".join(lines).replace(" ", "") == "应用启动时使用的已训练网络：默认models/image_classification.pth，可以替换。"


@pytest.mark.parametrize("argv", [["--lang", "zh", "serve"], ["serve", "--lang", "zh"], ["serve", "--lang=zh"]])
def test_serve_still_receives_lang_as_the_sessions_language(argv, monkeypatch):
    from cnn_tui.commands import serve

    seen = {}
    monkeypatch.setattr(serve, "run", lambda args: seen.setdefault("lang", args.lang) and 0)
    assert main(argv) == 0
    assert seen["lang"] == "zh" and i18n.language() == "zh"
