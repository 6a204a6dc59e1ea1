"""The command line's language: --lang before or after a subcommand, or LANG/LC_ALL, chooses it."""

from __future__ import annotations

import pytest

from cnn_tui import i18n
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
