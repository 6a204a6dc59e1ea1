"""Reading the step tabs' form values, and naming where a matrix came from, in the current language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cnn_tui.core.step_lab import LIMITS, MAXIMA, Source, within_limits
from cnn_tui.i18n import tr

T = TypeVar("T")


def parse_int(text: str) -> int:
    """A whole number (ValueError otherwise)."""
    return int(text.strip())


def parse_pair(text: str) -> tuple[int, int]:
    """`5` -> (5, 5); `5x6`, `5,6` or `5 6` -> (5, 6)."""
    parts = text.lower().replace("×", "x").replace("x", ",").replace(" ", ",").split(",")
    numbers = [parse_int(p) for p in parts if p.strip()]
    if len(numbers) == 1:
        return (numbers[0], numbers[0])
    if len(numbers) == 2:
        return (numbers[0], numbers[1])
    raise ValueError(text)


def pair_text(pair: tuple[int, int]) -> str:
    """A pair as the form shows it: `2`, or `2,1` when the axes differ."""
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


def limit_message(name: str, label_key: str | None = None) -> tuple[str, dict[str, str | int]]:
    """The catalogue key and fields saying the range setting `name` may take in the tabs (and why)."""
    label = label_key or f"convpool.setting.{name}"
    if name in MAXIMA:
        return "convpool.limit_max", {"name": tr(label), "high": MAXIMA[name]}
    low, high = LIMITS[name]
    return "convpool.limit", {"name": tr(label), "low": low, "high": high}


def limit_text(name: str, label_key: str | None = None) -> str:
    """`limit_message` in the current language."""
    key, fields = limit_message(name, label_key)
    return tr(key, **fields)


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1", "on", "是"):
        return True
    if value in ("no", "n", "false", "0", "off", "否"):
        return False
    raise ValueError(text)


class FormValues:
    """The form's raw strings; `get` parses one and remembers the first problem, in words."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw
        self.problem: str | None = None

    def get(self, name: str, parse: Callable[[str], T], limit: str | None = None) -> T | None:
        text = self.raw.get(name, "")
        try:
            value = parse(text)
        except ValueError:
            if self.problem is None:
                self.problem = tr("convpool.form.bad_value", field=tr(f"convpool.setting.{name}"), text=text)
            return None
        if limit is not None and self.problem is None:
            sides = value if isinstance(value, tuple) else (value,)
            if not all(within_limits(limit, side) for side in sides):
                self.problem = limit_text(limit, f"convpool.setting.{name}")
        return value


def source_text(source: Source) -> str:
    """Where a matrix came from: `range 0, 1, 2 …`, `random (seed 3)`, `Sobel x`, `image crop` …"""
    if source.kind == "random":
        return tr("convpool.source.random", seed=source.seed)
    if source.kind == "kernel":
        return tr(f"convpool.kernel.{source.name}")
    if source.kind == "image":
        where = tr("convpool.source.centre") if source.at is None else tr("convpool.source.at", row=source.at[0], col=source.at[1])
        return tr("convpool.source.image_grey" if source.name == "1" else "convpool.source.image_rgb", where=where)
    if source.kind == "example":
        return tr("convpool.source.from_example", name=source.name)
    return tr(f"convpool.source.{source.kind}")
