"""`cnn-tui data status | download | import PATH | path`: where cnn-tui finds its data set, and how to put one there.

  status    where cnn-tui looks, in order, and what it found (source, images per split, cache)
  download  CIFAR-10 (torchvision's archive, 163 MB, md5 checked) into the data home; resumes when interrupted
  import    decode any source --data accepts (cifar-10-batches-py, image folders, train/test tarballs) once
            into the data home, so every command and the app find it from any folder
  path      print the data home's folder

Checkpoints and recorded runs are not data: they stay in ./models (see `cnn-tui train --help`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cnn_tui.commands.download_bar import download_with_bar
from cnn_tui.commands.options import DATA_DIR_HELP, UserError
from cnn_tui.config import DATA_ENV, DOWNLOAD_DEFAULTS
from cnn_tui.render.safe_text import safe_text

PROG = "cnn-tui data"
ACTIONS = ("status", "download", "import", "path")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + (__doc__ or "").split("\n", 2)[2]
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH", help="import: the data set to decode into the data home")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR", help=DATA_DIR_HELP)
    parser.add_argument(
        "--url", default=None, metavar="URL",
        help=f"download: where the archive comes from (default: ${DOWNLOAD_DEFAULTS.url_env}, else {DOWNLOAD_DEFAULTS.url})",
    )


def _status_line(message: str) -> None:
    print(safe_text(message), file=sys.stderr, flush=True)  # notes quote file names: their controls shown escaped


def _where(origin: str) -> str:
    from cnn_tui.ml import data_home

    return {
        data_home.OPTION: "--data-dir",
        data_home.ENV: f"${DATA_ENV}",
        data_home.CWD: "./data (when it holds a data set)",
        data_home.USER: "the user's data folder ($XDG_DATA_HOME/cnn-tui)",
    }[origin]


def _counts(path: str) -> str:
    """Images per split of decoded tensors, read without loading the pixels (memory-mapped)."""
    import torch

    try:
        blob = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        return f"{len(blob['train_labels']):,} train and {len(blob['test_labels']):,} test images, {len(blob['classes'])} classes"
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt by the next load
        return "unreadable (the next load decodes the data again)"


def status(data_dir: Path | None) -> int:
    from cnn_tui.ml.data import usage_hint
    from cnn_tui.ml.data_home import ENV, OPTION, data_homes, find_data_home, home_source
    from cnn_tui.ml.source_state import MISSING, source_state

    home = find_data_home(data_dir)
    candidates = {candidate.origin: candidate for candidate in data_homes(data_dir)}
    print("cnn-tui looks for its data set in this order:")
    print(f"  1. {'--data PATH|synthetic':<34} given to a command (train, eval) or in the Training tab, it comes first")
    for number, origin in enumerate((OPTION, ENV, *list(candidates)[-2:]), start=2):
        candidate = candidates.get(origin)
        if candidate is None:
            print(f"  {number}. {_where(origin):<34} {'not given' if origin == OPTION else 'not set'}")
            continue
        found = home_source(candidate.root)
        what = f"{found.kind} {found.path}" if found else ("no data set" if candidate.root.exists() else "absent")
        mark = "  ← the data home" if candidate == home else ""
        print(f"  {number}. {_where(origin):<34} {candidate.root}: {what}{mark}")
        if candidate == home:
            break
    print(f"data home: {home.root.resolve()} (decoded cache: {home.cache.resolve()})")
    state = source_state(None, home)
    if state.state == MISSING:
        print(f"no data set yet: {usage_hint()}")
    elif state.cache:
        print(f"data set: {state.path} ({state.kind}): {_counts(state.cache)}; decoded in {state.cache}")
    else:
        print(f"data set: {state.path} ({state.kind}): not decoded yet; the first load decodes it and caches it")
    return 0


def download(data_dir: Path | None, url: str | None) -> int:
    from cnn_tui.ml.data_home import find_data_home, home_source
    from cnn_tui.ml.download import DownloadCancelled, DownloadError, check_url, cifar10_url

    check_url(url or cifar10_url())  # a bad address is a usage error (status 2), said before anything is looked up
    root = find_data_home(data_dir).root
    found = home_source(root)
    if found is not None and found.kind == "batches":
        print(f"CIFAR-10 is already in {found.path}")
        return 0
    try:
        download_with_bar(root, url)
    except DownloadCancelled as error:
        print(f"{PROG} download: {safe_text(error)}", file=sys.stderr)
        return 130
    except DownloadError as error:
        print(f"{PROG} download: {safe_text(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} download: interrupted; run it again to resume", file=sys.stderr)
        return 130
    if found is not None:
        print(f"note: {found.path} ({found.kind}) comes first in this data home; remove it to train on the download")
    return 0


def import_data(path: Path, data_dir: Path | None) -> int:
    from cnn_tui.ml.data import import_dataset
    from cnn_tui.ml.data_home import IMPORTED_INFO, find_data_home

    started = time.perf_counter()
    target = import_dataset(path, data_dir, status=_status_line)
    seconds = time.perf_counter() - started
    import json

    info = json.loads((find_data_home(data_dir).root / IMPORTED_INFO).read_text(encoding="utf-8"))
    print(
        f"imported {info['train']:,} train and {info['test']:,} test images ({len(info['classes'])} classes) "
        f"from {path} into {target} in {seconds:.1f} s"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    """Errors a user can cause: one line on stderr, status 2 (a failed download: 1). torch is imported only to decode."""
    from cnn_tui.ml.data_home import DataSourceError

    try:
        return _run(args)
    except (UserError, DataSourceError) as error:
        print(f"{PROG} {args.action}: {safe_text(error)}", file=sys.stderr)  # it may quote file names
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.action == "import" and args.path is None:
        raise UserError("import needs the data set's PATH, e.g. cnn-tui data import ~/Downloads/cifar-10-batches-py")
    if args.action != "import" and args.path is not None:
        raise UserError(f"{args.action} takes no PATH")
    if args.action == "path":
        from cnn_tui.ml.data_home import find_data_home

        print(find_data_home(args.data_dir).root.resolve())
        return 0
    if args.action == "status":
        return status(args.data_dir)
    if args.action == "download":
        return download(args.data_dir, args.url)
    return import_data(args.path, args.data_dir)
