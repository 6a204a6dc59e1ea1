"""Chinese and English text broken into terminal lines as Chinese is set: by cells, between characters, never
a bullet alone, never inside a formula, a list of numbers or a matrix (the lecture panel's lines, issue 28)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from cnn_tui.i18n import tr
from cnn_tui.render.cjk_wrap import wrap

LECTURE_LINES = [
    "卷积神经网络是含有卷积层的神经网络，卷积层的作用就是用来自动学习、提取图像的局部特征。CNN 主要由三部分构成：卷积层（特征提取）、池化层（降维）和全连接层（输出结果）。",
    "input 表示输入的图片，filter 表示卷积核（滤波矩阵），input 经过 filter 得到的输出叫做特征图。",
    "• Padding（填充）：在输入图像的边界周围添加额外的像素（通常是零），解决卷积时边缘信息丢失的问题。",
    "图像 5×5、卷积核 3×3、Stride 1、Padding 1：(5 − 3 + 2) / 1 + 1 = 5，特征图大小为 5×5。",
    "out_channels 也可以理解为卷积核的数量；kernel_size 一般为 3, 5, 7…；padding 在四周补 0。",
    "• 2x2、Stride=2 作用于 0…15（4×4）：最大池化 [[5, 7], [13, 15]]，平均池化 [[2.5, 4.5], [10.5, 12.5]]",
    "3. 第一个池化层输入 30x30，输出 15x15，Kernel Size 为 2x2，Stride 为 2",
]
WHOLE = ["(5 − 3 + 2) / 1 + 1 = 5", "3, 5, 7…", "[[5, 7], [13, 15]]", "[[2.5, 4.5], [10.5, 12.5]]", "为 2x2", "出 15x15"]


def shown(text: str, width: int) -> list[str]:
    return [" " * line.indent + text[line.start:line.end] for line in wrap(text, width)]


@pytest.mark.parametrize("width", [24, 31, 40, 51, 69])
@pytest.mark.parametrize("text", LECTURE_LINES)
def test_lines_fit_keep_every_character_and_follow_chinese_rules(text, width):
    lines = shown(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert line.strip() not in ("•", "3."), lines  # no marker alone on its line
        assert line.strip()[0] not in "，。、；：）", lines  # no line starts with closing punctuation
        assert line[-1] != "（", lines
    if text.startswith(("• ", "3. ")):
        marker = 2 if text.startswith("•") else 3
        assert all(line.startswith(" " * marker) and line[marker] != " " for line in lines[1:]), lines
    for part in WHOLE:
        if part in text and cell_len(part) <= width - 3:
            assert any(part in line for line in lines), (part, lines)


def test_a_break_between_english_and_chinese_is_a_break_between_characters():
    lines = shown(LECTURE_LINES[0], 51)
    assert not any(line.endswith("CNN") for line in lines[:-1]), lines  # "…局部特征。CNN⏎主要由" was the bug
    lines = shown(LECTURE_LINES[1], 30)
    assert not any(line.strip() in ("filter", "input 经过") for line in lines), lines


@pytest.mark.parametrize("width", range(30, 62))
def test_a_no_break_space_keeps_a_setting_with_its_value(width):
    text = "最大池化 · 输入 1×3×3 · 池化核 2 · 步长 1 · 填充 1 · ceil_mode\u00a0否 · count_include_pad\u00a0是"
    lines = shown(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert any("ceil_mode\u00a0否" in line for line in lines) and any("count_include_pad\u00a0是" in line for line in lines), lines
    assert shown("填充\u00a0否", 5) == ["填", "充\u00a0否"]  # on either side of a wide character too


def test_something_wider_than_a_line_is_still_broken_to_fit():
    formula = "N = (W − F + 2P) / S + 1"
    assert all(cell_len(line) <= 10 for line in shown(formula, 10))
    assert all(cell_len(line) <= 4 for line in shown("卷积神经网络", 4))


def test_blank_lines_and_blocks_keep_their_shape():
    text = "矩阵：\n  0 1 2 2\n  3 4 5 5\n\nConv2d-1       [1, 6, 30, 30]      168"
    assert shown(text, 51) == ["矩阵：", "  0 1 2 2", "  3 4 5 5", "", "Conv2d-1       [1, 6, 30, 30]      168"]


@pytest.mark.parametrize("tab", ["pixels", "convolution", "pooling", "feature_maps", "model", "training", "predict"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_lecture_section_wraps_at_both_panel_widths(tab, lang):
    from textual.content import Content

    plain = Content.from_markup(tr(f"lecture.{tab}", lang=lang)).plain
    for width in (51, 69):  # the panel's text at 120×36 and 160×48
        lines = shown(plain, width)
        assert all(cell_len(line) <= width for line in lines)
        assert not [line for line in lines if line.strip() in ("•", "-")]


def test_a_formula_too_wide_for_a_line_breaks_beside_an_operator_not_inside_its_brackets():
    text = "print(feature_map_img.shape)  →  torch.Size([1, 3, 319, 319])"
    lines = shown(text, 51)
    assert any("torch.Size([1, 3, 319, 319])" in line for line in lines), lines
