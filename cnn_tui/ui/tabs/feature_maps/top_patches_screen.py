"""The top patches of one channel (Feature maps tab, trained network, `T`): the test images that excite it most."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static

from cnn_tui.core.field_overlay import field_picture
from cnn_tui.i18n import LocalizedError, class_label, describe, tr
from cnn_tui.render.cjk_text import CjkText
from cnn_tui.render.halfblock import HalfBlockImage
from cnn_tui.render.patch_pictures import patch_row
from cnn_tui.render.safe_text import safe_text
from cnn_tui.render.top_patches import patch_lines
from cnn_tui.ui.localized import Localized
from cnn_tui.ui.textual_texts import KeysModalScreen
from cnn_tui.ui.messages import PatchesProgress, PatchesReady

if TYPE_CHECKING:
    from cnn_tui.ml.channel_patches import ChannelPatches

TOP = 9


class TopPatchesScreen(Localized, KeysModalScreen[None]):
    """The channel's top-9 patches with their activations and images, found in a worker."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "training.bind.close"),
        Binding("left", "choose(-1)", "neurons_ui.bind.choose", key_display="←→"),
        Binding("right", "choose(1)", "neurons_ui.bind.choose", show=False),
    ]

    def __init__(self, checkpoint: Path, data_dir: Path, layer: str, channel: int) -> None:
        super().__init__(classes="top-patches-screen")
        self.checkpoint, self.data_dir, self.layer_name, self.channel = checkpoint, data_dir, layer, channel
        self.found: ChannelPatches | None = None
        self.problem: LocalizedError | None = None  # why there are none
        self.selected = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="top-patches"):
            yield Static(id="tp-title")
            yield ProgressBar(id="tp-progress", show_eta=False)
            yield Static(id="tp-row")
            with Horizontal(id="tp-body"):
                yield Static(id="tp-image")
                yield Static(id="tp-table")
            yield Static(id="tp-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._find(self.checkpoint, self.data_dir, self.layer_name, self.channel)

    @property
    def done(self) -> bool:
        """Whether the patches (or the reason there are none) are shown."""
        return self.found is not None or self.problem is not None

    @work(thread=True, exclusive=True, exit_on_error=False, group="top-patches")
    def _find(self, checkpoint: Path, data_dir: Path, layer: str, channel: int) -> None:
        from cnn_tui.ml.channel_patches import channel_patches

        try:
            found = channel_patches(
                checkpoint, data_dir, layer, channel, TOP, progress=lambda done, total: self.post_message(PatchesProgress(done, total))
            )
        except LocalizedError as error:  # no checkpoint, no data, a layer without maps: a sentence
            self.post_message(PatchesReady(problem=error))
            return
        except Exception as error:  # noqa: BLE001 - an own network's code may fail: shown, never as a traceback
            self.post_message(PatchesReady(problem=f"{type(error).__name__}: {error}"))
            return
        self.post_message(PatchesReady(found=found))

    def on_patches_progress(self, message: PatchesProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_patches_ready(self, message: PatchesReady) -> None:
        self.found, self.problem = message.found, message.problem
        self.query_one(ProgressBar).display = False
        self.localize()

    def action_choose(self, delta: int) -> None:
        if self.found is not None and self.found.patches:
            self.selected = (self.selected + delta) % len(self.found.patches)
            self.localize()

    def localize(self) -> None:
        title = tr("neurons_ui.top.title", layer=self.layer_name, channel=self.channel)
        self.query_one("#tp-title", Static).update(Text(title, "bold"))
        hint = self.query_one("#tp-hint", Static)
        hint.update(Text(tr("neurons_ui.top.hint"), "dim"))
        found = self.found
        if found is None:
            said = Text(tr("neurons_ui.top.finding"), "dim") if self.problem is None else Text(describe(self.problem), "bold red")
            self.query_one("#tp-row", Static).update(said)
            return
        rows = [(patch, class_label(safe_text(name))) for patch, name in zip(found.patches, found.classes)]
        lines = patch_lines(found.layer, found.channel, found.images, rows)
        table = Group(CjkText(Text(lines[0], "bold")), Text("\n").join([  # the heading wraps as Chinese is set
            Text(lines[1]), *(Text(line, "reverse" if index == self.selected else "") for index, line in enumerate(lines[2:]))
        ]))
        self.query_one("#tp-row", Static).update(patch_row(found.patches, found.pictures, self.selected))
        self.query_one("#tp-table", Static).update(table)
        patch = found.patches[self.selected]
        caption = Text(tr("neurons_ui.top.framed", rank=self.selected + 1, index=patch.index), "dim")
        picture = field_picture(found.pictures[self.selected], patch.box)
        self.query_one("#tp-image", Static).update(Group(HalfBlockImage(picture), caption))
