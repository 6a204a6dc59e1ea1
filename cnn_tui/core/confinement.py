"""Where a served session may read and write: its own folder, plus read-only folders (built-in images, data home)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cnn_tui.i18n import LocalizedError


class ConfinementError(LocalizedError):
    """A path typed in a served session that leads out of its folder."""


@dataclass(frozen=True)
class Confinement:
    """`root` None: no confinement (the terminal app, `cnn-tui serve --allow-files`). Otherwise every path is taken
    relative to `root` and must resolve inside it (inside `read_only` too, for reading); symlinks that lead out
    are refused. Paths are compared resolved, with `is_relative_to`, never as string prefixes."""

    root: Path | None = None
    read_only: tuple[Path, ...] = ()

    @classmethod
    def to(cls, root: Path, read_only: Sequence[Path] = ()) -> Confinement:
        return cls(Path(root).resolve(), tuple(Path(folder).resolve() for folder in read_only))

    @property
    def active(self) -> bool:
        return self.root is not None

    def _absolute(self, path: str | Path) -> Path:
        path = Path(os.path.expanduser(str(path)))
        assert self.root is not None
        return Path(os.path.normpath(self.root / path))  # an absolute `path` replaces root

    def resolve(self, path: str | Path, *, write: bool = False) -> Path:
        """The path to use for what was typed; ConfinementError when it leads out of the session's folder (or, for
        reading, out of the read-only folders too). Unconfined: the path as typed, `~` expanded."""
        if self.root is None:
            return Path(os.path.expanduser(str(path)))
        plain = self._absolute(path)
        real = plain.resolve()

        def allowed(candidate: Path) -> bool:
            return candidate.is_relative_to(self.root) or (  # type: ignore[arg-type]
                not write and any(candidate.is_relative_to(folder) for folder in self.read_only)
            )

        if allowed(real):
            return real
        if allowed(plain):  # the path as typed stays inside; a link on the way leads out
            raise ConfinementError("error.confinement.link", path=str(path), folder=str(self.root))
        if any(real.is_relative_to(folder) for folder in self.read_only):
            raise ConfinementError("error.confinement.read_only", path=str(path), folder=str(self.root))
        raise ConfinementError("error.confinement.outside", path=str(path), folder=str(self.root))

    def writable(self, path: str | Path) -> Path:
        return self.resolve(path, write=True)

    def own_model(self, name: str) -> str:
        """`file.py:ClassName` with its file resolved inside the session's folder (never the read-only ones: a
        network file is code, and it runs when imported)."""
        file, _, cls = name.rpartition(":")
        return f"{self.writable(file)}:{cls}" if self.root is not None else name

    def listing(self, folder: str | Path) -> Path | None:
        """The folder whose names the open dialog may complete, or None when it lies outside."""
        try:
            return self.resolve(folder or ".")
        except ConfinementError:
            return None
