"""The Training tab's form: text to settings, every field checked, recipes fill their own values."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnn_tui.config import RECIPES
from cnn_tui.core.loss_series import LossSeries, batch_loss
from cnn_tui.core.training_settings import FORM_FIELDS, TrainingSettings, parse_settings

MODELS = ("lecture",)
OPTIMIZERS = ("adam", "adamw", "sgd")


def _parse(**changes: str):
    values = TrainingSettings().as_text()
    values.update(changes)
    return parse_settings(values, models=MODELS, optimizers=OPTIMIZERS)


def test_defaults_round_trip_through_the_form():
    settings = TrainingSettings()
    assert set(settings.as_text()) == set(FORM_FIELDS)
    assert _parse() == settings
    assert settings.source is None and settings.recipe == "fast"
    fast = RECIPES["fast"]
    assert settings.overrides() == {
        "epochs": fast.epochs, "batch_size": fast.batch_size, "lr": fast.lr, "optimizer": fast.optimizer, "seed": fast.seed,
    }


def test_values_are_parsed_and_limits_may_be_empty():
    settings = _parse(data="synthetic", epochs="2", batch_size="1,024", lr="1e-3", optimizer="SGD", train_limit="500", test_limit="all")
    assert isinstance(settings, TrainingSettings)
    assert (settings.source, settings.epochs, settings.batch_size, settings.lr, settings.optimizer) == (
        "synthetic", 2, 1024, 0.001, "sgd",
    )
    assert settings.train_limit == 500 and settings.test_limit is None
    assert settings.as_text()["lr"] == "0.001" and settings.as_text()["test_limit"] == ""


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("epochs", "zero", "not_int"),
        ("epochs", "0", "int_range"),
        ("batch_size", "-8", "int_range"),
        ("lr", "fast", "not_number"),
        ("lr", "0", "lr_range"),
        ("lr", "nan", "lr_range"),
        ("optimizer", "rmsprop", "choice"),
        ("model", "resnet9000", "choice"),
        ("recipe", "slow", "choice"),
        ("train_limit", "0", "int_range"),
        ("data", "  ", "empty"),
        ("checkpoint", "", "empty"),
    ],
)
def test_each_bad_field_is_named_with_a_reason(field, text, code):
    problems = _parse(**{field: text})
    assert isinstance(problems, list) and [(p.field, p.code) for p in problems] == [(field, code)]


def test_every_problem_is_reported_at_once(tmp_path: Path):
    problems = _parse(epochs="x", lr="-1", checkpoint=str(tmp_path))
    assert [(p.field, p.code) for p in problems] == [("epochs", "not_int"), ("lr", "lr_range"), ("checkpoint", "is_dir")]


def test_choosing_a_recipe_takes_its_values_and_keeps_the_rest():
    settings = TrainingSettings(data="synthetic", train_limit=100).with_recipe("lecture")
    lecture = RECIPES["lecture"]
    assert (settings.recipe, settings.epochs, settings.batch_size, settings.lr) == ("lecture", lecture.epochs, 8, 1e-3)
    assert settings.data == "synthetic" and settings.train_limit == 100


def test_batch_loss_is_recovered_from_running_means():
    losses = [2.0, 1.0, 4.0]
    sizes = [8, 8, 3]
    seen, total, mean_before = 0, 0.0, 0.0
    for loss, size in zip(losses, sizes):
        total += loss * size
        before = seen
        seen += size
        mean = total / seen
        assert batch_loss(mean, seen, mean_before, before) == pytest.approx(loss)
        mean_before = mean
    with pytest.raises(ValueError):
        batch_loss(1.0, 3, 1.0, 3)


def test_loss_series_smooths_and_stays_short():
    series = LossSeries(smoothing=0.5, max_points=8)
    series.add(0.0, 2.0)
    assert series.smoothed == pytest.approx(2.0)  # debiased: starts at the first loss
    series.add(0.1, 0.0)
    assert series.smoothed == pytest.approx((0.25 * 2.0 + 0.5 * 0.0) / 0.75)
    for i in range(2, 100):
        series.add(i / 10, 1.0)
    points = series.points()
    assert 4 <= len(points) <= 8 and series.stride == 16
    assert list(points.xs) == sorted(points.xs) and points.xs[0] == 0.0
    assert all(b - a == pytest.approx(1.6) for a, b in zip(points.xs, points.xs[1:]))
    assert points.ys[-1] == pytest.approx(1.0, abs=1e-3)


def test_an_own_model_file_replaces_the_model_choice(tmp_path):
    from cnn_tui.core.training_settings import TrainingSettings, parse_settings

    net = tmp_path / "net.py"
    net.write_text("")
    values = TrainingSettings().as_text()
    for text, expected in (
        (f"{net}:Net", f"{net}:Net"),
        ("", "lecture"),
    ):
        values["model_file"] = text
        assert parse_settings(values, models=["lecture"], optimizers=["adam", "sgd"]).model == expected
    for text, code in ((f"{tmp_path}/none.py:Net", "model_file"), ("net", "model_form")):
        values["model_file"] = text
        problems = parse_settings(values, models=["lecture"], optimizers=["adam", "sgd"])
        assert [(p.field, p.code) for p in problems] == [("model_file", code)]
