"""Image bombs inside the archive bounds (issue 29): a PNG or JPEG of a few hundred bytes whose header claims
30000×30000 pixels is refused by that size before anything decodes it, with one sentence naming the file and the
limit, and the rest of the import goes on: in a train/test tarball pair, in a photo folder, and in `cnn-tui predict`."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from PIL import Image

from cnn_tui.config import ARCHIVE_LIMITS, IMAGE_DEFAULTS
from cnn_tui.core.image_header import header_pixels
from cnn_tui.ml.data import load_dataset
from cnn_tui.ml.photo_reader import read_photos
from tests.hostile import jpeg_bomb, png_bomb
from tests.tiny_network import CHECKPOINT_NAME, tiny_models_dir


def _image(format: str, size: tuple[int, int] = (32, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 40, 200)).save(buffer, format=format)
    return buffer.getvalue()


@pytest.mark.parametrize("format", ["PNG", "JPEG", "BMP", "GIF", "WEBP", "TIFF"])
def test_the_header_says_the_size_without_decoding(format):
    assert header_pixels(_image(format, (40, 30))) == 1200


def test_bombs_headers_are_read_and_junk_has_no_size(tmp_path):
    assert header_pixels(png_bomb(tmp_path / "b.png").read_bytes()) == 900_000_000
    assert header_pixels(jpeg_bomb(tmp_path / "b.jpg").read_bytes()) == 900_000_000
    assert header_pixels(jpeg_bomb(tmp_path / "c.jpg", 5000, 4000).read_bytes()) == 20_000_000
    progressive = io.BytesIO()
    Image.new("RGB", (40, 30)).save(progressive, format="JPEG", progressive=True, exif=Image.Exif())
    assert header_pixels(progressive.getvalue()) == 1200
    for junk in (b"", b"not an image", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"):
        assert header_pixels(junk) is None


def _tar_pair(folder: Path, bombs: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for split in ("train", "test"):
        with tarfile.open(folder / f"{split}.tar.gz", "w:gz") as archive:
            members = {f"{split}/{label}/{i}.png": _image("PNG") for label in ("cat", "dog") for i in range(2)}
            if split == "train":
                members |= bombs
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return folder


def _bombs(tmp_path: Path) -> dict[str, bytes]:
    return {
        "train/cat/bomb.png": png_bomb(tmp_path / "bomb.png").read_bytes(),
        "train/dog/bomb.jpg": jpeg_bomb(tmp_path / "bomb.jpg").read_bytes(),
        "train/dog/big.jpg": jpeg_bomb(tmp_path / "big.jpg", 5000, 4000).read_bytes(),  # under Pillow's own limit
    }


def test_a_tarball_skips_images_whose_header_claims_too_many_pixels(tmp_path):
    folder = _tar_pair(tmp_path / "bombs", _bombs(tmp_path))
    assert max(len(b) for b in _bombs(tmp_path).values()) < 1000  # well inside the archive's member bound
    notes: list[str] = []
    data = load_dataset(folder, tmp_path / "home", cache=False, download=False, status=lambda note: notes.append(str(note)))
    assert len(data.train) == 4 and len(data.test) == 4  # nothing else lost
    limit = f"{ARCHIVE_LIMITS.image_pixels:,}"
    for member, pixels in (("train/cat/bomb.png", "900,000,000"), ("train/dog/bomb.jpg", "900,000,000"), ("train/dog/big.jpg", "20,000,000")):
        assert (
            f"{folder / 'train.tar.gz'}:{member}: its header claims {pixels} pixels, over the limit of {limit} for one "
            "image of a data set; skipped without decoding it (the other images are read)"
        ) in notes, notes


@pytest.mark.slow
def test_cnn_tui_data_import_says_which_images_it_skipped_and_imports_the_rest(tmp_path):
    folder = _tar_pair(tmp_path / "bombs", _bombs(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "data", "import", str(folder), "--data-dir", str(tmp_path / "home")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert said.count("skipped without decoding it") == 3, said
    assert f"{folder / 'train.tar.gz'}:train/dog/bomb.jpg: its header claims 900,000,000 pixels" in said
    assert (tmp_path / "home" / "dataset.pt").is_file()


def test_a_photo_folder_names_the_photo_too_large_to_decode_and_reads_the_rest(tmp_path):
    for label in ("cat", "dog"):
        (tmp_path / "photos" / label).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (50, 40), (10 * i, 90, 30)).save(tmp_path / "photos" / label / f"{i}.jpg")
    png_bomb(tmp_path / "photos" / "cat" / "bomb.png")
    jpeg_bomb(tmp_path / "photos" / "dog" / "bomb.jpg")
    notes: list[str] = []
    raw, report = read_photos(tmp_path / "photos", status=lambda note: notes.append(str(note)))
    assert len(raw.train.labels) + len(raw.test.labels) == 6 and report.skipped == 2
    for name in ("cat/bomb.png", "dog/bomb.jpg"):
        assert (
            f"{tmp_path / 'photos' / name}: its header claims 900,000,000 pixels, over the limit of "
            f"{IMAGE_DEFAULTS.max_pixels:,} for one image of a data set; skipped without decoding it (the other images are read)"
        ) in notes, notes


@pytest.mark.slow
def test_cnn_tui_predict_refuses_bombs_by_name_and_predicts_the_other_images(tmp_path):
    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "red.png")
    bombs = [png_bomb(tmp_path / "bomb.png"), jpeg_bomb(tmp_path / "bomb.jpg")]
    result = subprocess.run(
        [sys.executable, "-m", "cnn_tui", "predict", "--checkpoint", str(tiny_models_dir() / CHECKPOINT_NAME),
         str(bombs[0]), str(tmp_path / "red.png"), str(bombs[1])],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"cnn-tui predict: cannot open '{bomb}': 900,000,000 pixels is over the limit of {IMAGE_DEFAULTS.max_pixels:,} "
        "(a possible decompression bomb)" for bomb in bombs
    ]
    assert result.stdout.splitlines()[0].startswith(str(tmp_path / "red.png"))  # the good image is still predicted
