"""The network editor (Model tab, e): the network's Python in a TextArea; ctrl+s checks the syntax and saves.

Saving is the Model tab's: the screen dismisses with the text once it parses and has an nn.Module class,
and otherwise says what is wrong, with the cursor on the line of a syntax error. The code is in colour where
the `syntax` extra (Textual's tree-sitter) is installed, and plain text where it is not.
"""

from __future__ import annotations

from importlib.util import find_spec

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static, TextArea

from cnn_tui.core.model_file import network_class, syntax_problem
from cnn_tui.i18n import tr
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysScreen
from cnn_tui.ui.widgets.lab_fields import LabTextArea


def editor_language() -> str | None:
    """"python" where Textual can colour Python (`pip install 'cnn-tui[syntax]'`: tree-sitter and its Python
    grammar), else None: plain text, without Textual's warning about the missing parser."""
    return "python" if find_spec("tree_sitter") and find_spec("tree_sitter_python") else None


class NetworkEditor(Localized, KeysScreen[str | None]):
    """Edit the network's code; ctrl+s saves (dismissing with the text), escape leaves it unsaved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "editor.bind.save", priority=True),
        Binding("escape", "dismiss(None)", "editor.bind.close", priority=True),  # the code editor would take it
    ]

    def __init__(self, source: str, file_name: str, failed: tuple[int, str] | None = None) -> None:
        """`failed`: (line, sentence) of the check that the saved file failed, shown with the cursor on that line."""
        super().__init__(id="editor-screen")
        self.source = source
        self.file_name = file_name
        self.failed = failed
        self.problem: str | None = failed[1] if failed else None

    def compose(self) -> ComposeResult:
        yield Static(id="editor-title")
        yield LabTextArea.code_editor(self.source, language=editor_language(), id="editor-text")
        yield Static(id="editor-message")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        if self.failed is not None and 0 < self.failed[0] <= area.document.line_count:
            area.select_line(self.failed[0] - 1)  # where the last save failed its check

    def localize(self) -> None:
        self.query_one("#editor-title", Static).update(Text(tr("editor.title", file=self.file_name), "bold"))
        self.query_one("#editor-message", Static).update(Text(self.problem or tr("editor.hint"), "bold red" if self.problem else "dim"))

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        problem = syntax_problem(text)
        if problem is not None:
            line, message = problem
            self.problem = tr("editor.syntax", line=line, message=message)
            area = self.query_one(TextArea)
            area.select_line(line - 1)  # the line of the error, selected
        elif network_class(text) is None:
            self.problem = tr("editor.no_class")
        else:
            self.dismiss(text)
            return
        self.localize()
