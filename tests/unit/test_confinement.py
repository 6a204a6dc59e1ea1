"""A served session's paths stay in its folder: `..`, absolute paths and symlinks out are refused with a sentence;
the built-in images and the data home can be read, never written or imported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnn_tui.core.confinement import Confinement, ConfinementError
from cnn_tui.core.training_settings import FieldProblem, TrainingSettings, parse_settings


@pytest.fixture
def rooms(tmp_path):
    """(confinement, session folder, a folder outside, a read-only folder)."""
    session, outside, readable = tmp_path / "session", tmp_path / "outside", tmp_path / "data-home"
    for folder in (session, outside, readable):
        folder.mkdir()
    (outside / "secret.png").write_bytes(b"secret")
    (session / "link-out").symlink_to(outside)
    (session / "secret-link.png").symlink_to(outside / "secret.png")
    (session / "inside-link").symlink_to(session)
    return Confinement.to(session, [readable]), session.resolve(), outside, readable.resolve()


@pytest.mark.parametrize("typed", ["../outside/secret.png", "{outside}/secret.png", "sub/../../outside/secret.png",
                                   "/etc/passwd", "~/.ssh/id_rsa", "..", "/"])
def test_paths_out_of_the_folder_are_refused(rooms, typed):
    confinement, session, outside, _ = rooms
    with pytest.raises(ConfinementError) as refused:
        confinement.resolve(typed.format(outside=outside))
    assert "is outside this session's folder" in str(refused.value) and str(session) in str(refused.value)


@pytest.mark.parametrize("typed", ["link-out/secret.png", "secret-link.png", "{session}/link-out"])
def test_symlinks_out_of_the_folder_are_refused_and_named_as_links(rooms, typed):
    confinement, session, _, _ = rooms
    with pytest.raises(ConfinementError) as refused:
        confinement.resolve(typed.format(session=session))
    assert "is a link that leads out of this session's folder" in str(refused.value)


def test_paths_inside_resolve_against_the_folder_not_the_working_directory(rooms, monkeypatch, tmp_path):
    confinement, session, _, readable = rooms
    monkeypatch.chdir(tmp_path / "outside")
    assert confinement.resolve("img.png") == session / "img.png"
    assert confinement.resolve("inside-link/./img.png") == session / "img.png"
    assert confinement.writable(f"{session}/runs/../ck.pth") == session / "ck.pth"
    assert confinement.resolve(readable / "cifar") == readable / "cifar"  # the data home: read


def test_the_read_only_folders_cannot_be_written_or_imported(rooms):
    confinement, _, _, readable = rooms
    with pytest.raises(ConfinementError, match="can be read but not written or run"):
        confinement.writable(readable / "ck.pth")
    with pytest.raises(ConfinementError, match="can be read but not written or run"):
        confinement.own_model(f"{readable}/net.py:Net")
    assert confinement.own_model("net.py:Net") == f"{confinement.root}/net.py:Net"


def test_a_prefix_of_the_folder_s_name_is_not_inside_it(tmp_path):
    """/srv/session2 starts with the string /srv/session: compared as paths, it is outside."""
    (tmp_path / "session").mkdir()
    (tmp_path / "session2").mkdir()
    with pytest.raises(ConfinementError):
        Confinement.to(tmp_path / "session").resolve(tmp_path / "session2" / "x.png")


def test_unconfined_paths_are_left_as_typed(tmp_path):
    free = Confinement()
    assert not free.active
    assert free.resolve("../x.png") == Path("../x.png")
    assert free.resolve("~/x.png") == Path(os.path.expanduser("~/x.png"))
    assert free.own_model("/anywhere/net.py:Net") == "/anywhere/net.py:Net"
    assert free.listing("/") == Path("/")


FORM = {"data": "synthetic", "model": "lecture", "model_file": "", "recipe": "lecture", "epochs": "1",
        "batch_size": "8", "lr": "0.01", "optimizer": "sgd", "train_limit": "", "test_limit": "", "seed": "0",
        "checkpoint": "ck.pth"}


def parse(confinement, **changed):
    from cnn_tui.config import RECIPES

    values = dict(FORM, recipe=next(iter(RECIPES)), **changed)
    return parse_settings(values, models=["lecture"], optimizers=["sgd"], confinement=confinement)


@pytest.mark.parametrize("field, typed, said", [
    ("checkpoint", "../outside/ck.pth", "is outside this session's folder"),
    ("checkpoint", "/tmp/ck.pth", "is outside this session's folder"),
    ("checkpoint", "link-out/ck.pth", "is a link that leads out"),
    ("data", "{outside}", "is outside this session's folder"),
    ("data", "/", "is outside this session's folder"),
    ("model_file", "{outside}/net.py:Net", "is outside this session's folder"),
    ("model_file", "link-out/net.py:Net", "is a link that leads out"),
])
def test_the_training_form_refuses_paths_out_of_the_folder_with_a_sentence(rooms, field, typed, said):
    confinement, session, outside, _ = rooms
    (outside / "net.py").write_text("open('ran', 'w')\n")
    result = parse(confinement, **{field: typed.format(outside=outside)})
    assert isinstance(result, list) and [p.field for p in result] == [field]
    (problem,) = result
    assert isinstance(problem, FieldProblem) and problem.code == "confined" and said in problem.values["reason"].in_language()


def test_the_training_form_takes_paths_in_the_folder_and_keeps_names_of_data_sets(rooms):
    confinement, session, _, readable = rooms
    (session / "net.py").write_text("x = 1\n")
    settings = parse(confinement, model_file="net.py:Net", data=str(readable))
    assert isinstance(settings, TrainingSettings)
    assert settings.checkpoint == str(session / "ck.pth") and settings.model == f"{session}/net.py:Net"
    assert settings.data == str(readable)
    assert isinstance(parse(confinement, data="cifar10"), TrainingSettings)
