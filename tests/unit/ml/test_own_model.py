"""The learner's own network file (`--model path/to/file.py:ClassName`): each mistake gives one sentence; a good
file summarises, trains, is recorded, evaluates and predicts like a built-in model."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from cnn_tui.cli import main
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ml.models import build_model, model_config
from cnn_tui.ml.own_model import OwnModelError, changed_note

GOOD = """
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.out = nn.Linear(4 * 16 * 16, num_classes)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        return self.out(x.flatten(1))
"""


def write(folder: Path, text: str, name: str = "net.py") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_builds_checked_and_records_file_class_and_hash(tmp_path):
    path = write(tmp_path, GOOD)
    config = model_config(f"{path}:Net")
    assert config.arch == "file" and config.file == str(path.resolve()) and config.class_name == "Net"
    assert len(config.sha256) == 64 and changed_note(config) is None
    assert set(config.to_dict()) == {"name", "arch", "file", "class_name", "sha256", "in_channels", "image_size", "num_classes"}
    model = build_model(config, num_classes=5)
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 5)
    path.write_text(GOOD + "\n# edited\n", encoding="utf-8")
    assert "has changed since this network was trained" in str(changed_note(config))


ERRORS = [
    ("missing", None, "Net", "there is no model file"),
    ("no class", GOOD, "Missing", "has no class 'Missing'; it defines Net"),
    (
        "arguments",
        "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self, width):\n        super().__init__()\n",
        "Net",
        "the constructor needs arguments (width); cnn-tui builds it with none",
    ),
    (
        "shape",
        "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(3 * 32 * 32, 7)\n    def forward(self, x):\n        return self.fc(x.flatten(1))\n",
        "Net",
        "forward maps a [2, 3, 32, 32] batch to [2, 7]; it must give [2, 10], one score per class",
    ),
    (
        "forward raises",
        "import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(10, 10)\n    def forward(self, x):\n        return self.fc(x)\n",
        "Net",
        "forward failed on a [2, 3, 32, 32] batch at net.py:7: a Linear layer takes 10 inputs, but what reaches it has 32 numbers in its last dimension",
    ),
    ("syntax", "class Net(:\n", "Net", "has a syntax error at net.py:1"),
    ("not a module", "class Net:\n    pass\n", "Net", "is not a class derived from torch.nn.Module"),
]


@pytest.mark.parametrize(("case", "text", "class_name", "sentence"), ERRORS, ids=[e[0] for e in ERRORS])
def test_each_mistake_is_one_sentence(tmp_path, capsys, case, text, class_name, sentence):
    path = tmp_path / "net.py" if text is None else write(tmp_path, text)
    with pytest.raises(OwnModelError, match=None) as caught:
        model_config(f"{path}:{class_name}")
    assert sentence in str(caught.value)
    assert main(["summary", "--model", f"{path}:{class_name}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 + str(caught.value).count("\n") and "Traceback" not in err and sentence in err


def test_pytorchs_own_line_follows_its_meaning_in_either_language(tmp_path, capsys):
    path = write(tmp_path, ERRORS[4][1])
    assert main(["summary", "--lang", "zh", "--model", f"{path}:Net"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("某个 Linear（全连接）层要 10 个输入，但送到它的张量最后一维有 32 个数：请先把特征图展平（x.flatten(1)），并让 in_features 等于前一层给出的数（通道数 × 高 × 宽）")
    assert err[1:] == ["    PyTorch 的原话：RuntimeError: mat1 and mat2 shapes cannot be multiplied (192x32 and 10x10)"]


def test_data_with_other_class_counts_needs_a_num_classes_parameter(tmp_path):
    path = write(tmp_path, GOOD.replace("num_classes=10", "").replace("num_classes)", "10)"))
    config = model_config(f"{path}:Net")
    with pytest.raises(OwnModelError, match="scores 10 classes but the data has 5; add a num_classes=10 parameter"):
        build_model(config, num_classes=5)


@pytest.mark.slow
def test_own_model_trains_is_recorded_evaluates_and_predicts(tmp_path, capsys):
    path = write(tmp_path, GOOD)
    ckpt = tmp_path / "models" / "own.pth"
    small = ["--data", "synthetic", "--train-limit", "200", "--test-limit", "50", "--threads", "1"]
    assert main(["summary", "--model", f"{path}:Net"]) == 0
    assert "BatchNorm2d-2" in capsys.readouterr().out
    assert main(["train", "--model", f"{path}:Net", *small, "--epochs", "1", "--plain", "--checkpoint", str(ckpt)]) == 0
    meta = json.loads(ckpt.with_suffix(".json").read_text())
    assert meta["model"]["file"] == str(path.resolve()) and meta["model"]["class_name"] == "Net"
    model, _ = load_model(ckpt)
    assert type(model).__name__ == "Net"
    capsys.readouterr()
    assert main(["runs", "--runs-dir", str(tmp_path / "models" / "runs")]) == 0
    assert "net.py:Net" in capsys.readouterr().out
    path.write_text(GOOD + "\n# edited\n", encoding="utf-8")
    assert main(["eval", "--checkpoint", str(ckpt), *small]) == 0
    out = capsys.readouterr()
    assert "Acc:" in out.out and "warning:" in out.err and "has changed since this network was trained" in out.err
    picture = tmp_path / "p.png"
    Image.fromarray(np.zeros((40, 50, 3), np.uint8)).save(picture)
    assert main(["predict", str(picture), "--checkpoint", str(ckpt), "--explain", "--layer", "conv1"]) == 0
    assert "Grad-CAM at conv1 (32×32)" in capsys.readouterr().out
