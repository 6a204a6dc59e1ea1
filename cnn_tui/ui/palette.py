"""Command-palette commands: go to each tab, every action of every tab, help, language and quit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from cnn_tui.i18n import tr

# (name shown in the palette, callback, help line)
Command = tuple[str, Callable[[], object], str]


class LabCommands(Provider):
    """Lists commands built from the app's tabs and their bindings, in the current language."""

    def _commands(self) -> Iterator[Command]:
        app = self.app
        for tab_id, title, _ in app.tab_titles():  # type: ignore[attr-defined]
            yield tr("cmd.go_to", tab=title), partial(app.action_show_tab, tab_id), tr("cmd.go_to_help", tab=title)
        yield tr("cmd.help"), app.action_help, tr("cmd.help_help")  # type: ignore[attr-defined]
        yield tr("cmd.language"), app.action_toggle_language, tr("cmd.language_help")  # type: ignore[attr-defined]
        yield tr("cmd.quit"), app.action_quit, tr("cmd.quit_help")
        for tab_id, title, widget in app.tab_titles():  # type: ignore[attr-defined]
            for node, binding in app.tab_bindings(widget):  # type: ignore[attr-defined]
                name = f"{title}: {binding.description}"
                run = partial(app.run_tab_action, tab_id, node, binding.action)  # type: ignore[attr-defined]
                yield name, run, tr("cmd.tab_action_help", tab=title, key=app.get_key_display(binding))

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
