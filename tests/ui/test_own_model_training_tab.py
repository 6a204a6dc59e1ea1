"""The learner's own network in the Training tab (issue 29): a mistake only training reveals is one sentence in the
tab, and `x` stops waiting for a model file whose forward never returns."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.ui.training_helpers import cached_synthetic  # noqa: F401 (an autouse fixture)
from tests.ui.training_helpers import QUICK, finish, make_app, start_run, until

pytestmark = pytest.mark.usefixtures("scratch_folder")

NET = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(3 * 32 * 32, 10)

    def forward(self, x):
        {line}
        return self.out(x.flatten(1))
"""


async def test_a_network_that_fails_only_in_training_mode_is_one_sentence_in_the_tab(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(NET.format(line="assert not self.training, 'no training, please'"), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _ = await start_run(pilot, replace(QUICK, model=f"{path}:Net", epochs=1))
        await finish(pilot, tab)
        status = " ".join(text_of(app, "#training-status").split())
        assert "net.py:Net: forward failed in training mode (model.train()) on a [3, 3, 32, 32] batch at net.py:10: " \
               "AssertionError: no training, please" in status, status


@pytest.mark.slow
async def test_x_stops_waiting_for_a_network_whose_forward_never_returns(tmp_path, endless_loop):
    path = tmp_path / "net.py"
    path.write_text(NET.format(line=endless_loop), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab, _ = await start_run(pilot, replace(QUICK, model=f"{path}:Net", epochs=1))
        await until(pilot, lambda: any(t.name == "cnn-tui own code" for t in threading.enumerate()))
        await pilot.press("x")
        await finish(pilot, tab)  # well before Limits.own_code_seconds (60 s)
        status = " ".join(text_of(app, "#training-status").split())
        assert "net.py:Net: the check of your network was abandoned before it finished (stopped or quit)" in status, status
