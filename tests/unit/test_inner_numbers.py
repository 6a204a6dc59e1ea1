"""Training's inner numbers: norms, change and dead ReLUs checked directly, recorded per epoch, shown by `cnn-tui runs --inner`."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import torch

from cnn_tui.cli import main
from cnn_tui.config import RECIPES
from cnn_tui.ml.inner_numbers import InnerNumbers
from cnn_tui.ml.models import build_model, model_config
from cnn_tui.ml.runs import RunRecord, list_runs, read_run
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.synthetic import make_synthetic


def _model():
    torch.manual_seed(0)
    return build_model("lecture")


def test_norms_change_and_dead_relus_match_a_direct_computation():
    model = _model()
    probe = torch.rand(16, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    numbers = InnerNumbers(model, probe)
    start = model.conv2.weight.detach().clone()
    with torch.no_grad():
        model.conv2.weight.mul_(1.5)  # a change of half the weight's norm
        model.conv1.bias[0] = -1000.0  # conv1's channel 0 never fires again
    model.conv2.weight.grad = torch.full_like(model.conv2.weight, 0.5)
    read = numbers.read(model)
    rows = {row["layer"]: row for row in read["layers"]}
    assert list(rows) == ["conv1", "pool1", "conv2", "pool2", "linear1", "linear2", "out"]
    assert rows["conv2"]["weight"] == pytest.approx(float((start * 1.5).norm()), rel=1e-5)
    assert rows["conv2"]["change"] == pytest.approx(0.5, rel=1e-5)
    assert rows["conv2"]["grad"] == pytest.approx(0.5 * start.numel() ** 0.5, rel=1e-5)
    assert rows["linear1"]["change"] == 0.0 and rows["linear1"]["grad"] is None

    taken = {}
    model.pool1.register_forward_hook(lambda _m, _i, out: taken.setdefault("pool1", out))
    with torch.no_grad():
        model(probe)
    expected = 1.0 - float((torch.relu(taken["pool1"]) > 0).any(dim=0).float().mean())
    assert rows["pool1"]["dead"] == pytest.approx(expected) and rows["pool1"]["weight"] is None
    assert rows["pool1"]["dead"] >= 1 / 6  # at least the silenced channel
    assert rows["conv1"]["dead"] is None and rows["out"]["dead"] is None  # no ReLU after them
    assert numbers.read(model)["layers"][2]["change"] == 0.0  # conv2, measured from the last reading


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inner")
    data = make_synthetic(train=300, test=60)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for name, epochs in (("lecture", 2), ("wide_bn", 1)):
            recipe = replace(RECIPES["fast"], epochs=epochs, batch_size=50)
            run_training(data, prepare_run(data, model_config(name), recipe, checkpoint=folder / "m.pth"))
    finally:
        torch.set_num_threads(threads)
    return folder / "runs"


@pytest.mark.slow
def test_each_epoch_is_recorded_and_read_back(recorded):
    records, problems = list_runs(recorded)
    assert problems == [] and len(records) == 2
    (record,) = [r for r in records if r.model_name == "lecture"]
    assert [entry["epoch"] for entry in record.inner] == [1, 2]
    for entry in record.inner:
        rows = {row["layer"]: row for row in entry["layers"]}
        assert list(rows) == ["conv1", "pool1", "conv2", "pool2", "linear1", "linear2", "out"]
        weighted = [rows[name] for name in ("conv1", "conv2", "linear1", "linear2", "out")]
        assert all(row["weight"] > 0 and row["grad"] > 0 and row["change"] > 0 for row in weighted)
        assert [name for name, row in rows.items() if row["dead"] is not None] == ["pool1", "pool2", "linear1", "linear2"]
        assert all(0.0 <= rows[name]["dead"] <= 1.0 for name in ("pool1", "pool2", "linear1", "linear2"))
    assert RunRecord.from_dict(record.to_dict()).inner == record.inner


def test_runs_inner_shows_the_table(recorded, capsys):
    (lecture,) = [r for r in list_runs(recorded)[0] if r.model_name == "lecture"]
    assert main(["runs", "--runs-dir", str(recorded), "--inner", lecture.run_id]) == 0
    out = capsys.readouterr().out
    assert "Inner numbers of" in out and "dead ReLU" in out
    names = [line.split("│")[2].strip() for line in out.splitlines() if line.count("│") == 7][:7]
    assert names == ["conv1", "pool1", "conv2", "pool2", "linear1", "linear2", "out"]


def test_a_damaged_inner_record_is_refused(recorded, tmp_path):
    source = next(p.parent for p in recorded.rglob("run.json"))
    data = json.loads((source / "run.json").read_text())
    for damage in ("not a list", [{"epoch": 1, "layers": "conv1"}], [{"epoch": 1, "layers": [{"layer": "x", "dead": "half"}]}]):
        broken = tmp_path / f"run-{len(str(damage))}"
        broken.mkdir()
        (broken / "run.json").write_text(json.dumps({**data, "inner": damage}))
        with pytest.raises(Exception) as caught:
            read_run(broken)
        assert type(caught.value).__name__ == "RunsError"


def test_runs_inner_puts_several_runs_side_by_side(recorded, capsys):
    records, _ = list_runs(recorded)
    assert main(["runs", "--runs-dir", str(recorded), "--inner", *(r.run_id for r in records)]) == 0
    out = capsys.readouterr().out
    assert "last recorded epoch" in out
    header = next(line for line in out.splitlines() if "(epoch" in line)
    assert "(epoch 2)" in header and "(epoch 1)" in header
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") == 4}
    assert {"conv1", "bn1", "pool1", "out"} <= set(rows)
    bn_cells = [cell.strip() for cell in rows["bn1"].split("│")[2:4]]
    assert "-" in bn_cells  # the lecture's network has no bn1
