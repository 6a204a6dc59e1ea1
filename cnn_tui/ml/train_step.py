"""One training step's forward and backward pass: on the whole batch, or split between threads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import torch
from torch import nn

from cnn_tui.core.own_code import adopt_condition, stop_condition
from cnn_tui.ml.threads import MIN_SHARD, shards_for

Inputs = torch.Tensor | Callable[[int, int], torch.Tensor]  # a batch, or a maker of its slice a…b


def can_split(model: nn.Module) -> bool:
    """Whether a batch may be split between threads without changing what the network computes."""
    if next(model.buffers(), None) is not None:
        return False
    stateful = (nn.modules.batchnorm._BatchNorm, nn.modules.dropout._DropoutNd)
    return not any(isinstance(module, stateful) for module in model.modules())


def _slice_thread(stopped: Callable[[], bool] | None) -> None:
    """A slice thread: one torch thread, and the training thread's stop also stops its wait for an own forward."""
    torch.set_num_threads(1)
    adopt_condition(stopped)


class TrainStep:
    """Forward and backward pass of one batch; leaves the gradients in the parameters' `.grad`."""

    def __init__(self, model: nn.Module, criterion: nn.Module, *, split: bool, bf16: bool, device: torch.device) -> None:
        self.model, self.criterion, self.bf16, self.device = model, criterion, bf16, device
        self.splittable = split and device.type == "cpu" and can_split(model)
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.shards = 1
        self._pool: ThreadPoolExecutor | None = None
        self._workers = 0

    @contextmanager
    def epoch(self, batch_size: int) -> Iterator[int]:
        """For one epoch: split batches between as many threads as torch now has (set by the thread plan and
        its retuner), each with one torch thread; afterwards torch gets its threads back (for testing)."""
        threads = torch.get_num_threads()
        self.shards = shards_for(batch_size, threads, self.splittable)
        if self.shards > 1:
            torch.set_num_threads(1)
        try:
            yield self.shards
        finally:
            if self.shards > 1:
                torch.set_num_threads(threads)

    def __call__(self, inputs: Inputs, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch's mean loss and its number of correct predictions (both detached tensors).

        `inputs`: the batch's input tensor, or a function making the inputs of images a…b of the batch
        (then each thread of a split batch makes its own slice: augmenting and converting run in parallel too)."""
        count = len(labels)
        part = inputs if callable(inputs) else (lambda a, b: inputs[a:b])
        shards = min(self.shards, max(1, count // MIN_SHARD))
        if shards == 1:
            self.model.zero_grad(set_to_none=True)
            loss, hits = self._forward(part(0, count), labels)
            loss.backward()
            return loss.detach(), hits
        bounds = [count * i // shards for i in range(shards + 1)]
        pool = self._executor(shards - 1)
        others = [pool.submit(self._slice, part, labels, a, b) for a, b in zip(bounds[1:-1], bounds[2:])]
        parts = [self._slice(part, labels, 0, bounds[1])] + [future.result() for future in others]
        weights = [(b - a) / count for a, b in zip(bounds, bounds[1:])]
        for i, param in enumerate(self.params):
            grad = parts[0][2][i] * weights[0]
            for (_, _, grads), weight in zip(parts[1:], weights[1:]):
                grad.add_(grads[i], alpha=weight)
            param.grad = grad
        loss = sum(part[0] * weight for part, weight in zip(parts, weights))
        return loss, sum(part[1] for part in parts)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _forward(self, inputs: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16):
            output = self.model(inputs)
            loss = self.criterion(output, labels)
        return loss, (output.detach().argmax(dim=1) == labels).sum()

    def _slice(self, part: Callable[[int, int], torch.Tensor], labels: torch.Tensor, a: int, b: int) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
        loss, hits = self._forward(part(a, b), labels[a:b])
        grads = torch.autograd.grad(loss, self.params, allow_unused=True)
        grads = [torch.zeros_like(p) if g is None else g for p, g in zip(self.params, grads)]
        return loss.detach(), hits, grads

    def _executor(self, workers: int) -> ThreadPoolExecutor:
        if self._pool is None or self._workers != workers:
            self.close()
            self._pool = ThreadPoolExecutor(
                workers, thread_name_prefix="train-slice", initializer=_slice_thread, initargs=(stop_condition(),)
            )
            self._workers = workers
        return self._pool
