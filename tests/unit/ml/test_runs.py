"""Run records: every run through `run_training` is written under runs/, listed by accuracy, found and compared."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ml.events import EpochResult, TrainController
from cnn_tui.ml.models import count_parameters, model_config
from cnn_tui.ml.runs import (
    RUN_FILE,
    RunRecord,
    RunsError,
    find_runs,
    list_runs,
    read_run,
    setting_differences,
    write_run,
)
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.synthetic import make_synthetic

RECIPE = TrainRecipe(name="tiny", epochs=2, batch_size=50, lr=3e-3)


@pytest.fixture(scope="module")
def data():
    return make_synthetic(train=300, test=100, seed=3)


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_a_run_is_recorded_beside_its_checkpoint_with_settings_metrics_and_weights(tmp_path, data):
    run = prepare_run(data, model_config("lecture"), RECIPE, checkpoint=tmp_path / "m.pth", label="first")
    result = run_training(data, run, device=torch.device("cpu"))
    folder = tmp_path / "runs" / run.run_id
    record = read_run(folder)
    assert record.status == "finished" and record.label == "first" and record.title == "first"
    assert [e.epoch for e in record.epochs] == [1, 2]
    assert record.final_accuracy == pytest.approx(result.last.test_accuracy)
    assert record.parameters == count_parameters(run.model) == 81_302
    assert record.mult_adds > 0 and record.seconds >= record.train_seconds > 0
    assert record.settings()["recipe.lr"] == "0.003" and record.settings()["model.conv_channels"] == "6,16"
    assert record.data["train_images"] == 300 and record.device == "cpu" and record.threads == 1
    model, meta = load_model(record.checkpoint)
    assert meta.epoch == 2 and count_parameters(model) == 81_302


def test_recording_can_go_elsewhere_or_be_switched_off(tmp_path, data):
    run = prepare_run(data, model_config("lecture"), replace(RECIPE, epochs=1), checkpoint=None, runs_dir=tmp_path / "r")
    run_training(data, run, device=torch.device("cpu"))
    assert (tmp_path / "r" / run.run_id / RUN_FILE).exists()
    quiet = prepare_run(data, model_config("lecture"), replace(RECIPE, epochs=1), checkpoint=tmp_path / "q.pth", record=False)
    run_training(data, quiet, device=torch.device("cpu"))
    assert quiet.run_id == "" and not (tmp_path / "runs").exists()
    nowhere = prepare_run(data, model_config("lecture"), replace(RECIPE, epochs=1), checkpoint=None)
    assert nowhere.runs_dir is None


def test_a_run_stopped_before_its_first_epoch_leaves_nothing(tmp_path, data):
    controller = TrainController()
    controller.stop()
    run = prepare_run(data, model_config("lecture"), RECIPE, checkpoint=tmp_path / "m.pth")
    result = run_training(data, run, device=torch.device("cpu"), controller=controller)
    assert result.status == "stopped" and list_runs(tmp_path / "runs") == ([], [])


def test_a_stopped_run_keeps_its_completed_epochs(tmp_path, data):
    controller = TrainController()

    def stop_after_first(result: EpochResult) -> None:
        threading.Thread(target=controller.stop).start()

    run = prepare_run(data, model_config("lecture"), replace(RECIPE, epochs=3), checkpoint=tmp_path / "m.pth")
    run_training(data, run, device=torch.device("cpu"), controller=controller, on_epoch=stop_after_first)
    record = read_run(tmp_path / "runs" / run.run_id)
    assert record.status == "stopped" and len(record.epochs) >= 1 and "stopped" in record.reason


def test_a_resumed_run_is_a_new_record_that_carries_the_earlier_epochs(tmp_path, data):
    first = prepare_run(data, model_config("lecture"), replace(RECIPE, epochs=1), checkpoint=tmp_path / "m.pth")
    run_training(data, first, device=torch.device("cpu"))
    again = prepare_run(data, model_config("lecture"), RECIPE, checkpoint=tmp_path / "m.pth", resume=True, overrides={"epochs": 2})
    run_training(data, again, device=torch.device("cpu"))
    record = read_run(tmp_path / "runs" / again.run_id)
    assert again.run_id != first.run_id
    assert record.resumed_from == 1 and [e.epoch for e in record.epochs] == [1, 2]


def _record(run_id: str, accuracies: list[float], label: str = "", **model) -> RunRecord:
    epochs = tuple(
        EpochResult(i + 1, len(accuracies), 1.0, 0.5, 1.2, acc, 2.0, 0.5, 100.0, 0.1) for i, acc in enumerate(accuracies)
    )
    return RunRecord(
        run_id=run_id,
        model={"name": "lecture", "conv_channels": [6, 16], **model},
        recipe={"name": "fast", "lr": 0.1},
        data={"name": "synthetic", "train_images": 300},
        label=label,
        status="finished",
        epochs=epochs,
    )


@pytest.fixture
def runs_dir(tmp_path) -> Path:
    folder = tmp_path / "runs"
    write_run(_record("20260101-000000-lecture-aaaa", [0.3, 0.5]), folder / "20260101-000000-lecture-aaaa")
    write_run(_record("20260102-000000-wide-bbbb", [0.6, 0.7], "wider", conv_channels=[32, 64]), folder / "20260102-000000-wide-bbbb")
    write_run(_record("20260103-000000-lecture-cccc", []), folder / "20260103-000000-lecture-cccc")
    (folder / "junk").mkdir()
    (folder / "junk" / RUN_FILE).write_text("{not json", encoding="utf-8")
    return folder


def test_runs_are_listed_best_first_and_unreadable_ones_reported(runs_dir):
    records, problems = list_runs(runs_dir)
    assert [r.run_id[-4:] for r in records] == ["bbbb", "aaaa", "cccc"]
    assert records[0].best_accuracy == 0.7 and records[2].best_accuracy is None
    assert len(problems) == 1 and "junk" in str(problems[0])
    assert list_runs(runs_dir / "missing") == ([], [])


def test_runs_are_found_by_rank_id_prefix_and_label(runs_dir):
    assert [r.run_id[-4:] for r in find_runs(runs_dir, ["1", "2"])] == ["bbbb", "aaaa"]
    assert find_runs(runs_dir, ["20260101"])[0].run_id.endswith("aaaa")
    assert find_runs(runs_dir, ["wider"])[0].run_id.endswith("bbbb")
    with pytest.raises(RunsError, match="several runs"):
        find_runs(runs_dir, ["2026"])
    with pytest.raises(RunsError, match="no run 'nope'"):
        find_runs(runs_dir, ["nope"])
    with pytest.raises(RunsError, match="no recorded runs"):
        find_runs(runs_dir / "empty", ["1"])


def test_setting_differences_name_each_changed_setting(runs_dir):
    best, other = find_runs(runs_dir, ["1", "2"])
    assert setting_differences(best, other) == [("model.conv_channels", "32,64", "6,16")]
    assert setting_differences(best, best) == []


def test_records_round_trip_and_bad_files_are_clear_errors(tmp_path):
    record = _record("20260101-000000-lecture-dddd", [0.4], "x")
    write_run(record, tmp_path / "a")
    assert read_run(tmp_path / "a") == record
    (tmp_path / "b").mkdir()
    with pytest.raises(RunsError, match="not a recorded run"):
        read_run(tmp_path / "b")
    (tmp_path / "b" / RUN_FILE).write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(RunsError, match="not a readable"):
        read_run(tmp_path / "b")
