"""A trained network's filters and activations: hooks record exactly what the network computed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_tui.ml.checkpoints import CheckpointError
from cnn_tui.ml.learned_maps import image_input, load_learned, run_learned, sample_images
from cnn_tui.ml.synthetic import CLASSES
from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir


@pytest.fixture(scope="module")
def learned():
    return load_learned(tiny_models_dir() / CHECKPOINT_NAME)


def test_filters_and_weights_are_the_checkpoints(learned):
    state = torch.load(tiny_models_dir() / CHECKPOINT_NAME, weights_only=True)
    assert learned.filters.shape == (6, 3, 3, 3)
    np.testing.assert_array_equal(learned.filters, state["conv1.weight"].numpy())
    weights = learned.conv_weights()
    assert sorted(weights) == ["conv1", "conv2"] and weights["conv2"][0].shape == (16, 6, 3, 3)
    assert learned.accuracy is None  # the rounded checkpoint records no metrics
    assert learned.input_size == 32


def test_samples_come_from_the_training_data(learned):
    samples = sample_images(learned, Path("no-such-data-dir"), count=20)
    assert samples is not None and samples.source == "synthetic" and samples.classes == CLASSES
    assert samples.images.shape == (20, 3, 32, 32) and samples.images.dtype == torch.uint8
    assert len(samples) == 20


def test_activations_are_the_lectures_shapes_and_values(learned):
    samples = sample_images(learned, Path("."), count=3)
    result = run_learned(learned, samples.images[1])
    shapes = [(stage.kind, stage.shape_text) for stage in result.stages]
    assert shapes == [
        ("image", "(32, 32, 3)"),
        ("to_tensor", "torch.Size([1, 3, 32, 32])"),
        ("conv1", "torch.Size([1, 6, 30, 30])"),
        ("pool1", "torch.Size([1, 6, 15, 15])"),
        ("conv2", "torch.Size([1, 16, 13, 13])"),
        ("pool2", "torch.Size([1, 16, 6, 6])"),
    ]
    assert result.stages[2].layer == "Conv2d(3, 6, kernel_size=(3, 3), stride=(1, 1))"
    x = samples.images[1][None].float() / 255
    model = learned.model
    conv1 = F.conv2d(x, model.conv1.weight, model.conv1.bias)
    np.testing.assert_allclose(result.stages[2].maps, conv1[0].detach().numpy(), rtol=1e-5, atol=1e-6)
    pool1 = F.max_pool2d(torch.relu(conv1), 2, 2)
    np.testing.assert_allclose(result.stages[3].maps, pool1[0].detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(result.image, samples.images[1].permute(1, 2, 0).numpy())
    probabilities = result.prediction.probabilities
    assert len(probabilities) == 3 and list(probabilities) == sorted(probabilities, reverse=True)
    expected = CLASSES[int(model(x).argmax())]
    assert result.prediction.classes[0] == expected


def test_any_image_is_resized_to_the_input(learned):
    pixels = np.random.default_rng(0).integers(0, 256, (64, 48, 3), dtype=np.uint8)
    image = image_input(pixels, learned.input_size)
    assert image.shape == (3, 32, 32) and image.dtype == torch.uint8
    assert run_learned(learned, image).stages[-1].maps.shape == (16, 6, 6)


def test_a_file_that_is_not_a_checkpoint_is_a_clear_error(tmp_path):
    broken = tmp_path / CHECKPOINT_NAME
    broken.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        load_learned(broken)
