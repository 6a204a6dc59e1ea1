"""`cnn-tui data status | download | import PATH | path`: where cnn-tui finds its data set, and how to put one there (help in locales/cli_data.toml)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cnn_tui.commands.download_bar import download_with_bar
from cnn_tui.commands.options import UserError
from cnn_tui.commands.text_cells import ljust
from cnn_tui.render.safe_said import safe_said
from cnn_tui.config import DATA_ENV, DOWNLOAD_DEFAULTS
from cnn_tui.i18n import Phrase, describe, tr

PROG = "cnn-tui data"
ACTIONS = ("status", "download", "import", "path")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.data.about")
    parser.add_argument("action", choices=ACTIONS, help=tr("cli.data.action"))
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH", help=tr("cli.data.path"))
    parser.add_argument("--data-dir", type=Path, default=None, metavar="DIR", help=tr("cli.option.data_dir_help"))
    parser.add_argument(
        "--url", default=None, metavar="URL",
        help=tr("cli.data.url", env=DOWNLOAD_DEFAULTS.url_env, url=DOWNLOAD_DEFAULTS.url),
    )


def _status_line(message: object) -> None:
    print(safe_said(message), file=sys.stderr, flush=True)  # notes quote file names: their controls shown escaped


def _where(origin: str) -> str:
    from cnn_tui.ml import data_home

    return {
        data_home.OPTION: "--data-dir",
        data_home.ENV: f"${DATA_ENV}",
        data_home.CWD: tr("cli.data.where_cwd"),
        data_home.USER: tr("cli.data.where_user"),
    }[origin]


def _counts(path: str) -> str:
    """Images per split of decoded tensors, read without loading the pixels (memory-mapped)."""
    import torch

    try:
        blob = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        return tr("cli.data.counts", train=len(blob["train_labels"]), test=len(blob["test_labels"]), classes=len(blob["classes"]))
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt by the next load
        return tr("cli.data.unreadable")


def status(data_dir: Path | None) -> int:
    from cnn_tui.ml.data import usage_hint
    from cnn_tui.ml.data_home import ENV, OPTION, data_homes, find_data_home, home_source
    from cnn_tui.ml.source_state import MISSING, source_state

    home = find_data_home(data_dir)
    candidates = {candidate.origin: candidate for candidate in data_homes(data_dir)}
    print(tr("cli.data.order"))
    print(f"  1. {'--data PATH|synthetic':<34} {tr('cli.data.first')}")
    for number, origin in enumerate((OPTION, ENV, *list(candidates)[-2:]), start=2):
        candidate = candidates.get(origin)
        if candidate is None:
            print(f"  {number}. {ljust(_where(origin), 34)} {tr('cli.data.not_given' if origin == OPTION else 'cli.data.not_set')}")
            continue
        found = home_source(candidate.root)
        what = f"{found.kind} {found.path}" if found else tr("cli.data.no_data_set" if candidate.root.exists() else "cli.data.absent")
        mark = tr("cli.data.the_home") if candidate == home else ""
        print(f"  {number}. {ljust(_where(origin), 34)} {candidate.root}: {what}{mark}")
        if candidate == home:
            break
    print(tr("cli.data.home", home=home.root.resolve(), cache=home.cache.resolve()))
    state = source_state(None, home)
    if state.state == MISSING:
        print(tr("cli.data.none_yet", hint=describe(usage_hint())))
    elif state.cache:
        print(tr("cli.data.decoded", path=state.path, kind=state.kind, counts=_counts(state.cache), cache=state.cache))
    else:
        print(tr("cli.data.not_decoded", path=state.path, kind=state.kind))
    return 0


def download(data_dir: Path | None, url: str | None) -> int:
    from cnn_tui.ml.data_home import find_data_home, home_source
    from cnn_tui.ml.download import DownloadCancelled, DownloadError, check_url, cifar10_url

    check_url(url or cifar10_url())  # a bad address is a usage error (status 2), said before anything is looked up
    root = find_data_home(data_dir).root
    found = home_source(root)
    if found is not None and found.kind == "batches":
        print(tr("cli.data.already", path=found.path))
        return 0
    try:
        download_with_bar(root, url)
    except DownloadCancelled as error:
        print(f"{PROG} download: {safe_said(error)}", file=sys.stderr)
        return 130
    except DownloadError as error:
        print(f"{PROG} download: {safe_said(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} download: {tr('cli.data.interrupted')}", file=sys.stderr)
        return 130
    if found is not None:
        print(tr("cli.data.comes_first", path=found.path, kind=found.kind))
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
        tr("cli.data.imported", train=info["train"], test=info["test"], classes=len(info["classes"]), path=path, target=target, seconds=seconds)
    )
    return 0


def run(args: argparse.Namespace) -> int:
    """Errors a user can cause: one line on stderr, status 2 (a failed download: 1). torch is imported only to decode."""
    from cnn_tui.ml.data_home import DataSourceError

    try:
        return _run(args)
    except (UserError, DataSourceError) as error:
        print(f"{PROG} {args.action}: {safe_said(error.said if isinstance(error, UserError) else error)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.action == "import" and args.path is None:
        raise UserError(Phrase("cli.data.import_needs_path"))
    if args.action != "import" and args.path is not None:
        raise UserError(Phrase("cli.data.no_path", action=args.action))
    if args.action == "path":
        from cnn_tui.ml.data_home import find_data_home

        print(find_data_home(args.data_dir).root.resolve())
        return 0
    if args.action == "status":
        return status(args.data_dir)
    if args.action == "download":
        return download(args.data_dir, args.url)
    return import_data(args.path, args.data_dir)
