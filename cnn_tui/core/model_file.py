"""The learner's own network named as `path/to/file.py:ClassName` (pure Python: the ml layer imports the file)."""

from __future__ import annotations


def is_model_file(name: str) -> bool:
    """Whether `name` has the form `path/to/file.py:ClassName`."""
    file, sep, class_name = name.rpartition(":")
    return bool(sep) and file.endswith(".py") and class_name.isidentifier()


MY_NETWORK = "my_network.py"  # what the Model tab's editor saves, in the working folder


def network_class(source: str) -> str | None:
    """The first class in `source` that derives from `nn.Module` (or `Module`), or None; `source` must parse."""
    import ast

    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name == "Module":
                    return node.name
    return None


def syntax_problem(source: str) -> tuple[int, str] | None:
    """(line, Python's message) when `source` is not valid Python, else None."""
    import ast

    try:
        ast.parse(source)
    except SyntaxError as error:
        return (error.lineno or 1, error.msg)
    except ValueError as error:  # a null byte
        return (1, str(error))
    return None


def error_line(where: object, file_name: str = MY_NETWORK) -> int | None:
    """The line that an own-model error's `where` (`file.py:LINE`, as its sentences name it) points at in
    `file_name`, or None when it points elsewhere or at no line."""
    name, _, line = str(where).rpartition(":")
    return int(line) if name.replace("\\", "/").rpartition("/")[2] == file_name and line.isdigit() else None
