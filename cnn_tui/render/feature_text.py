"""The Feature maps tab's words: the shape chain with its formulas, the settings list, the legend caption.

Each function turns state into Rich Text in the current language; none of them touches torch.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from cnn_tui.core.colormap import ColourScale
from cnn_tui.core.feature_controls import FIELDS, FeatureState, shown_stage
from cnn_tui.core.feature_settings import RANDOM, AxisFormula, FeatureSettingsError, ShapeStep
from cnn_tui.i18n import tr
from cnn_tui.render.colour_legend import ColourBar, short_number

# The key that changes each field directly (lowercase: +1, uppercase: −1), shown beside it.
FIELD_KEYS: dict[str, str] = {
    "out_channels": "o",
    "kernel_size": "k",
    "stride": "s",
    "padding": "p",
    "relu": "r",
    "pool": "m",
    "pool_kernel": "w",
    "pool_stride": "y",  # t is the app's lecture key
    "seed": "e",
    "channel": "c",
    "kernel": "n",
    "colours": "x",
    "shared": "z",
    "stage": "v",
    "shrink": "b",
    "image": "i",  # the trained network's view only
}
SHAPE_STYLE = "bold"
LAYER_STYLE = "cyan"
FORMULA_STYLE = "dim"


def kernel_name(name: str) -> str:
    return tr(f"feature_maps.kernel.{name}")


def error_text(error: FeatureSettingsError) -> str:
    """A settings error in the current language."""
    return tr(f"feature_maps.error.{error.code}", **error.fields)


def _formula_lines(rows: AxisFormula, cols: AxisFormula) -> list[str]:
    if rows == cols:
        return [f"N = {rows.text(quotient=False)}"]
    return [f"H: {rows.text(quotient=False)}", f"W: {cols.text(quotient=False)}"]


def chain_text(chain: Sequence[ShapeStep], shape_texts: Sequence[str] | None, image_note: str | None = None) -> Text:
    """The shape chain, one shape per line and each step's code (and formula) between them.

    `shape_texts` are the shapes PyTorch printed, in order; None while only the formula is known.
    `image_note` replaces the word "image" after the first shape (e.g. to say it was shrunk)."""
    source = tr("feature_maps.chain_torch") if shape_texts is not None else tr("feature_maps.chain_formula")
    text = Text.assemble((tr("feature_maps.chain_title"), "bold underline"), " · ", (source, "italic"), "\n")
    text.append(f"{tr('feature_maps.formula')}\n", FORMULA_STYLE)
    for index, step in enumerate(chain):
        shape = shape_texts[index] if shape_texts is not None else step.shape_text()
        if step.kind == "image":
            text.append(shape, SHAPE_STYLE)
            text.append(f"  {image_note or tr('feature_maps.image')}\n")
            continue
        text.append(f"↓ {step.layer}\n", LAYER_STYLE)
        if step.rows is not None and step.cols is not None:
            for line in _formula_lines(step.rows, step.cols):
                text.append(f"  {line}\n", FORMULA_STYLE)
        text.append(shape, SHAPE_STYLE)
        text.append("\n")
    text.rstrip()
    return text


def value_text(state: FeatureState, field: str) -> str:
    """A field's current value as shown in the settings list."""
    s, v = state.settings, state.view
    if field == "relu":
        return tr("feature_maps.on") if s.relu else tr("feature_maps.off")
    if field == "pool":
        return tr(f"feature_maps.value.{s.pool}")
    if field == "kernel":
        return kernel_name(s.kernel_for(v.channel))
    if field == "channel":
        return f"{v.channel} / {s.out_channels}"
    if field == "colours":
        return tr(f"feature_maps.value.{v.colours}")
    if field == "shared":
        return tr("feature_maps.value.shared") if v.shared else tr("feature_maps.value.per_map")
    if field == "stage":
        return tr(f"feature_maps.value.{shown_stage(state)}")
    if field == "shrink":
        return tr(f"feature_maps.value.{v.shrink}")
    return str(getattr(s, field))


def settings_text(state: FeatureState, selected: int) -> Text:
    """The settings list: key, name, value; the selected row reversed, unused pool rows dimmed."""
    text = Text.assemble((tr("feature_maps.settings_title"), "bold underline"), "\n")
    for index, field in enumerate(FIELDS):
        idle = field in ("pool_kernel", "pool_stride") and state.settings.pool == "none"
        line = Text.assemble(
            (f"{FIELD_KEYS[field]} ", "bold"),
            f"{tr(f'feature_maps.field.{field}')}: ",
            (value_text(state, field), "bold"),
        )
        if idle:
            line.stylize("dim")
        if index == selected:
            line.stylize("reverse")
        text.append_text(line)
        text.append("\n")
    text.rstrip()
    return text


def map_titles(state: FeatureState, count: int) -> list[str]:
    """`0 · Sobel x`, `1 · random` ... for the drawn maps."""
    s = state.settings
    return [tr("feature_maps.map_title", number=i, kernel=kernel_name(s.kernel_for(i))) for i in range(count)]


def weights_title(state: FeatureState, bias: float) -> Text:
    s, channel = state.settings, state.view.channel
    name = s.kernel_for(channel)
    kernel = tr("feature_maps.weights_random", seed=s.seed) if name == RANDOM else kernel_name(name)
    return Text(tr("feature_maps.weights_title", number=channel, kernel=kernel, bias=short_number(bias)), "bold")


def legend(scales: Sequence[ColourScale], selected: int, width: int = 28) -> RenderableType:
    """How values become colours: the scale's kind, the bar of the selected map's scale with its
    end values, and the data's min and max (over all maps, or the selected map's own)."""
    if not scales:
        return Text("")
    scale = scales[min(selected, len(scales) - 1)]
    if scale.shared:
        low = min(s.data_min for s in scales)
        high = max(s.data_max for s in scales)
        detail = tr("feature_maps.legend.shared", low=short_number(low), high=short_number(high))
    else:
        detail = tr(
            "feature_maps.legend.per_map",
            name=str(selected),
            low=short_number(scale.data_min),
            high=short_number(scale.data_max),
        )
    caption = Text.assemble(tr(f"feature_maps.legend.{scale.kind}"), " · ", (detail, "dim"))
    return Group(caption, ColourBar(scale, width))


def grid_caption(factor: int, zoom: int, shrink: str) -> str:
    """What one drawn pixel of a map stands for at the current size."""
    if zoom > 1:
        return tr("feature_maps.grid_zoom", zoom=zoom)
    if factor == 1:
        return tr("feature_maps.grid_full")
    return tr("feature_maps.grid_caption", factor=factor, how=tr(f"feature_maps.value.{shrink}"))
