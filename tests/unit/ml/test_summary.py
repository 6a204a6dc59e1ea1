"""`summarize` reproduces the lecture's torchsummary printout, number for number, and adds multiply-adds."""

from __future__ import annotations

from rich.console import Console

from cnn_tui.ml.models import ModelConfig, build_model
from cnn_tui.ml.summary import summarize
from cnn_tui.render.model_summary import format_summary, summary_table

LECTURE_ROWS = [
    ("Conv2d-1", (1, 6, 30, 30), 168),
    ("MaxPool2d-2", (1, 6, 15, 15), 0),
    ("Conv2d-3", (1, 16, 13, 13), 880),
    ("MaxPool2d-4", (1, 16, 6, 6), 0),
    ("Linear-5", (1, 120), 69_240),
    ("Linear-6", (1, 84), 10_164),
    ("Linear-7", (1, 10), 850),
]


def test_lecture_summary_matches_the_lecture_printout():
    summary = summarize(build_model("lecture"), (3, 32, 32), batch_size=1, name="lecture")
    assert [(r.name, r.output_shape, r.params) for r in summary.rows] == LECTURE_ROWS
    assert summary.total_params == summary.trainable_params == 81_302
    assert summary.non_trainable_params == 0
    assert [f"{v:.2f}" for v in (summary.input_mb, summary.forward_backward_mb, summary.params_mb, summary.total_mb)] == [
        "0.01",
        "0.08",
        "0.31",
        "0.40",
    ]
    # conv: outputs × in_channels × 3 × 3; linear: in × out
    assert [r.mult_adds for r in summary.rows] == [145_800, 0, 146_016, 0, 69_120, 10_080, 840]
    assert summary.mult_adds == 371_856


def test_text_has_the_lectures_lines():
    text = format_summary(summarize(build_model("lecture")))
    for line in (
        "Total params: 81,302",
        "Trainable params: 81,302",
        "Non-trainable params: 0",
        "Input size (MB): 0.01",
        "Forward/backward pass size (MB): 0.08",
        "Params size (MB): 0.31",
        "Estimated Total Size (MB): 0.40",
        "Mult-Adds per image: 371,856",
    ):
        assert line in text.splitlines()
    assert "Conv2d-3       [1, 16, 13, 13]             880" in text


def test_batch_size_scales_shapes_not_mult_adds_per_image_and_variants_work():
    summary = summarize(build_model("lecture"), batch_size=8)
    assert summary.rows[0].output_shape == (8, 6, 30, 30)
    assert summary.mult_adds == 371_856
    bn = summarize(build_model(ModelConfig(name="bn", batch_norm=True)))
    assert [r.name for r in bn.rows][:3] == ["Conv2d-1", "BatchNorm2d-2", "MaxPool2d-3"]
    assert bn.total_params == 81_302 + 2 * (6 + 16)


def test_rich_table_shows_rows_and_totals():
    console = Console(record=True, width=100)
    console.print(summary_table(summarize(build_model("lecture"), name="lecture")))
    text = console.export_text()
    assert "Linear-5" in text and "69,240" in text and "Total params: 81,302" in text
