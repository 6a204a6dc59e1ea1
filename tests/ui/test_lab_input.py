"""LabInput: Textual's Input, every key of it described in the app's language, each key doing what Input's does."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from cnn_tui import i18n
from cnn_tui.ui.widgets.lab_input import KEY_TEXTS, LabInput


class _OneField(App[None]):
    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


async def _keys(field: Input) -> dict[str, tuple[str, str]]:
    """key -> (action, description) of what the focused field answers, as the keys panel reads them."""
    app = _OneField(field)
    async with app.run_test() as pilot:
        field.focus()
        await pilot.pause()
        return {key: (b.action, b.description) for key, (node, b, *_) in app.screen.active_bindings.items() if node is field}


def test_every_key_textual_gives_an_input_has_a_catalogue_text():
    described = {
        (item if isinstance(item, Binding) else Binding(*item)).description
        for cls in Input.__mro__
        for item in cls.__dict__.get("BINDINGS", ())
    }
    assert described <= set(KEY_TEXTS), described - set(KEY_TEXTS)  # Textual added or renamed a key: describe it
    assert all(i18n.tr(key, lang="en") == text for text, key in KEY_TEXTS.items())


async def test_the_same_keys_and_actions_described_in_chinese():
    plain = await _keys(Input())
    i18n.set_language("zh")
    lab = await _keys(LabInput())
    assert {key: action for key, (action, _) in lab.items()} == {key: action for key, (action, _) in plain.items()}
    assert lab["backspace"][1] == "删除左边的字符" and lab["pageup"][1] == "向上翻页"
    assert not [text for _, text in lab.values() if text.isascii()]
