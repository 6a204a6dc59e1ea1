"""Data, download and recipe errors are catalogue messages: the English stays the command line's, the app's
language gets whole sentences (a cache's reason, a half tarball pair, an unreadable image included)."""

from __future__ import annotations

import pickle

import pytest
import torch
from PIL import Image

from cnn_tui.config import TrainRecipe
from cnn_tui.i18n import describe, set_language
from cnn_tui.ml.data import DataSourceError, load_dataset, resolve_source, usage_hint
from cnn_tui.ml.data_home import IMPORTED_FILE
from cnn_tui.ml.sources import read_image_folder
from cnn_tui.ml.train import RecipeError, check_recipe


@pytest.fixture
def chinese():
    set_language("zh")
    yield
    set_language("en")


def test_a_missing_data_set_ends_with_the_usage_hint_in_each_language(tmp_path, chinese):
    with pytest.raises(DataSourceError) as error:
        resolve_source(tmp_path / "nowhere")
    assert str(error.value).endswith("; " + str(usage_hint()))
    assert describe(error.value).endswith("；" + describe(usage_hint())) and "离线使用" in describe(error.value)


def test_half_a_tarball_pair_is_one_sentence_in_each_language(tmp_path, chinese):
    (tmp_path / "train.tar.gz").write_bytes(b"")
    with pytest.raises(DataSourceError) as error:
        resolve_source(tmp_path)
    assert str(error.value) == f"--data {tmp_path}: train.tar.gz is here but test.tar.gz is missing; both are needed"
    assert describe(error.value) == f"--data {tmp_path}：这里有 train.tar.gz，但缺少 test.tar.gz；两者都需要"


def test_a_damaged_import_gives_its_reason_in_the_same_language(tmp_path, chinese):
    images = torch.zeros(2, 3, 4, 4, dtype=torch.uint8)
    torch.save({  # an imported data set (the data home's dataset.pt) whose train labels are out of range
        "classes": ["a", "b"], "train_images": images, "train_labels": torch.full((2,), 99),
        "test_images": images, "test_labels": torch.zeros(2, dtype=torch.int64),
    }, tmp_path / IMPORTED_FILE)
    with pytest.raises(DataSourceError) as error:
        load_dataset(None, tmp_path)
    assert "is damaged (its train labels run from 99 to 99, not 0 to 1); import" in str(error.value)
    assert "已损坏（其训练集标签范围是 99 到 99，而不是 0 到 1）" in describe(error.value)
    assert describe(pickle.loads(pickle.dumps(error.value))) == describe(error.value)


def test_an_unreadable_image_is_reported_in_the_app_language(tmp_path, chinese):
    for split in ("train", "test"):
        (tmp_path / split / "cat").mkdir(parents=True)
        Image.new("RGB", (4, 4)).save(tmp_path / split / "cat" / "0.png")
    (tmp_path / "test" / "cat" / "1.png").write_bytes(b"not a png")
    with pytest.raises(DataSourceError, match=r"1\.png: unreadable image \(") as error:
        read_image_folder(tmp_path)
    assert "1.png：无法读取的图像（" in describe(error.value)


def test_a_recipe_error_keeps_its_english_and_has_chinese(chinese):
    with pytest.raises(RecipeError) as error:
        check_recipe(TrainRecipe("x", 1, 8, optimizer="rmsprop"))
    assert str(error.value) == "unknown optimizer 'rmsprop'; choose one of adam, adamw, sgd"
    assert describe(error.value) == "未知的优化器 'rmsprop'；可选：adam, adamw, sgd"
