"""A Training-tab run replayed from a recording: snapshots of a finished run show the same numbers on any CPU.

The recording (tests/data/snap_run.json) holds what a real run of `SNAP` reported, batch by batch and
epoch by epoch, and its test-set report (evaluation, each image's top 3). The replay stands in for
`run_training` and `run_report`; everything else (the job, its messages, the tab, the charts) runs as
usual. `python -m tests.ui.recorded_run` trains for real and writes the recording again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from cnn_tui.core.training_settings import TrainingSettings

RECORDING = Path(__file__).resolve().parent.parent / "data" / "snap_run.json"

# Four epochs on 1,000 synthetic images: it learns visibly (test accuracy about 0.5).
SNAP = replace(
    TrainingSettings().with_recipe("lecture"),
    data="synthetic", train_limit=1000, test_limit=200, batch_size=20, lr=0.005, epochs=4,
)


def replay(monkeypatch, recording: Path = RECORDING) -> None:
    """Runs the Training tab starts from now on report the recorded numbers instead of training."""
    import numpy as np

    from cnn_tui.ml import run_report as run_report_module
    from cnn_tui.ml import session
    from cnn_tui.ml.events import FINISHED, STOPPED, BatchProgress, EpochResult, TrainResult
    from cnn_tui.ml.train import Evaluation

    recorded = json.loads(recording.read_text())

    def run_training(data, run, *, controller=None, on_batch=None, on_epoch=None, **_: Any) -> TrainResult:
        epochs = []
        for epoch in recorded["epochs"]:
            for batch in epoch["batches"]:
                if controller is not None:
                    controller.checkpoint()
                    if controller.stopped:
                        return TrainResult(STOPPED, tuple(epochs), 0.0)
                if on_batch is not None:
                    on_batch(BatchProgress(**batch))
            result = EpochResult.from_dict(epoch["result"])
            epochs.append(result)
            if on_epoch is not None:
                on_epoch(result)
        return TrainResult(FINISHED, tuple(epochs), sum(e.seconds for e in epochs))

    def run_report(model, split, classes, **_: Any) -> run_report_module.RunReport:
        report = recorded["report"]
        evaluation = report["evaluation"]
        return run_report_module.RunReport(
            classes=tuple(classes),
            evaluation=Evaluation(
                loss=evaluation["loss"], accuracy=evaluation["accuracy"], per_class=tuple(evaluation["per_class"]),
                confusion=tuple(tuple(row) for row in evaluation["confusion"]), count=evaluation["count"],
            ),
            images=split.images.permute(0, 2, 3, 1).contiguous().numpy(),
            labels=split.labels.numpy().copy(),
            top_classes=np.array(report["top_classes"], dtype=np.int64),
            top_probabilities=np.array(report["top_probabilities"], dtype=np.float32),
        )

    monkeypatch.setattr(session, "run_training", run_training)
    monkeypatch.setattr(run_report_module, "run_report", run_report)


def record(recording: Path = RECORDING) -> None:
    """Run `SNAP` for real through the Training tab's job (one thread, CPU) and write what it reported."""
    import tempfile

    import torch

    from cnn_tui.ml import run_report as run_report_module
    from cnn_tui.ml import session
    from cnn_tui.ui.tabs.training.job import TrainingJob

    torch.set_num_threads(1)
    real_training, real_report = session.run_training, run_report_module.run_report
    epochs: list[dict[str, Any]] = []
    batches: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}

    def training(data, run, *, on_batch, on_epoch, **options: Any):
        def batch(progress) -> None:
            batches.append(asdict(progress))
            on_batch(progress)

        def epoch(result) -> None:
            epochs.append({"result": result.to_dict(), "batches": list(batches)})
            batches.clear()
            on_epoch(result)

        return real_training(data, run, on_batch=batch, on_epoch=epoch, **options)

    def report(model, split, classes, **options: Any):
        result = real_report(model, split, classes, **options)
        kept["report"] = {
            "evaluation": asdict(result.evaluation),
            "top_classes": result.top_classes.tolist(),
            "top_probabilities": [[round(float(p), 6) for p in row] for row in result.top_probabilities],
        }
        return result

    session.run_training, run_report_module.run_report = training, report
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = replace(SNAP, checkpoint=str(Path(folder) / "snap.pth"))
            TrainingJob(1, settings, Path(folder) / "data", post=lambda message: None).run()
    finally:
        session.run_training, run_report_module.run_report = real_training, real_report
    recording.write_text(json.dumps({"settings": "SNAP", "epochs": epochs, **kept}, indent=1) + "\n")


if __name__ == "__main__":
    record()
