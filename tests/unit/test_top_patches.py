"""Top patches: one batched pass agrees with a direct computation; the command's JSON, cache, files and mistakes."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from PIL import Image

from cnn_tui.cli import main
from cnn_tui.ml.checkpoints import load_model, read_meta, save_checkpoint
from cnn_tui.ml.dataset import to_float
from cnn_tui.ml.receptive_field import geometry_chain
from cnn_tui.ml.synthetic import CLASSES, make_synthetic
from cnn_tui.ml.top_patches import TopPatchesError, layer_maxima, top_patches
from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir


@pytest.fixture(scope="module")
def tiny():
    path = tiny_models_dir() / CHECKPOINT_NAME
    model, meta = load_model(path)
    return path, model.eval(), meta


def _direct(model, images, layer, normalization):
    """Every image's whole maps of `layer`, in one batch through the whole network."""
    taken = {}
    module = dict(model.named_modules())[layer]
    handle = module.register_forward_hook(lambda _m, _i, out: taken.setdefault("maps", out))
    try:
        with torch.no_grad():
            model(to_float(images, normalization))
    finally:
        handle.remove()
    return taken["maps"].numpy()


@pytest.mark.parametrize("layer", ["conv1", "pool1", "conv2", "pool2"])
def test_one_pass_agrees_with_a_direct_computation(tiny, layer):
    _path, model, meta = tiny
    images = make_synthetic(train=1, test=150, seed=3).test.images
    maps = _direct(model, images, layer, meta.normalization)  # (N, C, h, w)
    maxima = layer_maxima(model, images, layer, normalization=meta.normalization, batch_size=37)
    flat = maps.reshape(maps.shape[0], maps.shape[1], -1)
    assert maxima.shape == maps.shape[2:] and maxima.values.shape == flat.shape[:2]
    np.testing.assert_allclose(maxima.values, flat.max(axis=2), rtol=1e-5, atol=1e-6)
    chain = geometry_chain(model)
    for channel in range(maps.shape[1]):
        found = top_patches(maxima, chain, layer, channel, 9)
        assert len(found) == 9 and len({p.index for p in found}) == 9
        shown = [p.activation for p in found]
        assert shown == sorted(shown, reverse=True)
        for patch in found:  # the unit holds the activation, and the box is that unit's receptive field
            np.testing.assert_allclose(maps[patch.index, channel][patch.unit], patch.activation, rtol=1e-5, atol=1e-6)
            assert patch.box == chain.receptive_field(layer, patch.unit).box
        others = np.delete(flat[:, channel].max(axis=1), [p.index for p in found])
        assert others.max() <= shown[-1] + 1e-5  # no image left out excites the channel more


def test_a_channel_outside_the_layer(tiny):
    _path, model, meta = tiny
    maxima = layer_maxima(model, make_synthetic(train=1, test=10).test.images, "conv1")
    with pytest.raises(TopPatchesError, match="from 0 to 5"):
        top_patches(maxima, geometry_chain(model), "conv1", 6, 9)


def _run(capsys, *args):
    status = main(["top-patches", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.slow
def test_json_contract_and_the_cache(tiny, tmp_path, capsys, monkeypatch):
    path, _model, _meta = tiny
    args = ("--checkpoint", str(path), "--layer", "conv2", "--channel", "3", "--data-dir", str(tmp_path), "--json")
    status, out, err = _run(capsys, *args)
    assert status == 0, err
    first = json.loads(out)
    assert set(first) == {"layer", "channel", "images", "items"}
    assert (first["layer"], first["channel"], first["images"], len(first["items"])) == ("conv2", 3, 1000, 9)
    for item in first["items"]:
        assert list(item) == ["index", "unit", "activation", "box"]
        row, col = item["unit"]
        assert item["box"] == [2 * row, 2 * col, 2 * row + 7, 2 * col + 7]  # conv2: 8×8 fields, jump 2
    cached = list(tmp_path.rglob("top-patches-*.npz"))
    assert len(cached) == 1

    import cnn_tui.ml.top_patches as module

    real = module.layer_maxima

    def no_pass(model, images, *args, **kwargs):
        assert len(images) == 1, "the cached maxima were not used"  # one image checks the channel, no more
        return real(model, images, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(module, "layer_maxima", no_pass)
        status, out, err = _run(capsys, *args[:-3], "--channel", "5", "--top", "4", "--data-dir", str(tmp_path), "--json")
        assert status == 0, err
        assert len(json.loads(out)["items"]) == 4
    # another network saved at the same path is another cache entry (the key is the file's content)
    edited = tmp_path / "edited.pth"
    model, meta = load_model(path)
    with torch.no_grad():
        model.conv1.weight.mul_(-1)
    save_checkpoint(edited, model, read_meta(path))
    status, out, _err = _run(capsys, "--checkpoint", str(edited), *args[2:])
    assert status == 0 and json.loads(out) != first
    assert len(list(tmp_path.rglob("top-patches-*.npz"))) == 2


@pytest.mark.slow
def test_test_limit_keeps_the_split_indices(tiny, tmp_path, capsys):
    path, _model, _meta = tiny
    common = ("--checkpoint", str(path), "--layer", "pool1", "--channel", "1", "--data-dir", str(tmp_path), "--json")
    _status, out, _err = _run(capsys, *common, "--top", "1000")
    everything = {item["index"]: item["activation"] for item in json.loads(out)["items"]}
    _status, out, _err = _run(capsys, *common, "--test-limit", "40", "--top", "5")
    limited = json.loads(out)
    assert limited["images"] == 40
    for item in limited["items"]:
        assert item["activation"] == pytest.approx(everything[item["index"]], rel=1e-5, abs=1e-6)


def test_an_image_folder_names_each_file(tiny, tmp_path, capsys):
    path, _model, _meta = tiny
    data = make_synthetic(train=20, test=30, seed=5)
    root = tmp_path / "shapes"
    for split_name, split in (("train", data.train), ("test", data.test)):
        for name in CLASSES:
            (root / split_name / name).mkdir(parents=True)
        for i, (image, label) in enumerate(zip(split.images, split.labels)):
            Image.fromarray(image.permute(1, 2, 0).numpy()).save(root / split_name / CLASSES[int(label)] / f"{i:03}.png")
    # A broken photo (skipped) sorted first and a nested one must not shift the names against the images.
    (root / "test" / CLASSES[0] / "000-broken.png").write_bytes(b"not a png")
    (root / "test" / CLASSES[1] / "more").mkdir()
    Image.fromarray(data.test.images[0].permute(1, 2, 0).numpy()[::-1].copy()).save(root / "test" / CLASSES[1] / "more" / "x.png")
    folder_net = tmp_path / "folder_net.pth"  # a folder's classes come sorted by name: the same network, renamed
    model, meta = load_model(path)
    save_checkpoint(folder_net, model, replace(read_meta(path), classes=tuple(sorted(CLASSES))))
    status, out, err = _run(
        capsys, "--checkpoint", str(folder_net), "--layer", "conv1", "--channel", "0", "--data", str(root),
        "--data-dir", str(tmp_path / "home"), "--json", "--top", "12",
    )
    assert status == 0, err
    items = json.loads(out)["items"]
    for item in items:
        assert list(item)[:2] == ["index", "file"]
        pixels = torch.from_numpy(np.array(Image.open(item["file"]).convert("RGB"))).permute(2, 0, 1)
        maps = _direct(model.eval(), pixels[None], "conv1", meta.normalization)[0, 0]
        assert float(maps[tuple(item["unit"])]) == pytest.approx(item["activation"], rel=1e-5, abs=1e-6)


@pytest.mark.slow
def test_text_in_both_languages_and_one_line_mistakes(tiny, tmp_path, capsys):
    path, _model, _meta = tiny
    common = ("--checkpoint", str(path), "--data-dir", str(tmp_path))
    status, out, _err = _run(capsys, *common, "--layer", "conv2", "--channel", "3", "--top", "2", "--lang", "en")
    lines = out.splitlines()
    assert status == 0 and lines[0].startswith("Channel 3 of conv2: the 2 of 1,000 test images")
    assert lines[1].split() == ["#", "image", "class", "unit", "activation", "patch"]
    assert lines[2].split()[0] == "1" and "rows" in lines[2] and len(lines) == 4
    status, out, _err = _run(capsys, *common, "--layer", "conv2", "--channel", "3", "--top", "2", "--lang", "zh")
    assert status == 0 and out.splitlines()[0].startswith("conv2 的通道 3：在 1,000 张测试图像中最能激发它的 2 张")
    before = set(tmp_path.rglob("top-patches-*.npz"))
    status, _out, err = _run(capsys, *common, "--layer", "pool2", "--channel", "16", "--lang", "en")
    assert status == 2 and err.strip() == "cnn-tui top-patches: the layer has 16 channels, so --channel goes from 0 to 15 (got 16)"
    assert set(tmp_path.rglob("top-patches-*.npz")) == before  # said before the pass over the test set
    status, _out, err = _run(capsys, *common, "--layer", "linear1", "--channel", "0", "--lang", "zh")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "'linear1'" in err and "特征图" in err
