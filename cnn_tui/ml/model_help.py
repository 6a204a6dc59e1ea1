"""One line of help per model preset, without torch, so `cnn-tui train --help` and the option parser stay light
(threads and OpenMP waiting are chosen before torch loads: cnn_tui.ml.threads)."""

from __future__ import annotations

MODEL_HELP: dict[str, str] = {
    "lecture": "the lecture's ImageClassification: conv 6, conv 16, linear 120, 84, 10 (81,302 parameters)",
    "wide": "the lecture's net with more channels and bigger linears: conv 32, 64, linear 256, 128",
    "wide_bn": "wide with BatchNorm after each conv and dropout 0.1 between the linears",
    "resnet": "a small residual network for the CPU: 4×4 stride-2 stem 32, stages 64, 128, 256, a residual block after the first two, BatchNorm",
    "best": "resnet's layers for --recipe best: whitened first layer (airbench), as many epochs as fit 9 minutes here; "
    "expect ~0.84 test accuracy in 10 minutes on 2 AVX2 cores (fp32), more with AVX-512 bf16 or a GPU",
}
