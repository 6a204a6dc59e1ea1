"""Where a data set would come from and in what state it is, without reading it: found, cached, missing, built in.

The Training tab and `cnn-tui data status` show this, so a missing CIFAR-10 is explained (and
the way out offered: download, import, synthetic, a path) before a run is started. Nothing is
downloaded or decoded here; the data home is looked up as `load_dataset` looks it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cnn_tui.ml.data import CIFAR10_FOLDER, SYNTHETIC, DataSourceError, cache_file, resolve_source
from cnn_tui.ml.data_home import DataHome, find_data_home

FOUND = "found"  # the files are there; the first load decodes them and writes the cache
CACHED = "cached"  # decoded tensors are in the home's cache (or imported): loading is one torch.load
MISSING = "missing"
BUILT_IN = "built_in"  # the synthetic set, generated in memory


@dataclass(frozen=True)
class SourceState:
    """`state` is found, cached, missing or built_in; `kind` how it is stored; when missing, `reason` says why
    (absent: the default folder is not there; no_such_path, not_a_folder, not_cifar: a given path) and
    `detail` is `load_dataset`'s own message."""

    source: str | None
    state: str
    kind: str = ""
    path: str = ""
    reason: str = ""
    detail: str = ""
    home: str = ""  # the data home's folder
    cache: str = ""  # the decoded tensors' file when cached


def _reason(source: str | None) -> str:
    if source is None:
        return "absent"
    path = Path(source).expanduser()
    if not path.exists():
        return "no_such_path"
    return "not_a_folder" if not path.is_dir() else "not_cifar"


def source_state(source: str | None, data_dir: Path | DataHome | None = None) -> SourceState:
    """The state of `source` (None: the data home's data set), as `load_dataset` would see it offline."""
    home = find_data_home(data_dir)
    try:
        resolved = resolve_source(source, home, download=False)
    except DataSourceError as error:
        where = str(source) if source is not None else str(home.root / CIFAR10_FOLDER)
        return SourceState(source, MISSING, path=where, reason=_reason(source), detail=str(error), home=str(home.root))
    if resolved.kind == SYNTHETIC:
        return SourceState(source, BUILT_IN, kind=SYNTHETIC, home=str(home.root))
    assert resolved.path is not None
    if resolved.kind == "imported":
        return SourceState(source, CACHED, "imported", str(resolved.path), home=str(home.root), cache=str(resolved.path))
    try:
        cache = cache_file(resolved, home.cache)
        cached = cache.exists()
    except OSError:
        cached = False
    return SourceState(
        source, CACHED if cached else FOUND, kind=resolved.kind, path=str(resolved.path), home=str(home.root),
        cache=str(cache) if cached else "",
    )
