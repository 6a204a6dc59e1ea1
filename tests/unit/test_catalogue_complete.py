"""Every catalogue message, in both languages: present, formattable, and the Chinese really Chinese.

A Chinese entry with no Chinese in it is English a Chinese learner would read, unless it is code, a name or a
shape that the lecture writes the same way in Chinese: those keys are listed in SAME_IN_CHINESE, one per line
with the reason. A new locale file passes without a change here as long as its Chinese entries have Chinese.
"""

from __future__ import annotations

import re
import string

import pytest

from cnn_tui import i18n

# Keys whose Chinese is rightly the same letters as the English: code, identifiers, names, formulas.
SAME_IN_CHINESE = frozenset(
    {
        "bind.language",  # the name of the other language: "English"
        "convpool.kernel.sobel_x",  # a kernel's name: Sobel x
        "convpool.kernel.sobel_y",
        "convpool.setting.ceil_mode",  # PyTorch's argument names
        "convpool.setting.count_include_pad",
        "feature_maps.kernel.sobel_x",
        "feature_maps.kernel.sobel_y",
        "feature_maps.value.relu",  # ReLU
        "pixels.mode.rgb",  # RGB
        "pixels.readout.chw",  # ToTensor → (C, H, W) = shape dtype
        "pixels.readout.tensor",  # ÷255 (ToTensor) = values
        "pool.settings_avg",  # · count_include_pad {value}
        "serve.page.title",  # the program's name
        "trace.pytorch",  # PyTorch
    }
)

_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z]{2,}")
_FIELD = re.compile(r"\{[^{}]*\}")


class _Filler:
    """A value for any format field, whatever its spec ({n:,}, {x:.2f}, {name!r}, {a.b}, {a[0]})."""

    def __format__(self, spec: str) -> str:
        for value in (7, 7.5, "seven"):
            try:
                return format(value, spec)
            except (ValueError, TypeError):
                continue
        raise ValueError(f"no value fits the format spec {spec!r}")

    def __getattr__(self, name: str) -> _Filler:
        return self

    def __getitem__(self, key: object) -> _Filler:
        return self

    def __repr__(self) -> str:
        return "'seven'"


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _english_only(text: str) -> bool:
    """No Chinese character, yet words: English (fields like {name} do not count as words)."""
    return not _CHINESE.search(text) and bool(_WORD.search(_FIELD.sub("", text)))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_key_says_something_in_every_language(lang):
    for key, texts in i18n.catalogue().items():
        fields = {name: _Filler() for text in texts.values() for name in _fields(text)}
        said = i18n.tr(key, lang=lang, **fields)
        assert said.strip(), f"{key}: empty in {lang}"


def test_no_chinese_entry_is_english_only():
    english_only = sorted(key for key, texts in i18n.catalogue().items() if _english_only(texts["zh"]))
    unexplained = [f"{key}: {i18n.catalogue()[key]['zh']!r}" for key in english_only if key not in SAME_IN_CHINESE]
    assert not unexplained, "Chinese entries with no Chinese (translate them, or list code-only keys in SAME_IN_CHINESE):\n" + "\n".join(unexplained)


def test_the_allow_list_names_only_keys_that_need_it():
    catalogue = i18n.catalogue()
    stale = sorted(key for key in SAME_IN_CHINESE if key not in catalogue or not _english_only(catalogue[key]["zh"]))
    assert not stale, f"no longer needed in SAME_IN_CHINESE: {stale}"


def test_the_check_finds_english_in_a_chinese_entry():
    assert _english_only("the synthetic data set")
    assert _english_only("{count} images")
    assert not _english_only("合成数据集 synthetic")
    assert not _english_only("{shape} → {shape}")
