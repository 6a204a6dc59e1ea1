"""The lecture's homework: one change per experiment, the combination of what helped, and the table on a tiny synthetic set."""

from __future__ import annotations

from dataclasses import asdict

import pytest
import torch
from rich.console import Console

from cnn_tui.cli import main
from cnn_tui.config import RECIPES
from cnn_tui.ml.events import EpochResult, TrainResult
from cnn_tui.ml.homework import (
    BASELINE,
    HomeworkResult,
    combined_experiment,
    helped,
    homework_experiments,
)
from cnn_tui.ml.models import LECTURE
from cnn_tui.ml.runs import list_runs
from cnn_tui.render.homework_table import homework_table, verdict


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _changed(a, b) -> set[str]:
    return {k for k, v in asdict(a).items() if asdict(b)[k] != v}


@pytest.mark.parametrize("recipe", ["fast", "lecture"])
def test_each_experiment_changes_one_thing(recipe):
    base_recipe = RECIPES[recipe]
    experiments = homework_experiments(LECTURE, base_recipe)
    assert [e.key for e in experiments] == [BASELINE, "channels", "fc", "lr_up", "lr_down", "optimizer", "activation"]
    changes = {e.key: (_changed(e.config, LECTURE) - {"name"}, _changed(e.recipe, base_recipe)) for e in experiments}
    assert changes[BASELINE] == (set(), set())
    assert changes["channels"] == ({"conv_channels"}, set()) and changes["fc"] == ({"fc_sizes"}, set())
    assert changes["lr_up"] == (set(), {"lr"}) and changes["lr_down"] == (set(), {"lr"})
    assert changes["activation"] == ({"activation"}, set())
    assert changes["optimizer"][0] == set() and {"optimizer", "lr"} <= changes["optimizer"][1]
    by_key = {e.key: e for e in experiments}
    assert by_key["lr_up"].recipe.lr == pytest.approx(base_recipe.lr * 3, rel=1e-2)
    assert by_key["channels"].detail == "conv_channels 6,16 → 32,64" and by_key["channels"].lecture_words == "增加卷积核输出通道数"
    assert by_key["optimizer"].recipe.optimizer == ("adam" if base_recipe.optimizer == "sgd" else "sgd")


def _result(experiment, accuracy: float, seconds: float = 2.0) -> HomeworkResult:
    epoch = EpochResult(1, 1, 1.0, 0.5, 1.0, accuracy, seconds, 0.1, 100.0, 0.1)
    return HomeworkResult(experiment, TrainResult("finished", (epoch,), seconds), 81_302, 371_856)


def test_what_helped_is_combined_taking_one_learning_rate_change():
    experiments = {e.key: e for e in homework_experiments(LECTURE, RECIPES["fast"])}
    accuracies = {BASELINE: 0.50, "channels": 0.58, "fc": 0.49, "lr_up": 0.53, "lr_down": 0.45, "optimizer": 0.55, "activation": 0.52}
    results = [_result(experiments[k], acc) for k, acc in accuracies.items()]
    assert [r.experiment.key for r in helped(results, 0.005)] == ["channels", "optimizer", "lr_up", "activation"]
    combined = combined_experiment(results, 0.005)
    assert combined is not None and combined.key == "combined"
    assert combined.config.conv_channels == (32, 64) and combined.config.activation == "gelu"
    assert combined.recipe.optimizer == "adam" and combined.recipe.lr == experiments["optimizer"].recipe.lr
    assert combined.config.fc_sizes == LECTURE.fc_sizes
    only_one = [_result(experiments[k], accuracies[k] if k in (BASELINE, "channels") else 0.4) for k in accuracies]
    assert combined_experiment(only_one, 0.005) is None


def test_the_table_reads_as_the_verdicts_say():
    experiments = homework_experiments(LECTURE, RECIPES["fast"])
    results = [_result(experiments[0], 0.60), _result(experiments[1], 0.66, 5.0), _result(experiments[2], 0.55)]
    console = Console(record=True, width=200)
    console.print(homework_table(results, margin=0.005, title="Homework"))
    text = console.export_text()
    assert "+6.0 pp" in text and "-5.0 pp" in text and "2.50×" in text
    assert "helped" in text and "hurt" in text and "biggest gain: more conv output channels (+6.0 pp)" in text
    assert verdict(0.001, 0.005) == "about the same" and verdict(None, 0.005) == "no result"


@pytest.mark.slow
def test_homework_command_on_a_tiny_synthetic_set(tmp_path, capsys):
    runs_dir = tmp_path / "runs"
    args = ["homework", "--data", "synthetic", "--train-limit", "400", "--test-limit", "100", "--epochs", "1",
            "--batch-size", "50", "--recipe", "lecture", "--threads", "1", "--plain", "--runs-dir", str(runs_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    for title in ("the lecture network as it is", "more conv output channels", "bigger fully connected layers",
                  "learning rate × 3", "learning rate ÷ 3", "another optimiser: SGD with momentum", "another activation: gelu"):
        assert title in out
    assert "vs baseline" in out and "pp" in out and "Homework on synthetic (400 training images, 1 epoch," in out
    records, problems = list_runs(runs_dir)
    assert problems == [] and len(records) >= 7
    assert all(r.label.startswith("homework: ") and len(r.epochs) == 1 for r in records)
    assert {r.data["train_images"] for r in records} == {400} and {r.recipe["seed"] for r in records} == {0}


def test_homework_errors_are_one_line(capsys):
    assert main(["homework", "--margin", "2", "--data", "synthetic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--margin" in err


@pytest.mark.slow
def test_homework_on_an_own_network_tries_the_training_changes_and_records_them_like_any_run(tmp_path, capsys, monkeypatch):
    from tests.conftest import REPO_ROOT

    monkeypatch.setenv("COLUMNS", "250")  # the runs table at a width where no name is cut

    runs_dir = tmp_path / "runs"
    network = f"{REPO_ROOT / 'examples' / 'my_network.py'}:MyNetwork"
    args = ["homework", "--model", network, "--data", "synthetic", "--train-limit", "200", "--test-limit", "100",
            "--epochs", "1", "--batch-size", "50", "--recipe", "lecture", "--threads", "1", "--plain",
            "--no-combine", "--runs-dir", str(runs_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "my_network.py:MyNetwork is your own network: its layers are changed in its file" in out
    for title in ("the my_network.py:MyNetwork network as it is", "learning rate × 3", "learning rate ÷ 3",
                  "another optimiser: SGD with momentum"):
        assert title in out
    assert "more conv output channels" not in out and "another activation" not in out
    records, problems = list_runs(runs_dir)
    assert problems == [] and len(records) == 4
    assert {r.model["name"] for r in records} == {"my_network.py:MyNetwork"}
    assert main(["runs", "--runs-dir", str(runs_dir)]) == 0  # listed like any other run
    listed = capsys.readouterr().out
    assert listed.count("my_network.py:MyNetwork") >= 4, listed


def test_homework_refuses_layer_changes_for_an_own_network(capsys):
    from tests.conftest import REPO_ROOT

    network = f"{REPO_ROOT / 'examples' / 'my_network.py'}:MyNetwork"
    assert main(["homework", "--model", network, "--only", "channels", "--data", "synthetic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "changed in its file" in err
