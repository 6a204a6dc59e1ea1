"""Where a data set would come from and in what state it is, without reading it: found, cached, missing, built in.

The Training tab shows this next to its data setting, so a missing CIFAR-10 is explained (and
the way out offered) before a run is started. Nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cnn_tui.ml.data import CIFAR10_FOLDER, SYNTHETIC, DataSourceError, cache_file, resolve_source

FOUND = "found"  # the files are there; the first load decodes them and writes the cache
CACHED = "cached"  # decoded tensors are in data/cache/: loading is one torch.load
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


def _reason(source: str | None) -> str:
    if source is None:
        return "absent"
    path = Path(source).expanduser()
    if not path.exists():
        return "no_such_path"
    return "not_a_folder" if not path.is_dir() else "not_cifar"


def source_state(source: str | None, data_dir: Path) -> SourceState:
    """The state of `source` (None: the default `data_dir/cifar-10-batches-py`), as `load_dataset` would see it offline."""
    try:
        resolved = resolve_source(source, data_dir, download=False)
    except DataSourceError as error:
        where = str(source) if source is not None else str(data_dir / CIFAR10_FOLDER)
        return SourceState(source, MISSING, path=where, reason=_reason(source), detail=str(error))
    if resolved.kind == SYNTHETIC:
        return SourceState(source, BUILT_IN, kind=SYNTHETIC)
    assert resolved.path is not None
    try:
        cached = cache_file(resolved, data_dir / "cache").exists()
    except OSError:
        cached = False
    return SourceState(source, CACHED if cached else FOUND, kind=resolved.kind, path=str(resolved.path))
