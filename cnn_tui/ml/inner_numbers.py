"""Training's inner numbers after each epoch: per layer the weight and gradient norms, how far the weights moved, dead ReLUs."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

RELUS = {"relu", "relu_"}


def _weighted_layers(model: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """(name, weight) of every layer with a weight, in the order the model declares them."""
    return [
        (name, module.weight)
        for name, module in model.named_modules()
        if module is not model and isinstance(getattr(module, "weight", None), torch.Tensor)
    ]


def weighted_layers(model: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """(name, weight) of every layer with a weight, in the order the model declares them."""
    return _weighted_layers(model)


class _DeadReLUs(TorchFunctionMode):
    """Counts, per ReLU call, the units that are 0 for every image; names each by the module that made its input."""

    def __init__(self, producers: dict[int, str]) -> None:
        super().__init__()
        self.producers = producers
        self.dead: dict[str, float] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        if getattr(func, "__name__", "") in RELUS and args and isinstance(out, torch.Tensor) and out.dim() >= 2:
            name = self.producers.get(id(args[0]), "?")
            alive = (out > 0).any(dim=0)
            key, n = name, 2
            while key in self.dead:
                key, n = f"{name}#{n}", n + 1
            self.dead[key] = 1.0 - float(alive.float().mean())
        return out


class InnerNumbers:
    """Keeps the weights of the last reading, so each epoch's change can be measured; `read` gives one epoch's numbers."""

    def __init__(self, model: nn.Module, probe: torch.Tensor) -> None:
        self.probe = probe  # a float input batch, as the network receives it
        self.previous = {name: weight.detach().clone() for name, weight in _weighted_layers(model)}

    @torch.no_grad()
    def read(self, model: nn.Module) -> dict[str, Any]:
        """{"layers": [{"layer", "weight", "grad", "change", "dead"}]} for the model as it is now: every layer with a
        weight or feeding a ReLU, in the order the forward pass runs them (None where a number does not apply)."""
        dead, order = self._dead(model)
        rows: dict[str, dict[str, Any]] = {}
        for name, weight in _weighted_layers(model):
            before = self.previous.get(name)
            before = before.to(weight.device) if before is not None else None
            change = None
            if before is not None and before.shape == weight.shape and float(before.norm()) > 0:
                change = float((weight.detach() - before).norm() / before.norm())
            grad = weight.grad
            rows[name] = {
                "layer": name,
                "weight": float(weight.detach().float().norm()),
                "grad": float(grad.float().norm()) if grad is not None else None,
                "change": change,
                "dead": None,
            }
            self.previous[name] = weight.detach().clone()
        for name, share in dead.items():
            rows.setdefault(name, {"layer": name, "weight": None, "grad": None, "change": None, "dead": None})["dead"] = share
        rank = {name: index for index, name in enumerate(order)}
        return {"layers": sorted(rows.values(), key=lambda row: rank.get(row["layer"].split("#")[0], len(rank)))}

    def _dead(self, model: nn.Module) -> tuple[dict[str, float], list[str]]:
        """Each ReLU's dead share (named by the layer feeding it), and the layers in the order they ran."""
        producers: dict[int, str] = {}
        kept: list[torch.Tensor] = []
        order: list[str] = []

        def hook_for(name: str):  # type: ignore[no-untyped-def]
            def hook(_module: nn.Module, _inputs: tuple, output: object) -> None:
                if name not in order:
                    order.append(name)
                if isinstance(output, torch.Tensor):
                    producers[id(output)] = name
                    kept.append(output)  # alive until the pass ends, so no id is reused

            return hook

        handles = [
            module.register_forward_hook(hook_for(name))
            for name, module in model.named_modules()
            if module is not model and not list(module.children())
        ]
        was_training = model.training
        model.eval()
        counter = _DeadReLUs(producers)
        try:
            with counter:
                model(self.probe.to(next(model.parameters()).device))
        finally:
            for handle in handles:
                handle.remove()
            model.train(was_training)
        return counter.dead, order
