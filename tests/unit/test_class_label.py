"""Class names as the learner reads them: glossed in Chinese, the data's own names otherwise."""

from __future__ import annotations

from cnn_tui import i18n
from cnn_tui.ml import synthetic
from cnn_tui.ml.data import CIFAR10_CLASSES

CIFAR10_ZH = ("飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车")


def test_cifar10_classes_in_chinese_keep_the_english_name_beside():
    shown = [i18n.class_label(name, "zh") for name in CIFAR10_CLASSES]
    assert shown == [f"{zh} {en}" for zh, en in zip(CIFAR10_ZH, CIFAR10_CLASSES)]


def test_every_synthetic_class_is_glossed():
    for name in synthetic.CLASSES:
        label = i18n.class_label(name, "zh")
        assert label.endswith(f" {name}") and label != f" {name}", name
        assert not label.split(" ")[0].isascii(), label


def test_english_and_own_data_names_are_the_datas_own():
    assert i18n.class_label("airplane", "en") == "airplane"
    assert i18n.class_label("my_cats", "zh") == "my_cats"


def test_follows_the_current_language():
    i18n.set_language("zh")
    assert i18n.class_label("frog") == "青蛙 frog"
