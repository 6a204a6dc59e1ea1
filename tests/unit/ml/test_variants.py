"""Model variants: presets and edited configs build, and their parameter and multiply-add counts match the formulas."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from cnn_tui.config import TrainRecipe
from cnn_tui.ml.checkpoints import CheckpointMeta, load_model, save_checkpoint
from cnn_tui.ml.models import MODELS, RESNET, ModelConfig, ModelConfigError, build_model, count_parameters, model_config
from cnn_tui.ml.resnet import ResidualNet
from cnn_tui.ml.session import prepare_run, run_training
from cnn_tui.ml.synthetic import make_synthetic
from cnn_tui.ml.variants import edit_config, model_cost, parse_sizes


def plain_counts(c: ModelConfig) -> tuple[int, int]:
    """Parameters and multiply-adds of a lecture-shaped net, worked out by hand."""
    params = macs = 0
    cin, side = c.in_channels, c.image_size
    for cout in c.conv_channels:
        side = side + 2 * c.padding - c.kernel_size + 1
        params += cin * cout * c.kernel_size**2 + cout + (2 * cout if c.batch_norm else 0)
        macs += cout * side * side * cin * c.kernel_size**2
        side //= c.pool_size
        cin = cout
    sizes = [cin * side * side, *c.fc_sizes, c.num_classes]
    for a, b in zip(sizes, sizes[1:]):
        params += a * b + b
        macs += a * b
    return params, macs


def residual_counts(c: ModelConfig) -> tuple[int, int]:
    """Parameters and multiply-adds of the residual net: a 4×4 stride-2 stem, stages whose conv runs before the
    pooling, `depth` residual blocks in every stage but the last, BatchNorm (no conv biases), a bias-free output."""
    k2 = c.kernel_size**2
    bn = 2 if c.batch_norm else 0
    bias = 0 if c.batch_norm else 1
    side = c.image_size // 2
    params = 3 * c.conv_channels[0] * 16 + (bn + bias) * c.conv_channels[0]
    macs = c.conv_channels[0] * side * side * 3 * 16
    stages = list(zip(c.conv_channels, c.conv_channels[1:]))
    for index, (cin, cout) in enumerate(stages):
        params += cin * cout * k2 + (bn + bias) * cout
        macs += cout * side * side * cin * k2
        side //= 2
        blocks = c.depth if index < len(stages) - 1 else 0
        params += blocks * 2 * (cout * cout * k2 + (bn + bias) * cout)
        macs += blocks * 2 * cout * side * side * cout * k2
    sizes = [c.conv_channels[-1], *c.fc_sizes]
    for a, b in zip(sizes, sizes[1:]):
        params += a * b + b
        macs += a * b
    return params + sizes[-1] * c.num_classes, macs + sizes[-1] * c.num_classes


@pytest.mark.parametrize("name", ["lecture", "wide", "wide_bn", "resnet"])
def test_presets_build_and_count_as_the_formulas_say(name):
    config = model_config(name)
    model = build_model(config)
    counts = residual_counts(config) if config.arch == "residual" else plain_counts(config)
    cost = model_cost(config)
    assert (count_parameters(model), cost.mult_adds) == counts == (cost.parameters, cost.mult_adds)
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert name in MODELS and f"{cost.parameters:,} parameters" in cost.line(name)


def test_known_totals():
    assert model_cost(model_config("lecture")).parameters == 81_302
    assert model_cost(model_config("lecture")).mult_adds == 371_856
    assert model_cost(RESNET).parameters == 761_536 and model_cost(RESNET).mult_adds == 23_988_736
    assert RESNET.feature_sizes() == [16, 8, 4, 2] and RESNET.feature_size() == 256


@pytest.mark.parametrize(
    "base, edits",
    [
        ("lecture", {"channels": (32, 64), "fc": (256, 128), "activation": "gelu", "batch_norm": True, "dropout": 0.1}),
        ("lecture", {"channels": (8, 16, 32), "fc": ()}),
        ("wide", {"activation": "silu", "fc": (64,)}),
        ("resnet", {"channels": (16, 32, 64), "depth": 2, "activation": "leaky_relu"}),
        ("resnet", {"fc": (64,), "dropout": 0.2, "batch_norm": False, "depth": 0}),
        ("resnet", {"channels": (8, 16), "depth": 3}),
    ],
)
def test_edited_configs_build_with_the_right_counts(base, edits):
    config = edit_config(model_config(base), **edits)
    assert config.name == f"{base}-custom"
    model = build_model(config)
    counts = residual_counts(config) if config.arch == "residual" else plain_counts(config)
    assert (count_parameters(model), model_cost(config).mult_adds) == counts
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert ModelConfig.from_dict(config.to_dict()) == config


def test_an_edit_that_changes_nothing_keeps_the_preset():
    assert edit_config(model_config("wide"), channels=(32, 64), activation="relu") is model_config("wide")
    again = edit_config(edit_config(model_config("wide"), dropout=0.2), dropout=0.3)
    assert again.name == "wide-custom" and again.dropout == 0.3


def test_residual_net_without_batchnorm_has_conv_biases():
    model = build_model(replace(RESNET, batch_norm=False))
    assert isinstance(model, ResidualNet)
    assert model.stem.conv.bias is not None and model.stem.norm is None


@pytest.mark.parametrize(
    "edits, words",
    [
        ({"channels": ()}, "conv_channels"),
        ({"activation": "tanh"}, "unknown activation"),
        ({"depth": 1}, "residual networks only"),
        ({"dropout": 1.5}, "dropout"),
        ({"channels": (8, 8, 8, 8, 8)}, "shrink"),
    ],
)
def test_bad_edits_say_what_is_wrong(edits, words):
    with pytest.raises(ModelConfigError, match=words):
        edit_config(model_config("lecture"), **edits)


def test_residual_configs_are_checked():
    with pytest.raises(ModelConfigError, match="odd kernel"):
        replace(RESNET, kernel_size=2)
    with pytest.raises(ModelConfigError, match="at least two"):
        replace(RESNET, conv_channels=(32,))
    with pytest.raises(ModelConfigError, match="shrink"):
        replace(RESNET, conv_channels=(8, 8, 8, 8, 8, 8))
    with pytest.raises(ModelConfigError, match="unknown architecture"):
        replace(RESNET, arch="transformer")


def test_parse_sizes():
    assert parse_sizes("32, 64", "--channels") == (32, 64)
    assert parse_sizes("none", "--fc", allow_empty=True) == ()
    for bad in ("", "32,x", "0", "-3", "1.5"):
        with pytest.raises(ModelConfigError, match="--channels"):
            parse_sizes(bad, "--channels")


def test_a_residual_checkpoint_round_trips(tmp_path):
    config = edit_config(RESNET, channels=(8, 16, 32))
    model = build_model(config)
    meta = CheckpointMeta(config, tuple(str(i) for i in range(10)), None, None, epoch=1)
    save_checkpoint(tmp_path / "r.pth", model, meta)
    loaded, loaded_meta = load_model(tmp_path / "r.pth")
    assert isinstance(loaded, ResidualNet) and loaded_meta.model == config
    x = torch.rand(2, 3, 32, 32)
    model.eval()
    assert torch.equal(loaded(x), model(x))


@pytest.mark.slow
def test_the_small_residual_net_learns_in_bf16():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        data = make_synthetic(train=1000, test=200, seed=2)
        config = edit_config(RESNET, channels=(8, 16, 32))
        recipe = TrainRecipe(name="t", epochs=4, batch_size=50, optimizer="sgd", lr=0.4, schedule="onecycle",
                             warmup=0.2, normalize=True, precision="bf16")
        run = prepare_run(data, config, recipe, checkpoint=None)
        result = run_training(data, run, device=torch.device("cpu"))
    finally:
        torch.set_num_threads(threads)
    assert result.status == "finished" and result.best_accuracy > 0.7  # chance is 0.1; it reaches about 0.9


def test_training_picks_cuda_by_itself_when_present(monkeypatch):
    """`--device auto` (the default of train, homework and the Training tab) means CUDA whenever torch sees one."""
    from cnn_tui.ml import train as ml_train

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert ml_train.pick_device("auto") == torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert ml_train.pick_device("auto") == torch.device("cpu")
