"""LabInput and LabTextArea: every key of Textual's Input and TextArea described in the app's language, each key
doing what Textual's does."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, TextArea

from cnn_tui import i18n
from cnn_tui.ui.textual_texts import LabInput
from cnn_tui.ui.widgets.lab_fields import KEY_TEXTS, LabTextArea

FIELDS = [(Input, LabInput, "backspace", "删除左边的字符"), (TextArea, LabTextArea, "ctrl+z", "撤销")]


class _OneField(App[None]):
    def __init__(self, field: Widget) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield self.field


async def _keys(field: Widget) -> dict[str, tuple[str, str]]:
    """key -> (action, description) of what the focused field answers, as the keys panel reads them."""
    app = _OneField(field)
    async with app.run_test() as pilot:
        field.focus()
        await pilot.pause()
        return {key: (b.action, b.description) for key, (node, b, *_) in app.screen.active_bindings.items() if node is field}


@pytest.mark.parametrize("textual_class", [Input, TextArea])
def test_every_key_textual_gives_the_field_has_a_catalogue_text(textual_class):
    described = {
        (item if isinstance(item, Binding) else Binding(*item)).description
        for cls in textual_class.__mro__
        for item in cls.__dict__.get("BINDINGS", ())
    }
    assert described <= set(KEY_TEXTS), described - set(KEY_TEXTS)  # Textual added or renamed a key: describe it
    assert all(i18n.tr(key, lang="en") == text for text, key in KEY_TEXTS.items())


@pytest.mark.parametrize("textual_class, lab_class, key, chinese", FIELDS)
async def test_the_same_keys_and_actions_described_in_chinese(textual_class, lab_class, key, chinese):
    plain = await _keys(textual_class())
    i18n.set_language("zh")
    lab = await _keys(lab_class())
    assert {k: action for k, (action, _) in lab.items()} == {k: action for k, (action, _) in plain.items()}
    assert lab[key][1] == chinese and lab["pageup"][1] != plain["pageup"][1]
    assert not [text for _, text in lab.values() if text.isascii()]
