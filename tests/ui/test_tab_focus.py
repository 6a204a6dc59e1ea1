"""However a tab is shown (its digit key, a mouse click on its tab, the palette), the focus ends inside its pane,
so its keys work at once; the tab container does this, not each tab."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from cnn_tui.i18n import tr
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.palette import LabCommands
from cnn_tui.ui.tabs import TABS
from tests.conftest import SNAPSHOT_SIZE
from tests.waiting import until

SHOWN_BY = ("key", "click", "palette")
# Model and Predict: tabs that no longer focus themselves (first built on a click, a palette command, a digit).
LATE_TABS = [spec for spec in TABS if spec.id in ("model", "predict")]


async def _show(app: CnnTuiApp, pilot, tab_id: str, how: str) -> None:
    if how == "key":
        await pilot.press(str(next(i for i, spec in enumerate(TABS, 1) if spec.id == tab_id)))
    elif how == "click":
        await pilot.click(f"#--content-tab-{tab_id}")
    else:
        commands = {hit.text: hit.command async for hit in LabCommands(app.screen).discover()}
        title = tr(next(spec.title_key for spec in TABS if spec.id == tab_id))
        commands[f"Go to tab: {title}"]()


@pytest.mark.parametrize("how", SHOWN_BY)
@pytest.mark.parametrize("spec", LATE_TABS, ids=lambda spec: spec.id)
async def test_a_shown_tab_has_the_focus_inside_it(spec, how):
    app = CnnTuiApp()
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tabs = app.query_one(TabbedContent)
        pane = tabs.get_pane(spec.id)
        await until(pilot, lambda: app.focused is not None)  # the first tab has taken it
        for _ in range(2):  # built on the first showing, built already on the second
            await _show(app, pilot, spec.id, how)
            await until(pilot, lambda: tabs.active == spec.id and app.focused is not None and pane in app.focused.ancestors)
            await _show(app, pilot, "pixels", "key")
            await until(pilot, lambda: tabs.active == "pixels" and pane not in app.focused.ancestors)
