"""The learner's own network named as `path/to/file.py:ClassName` (pure Python: the ml layer imports the file)."""

from __future__ import annotations


def is_model_file(name: str) -> bool:
    """Whether `name` has the form `path/to/file.py:ClassName`."""
    file, sep, class_name = name.rpartition(":")
    return bool(sep) and file.endswith(".py") and class_name.isidentifier()
