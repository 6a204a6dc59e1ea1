"""`cnn-tui practice`: exercises the engine checks, asked with plain prompts (over SSH, in a pipe), or printed as JSON (help in locales/cli_new_commands.toml)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cnn_tui.commands.options import UserError, number_in, user_errors
from cnn_tui.config import PRACTICE_DEFAULTS, user_data_dir
from cnn_tui.core.answers import AnswerError, answer_text, check
from cnn_tui.core.exercises import Exercise
from cnn_tui.core.practice import Turns, topics, worksheet
from cnn_tui.core.practice_progress import Progress, ProgressError, load, reset, save
from cnn_tui.i18n import language, tr

PROG = "cnn-tui practice"
QUIT = ("q", "quit", "exit", "退出")


def default_progress() -> Path:
    """Where a learner's record is kept unless --progress says otherwise."""
    return user_data_dir() / PRACTICE_DEFAULTS.progress_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (parser.description or "") + "\n\n" + tr("cli.practice.about")
    parser.add_argument("--topic", choices=topics(), help=tr("cli.practice.topic"))
    parser.add_argument("--json", action="store_true", help=tr("cli.practice.json"))
    parser.add_argument(
        "--count", type=number_in(1, PRACTICE_DEFAULTS.max_count, whole=True), default=PRACTICE_DEFAULTS.count,
        metavar="N", help=tr("cli.practice.count"),
    )
    parser.add_argument("--seed", type=number_in(0, 2**63 - 1, whole=True), metavar="S", help=tr("cli.practice.seed"))
    parser.add_argument("--progress", type=Path, metavar="FILE", help=tr("cli.practice.progress", path=default_progress()))
    parser.add_argument("--reset", action="store_true", help=tr("cli.practice.reset"))


@user_errors(PROG)
def run(args: argparse.Namespace) -> int:
    lang = language()  # the command line's: --lang anywhere, or LANG (cnn_tui.cli)
    if args.json:
        for exercise in worksheet(args.count, 0 if args.seed is None else args.seed, args.topic):
            print(json.dumps(exercise.to_json(lang), ensure_ascii=False))
        return 0
    path = args.progress or default_progress()
    try:
        if args.reset:
            print(tr("practice.cli.reset" if reset(path) else "practice.cli.reset_none", lang=lang, path=path))
            return 0
        progress = load(path)
    except ProgressError as error:
        raise UserError(error) from None
    return Session(path, progress, lang, args.topic, args.seed).run()


class Session:
    """One sitting at the terminal: ask, read a line, check, record; the score at the end."""

    def __init__(self, path: Path, progress: Progress, lang: str, only: str | None, seed: int | None) -> None:
        self.path, self.progress, self.lang = path, progress, lang
        self.turns = Turns(progress.first_topic(topics()), seed, only)
        self.asked = self.right = 0

    def say(self, key: str, **fields: object) -> None:
        print(tr(key, lang=self.lang, **fields), flush=True)

    def next_exercise(self) -> Exercise:
        return self.turns.next(self.progress.level)

    def run(self) -> int:
        self.say("practice.cli.welcome", path=self.path)
        try:
            while self.ask(self.next_exercise()):
                pass
        except KeyboardInterrupt:
            print()
            self.score()
            return 130
        self.score()
        return 0

    def ask(self, exercise: Exercise) -> bool:
        """Ask one exercise until it is answered or skipped; False when the learner is done."""
        print()
        self.say("practice.cli.heading", number=self.asked + 1, topic=tr(f"practice.topic.{exercise.topic}", lang=self.lang), level=exercise.level)
        print(exercise.question(self.lang), flush=True)
        while True:
            print(tr("practice.cli.prompt", lang=self.lang), end="", flush=True)
            line = sys.stdin.readline()
            if not line or line.strip().lower() in QUIT:
                if not line:
                    print()
                return False
            text = line.strip()
            if not text:
                self.say("practice.cli.skipped", answer=answer_text(exercise))
                return True
            try:
                right = check(exercise, text)
            except AnswerError as error:
                print(error.in_language(self.lang), flush=True)
                continue
            self.answered(exercise, right)
            return True

    def answered(self, exercise: Exercise, right: bool) -> None:
        self.asked += 1
        self.right += int(right)
        self.progress = self.progress.record(exercise.topic, right)
        if right:
            self.say("practice.cli.right", streak=self.progress.streak)
        else:
            self.say("practice.cli.wrong", answer=answer_text(exercise))
        try:
            save(self.path, self.progress)
        except ProgressError as error:
            print(error.in_language(self.lang), file=sys.stderr, flush=True)

    def score(self) -> None:
        self.say("practice.cli.score", right=self.right, asked=self.asked, best=self.progress.best, path=self.path)
