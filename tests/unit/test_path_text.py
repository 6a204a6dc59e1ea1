"""Paths in the Training tab's sidebar wrap after a slash, never inside a file name that fits (issue 28)."""

from __future__ import annotations

from rich.console import Console

from cnn_tui.render.path_text import PathText


def lines(path: str, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(PathText(path))
    return console.export_text().splitlines()


def test_a_path_breaks_after_its_slash():
    assert lines("models/image_classification.pth", 26) == ["models/", "image_classification.pth"]
    assert lines("models/image_classification.pth", 40) == ["models/image_classification.pth"]
    assert lines("/home/learner/data/cifar-10-batches-py", 20) == ["/home/learner/data/", "cifar-10-batches-py"]


def test_a_name_wider_than_the_line_is_folded():
    assert lines("a/abcdefghij", 5) == ["a/", "abcde", "fghij"]
