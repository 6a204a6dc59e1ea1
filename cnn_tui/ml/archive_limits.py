"""Bounds on a data-set tarball's members, checked on each header before any member's bytes are read or skipped.

    budget = ArchiveBudget(path)
    with tarfile.open(path, "r:*", tarinfo=budget.tarinfo_class()) as archive:   # long-name and pax headers bounded
        for member in archive:
            budget.admit(member)                                                 # sizes, count and total bounded
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from cnn_tui.config import ARCHIVE_LIMITS, ArchiveLimits
from cnn_tui.ml.data_home import DataSourceError


class ArchiveTooLarge(DataSourceError):
    """A tarball holds more, or larger, members than a data set of small images can; nothing of it was kept."""


@dataclass
class ArchiveBudget:
    """Counts the members of one archive as they are met; `admit` raises before a member over a bound is read.

    A member's size is what its header claims (a sparse member's full size), so a few hundred bytes
    of archive claiming gigabytes are refused without decompressing, skipping or allocating them."""

    path: Path
    limits: ArchiveLimits = field(default_factory=lambda: ARCHIVE_LIMITS)  # looked up when a budget is made
    members: int = 0
    total_bytes: int = 0

    def tarinfo_class(self) -> type[tarfile.TarInfo]:
        """A TarInfo whose headers are bounded as they are parsed: tarfile reads a long-name or pax header's whole
        claimed size into memory before it yields the member it describes, so `admit` would come too late."""
        budget = self

        class BoundedTarInfo(tarfile.TarInfo):
            @classmethod
            def frombuf(cls, buf: bytes, encoding: str, errors: str) -> tarfile.TarInfo:
                header = super().frombuf(buf, encoding, errors)
                if header.size > budget.limits.member_bytes:
                    raise ArchiveTooLarge(
                        "error.archive.member_bytes",
                        path=budget.path, name=header.name, size=header.size, limit=budget.limits.member_bytes,
                    )
                return header

        return BoundedTarInfo

    def admit(self, member: tarfile.TarInfo) -> None:
        """Count `member`; raise ArchiveTooLarge if it, or the archive so far, is over a bound."""
        self.members += 1
        if self.members > self.limits.members:
            raise ArchiveTooLarge("error.archive.members", path=self.path, limit=self.limits.members)
        if member.size > self.limits.member_bytes:
            raise ArchiveTooLarge(
                "error.archive.member_bytes", path=self.path, name=member.name, size=member.size, limit=self.limits.member_bytes
            )
        self.total_bytes += member.size
        if self.total_bytes > self.limits.total_bytes:
            raise ArchiveTooLarge("error.archive.total_bytes", path=self.path, limit=self.limits.total_bytes)
