"""What reading a photo folder did, said once: counts per class, the sizes met, the resize policy, conversions, skips."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cnn_tui.i18n import Phrase

SHOWN_SKIPS = 3  # the skipped files named in the log line; the rest are counted
# The conversions cnn_tui.core.images.to_rgb notes, in the order the log line lists them.
CONVERSIONS = ("gray", "palette", "alpha", "converted", "scaled16", "float", "rotated", "animated")


class JoinedPhrases(Phrase):
    """Several phrases said as one list, each in the same language, joined by the language's list separator."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Phrase]) -> None:
        super().__init__("photos.list", items="")
        self.parts = parts

    def in_language(self, lang: str | None = None) -> str:
        from cnn_tui.i18n import tr

        separator = tr("photos.separator", lang=lang)
        return tr("photos.list", lang=lang, items=separator.join(p.in_language(lang) for p in self.parts))


def _conversion(code: str, count: int, mode: str) -> Phrase:
    """`3 greyscale`, `1 CMYK` …: one conversion's part of the log line."""
    phrases = {
        "gray": lambda: Phrase("photos.conversion.gray", count=count),
        "palette": lambda: Phrase("photos.conversion.palette", count=count),
        "alpha": lambda: Phrase("photos.conversion.alpha", count=count),
        "converted": lambda: Phrase("photos.conversion.converted", count=count, mode=mode),
        "scaled16": lambda: Phrase("photos.conversion.scaled16", count=count),
        "float": lambda: Phrase("photos.conversion.float", count=count),
        "rotated": lambda: Phrase("photos.conversion.rotated", count=count),
        "animated": lambda: Phrase("photos.conversion.animated", count=count),
    }
    return phrases[code]()


@dataclass(frozen=True)
class PhotoReport:
    """The facts the log and the Training tab state about a photo folder read for a network."""

    layout: str  # split (train/ and test/ folders) or plain (class folders, hash split)
    classes: tuple[str, ...]
    train_counts: tuple[int, ...]
    test_counts: tuple[int, ...]
    smallest: tuple[int, int]  # width, height (upright) of the photo with the fewest pixels
    largest: tuple[int, int]
    side: int
    resize: str
    test_share: float = 0.0
    conversions: dict[str, int] = field(default_factory=dict)  # "gray" → 3, "converted:CMYK" → 1 …
    skipped: int = 0
    skipped_names: tuple[str, ...] = ()
    test_files: tuple[str, ...] = ()  # each test image's file, relative to the folder, in the test split's order

    @property
    def photos(self) -> int:
        return sum(self.train_counts) + sum(self.test_counts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhotoReport:
        return cls(
            layout=str(data["layout"]), classes=tuple(str(c) for c in data["classes"]),
            train_counts=tuple(int(n) for n in data["train_counts"]), test_counts=tuple(int(n) for n in data["test_counts"]),
            smallest=tuple(int(n) for n in data["smallest"]), largest=tuple(int(n) for n in data["largest"]),  # type: ignore[arg-type]
            side=int(data["side"]), resize=str(data["resize"]), test_share=float(data.get("test_share", 0.0)),
            conversions={str(k): int(v) for k, v in dict(data.get("conversions", {})).items()},
            skipped=int(data.get("skipped", 0)), skipped_names=tuple(str(n) for n in data.get("skipped_names", ())),
            test_files=tuple(str(n) for n in data.get("test_files", ())),
        )

    def policy(self) -> Phrase:
        """`shorter side 32, centre crop 32×32` (or the squash or pad policy's words)."""
        if self.resize == "squash":
            return Phrase("photos.policy.squash", side=self.side)
        if self.resize == "pad":
            return Phrase("photos.policy.pad", side=self.side)
        return Phrase("photos.policy.crop", side=self.side)

    def summary(self) -> Phrase:
        """`1,203 photos of 3 classes, 48×36 … 360×480 → shorter side 32, centre crop 32×32`."""
        (w0, h0), (w1, h1) = self.smallest, self.largest
        return Phrase(
            "photos.summary", photos=self.photos, classes=len(self.classes), smallest=f"{w0}×{h0}",
            largest=f"{w1}×{h1}", policy=self.policy(),
        )

    def split(self) -> Phrase:
        """How the photos were split between training and test."""
        train, test = sum(self.train_counts), sum(self.test_counts)
        if self.layout == "plain":
            return Phrase("photos.split.plain", train=train, test=test, percent=round(100 * self.test_share))
        return Phrase("photos.split.folders", train=train, test=test)

    def class_counts(self) -> Phrase:
        """`classes: bird 402, cat 398, dog 403` (training and test photos together)."""
        parts = [
            Phrase("photos.class_count", name=name, count=a + b)
            for name, a, b in zip(self.classes, self.train_counts, self.test_counts, strict=True)
        ]
        return Phrase("photos.classes", classes=JoinedPhrases(parts))

    def conversion_line(self) -> Phrase | None:
        """`made RGB and upright: 3 greyscale, 1 CMYK, 2 turned upright by their EXIF orientation`, or None."""
        parts = []
        for code in CONVERSIONS:
            for key, count in sorted(self.conversions.items()):
                name, _, mode = key.partition(":")
                if name == code:
                    parts.append(_conversion(code, count, mode))
        return Phrase("photos.conversions", what=JoinedPhrases(parts)) if parts else None

    def skip_line(self) -> Phrase | None:
        """`skipped 3 files that are not readable photos: notes.txt, broken.jpg, empty.png`, or None."""
        if not self.skipped:
            return None
        names = ", ".join(self.skipped_names)
        more = self.skipped - len(self.skipped_names)
        if more:
            return Phrase("photos.skipped_more", count=self.skipped, names=names, more=more)
        return Phrase("photos.skipped", count=self.skipped, names=names)

    def lines(self) -> list[Phrase]:
        """Everything said about the folder, one phrase per line."""
        found = [self.summary(), self.split(), self.class_counts(), self.conversion_line(), self.skip_line()]
        return [line for line in found if line is not None]
