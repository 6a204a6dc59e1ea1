"""render.cjk_text: a Rich Text wrapped as Chinese is set, by the width it is drawn in, its styles kept."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from cnn_tui.render.cjk_text import CjkText

FIELDS = "感受野与 /步距（一个单元看到的输入像素，及相邻单元相隔的像素）： conv1 3×3 /1 · pool1 4×4 /2"


def _lines(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text().splitlines()


def test_a_chinese_line_is_filled_not_left_at_its_first_word():
    rich_lines = _lines(Text(FIELDS), 40)
    assert rich_lines[0].rstrip() == "感受野与"  # Rich breaks only at spaces: the rest went to the next line
    lines = _lines(CjkText(Text(FIELDS)), 40)
    assert lines[0].startswith("感受野与 /步距（") and cell_len(lines[0].rstrip()) >= 38
    assert all(cell_len(line.rstrip()) <= 40 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == FIELDS.replace(" ", "")  # nothing lost
    assert not any(line.lstrip().startswith(("，", "）", "：")) for line in lines)  # kinsoku: no closing mark first


def test_styles_stay_on_their_characters():
    text = Text.assemble(("81,302 个参数", "bold"), "  ", ("讲义中的 ImageClassification：卷积层 6、16 通道", "dim"))
    console = Console(width=24, color_system="truecolor", file=io.StringIO())
    segments = list(console.render(CjkText(text)))
    bold = "".join(s.text for s in segments if s.style is not None and s.style.bold)
    dim = "".join(s.text for s in segments if s.style is not None and s.style.dim)
    assert bold == "81,302 个参数" and "ImageClassification" in dim and "卷积" in dim
