"""Command-line entry point: parse arguments, then run the app or a subcommand. No logic lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cnn_tui import __version__, commands
from cnn_tui.config import TRAIN_DEFAULTS, AppConfig
from cnn_tui.commands.argparse_words import HelpFormatter, use_catalogue
from cnn_tui.i18n import LANGUAGES, detect_language, set_language, tr

def _summary(name: str) -> str:
    """A command's one-line summary in the current language."""
    return tr(f"cli.command.{name}")


def _commands_epilog() -> str:
    if not commands.COMMANDS:
        return ""
    width = max(len(name) for name in commands.COMMANDS)
    lines = [tr("cli.commands_heading")]
    lines += [f"  {name:<{width}}  {_summary(name)}" for name in commands.COMMANDS]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The parser for `cnn-tui [IMAGE]`, listing every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="cnn-tui",
        description=tr("cli.about"),
        epilog=_commands_epilog(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("image", nargs="?", metavar="IMAGE", help=tr("cli.image_help"))
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=tr("cli.lang_help", detected=detect_language()),
    )
    parser.add_argument(
        "--checkpoint",
        type=Path,
        default=None,
        metavar="PATH",
        help=tr("cli.checkpoint_help", default=TRAIN_DEFAULTS.checkpoint),
    )
    parser.add_argument(
        "--confine", type=Path, default=None, metavar="DIR", help=tr("cli.confine_help"),
    )
    parser.add_argument(
        "--practice-record", type=Path, default=None, metavar="PATH", help=tr("cli.practice_record_help"),
    )
    parser.add_argument("--version", action="version", version=f"cnn-tui {__version__}", help=tr("cli.argparse.version"))
    return parser


def build_command_parser(name: str) -> argparse.ArgumentParser:
    """The parser for `cnn-tui NAME ...`."""
    module = commands.load(name)
    parser = argparse.ArgumentParser(
        prog=f"cnn-tui {name}",
        description=_summary(name),
        formatter_class=HelpFormatter,
    )
    module.add_arguments(parser)
    parser.set_defaults(_run=module.run)
    return parser


def image_path_problem(path: Path) -> str | None:
    """Why `path` cannot be opened as an image file, or None if its header reads as an image.

    Only the header is read here; the app decodes the image once, in a worker."""
    from cnn_tui.commands.core_words import in_language
    from cnn_tui.core.images import ImageLoadError, probe_image

    try:
        probe_image(path)
    except ImageLoadError as error:
        return in_language(error)
    return None


def _replace_unencodable() -> None:
    """Write '?' for characters the output's encoding lacks (PYTHONIOENCODING=ascii) instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`cnn-tui eval | head -2`): end quietly with status 1, as Rich does."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    except (OSError, ValueError):
        pass
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run cnn-tui; returns the process exit status."""
    _replace_unencodable()
    try:
        status = _main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe found at exit is still ended quietly
        return status
    except BrokenPipeError:
        return _quiet_broken_pipe()


def take_language(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """`--lang X` (or `--lang=X`) taken out of `args` wherever it stands, before or after a subcommand: the
    language asked for (None when none) and the other arguments in their order. An unknown language is
    argparse's usual error."""
    rest: list[str] = []
    lang: str | None = None
    items = list(args)
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--":
            rest += items[index:]
            break
        if item == "--lang" and index + 1 < len(items):
            value = items[index + 1]
            index += 2
        elif item.startswith("--lang="):
            value = item.split("=", 1)[1]
            index += 1
        else:
            rest.append(item)
            index += 1
            continue
        if value not in LANGUAGES:
            build_parser().parse_args(["--lang", value])  # exits with argparse's "invalid choice" and status 2
        lang = value
    return lang, rest


# Subcommands with a --lang of their own (serve: the sessions' language), which they receive as well.
OWN_LANG_COMMANDS = ("serve",)


def _main(argv: Sequence[str] | None) -> int:
    lang, args_list = take_language(sys.argv[1:] if argv is None else argv)
    set_language(lang or detect_language())
    use_catalogue()  # argparse's own words (usage:, options, error:) in that language
    try:
        if args_list and args_list[0] in commands.COMMANDS:
            if lang and args_list[0] in OWN_LANG_COMMANDS:
                args_list += ["--lang", lang]
            args = build_command_parser(args_list[0]).parse_args(args_list[1:])
            return int(args._run(args) or 0)
        args = build_parser().parse_args(args_list)
        image = Path(args.image) if args.image else None
        if image is not None:
            problem = image_path_problem(image)
            if problem:
                print(tr("cli.cannot_open", image=str(image), problem=problem), file=sys.stderr)
                return 2
        if not stdout_is_terminal():
            where = tr("cli.where_pipe") if _is_pipe(sys.stdout) else tr("cli.where_file")
            print(tr("cli.not_a_terminal", where=where), file=sys.stderr)
            return 2
        from cnn_tui.ui.app import run_app

        return run_app(AppConfig(
            lang=lang or detect_language(), image=image, checkpoint=args.checkpoint, confine=args.confine,
            practice_record=args.practice_record,
        ))
    except KeyboardInterrupt:
        return 130


def stdout_is_terminal() -> bool:
    """Whether the full-screen app can draw on standard output: a terminal, or a driver Textual was told to
    use instead (`cnn-tui serve` runs each browser session with TEXTUAL_DRIVER set, its output a pipe)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _is_pipe(stream: object) -> bool:
    import stat

    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())
