"""Nothing lost or wrong, from the user's side: unwritable checkpoints refused before training, checkpoint pairs
never mixed by two writers (threads, and two processes), the decode cache noticing a changed image and refusing a
crafted cache."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest
import torch

from cnn_tui.cli import main

TINY = ["--data", "synthetic", "--train-limit", "64", "--test-limit", "32", "--batch-size", "32", "--epochs", "1",
        "--plain", "--threads", "1", "--no-record"]


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def test_an_unwritable_checkpoint_is_refused_before_training(tmp_path, capsys):
    fifo = tmp_path / "pipe.pth"
    os.mkfifo(fifo)
    for checkpoint, words in (
        (tmp_path, "is a folder, not a file"),
        (Path("/proc/x.pth"), "cannot write to /proc"),
        (fifo, "is not a regular file"),
    ):
        assert main(["train", *TINY, "--checkpoint", str(checkpoint)]) == 2
        out, err = capsys.readouterr()
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "epoch:" not in out, "an epoch was trained before the path was checked"


@pytest.mark.slow
def test_two_writers_never_mix_weights_and_metadata(tmp_path):
    """Two savers replace one checkpoint over and over; every load gets one save's weights with the same save's metadata."""
    from cnn_tui.ml.checkpoints import CheckpointMeta, load_model, save_checkpoint
    from cnn_tui.ml.models import LECTURE, build_model

    path = tmp_path / "shared.pth"
    models = {}
    for tag in (1, 2):
        model = build_model(LECTURE)
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.fill_(float(tag))
        models[tag] = model
    meta = {tag: CheckpointMeta(LECTURE, tuple(f"c{i}" for i in range(10)), None, None, epoch=tag) for tag in (1, 2)}
    save_checkpoint(path, models[1], meta[1])
    done = threading.Event()

    def writer(tag: int) -> None:
        while not done.is_set():
            save_checkpoint(path, models[tag], meta[tag])

    threads = [threading.Thread(target=writer, args=(tag,), daemon=True) for tag in (1, 2)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(60):
            model, loaded = load_model(path)
            assert float(next(model.parameters()).detach().flatten()[0]) == loaded.epoch, "weights of one save, metadata of another"
    finally:
        done.set()
        for thread in threads:
            thread.join(30)


PAIRS = 200  # paths both processes write at the same moment; without the lock 2–12% of them ended mixed


@pytest.mark.slow
def test_two_processes_saving_to_one_path_never_mix_their_pairs(tmp_path):
    """Two processes (as two `cnn-tui train` runs) save to the same paths at the same moment; every path ends
    with one process's weights beside the same process's metadata, never one's .pth with the other's .json."""
    from cnn_tui.ml.checkpoints import load_weights, read_meta
    from tests.checkpoint_writers import save_pairs

    # Two processes with their own open files, as two `cnn-tui train` runs. The fork server is a fresh interpreter
    # that imports torch once and forks both writers from there: quicker than two interpreters each importing it.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.checkpoint_writers", "torch", "cnn_tui.ml.checkpoints"])
    barrier = context.Barrier(2)
    writers = [context.Process(target=save_pairs, args=(str(tmp_path), tag, PAIRS, barrier)) for tag in (1, 2)]
    try:
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(120)
        assert [writer.exitcode for writer in writers] == [0, 0], "a writer process failed or hung"
    finally:
        for writer in writers:
            if writer.is_alive():
                writer.kill()
                writer.join()
    mixed = []
    for index in range(PAIRS):
        path = tmp_path / f"{index}.pth"
        weights = {float(value) for tensor in load_weights(path).values() for value in tensor.flatten()}
        epoch = read_meta(path).epoch
        if weights != {float(epoch)}:
            mixed.append(f"{path.name}: weights {sorted(weights)}, metadata epoch {epoch}")
    assert not mixed, f"{len(mixed)} of {PAIRS} paths mix two saves: {mixed[:3]}"


def _image_folder(root: Path) -> Path:
    from PIL import Image

    for split, count in (("train", 4), ("test", 2)):
        for name in ("cat", "dog"):
            folder = root / split / name
            folder.mkdir(parents=True)
            for i in range(count):
                Image.new("RGB", (32, 32), (10 * i, 100 if name == "cat" else 200, 0)).save(folder / f"{i}.png")
    return root


def test_the_cache_notices_a_changed_image_and_refuses_a_crafted_cache(tmp_path):
    from PIL import Image

    from cnn_tui.ml.data import load_dataset

    source = _image_folder(tmp_path / "pets")
    notes: list[str] = []
    first = load_dataset(source, tmp_path / "home", status=notes.append)
    assert len(list((tmp_path / "home").rglob("*.pt"))) == 1
    # the same image changed in place (its folder's modification time stays the same)
    changed = source / "train" / "cat" / "0.png"
    folder_mtime = os.stat(changed.parent).st_mtime_ns
    Image.new("RGB", (32, 32), (255, 255, 255)).save(changed)
    os.utime(changed.parent, ns=(folder_mtime, folder_mtime))
    second = load_dataset(source, tmp_path / "home", status=notes.append)
    assert int(second.train.images[0, 0, 0, 0]) == 255 != int(first.train.images[0, 0, 0, 0])

    # a crafted cache under the right name: labels 99, 5×5 images
    cache = max((tmp_path / "home").rglob("*.pt"), key=lambda p: p.stat().st_mtime_ns)  # the changed folder's
    torch.save({
        "classes": ["cat", "dog"], "train_images": torch.zeros(8, 3, 5, 5, dtype=torch.uint8),
        "train_labels": torch.full((8,), 99), "test_images": torch.zeros(4, 3, 5, 5, dtype=torch.uint8),
        "test_labels": torch.zeros(4, dtype=torch.int64),
    }, cache)
    notes.clear()
    third = load_dataset(source, tmp_path / "home", status=notes.append)
    assert third.image_shape == (3, 32, 32) and int(third.train.labels.max()) == 1
    assert any("is not usable (its train labels run from 99 to 99, not 0 to 1)" in str(note) for note in notes), notes
