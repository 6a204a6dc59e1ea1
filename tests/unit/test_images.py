"""The image loader: every mode ends as H×W×3 uint8 with notes on what was done; every bad file
gives an ImageLoadError with a code the UI can translate and an English message."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnn_tui.core import images
from cnn_tui.core.images import ERROR_TEXTS, NOTE_TEXTS, ImageLoadError, from_array, load_image
from cnn_tui.i18n import catalogue


def _codes(image: images.LoadedImage) -> list[str]:
    return [note.code for note in image.notes]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, depth: int, colour_type: int, raw: bytes) -> bytes:
    """A PNG written by hand (for 16-bit RGB and for headers that lie about the size)."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw))
        + _png_chunk(b"IEND", b"")
    )


# -- modes -------------------------------------------------------------------------------


def test_rgb_png_round_trips_exactly(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "rgb.png")
    image = load_image(tmp_path / "rgb.png")
    assert image.shape == (7, 5, 3) and image.pixels.dtype == np.uint8
    assert np.array_equal(image.pixels, pixels)
    assert image.mode == "RGB" and image.size == (5, 7) and image.notes == ()
    assert image.name == "rgb.png" and image.path == tmp_path / "rgb.png"


def test_grey_l_is_copied_to_three_channels(tmp_path):
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    Image.fromarray(grey, mode="L").save(tmp_path / "l.png")
    image = load_image(tmp_path / "l.png")
    assert image.mode == "L" and image.shape == (3, 4, 3)
    assert all(np.array_equal(image.pixels[:, :, c], grey) for c in range(3))
    assert _codes(image) == ["gray"]


def test_la_is_composited_on_the_background(tmp_path):
    la = Image.new("LA", (2, 1))
    la.putpixel((0, 0), (100, 255))  # opaque
    la.putpixel((1, 0), (0, 0))  # fully transparent
    la.save(tmp_path / "la.png")
    image = load_image(tmp_path / "la.png", background=(10, 20, 30))
    assert image.pixels[0, 0].tolist() == [100, 100, 100]
    assert image.pixels[0, 1].tolist() == [10, 20, 30]
    assert _codes(image) == ["gray", "alpha"]


def test_rgba_half_transparent_red_on_white(tmp_path):
    Image.new("RGBA", (3, 2), (255, 0, 0, 128)).save(tmp_path / "rgba.png")
    image = load_image(tmp_path / "rgba.png")
    # (255·128 + 255·127) / 255 = 255 ; (0·128 + 255·127) / 255 = 127
    assert image.pixels[0, 0].tolist() == [255, 127, 127]
    assert image.mode == "RGBA"
    assert image.notes[0].text == "transparency composited on (255, 255, 255)"


def test_opaque_rgba_has_no_alpha_note(tmp_path):
    Image.new("RGBA", (2, 2), (1, 2, 3, 255)).save(tmp_path / "opaque.png")
    image = load_image(tmp_path / "opaque.png")
    assert image.pixels[1, 1].tolist() == [1, 2, 3] and image.notes == ()


def test_palette_looks_colours_up(tmp_path):
    palette_image = Image.new("P", (2, 1))
    palette_image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    palette_image.putpixel((1, 0), 1)
    palette_image.save(tmp_path / "p.png")
    image = load_image(tmp_path / "p.png")
    assert image.mode == "P"
    assert image.pixels[0].tolist() == [[255, 0, 0], [0, 0, 255]]
    assert _codes(image) == ["palette"]


def test_palette_with_transparency_is_composited(tmp_path):
    palette_image = Image.new("P", (2, 1))
    palette_image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    palette_image.putpixel((1, 0), 1)
    palette_image.info["transparency"] = 1
    palette_image.save(tmp_path / "pt.png", transparency=1)
    image = load_image(tmp_path / "pt.png", background=(0, 0, 0))
    assert image.pixels[0].tolist() == [[255, 0, 0], [0, 0, 0]]
    assert _codes(image) == ["palette", "alpha"]


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    values = np.array([[0, 257, 32768, 65535]], dtype=np.uint16)
    Image.fromarray(values).save(tmp_path / "i16.png")
    with Image.open(tmp_path / "i16.png") as check:
        assert check.mode.startswith("I")
    image = load_image(tmp_path / "i16.png")
    assert image.pixels[0, :, 0].tolist() == [0, 1, 128, 255]
    assert "scaled16" in _codes(image)


def test_sixteen_bit_rgb_png_is_noted(tmp_path):
    rows = np.array([[[65535, 32768, 0], [256, 512, 1024]]], dtype=">u2")
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)
    (tmp_path / "rgb16.png").write_bytes(_png(2, 1, 16, 2, raw))
    image = load_image(tmp_path / "rgb16.png")
    assert image.pixels[0, 0].tolist() == [255, 128, 0]
    assert image.pixels[0, 1].tolist() == [1, 2, 4]
    assert _codes(image) == ["scaled16"]


def test_float_tiff_is_stretched(tmp_path):
    values = np.array([[0.0, 0.5, 1.0]], dtype=np.float32)
    Image.fromarray(values, mode="F").save(tmp_path / "f.tiff")
    image = load_image(tmp_path / "f.tiff")
    assert image.pixels[0, :, 0].tolist() == [0, 128, 255]
    assert _codes(image) == ["float"]


def test_cmyk_is_converted(tmp_path):
    Image.new("CMYK", (2, 2), (0, 255, 255, 0)).save(tmp_path / "cmyk.tiff")
    image = load_image(tmp_path / "cmyk.tiff")
    assert image.mode == "CMYK" and image.pixels[0, 0].tolist() == [255, 0, 0]
    assert image.notes[0].text == "converted from CMYK to RGB"


def test_cmyk_jpeg_loads(tmp_path):
    Image.new("CMYK", (16, 16), (0, 0, 0, 0)).save(tmp_path / "cmyk.jpg", quality=95)
    image = load_image(tmp_path / "cmyk.jpg")
    assert image.mode == "CMYK" and image.shape == (16, 16, 3)
    assert image.pixels.min() >= 250  # no ink: white


def test_one_bit_image(tmp_path):
    Image.new("1", (3, 1), 1).save(tmp_path / "bits.png")
    assert load_image(tmp_path / "bits.png").pixels.tolist() == [[[255, 255, 255]] * 3]


def test_exif_orientation_turns_the_image_upright(tmp_path):
    pixels = np.zeros((2, 3, 3), dtype=np.uint8)
    pixels[0, 0] = (255, 0, 0)  # red at the stored top left
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: show it turned 90° clockwise
    Image.fromarray(pixels).save(tmp_path / "rotated.png", exif=exif)
    image = load_image(tmp_path / "rotated.png")
    assert image.shape == (3, 2, 3)  # width and height swap
    assert image.pixels[0, 1].tolist() == [255, 0, 0]  # the top left went to the top right
    assert image.size == (2, 3)  # as shown, upright: the readout and predict's resize note say 2×3, not the stored 3×2
    assert image.notes[0].text == "turned upright by its EXIF orientation (6)"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_shows_its_first_frame(tmp_path, fmt):
    frames = [Image.new("RGB", (4, 4), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    path = tmp_path / f"anim.{fmt.lower()}"
    frames[0].save(path, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, lossless=True)
    image = load_image(path)
    red = image.pixels[0, 0].tolist()
    assert red[0] > 240 and red[1] < 16 and red[2] < 16
    assert "animated" in _codes(image)
    assert next(n for n in image.notes if n.code == "animated").text == "animated: showing frame 1 of 3"


def test_one_pixel_image_loads_with_a_note(tmp_path):
    Image.new("RGB", (1, 1), (1, 2, 3)).save(tmp_path / "one.png")
    image = load_image(tmp_path / "one.png")
    assert image.shape == (1, 1, 3) and image.pixels[0, 0].tolist() == [1, 2, 3]
    assert _codes(image) == ["tiny"]


@pytest.mark.slow
def test_ten_thousand_square_image_loads_with_a_note(tmp_path):
    Image.new("L", (10000, 10000), 77).save(tmp_path / "big.png", compress_level=1)
    image = load_image(tmp_path / "big.png")
    assert image.shape == (10000, 10000, 3) and int(image.pixels[9999, 9999, 2]) == 77
    assert "large" in _codes(image)
    assert next(n for n in image.notes if n.code == "large").text == "large image: 100.0 megapixels"


# -- bad files ---------------------------------------------------------------------------


def _error(path: Path, **kwargs) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as caught:
        load_image(path, **kwargs)
    return caught.value


def test_missing_file(tmp_path):
    assert _error(tmp_path / "nope.png").code == "missing"


def test_directory(tmp_path):
    error = _error(tmp_path)
    assert error.code == "directory" and str(error) == "it is a directory, not an image file"


def test_empty_file(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    error = _error(tmp_path / "empty.png")
    assert error.code == "empty" and "0 bytes" in str(error)


def test_not_an_image(tmp_path):
    (tmp_path / "notes.png").write_text("these are not pixels\n")
    assert _error(tmp_path / "notes.png").code == "not_image"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_file(tmp_path, fmt):
    buffer = io.BytesIO()
    pixels = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, format=fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    error = _error(path)
    assert error.code == "truncated" and str(error).startswith("the file is damaged or truncated")


def test_permission_denied_by_the_system(tmp_path, monkeypatch):
    path = tmp_path / "secret.png"
    Image.new("RGB", (2, 2)).save(path)
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    assert _error(path).code == "permission"


def test_permission_denied_while_reading(tmp_path, monkeypatch):
    path = tmp_path / "secret.png"
    Image.new("RGB", (2, 2)).save(path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(images.Image, "open", refuse)
    assert _error(path).code == "permission"


def test_permission_denied_when_the_file_is_opened(tmp_path, monkeypatch):
    """The system refuses the open itself (what a file without read permission gives a non-root user), without
    relying on file modes, so it runs as root too: Pillow's own open of the path raises PermissionError."""
    import builtins

    path = tmp_path / "secret.png"
    Image.new("RGB", (2, 2)).save(path)
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    assert _error(path).code == "permission"


def test_decompression_bomb(tmp_path):
    (tmp_path / "bomb.png").write_bytes(_png(30000, 30000, 8, 2, b""))
    error = _error(tmp_path / "bomb.png")
    assert error.code == "bomb"
    assert str(error) == "900,000,000 pixels is over the limit of 178,956,970 (a possible decompression bomb)"


def test_our_own_pixel_limit(tmp_path):
    Image.new("RGB", (20, 10)).save(tmp_path / "small.png")
    error = _error(tmp_path / "small.png", max_pixels=199)
    assert error.code == "bomb" and error.fields == {"pixels": 200, "limit": 199}


# -- messages and arrays -----------------------------------------------------------------


def test_every_code_has_a_translation_with_the_same_fields():
    import string

    messages = catalogue()
    for prefix, texts in (("pixels.error", ERROR_TEXTS), ("pixels.note", NOTE_TEXTS)):
        for code, english in texts.items():
            key = f"{prefix}.{code}"
            assert key in messages, key
            assert messages[key]["en"] == english, key
            fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
            translated = {name for _, name, _, _ in string.Formatter().parse(messages[key]["zh"]) if name}
            assert fields == translated, key


def test_from_array_takes_the_lectures_float_zeros():
    image = from_array(np.zeros([4, 5, 3]), name="zeros")
    assert image.pixels.dtype == np.uint8 and image.shape == (4, 5, 3) and image.size == (5, 4)
    with pytest.raises(ValueError, match="H×W×3"):
        from_array(np.zeros([4, 5]), name="flat")


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_probe_finds_a_truncated_file_whose_header_is_intact(tmp_path, suffix):
    path = tmp_path / f"photo{suffix}"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)).save(path)
    assert images.probe_image(path) == ("RGB", (60, 40))
    truncated = tmp_path / f"cut{suffix}"
    truncated.write_bytes(path.read_bytes()[: len(path.read_bytes()) * 2 // 3])
    for check in (images.probe_image, load_image):
        with pytest.raises(ImageLoadError) as caught:
            check(truncated)
        assert caught.value.code == "truncated"


def test_an_image_over_the_memory_budget_is_refused_before_decoding(tmp_path):
    path = tmp_path / "wide.png"
    Image.new("RGBA", (400, 300), (10, 20, 30, 128)).save(path)
    needed = images.decode_bytes("RGBA", (400, 300))
    for check in (images.probe_image, load_image):
        with pytest.raises(ImageLoadError) as caught:
            check(path, max_bytes=needed - 1)
        assert caught.value.code == "memory"
        assert "400×300 RGBA" in str(caught.value) and "limit of" in str(caught.value)
    assert load_image(path, max_bytes=needed).shape == (300, 400, 3)


@pytest.mark.parametrize("content, code", [(b"", "empty"), (b"plain text, not pixels", "not_image")])
def test_probe_rejects_what_is_not_an_image(tmp_path, content, code):
    path = tmp_path / "x.png"
    path.write_bytes(content)
    with pytest.raises(ImageLoadError) as caught:
        images.probe_image(path)
    assert caught.value.code == code
