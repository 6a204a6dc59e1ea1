"""The pieces behind the app's views of what each neuron looks for: a unit's effective field against a direct
gradient, its frame on the image, a channel's patches as the command finds them, the inner numbers' histograms."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import torch
from rich.console import Console

from cnn_tui.cli import main
from cnn_tui.core.field_overlay import FRAME, field_picture, move_unit
from cnn_tui.core.receptive_field import ReceptiveFieldError
from cnn_tui.ml.channel_patches import channel_patches
from cnn_tui.ml.checkpoints import load_model
from cnn_tui.ml.dataset import to_float
from cnn_tui.ml.inner_histograms import InnerWatch, histogram, snapshot
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.unit_field import unit_field
from cnn_tui.render.inner_view import inner_view
from cnn_tui.render.patch_pictures import crop, enlarged
from cnn_tui.render.unit_field_text import field_line
from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir


@pytest.fixture(scope="module")
def tiny():
    path = tiny_models_dir() / CHECKPOINT_NAME
    model, meta = load_model(path)
    return path, model.eval(), meta


def _text(renderable, width: int = 160) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize(("layer", "unit", "channel"), [("conv1", (4, 9), 2), ("pool1", (7, 7), None), ("conv2", (0, 12), 5)])
def test_effective_field_is_the_units_gradient_and_stays_in_its_box(tiny, layer, unit, channel):
    _path, model, meta = tiny
    image = make_synthetic(train=1, test=3).test.images[2]
    found = unit_field(model, image, layer, unit, channel=channel, normalization=meta.normalization)
    x = to_float(image[None], meta.normalization).requires_grad_(True)
    taken = {}
    handle = dict(model.named_modules())[layer].register_forward_hook(lambda _m, _i, out: taken.setdefault("maps", out))
    try:
        model(x)
    finally:
        handle.remove()
    maps = taken["maps"][0]
    value = maps[:, unit[0], unit[1]].sum() if channel is None else maps[channel, unit[0], unit[1]]
    (grad,) = torch.autograd.grad(value, x)
    direct = grad[0].abs().amax(dim=0).numpy()
    np.testing.assert_allclose(found.effective, direct, rtol=1e-5, atol=1e-7)
    top, left, bottom, right = found.field.box
    outside = found.effective.copy()
    outside[top : bottom + 1, left : right + 1] = 0
    assert not outside.any() and found.effective.any()
    assert all(p.grad is None for p in model.parameters())  # the network's own gradients are left alone


def test_a_unit_outside_the_maps_is_a_sentence(tiny):
    _path, model, meta = tiny
    with pytest.raises(ReceptiveFieldError) as raised:
        unit_field(model, torch.zeros(3, 32, 32, dtype=torch.uint8), "conv2", (13, 0), normalization=meta.normalization)
    assert "outside the 13×13 maps of conv2" in raised.value.in_language("en")


def test_the_frame_goes_around_the_box_and_the_heat_inside_it():
    pixels = np.full((10, 12, 3), 100, dtype=np.uint8)
    effective = np.zeros((10, 12), dtype=np.float32)
    effective[4, 5] = 2.0
    drawn = field_picture(pixels, (3, 4, 5, 6), effective)
    assert (drawn[2, 3:8] == FRAME).all() and (drawn[6, 3:8] == FRAME).all()  # one pixel outside the box
    assert (drawn[2:7, 3] == FRAME).all() and (drawn[2:7, 7] == FRAME).all()
    assert (drawn[4, 5] != 100).any() and (drawn[0, 0] == 100).all() and (drawn[9, 11] == 100).all()
    edge = field_picture(pixels, (0, 0, 2, 2))  # at the image's corner: the frame on the box's outer edge
    assert (edge[3, 0:4] == FRAME).all() and (edge[0:4, 3] == FRAME).all() and (edge[1, 1] == 100).all()
    assert move_unit((0, 5), (-1, 9), (4, 8)) == (0, 7)


def test_the_field_line_in_both_languages(tiny):
    from cnn_tui.ml.receptive_field import geometry_chain

    field = geometry_chain(tiny[1]).receptive_field("conv2", (2, 3))
    english = _text(field_line(field, None, "en"))
    assert "Unit (2, 3) of conv2: field 8×8, jump 2, sees rows 4–11, columns 6–13 (framed)." in english
    assert "the layer's channels summed" in english
    chinese = _text(field_line(field, 4, "zh"))
    assert "conv2 的单元 (2, 3)：感受野 8×8，步距 2，看到第 4–11 行、第 6–13 列（框内）。" in chinese and "通道 4" in chinese


@pytest.mark.slow
def test_the_apps_patches_are_the_commands(tiny, tmp_path, capsys):
    path, _model, _meta = tiny
    status = main(["top-patches", "--checkpoint", str(path), "--layer", "pool1", "--channel", "4", "--data-dir", str(tmp_path), "--json"])
    assert status == 0
    expected = json.loads(capsys.readouterr().out)
    seen = []
    found = channel_patches(path, tmp_path / "other", "pool1", 4, progress=lambda done, total: seen.append((done, total)))
    assert [patch.to_json() for patch in found.patches] == expected["items"]
    assert found.images == expected["images"] == 1000 and seen[-1] == (1000, 1000)
    test = make_synthetic(train=1).test
    for patch, picture, name in zip(found.patches, found.pictures, found.classes):
        assert (picture == test.images[patch.index].permute(1, 2, 0).numpy()).all()
        assert name == found_class(test, patch.index)
    again = channel_patches(path, tmp_path / "other", "pool1", 4, progress=lambda *_: pytest.fail("the cache was not used"))
    assert again.patches == found.patches


def found_class(test, index: int) -> str:
    from cnn_tui.ml.synthetic import CLASSES

    return CLASSES[int(test.labels[index])]


def test_patch_crops_keep_their_shape():
    pixels = np.arange(32 * 32 * 3, dtype=np.uint8).reshape(32, 32, 3)
    patch = crop(pixels, (0, 4, 7, 7))
    assert patch.shape == (8, 4, 3)
    big = enlarged(patch, 12)
    assert big.shape == (12, 6, 3) and (big[0, 0] == patch[0, 0]).all() and (big[-1, -1] == patch[-1, -1]).all()


def test_histograms_are_symmetric_and_count_every_value():
    values = torch.tensor([-2.0, -1.0, 0.0, 0.5, 2.0])
    found = histogram(values, bins=4)
    assert found.edge == 2.0 and found.counts.tolist() == [1, 1, 2, 1]
    zeros = histogram(torch.zeros(6), bins=4)
    assert zeros.edge == 0.0 and zeros.counts.tolist() == [0, 0, 6, 0]
    big = torch.linspace(-1.0, 1.0, 300_001)  # over MAX_COUNTED: every third value counted, the edge of all
    big[7] = -4.0
    sampled = histogram(big, bins=4)
    assert sampled.edge == 4.0 and int(sampled.counts.sum()) == len(big[::3])


def test_snapshots_read_norms_and_gradients_and_the_epochs_numbers():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 2))
    probe = torch.randn(4, 1, 4, 4)
    watch = InnerWatch(model, probe, interval_s=3600)
    assert watch.batch(1, 1) is None  # less than an interval since the start
    first = snapshot(model, 1, 1)
    assert [row.layer for row in first.layers] == ["0", "3"] and first.layers[0].grads is None
    model(probe).sum().backward()
    with torch.no_grad():
        model[0].weight.mul_(2)
    end = watch.epoch(1)
    conv = next(row for row in end.layers if row.layer == "0")
    assert conv.weight_norm == pytest.approx(float(model[0].weight.detach().norm()))
    assert conv.grad_norm == pytest.approx(float(model[0].weight.grad.norm()))
    assert conv.change == pytest.approx(1.0)  # doubled: ‖2w − w‖ / ‖w‖
    assert conv.dead is not None and 0 <= conv.dead <= 1
    shown = _text(inner_view(end, "en"))
    assert "Inner numbers at the end of epoch 1" in shown and "dead ReLU" in shown
    assert "第 1 轮结束时的内部数值" in _text(inner_view(end, "zh"))
    assert "While a run trains" in _text(inner_view(None, "en"))
