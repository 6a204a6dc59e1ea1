"""The message catalogue: complete in both languages, strict about mistakes."""

from __future__ import annotations

import pytest

from cnn_tui import i18n


def test_every_message_has_english_and_chinese():
    for key, texts in i18n.catalogue().items():
        assert texts["en"].strip(), key
        assert texts["zh"].strip(), key


def test_format_fields_match_between_languages():
    import string

    for key, texts in i18n.catalogue().items():
        fields = [{name for _, name, _, _ in string.Formatter().parse(t) if name} for t in texts.values()]
        assert fields[0] == fields[1], key


def test_lecture_terms_in_chinese():
    assert i18n.tr("tab.convolution.title", lang="zh") == "卷积层"
    assert i18n.tr("tab.pooling.title", lang="zh") == "池化层"
    assert i18n.tr("tab.feature_maps.title", lang="zh") == "特征图"
    intro = i18n.tr("lecture.convolution", lang="zh")
    assert "步长" in intro and "填充" in intro


def test_switching_language_changes_tr():
    i18n.set_language("zh")
    assert i18n.tr("bind.quit") == "退出"
    i18n.set_language("en")
    assert i18n.tr("bind.quit") == "Quit"


def test_unknown_language_and_key_are_errors():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")
    with pytest.raises(KeyError, match="no message"):
        i18n.tr("no.such.key")


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({}, "en"),
    ],
)
def test_detect_language(env, expected):
    assert i18n.detect_language(env) == expected


def test_catalogue_rejects_missing_language_and_duplicates(tmp_path):
    (tmp_path / "a.toml").write_text('[x]\nen = "only english"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="lacks zh"):
        i18n.load_catalogue(tmp_path)
    (tmp_path / "a.toml").write_text('[x]\nen = "a"\nzh = "甲"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[x]\nen = "b"\nzh = "乙"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="defined twice"):
        i18n.load_catalogue(tmp_path)
