"""PyTorch's error lines put in words for the learner's network: what went wrong and what to change, the line below."""

from __future__ import annotations

import re
from collections.abc import Callable

from cnn_tui.i18n import Phrase

def _linear_inputs(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.linear_inputs", expected=m["expected"], got=m["got"])


def _conv_channels(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.conv_channels", expected=m["expected"], got=m["got"])


def _kernel_too_big(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.kernel_too_big", size=_size(m["size"]), kernel=_size(m["kernel"]))


def _too_small(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.too_small", size=m["size"])


def _view_size(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.view_size", shape=m["shape"], size=m["size"])


def _conv_input_rank(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.conv_input_rank", got=m["got"])


def _target_out_of_bounds(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.target_out_of_bounds", target=m["target"])


def _batchnorm_size(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.batchnorm_size", expected=m["expected"], got=m["got"])


def _dtype(m: re.Match[str]) -> Phrase:
    return Phrase("error.torch.dtype", input=m["input"], weights=m["weights"])


def _size(text: str) -> str:
    return text.replace(" x ", "x")


# PyTorch's first line (as torch 2.x words it) -> what it means, in a catalogue message.
_KNOWN: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Phrase]], ...] = (
    (re.compile(r"mat1 and mat2 shapes cannot be multiplied \(\d+x(?P<got>\d+) and (?P<expected>\d+)x\d+\)"), _linear_inputs),
    (
        re.compile(r"weight of size \[[^\]]*\], expected input\[[^\]]*\] to have (?P<expected>\d+) channels, but got (?P<got>\d+) channels"),
        _conv_channels,
    ),
    (
        re.compile(r"padded input size per channel: \((?P<size>[\d x]+)\)\. Kernel size: \((?P<kernel>[\d x]+)\)\. Kernel size can't be greater"),
        _kernel_too_big,
    ),
    (re.compile(r"Given input size: \((?P<size>[\dx]+)\)\. Calculated output size: \([\dx]+\)\. Output size is too small"), _too_small),
    (re.compile(r"shape '(?P<shape>\[[^\]]*\])' is invalid for input of size (?P<size>\d+)"), _view_size),
    (re.compile(r"input to conv\dd, but got input of size: (?P<got>\[[^\]]*\])"), _conv_input_rank),
    (re.compile(r"Target (?P<target>-?\d+) is out of bounds"), _target_out_of_bounds),
    (re.compile(r"running_mean should contain (?P<expected>\d+) elements not (?P<got>\d+)"), _batchnorm_size),
    (re.compile(r"Input type \((?P<input>\w+)\) and (?:bias|weight) type \((?P<weights>\w+)\) should be the same"), _dtype),
)


def original_line(error: BaseException) -> str:
    """`Type: first line` of the error, as PyTorch said it."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def explain_torch_error(error: BaseException) -> Phrase | None:
    """What PyTorch's `error` means for the learner's network, followed by PyTorch's own line; None for an error
    this does not recognise."""
    line = original_line(error)
    for pattern, meaning in _KNOWN:
        found = pattern.search(line)
        if found:
            return Phrase("error.torch.said", meaning=meaning(found), original=line)
    return None


def describe_torch_error(error: BaseException) -> Phrase | str:
    """The explained error where it is recognised, else PyTorch's own `Type: line`."""
    return explain_torch_error(error) or original_line(error)
