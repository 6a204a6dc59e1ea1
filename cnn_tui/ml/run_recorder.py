"""Recording a run while it trains: `run.json` and the run's own `model.pth` under `<runs dir>/<run id>/`.

`session.run_training` creates a `RunRecorder` for every prepared run that has a runs folder
(by default `runs/` beside the checkpoint, so `models/runs/` for `cnn-tui train` and the
Training tab alike). The record is written after each completed epoch and once more when the
run ends; a run stopped before its first epoch leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import torch
from torch import nn

from cnn_tui.ml.checkpoints import CheckpointMeta, save_checkpoint
from cnn_tui.ml.data import Dataset, to_float
from cnn_tui.ml.events import STOPPED, EpochResult, TrainResult
from cnn_tui.ml.inner_numbers import InnerNumbers
from cnn_tui.ml.prepared_run import PreparedRun
from cnn_tui.ml.runs import CHECKPOINT_FILE, RunRecord, new_run_id, now_iso, with_epoch, write_run
from cnn_tui.ml.summary import summarize


PROBE_IMAGES = 256  # test images whose ReLU outputs decide which units are dead


def _seconds(epochs: tuple[EpochResult, ...]) -> float:
    return sum(e.seconds + e.eval_seconds for e in epochs)


class RunRecorder:
    """Keeps one run's record up to date on disk; every method runs on the training thread."""

    def __init__(self, folder: Path, record: RunRecord, inner: InnerNumbers | None = None) -> None:
        self.folder = folder
        self.record = record
        self.inner = inner  # reads each epoch's weight/gradient norms, change and dead ReLUs

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @classmethod
    def begin(cls, runs_dir: Path, run: PreparedRun, data: Dataset, device: torch.device, label: str = "") -> RunRecorder:
        """A recorder for `run` (nothing is written until its first epoch ends)."""
        summary = summarize(run.model, tuple(data.image_shape), 1, run.config.name)
        run_id = new_run_id(run.config.name)
        record = RunRecord(
            run_id=run_id,
            model=run.config.to_dict(),
            recipe=asdict(run.recipe),
            data={
                "name": data.name,
                "source": data.source,
                "train_images": len(data.train),
                "test_images": len(data.test),
                "classes": list(data.classes),
            },
            label=label,
            started=now_iso(),
            parameters=summary.total_params,
            mult_adds=summary.mult_adds,
            device=str(device),
            threads=torch.get_num_threads(),
            epochs=tuple(run.history),
            seconds=_seconds(tuple(run.history)),
            resumed_from=run.first_epoch,
        )
        device_of = next(run.model.parameters()).device
        probe = to_float(data.test.images[:PROBE_IMAGES].to(device_of), run.normalization)
        return cls(runs_dir / run_id, record, InnerNumbers(run.model, probe))

    def epoch(self, result: EpochResult, meta: CheckpointMeta, model: nn.Module) -> None:
        """Save the epoch's weights as the run's checkpoint and add its numbers to run.json."""
        save_checkpoint(self.folder / CHECKPOINT_FILE, model, meta)
        self.record = with_epoch(self.record, result, self.record.seconds + result.seconds + result.eval_seconds)
        if self.inner is not None:
            try:
                entry = {"epoch": result.epoch, **self.inner.read(model)}
            except Exception:  # noqa: BLE001  (an own network's code may not survive the probe: the run goes on without)
                self.inner = None
            else:
                self.record = replace(self.record, inner=(*self.record.inner, entry))
        write_run(self.record, self.folder)

    def finish(self, result: TrainResult) -> None:
        """Write the final status (finished, stopped, diverged) and reason."""
        self._close(result.status, str(result.reason))  # the record keeps the English

    def abort(self, reason: str) -> None:
        """The run ended by an exception: keep what it completed, marked stopped."""
        self._close(STOPPED, reason)

    def _close(self, status: str, reason: str) -> None:
        completed = len(self.record.epochs) > self.record.resumed_from
        if not completed and status == STOPPED:
            return
        self.record = replace(self.record, status=status, reason=reason)
        write_run(self.record, self.folder)
