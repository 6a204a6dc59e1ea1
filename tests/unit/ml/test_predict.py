"""Single-image prediction: any size is resized to 32×32, and the top classes come sorted with probabilities."""

from __future__ import annotations

import numpy as np
import torch

from cnn_tui.ml.models import build_model
from cnn_tui.ml.predict import predict, to_input


def test_to_input_keeps_32x32_and_resizes_anything_else():
    pixels = np.random.default_rng(0).integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    assert torch.equal(to_input(pixels), torch.from_numpy(pixels).permute(2, 0, 1))
    flat = np.zeros((90, 120, 3), dtype=np.uint8)
    flat[...] = (10, 200, 30)
    resized = to_input(flat)
    assert resized.shape == (3, 32, 32) and resized.dtype == torch.uint8
    assert resized[:, 5, 7].tolist() == [10, 200, 30]
    half = np.zeros((64, 64, 3), dtype=np.uint8)
    half[:, 32:] = 255
    assert to_input(half)[0, 0, :15].max() == 0 and to_input(half)[0, 0, 17:].min() == 255  # one blended column each side


def test_predict_returns_the_top_classes_in_order():
    torch.manual_seed(0)
    model = build_model("lecture", num_classes=4)
    classes = ("a", "b", "c", "d")
    images = torch.randint(0, 256, (3, 3, 32, 32), dtype=torch.uint8)
    predictions = predict(model, images, classes, top=3)
    with torch.no_grad():
        probabilities = torch.softmax(model(images.float() / 255), dim=1)
    for prediction, row in zip(predictions, probabilities, strict=True):
        assert len(prediction.classes) == 3 and list(prediction.probabilities) == sorted(prediction.probabilities, reverse=True)
        assert prediction.classes[0] == classes[int(row.argmax())]
        assert abs(prediction.probabilities[0] - float(row.max())) < 1e-6
    assert len(predict(model, images[:1], classes, top=10)[0].classes) == 4
