"""`cnn-tui receptive-field`: the JSON contract, the table and sentences in both languages, one line for mistakes."""

from __future__ import annotations

import json

from cnn_tui import commands
from cnn_tui.cli import main


def test_registered():
    assert "receptive-field" in commands.COMMANDS


def test_json_contract_for_the_lecture_network(capsys):
    assert main(["receptive-field", "--layer", "conv2", "--unit", "3", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "layer": "conv2", "unit": [3, 5], "box": [6, 10, 13, 17], "size": [8, 8], "jump": [2, 2], "input": [32, 32],
    }


def test_json_box_is_clipped_and_size_is_not(capsys):
    assert main(["receptive-field", "--model", "resnet", "--layer", "stages.0.0.pool", "--unit", "7", "7", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["box"] == [25, 25, 31, 31] and found["size"] == [10, 10] and found["jump"] == [4, 4]


def test_english_table_and_sentences(capsys):
    assert main(["receptive-field", "--layer", "conv2", "--unit", "3", "5", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["layer", "maps", "field", "jump"]
    assert lines[2].split() == ["conv1", "30×30", "3×3", "1×1"]
    assert lines[4].split() == ["conv2", "13×13", "8×8", "2×2"]
    assert "Unit (3, 5) of conv2 sees input rows 6–13 and columns 10–17" in lines[5]
    assert "2 pixels lower" in lines[6]


def test_chinese_and_a_clipped_box(capsys):
    assert main(["receptive-field", "--model", "resnet", "--layer", "stages.0.0.pool", "--unit", "7", "7", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "stages.0.0.pool 的单元 (7, 7) 看到输入的第 25–31 行、第 25–31 列（7×7 的区域）" in out
    assert "完整的感受野是 10×10" in out


def test_own_model_file(tmp_path, capsys):
    path = tmp_path / "net.py"
    path.write_text(
        "from torch import nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.conv = nn.Conv2d(3, 4, 5, stride=3, padding=2, dilation=2)\n"
        "        self.out = nn.Linear(4 * 10 * 10, 10)\n"
        "    def forward(self, x):\n"
        "        return self.out(self.conv(x).flatten(1))\n"
    )
    assert main(["receptive-field", "--model", f"{path}:Net", "--layer", "conv", "--unit", "1", "1", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["size"] == [9, 9] and found["jump"] == [3, 3] and found["box"] == [1, 1, 9, 9]


def test_mistakes_are_one_line_in_the_language_asked(capsys):
    assert main(["receptive-field", "--layer", "conv9", "--unit", "0", "0", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["cnn-tui receptive-field: the network has no layer 'conv9'; its layers with maps are: conv1, pool1, conv2, pool2"]
    assert main(["receptive-field", "--layer", "conv2", "--unit", "13", "0", "--lang", "zh"]) == 2
    assert "不在 conv2 的 13×13 特征图之内" in capsys.readouterr().err
    assert main(["receptive-field", "--layer", "out", "--unit", "0", "0"]) == 2
    assert "'out'" in capsys.readouterr().err
