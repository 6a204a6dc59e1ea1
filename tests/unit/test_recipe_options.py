"""Each recipe field is described once, by its catalogue entry, and `cnn-tui train --help` shows it in both languages."""

from __future__ import annotations

import argparse
from dataclasses import fields

import pytest

from cnn_tui import i18n
from cnn_tui.commands import train
from cnn_tui.config import TrainRecipe

NOT_OPTIONS = {"name", "tta"}  # the recipe's own name; tta is set by the `best` recipe only


def test_every_recipe_field_is_an_option_and_every_option_a_field():
    assert {name for name, *_ in train.RECIPE_OPTIONS} == {f.name for f in fields(TrainRecipe)} - NOT_OPTIONS


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_shows_each_fields_one_description(lang):
    i18n.set_language(lang)
    try:
        parser = argparse.ArgumentParser(prog="cnn-tui train")
        train.add_arguments(parser)
        shown = "".join(parser.format_help().split())  # wrapped at the terminal's width: compared without spaces
        for name, *_ in train.RECIPE_OPTIONS:
            description = i18n.catalogue()[f"cli.train.option.{name}"][lang]
            assert train.option_help(name).startswith(description + " (lecture: ")
            assert "".join(train.option_help(name).split()) in shown
    finally:
        i18n.set_language("en")
