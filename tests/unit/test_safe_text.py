"""safe_text and safe_markup: text from files is shown as it is, and nothing in it is obeyed."""

from __future__ import annotations

from rich.console import Console
from rich.markup import render
from textual.content import Content

from cnn_tui.render.safe_text import plain, safe_markup, safe_text

HOSTILE = ["lr [/b]", "[$accent]x[/]", "[@click=app.quit]q", "end\\", "a\\[b]c", "tab\there", "bidi\u202eevil"]


def test_controls_are_shown_escaped():
    assert safe_text("t\x1b]0;x\x07\x1b[2J\n\x9b") == "t\\x1b]0;x\\x07\\x1b[2J\\n\\x9b"
    assert safe_text("bidi\u202eevil") == "bidi\\u202eevil" and safe_text("飞机 cat") == "飞机 cat"


def test_markup_is_never_applied_by_rich_or_textual():
    for text in HOSTILE:
        shown = safe_text(text)
        assert render("[b]" + safe_markup(text) + "[/b]").plain == shown
        assert "[" not in text or Content.from_markup(safe_markup(text)).plain.replace("\\\\", "\\") == shown
    console = Console(record=True, width=80)
    console.print(plain("evil\x1b]2;title\x1b\\"))
    assert "\x1b" not in console.export_text()


def test_elided_keeps_both_ends_within_the_limit_and_described_shortens_only_the_fields():
    from cnn_tui.i18n import set_language
    from cnn_tui.ml.data_home import DataSourceError
    from cnn_tui.render.safe_text import described, elided

    long = "/tmp/" + "x" * 100_000 + "\x1b[2J.png"
    short = elided(long, 40)
    assert len(short) == 40 and short.startswith("/tmp/xxx") and short.endswith("\\x1b[2J.png") and "…" in short
    assert elided("short", 40) == "short"
    error = DataSourceError("error.data.no_such_path", source=long, hint="do this")
    said = described(error, 40)
    assert said == f"--data {short}: no such file or folder; do this" and len(str(error)) > 100_000
    set_language("zh")
    try:
        assert described(error, 40) == f"--data {short}：没有这个文件或文件夹；do this"
    finally:
        set_language("en")
    assert described(OSError("x" * 1000), 40, whole=50).count("x") == 49
