"""Pilot tests of the Convolution and Pooling tabs: stepping, playing, every parameter key, the cursor,
presets, the form, image crops, inline messages for rejected settings, and both languages."""

from __future__ import annotations

import pytest
import numpy as np
from PIL import Image

from cnn_tui.config import AppConfig
from cnn_tui.core.conv_trace import ConvTrace
from cnn_tui.core.pool_trace import PoolTrace
from cnn_tui.core.step_lab import image_crop
from cnn_tui.i18n import tr
from cnn_tui.render.numbers import format_number
from cnn_tui.ui.app import CnnTuiApp
from cnn_tui.ui.screens.preset_picker import PresetPicker
from cnn_tui.ui.screens.settings_form import SettingsForm
from cnn_tui.ui.tabs.stepper.convolution import ConvolutionTab
from cnn_tui.ui.tabs.stepper.pooling import PoolingTab
from tests.conftest import SNAPSHOT_SIZE
from tests.shown import text_of
from tests.waiting import until, wait_for_workers


async def _open(pilot, key: str):
    """Show the tab (as key 1–6 does, without depending on which widget has the focus)."""
    app = pilot.app
    await wait_for_workers(pilot)  # other tabs load in workers at start
    tab_id = "convolution" if key == "2" else "pooling"
    kind = ConvolutionTab if key == "2" else PoolingTab
    for _ in range(20):  # under load the Pixels tab's image can land late and take the focus once
        await app.run_tab_action(tab_id, None, "focus")
        await pilot.pause(0.05)
        tab = app.query_one(kind)
        if app.focused is tab:
            break
    assert app.focused is tab
    return tab


def _output_rows_shown(tab) -> list[list[str]]:
    """The output cells as the tab draws them (texts of every output row, channels stacked)."""
    block = tab.view.output_block(tab.step_index)
    texts = ["".join(segment.text for segment in line) for line in block.lines]
    return [text.split() for text in texts if "output" not in text and "输出" not in text]


def _expected_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


async def check_stepping_visits_every_output_cell_in_order_and_back(pilot, tab) -> None:
    app = pilot.app
    trace = tab.trace
    order = [(c, r, col) for c in range(trace.output.shape[0]) for r in range(trace.output.shape[1]) for col in range(trace.output.shape[2])]
    seen = [trace.position(tab.step_index)]
    for _ in range(len(trace) - 1):
        await pilot.press("right")
        seen.append(trace.position(tab.step_index))
    assert seen == order
    await pilot.press("right")  # past the end: stays on the last step
    assert tab.step_index == len(trace) - 1
    back = [trace.position(tab.step_index)]
    for _ in range(len(trace) - 1):
        await pilot.press("p")
        back.append(trace.position(tab.step_index))
    assert back == order[::-1]
    await pilot.press("end")
    assert tab.step_index == len(trace) - 1
    shown = _output_rows_shown(tab)
    expected = [[format_number(v) for v in row] for channel in trace.output for row in channel.tolist()]
    assert shown == expected
    await pilot.press("home")
    assert tab.step_index == 0
    # the first step shows one computed cell and the rest pending
    assert sum(row.count("·") for row in _output_rows_shown(tab)) == len(trace) - 1


async def check_conv_shows_the_computation_of_the_step(pilot, tab) -> None:
    app = pilot.app
    for _ in range(6):
        await pilot.press("n")
    step = tab.trace.step(6)
    computation = str(tab.query_one("#conv-computation").render())
    assert computation.endswith(f"= {format_number(step.result)}")
    assert tab.query_one("#conv-status").render().plain.startswith("step 7/25")
    formula = str(tab.query_one("#conv-formula").render())
    assert "(5 − 3 + 2) / 1 + 1 = 5" in formula
    assert "nn.Conv2d(in_channels=1, out_channels=1, kernel_size=3, stride=1, padding=1)" in formula


CONV_KEYS = [
    ("s", lambda lab: lab.stride[0], 1),
    ("a", lambda lab: lab.padding[0], 1),
    ("A", lambda lab: lab.padding[0], -1),
    ("d", lambda lab: lab.dilation[0], 1),
    ("k", lambda lab: lab.weights.shape[2], 1),
    ("K", lambda lab: lab.weights.shape[2], -1),
    ("i", lambda lab: lab.input.shape[1], 1),
    ("I", lambda lab: lab.input.shape[1], -1),
    ("c", lambda lab: lab.input.shape[0], 1),
    ("o", lambda lab: lab.weights.shape[0], 1),
    ("b", lambda lab: lab.bias[0], 1),
]


async def check_every_conv_parameter_key_changes_the_shapes_as_the_formula_says(pilot, tab) -> None:
    app = pilot.app
    for key, get, delta in CONV_KEYS:
        tab.apply_preset("example:conv-padding")
        before = get(tab.lab)
        await pilot.press(key)
        lab, trace = tab.lab, tab.trace
        assert get(lab) == before + delta, f"{key}: the setting changed by one"
        c, h, w = lab.input.shape
        o, ci, kh, kw = lab.weights.shape
        assert ci == c, "the kernels follow the input's channels"
        expected = (
            o,
            _expected_size(h, kh, lab.stride[0], lab.padding[0], lab.dilation[0]),
            _expected_size(w, kw, lab.stride[1], lab.padding[1], lab.dilation[1]),
        )
        assert trace.output.shape == expected, key
        reference = ConvTrace(lab.input, lab.weights, lab.bias, lab.stride, lab.padding, lab.dilation)
        np.testing.assert_array_equal(trace.output, reference.output)
        assert tab.problem is None, key


POOL_KEYS = [
    ("s", lambda lab: lab.effective_stride[0], 1),
    ("A", lambda lab: lab.padding[0], -1),
    ("k", lambda lab: lab.kernel_size[0], 1),
    ("i", lambda lab: lab.input.shape[1], 1),
    ("I", lambda lab: lab.input.shape[1], -1),
    ("c", lambda lab: lab.input.shape[0], 1),
]


async def check_every_pool_parameter_key_changes_the_shapes_as_the_formula_says(pilot, tab) -> None:
    app = pilot.app
    for key, get, delta in POOL_KEYS:
        tab.apply_preset("example:max-pool-padding")
        before = get(tab.lab)
        await pilot.press(key)
        lab, trace = tab.lab, tab.trace
        assert get(lab) == before + delta, key
        c, h, w = lab.input.shape
        (kh, kw), (sh, sw) = lab.kernel_size, lab.effective_stride
        expected = (c, _expected_size(h, kh, sh, lab.padding[0]), _expected_size(w, kw, sw, lab.padding[1]))
        assert trace.output.shape == expected, key
        assert tab.problem is None, key


async def check_pool_toggles_mode_ceil_mode_and_count_include_pad(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("m")
    assert tab.lab.mode == "avg" and tab.trace.output[0, 0, 1] == 0.25
    await pilot.press("z")
    assert not tab.lab.count_include_pad and tab.trace.output[0, 0, 1] == 0.5
    assert "count_include_pad=False" in str(tab.query_one("#pool-formula").render())
    await pilot.press("i", "i", "u")  # 5×5, kernel 2, stride 1: ceil mode changes nothing but the flag
    assert tab.lab.ceil_mode and tab.trace.torch_call().endswith("ceil_mode=True, count_include_pad=False)")
    await pilot.press("s")  # stride 2: ⌈(5 − 2 + 2) / 2⌉ + 1 = 4, but the 4th window would start in the padding
    assert tab.trace.output.shape == (1, 3, 3) and tab.trace.rows.ceil_corrected


async def check_rejected_settings_show_the_engine_message_and_keep_the_last_valid_state(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("a")  # padding 2 with a 2×2 kernel: PyTorch says no
    assert tab.lab.padding == (1, 1)
    message = tab.query_one("#pool-message")
    assert message.display and "padding 2 is more than half the kernel size 2" in str(message.render())
    await pilot.press("right")
    assert tab.step_index == 1, "the tab still works"
    await pilot.press("L")
    assert "超过池化核大小" in str(message.render()), "the message follows the language"
    await pilot.press("L", "A")  # a valid change clears it
    assert not message.display and tab.lab.padding == (0, 0)
    for _ in range(3):
        await pilot.press("S")
    assert "stride must be at least 1" in str(message.render())
    assert tab.lab.effective_stride == (1, 1)


async def check_limits_are_said_not_crashed_into(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("C")
    assert tab.lab.input.shape[0] == 1
    assert "input channels can be 1 to 3 here" in str(tab.query_one("#conv-message").render())
    await pilot.press(*["k"] * 5)  # up to 7×7, which just fits the padded 7×7 input; 8 is past the limit
    assert tab.lab.weights.shape[2] == 7 and tab.trace.output.shape == (1, 1, 1)
    assert "kernel size can be 1 to 7 here" in str(tab.query_one("#conv-message").render())
    await pilot.press("A")  # without padding the 7×7 kernel does not fit the 5×5 input
    assert tab.lab.padding == (1, 1)
    assert "kernel_size 7×7 is larger than the padded input 5×5" in str(tab.query_one("#conv-message").render())


async def check_cursor_edits_input_and_kernel_cells_and_jumps_on_the_output(pilot, tab) -> None:  # switches tabs last
    app = pilot.app
    await pilot.press("e", "right", "down", "7", ".", "5", "enter")
    assert tab.lab.input[0, 1, 1] == 7.5 and tab.lab.input_source.kind == "custom"
    np.testing.assert_array_equal(tab.trace.output, ConvTrace(tab.lab.input, tab.lab.weights, padding=1).output)
    await pilot.press("e", "-", "2", "enter")  # the kernel's first cell
    assert tab.lab.weights[0, 0, 0, 0] == -2
    await pilot.press("1", "escape", "escape")  # escape drops what was typed, then hides the cursor
    assert tab.cursor is None and tab.lab.weights[0, 0, 0, 0] == -2
    await pilot.press("e", "e", "e")  # input → kernel → output
    assert tab.cursor.target == "output"
    await pilot.press("down", "down", "right")
    assert tab.trace.position(tab.step_index) == (0, 2, 1)
    await pilot.press("3")  # on the output nothing is typed: digits still switch tabs
    assert app.query_one("TabbedContent").active == "pooling"


async def check_typing_digits_does_not_switch_tabs_while_editing(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("e", "4", "2", "enter")
    assert app.query_one("TabbedContent").active == "pooling"
    assert tab.lab.input[0, 0, 0] == 42
    await pilot.press("e", "escape")
    await pilot.press("-", "enter")
    assert tab.cursor is None


async def check_play_pause_and_speed(pilot, tab) -> None:
    await pilot.press("greater_than_sign", "greater_than_sign")
    assert tab.speed_index == 4  # 20 steps a second
    start = tab.step_index
    await pilot.press("space")
    assert tab.playing
    await until(pilot, lambda: tab.step_index > start, timeout=10)  # the timer steps
    await pilot.press("space")
    assert not tab.playing
    await pilot.press("end", "left", "space")  # play from the step before the last: one step, then play stops
    await until(pilot, lambda: not tab.playing, timeout=10)
    assert tab.step_index == len(tab.trace) - 1
    await pilot.press("less_than_sign")
    assert tab.speed_index == 3
    await pilot.press(*["less_than_sign"] * 3)  # one step a second: no tick before the check below
    await pilot.press("space")  # play from the end starts again at the first step
    assert tab.playing and tab.step_index == 0
    await pilot.press("space")
    assert not tab.playing


async def check_presets_picker_lists_lecture_examples_kernels_random_and_crops(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("x")
    assert isinstance(app.screen, PresetPicker)
    ids = [preset_id for preset_id, _ in app.screen.presets]
    assert "example:conv-multi-kernel" in ids and "kernel:sobel_x" in ids and "kernel:random" in ids
    assert "random" in ids and "image:1" in ids and "image:3" in ids
    await pilot.press("down", "down", "down", "down", "enter")
    assert tab.lab.example == "conv-multi-kernel" and tab.trace.output.shape == (2, 3, 3)
    await pilot.press("x", "escape")
    assert not isinstance(app.screen, PresetPicker)
    tab.apply_preset("kernel:sobel_x")
    assert tab.lab.weights[0, 0].tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert tab.lab.weights[1, 0].tolist() == [[-1, -2, -1], [0, 0, 0], [1, 2, 1]], "the second kernel: Sobel y"
    await pilot.press("w")
    assert tab.lab.kernel_source.name == "sobel_y"
    await pilot.press("r")
    assert tab.lab.input_source.kind == "random" and tab.lab.input_source.seed == 1
    expected = np.random.default_rng(1).integers(0, 10, (3, 5, 5))
    np.testing.assert_array_equal(tab.lab.input, expected)


async def check_form_applies_settings_and_shows_problems_inline(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("f")
    form = app.screen
    assert isinstance(form, SettingsForm)
    form.query_one("#field-stride").value = "2"
    form.query_one("#field-kernels").value = "2"
    form.query_one("#field-bias").value = "1, -1"
    await pilot.press("enter")
    assert not isinstance(app.screen, SettingsForm)
    assert tab.lab.stride == (2, 2) and tab.trace.output.shape == (2, 3, 3)
    assert tab.lab.bias.tolist() == [1, -1]
    await pilot.press("f")
    app.screen.query_one("#field-padding").value = "-1"
    await pilot.press("enter")
    assert isinstance(app.screen, SettingsForm)
    assert "padding must be 0 or more" in str(app.screen.query_one("#convpool-form-message").render())
    app.screen.query_one("#field-padding").value = "x"
    await pilot.press("enter")
    assert "padding: 'x' is not a valid value" in str(app.screen.query_one("#convpool-form-message").render())
    await pilot.press("escape")
    assert not isinstance(app.screen, SettingsForm) and tab.lab.padding == (1, 1)


async def check_pool_form(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("f")
    values = {"size": "4x4", "mode": "avg", "padding": "0", "stride": "2", "count_include_pad": "no"}
    for name, value in values.items():
        app.screen.query_one(f"#field-{name}").value = value
    await pilot.press("enter")
    assert tab.lab.mode == "avg" and tab.trace.output.shape == (1, 2, 2)
    assert isinstance(tab.trace, PoolTrace) and not tab.trace.count_include_pad


async def check_language_switch_redraws_the_tab(pilot, tab) -> None:
    app = pilot.app
    await pilot.press("L")
    assert text_of(tab, "#pool-settings").startswith(tr("pool.mode.max", lang="zh"))
    assert "第 1/16 步" in str(tab.query_one("#pool-status").render())
    for width in range(30, 90):  # however narrow the tab (the lecture panel open beside it), a setting keeps its value
        lines = text_of(tab, "#pool-settings", width).splitlines()
        assert not any(line.rstrip().endswith(("ceil_mode", "步长", "填充")) for line in lines), (width, lines)


async def check_help_lists_the_tab_keys(pilot, tab) -> None:
    app = pilot.app
    rows = {text for _, section in app.help_sections() for _, text in section}
    for key in ("next step", "play / pause", "stride +1 / −1", "padding +1 / −1", "dilation +1 / −1",
                "settings form", "presets", "crop of the current image: grey / RGB"):
        assert key in rows
    keys = {key for _, section in app.help_sections() for key, _ in section}
    assert {"→/n", "←/p", "s/S", "a/A", "d/D", "o/O", "b/B", "g/G"} <= keys


def _reset(tab) -> None:
    """Back to the tab's lecture example at step 1, no cursor, not playing."""
    tab.cursor, tab.buffer = None, ""
    if tab.playing:
        tab.action_play()
    tab.apply_preset(f"example:{'conv-padding' if isinstance(tab, ConvolutionTab) else 'max-pool-padding'}")


async def _run(key: str, *checks, config: AppConfig | None = None) -> None:
    """One app for several checks (starting an app is the slow part); each check starts afresh."""
    app = CnnTuiApp(config or AppConfig())
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _open(pilot, key)
        for check in checks:
            _reset(tab)
            await check(pilot, tab)


@pytest.mark.slow
async def test_convolution_steps_computation_parameter_keys_and_limits():
    await _run(
        "2",
        check_stepping_visits_every_output_cell_in_order_and_back,
        check_conv_shows_the_computation_of_the_step,
        check_every_conv_parameter_key_changes_the_shapes_as_the_formula_says,
        check_limits_are_said_not_crashed_into,
    )


@pytest.mark.slow
async def test_pooling_steps_parameter_keys_toggles_rejections_and_language():
    await _run(
        "3",
        check_stepping_visits_every_output_cell_in_order_and_back,
        check_every_pool_parameter_key_changes_the_shapes_as_the_formula_says,
        check_pool_toggles_mode_ceil_mode_and_count_include_pad,
        check_rejected_settings_show_the_engine_message_and_keep_the_last_valid_state,
        check_language_switch_redraws_the_tab,
    )


@pytest.mark.slow
async def test_convolution_presets_form_help_and_cursor():
    await _run(
        "2",
        check_presets_picker_lists_lecture_examples_kernels_random_and_crops,
        check_form_applies_settings_and_shows_problems_inline,
        check_help_lists_the_tab_keys,
        check_cursor_edits_input_and_kernel_cells_and_jumps_on_the_output,
    )


async def test_pooling_typing_play_and_form():
    await _run(
        "3",
        check_typing_digits_does_not_switch_tabs_while_editing,
        check_play_pause_and_speed,
        check_pool_form,
    )


async def test_crop_of_the_current_image(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(pixels).save(path)
    app = CnnTuiApp(AppConfig(image=path))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        tab = await _open(pilot, "2")
        await pilot.press("G")
        await wait_for_workers(pilot)
        await pilot.pause()
        assert tab.lab.input.shape == (3, 5, 5) and tab.lab.weights.shape[1] == 3
        np.testing.assert_array_equal(tab.lab.input, image_crop(pixels, 3, 5, 5))
        await pilot.press("g", "i")
        np.testing.assert_array_equal(tab.lab.input, image_crop(pixels, 1, 6, 6))


async def test_crop_follows_the_pixels_cursor_and_the_current_image(tmp_path):
    """The learner chooses where: the crop is centred on the Pixels cursor, and a new current image
    (opened in Pixels) re-crops the Convolution tab's input from it."""
    pixels = np.random.default_rng(1).integers(0, 256, (40, 50, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(pixels).save(path)
    app = CnnTuiApp(AppConfig(image=path))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await wait_for_workers(pilot)
        await pilot.pause()
        await pilot.press("1", "l", "l", "l", "j", "j")
        await pilot.pause()
        point = app.shared.point
        assert point is not None
        tab = await _open(pilot, "2")
        await pilot.press("g")
        np.testing.assert_array_equal(tab.lab.input, image_crop(pixels, 1, 5, 5, point))
        assert f"around row {point[0]}, column {point[1]}" in text_of(tab, "#conv-settings")
        await pilot.press("1", "n")  # the next built-in image: the lecture's black np.zeros
        await wait_for_workers(pilot)
        await pilot.pause()
        assert app.shared.image.source == "black"
        assert tab.lab.input_source.kind == "image" and not tab.lab.input.any()
