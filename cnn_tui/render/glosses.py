"""What the app's choices mean, in the learner's language, beside their names: "fast · 快速：SGD、one-cycle"."""

from __future__ import annotations

from collections.abc import Iterable

from cnn_tui.i18n import catalogue, tr


def gloss(field: str, value: str) -> str:
    """The catalogue's few words for `value` of `field` (model, recipe, optimizer), or "" for a name it lacks
    (the learner's own network file)."""
    key = f"gloss.{field}.{value}"
    return tr(key) if key in catalogue() else ""


def choice_label(field: str, value: str) -> str:
    """A dropdown's text for `value`: its name, then what it means."""
    meaning = gloss(field, value)
    return f"{value} · {meaning}" if meaning else value


def choice_options(field: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """(label, value) pairs for a Select."""
    return [(choice_label(field, value), value) for value in values]


def recipe_extras(recipe) -> str:
    """What a recipe sets beyond the form's fields (schedule, augmentation, normalisation, whitening), glossed."""
    parts: list[str] = []
    schedule_key = f"gloss.extra.schedule_{recipe.schedule}"
    parts.append(tr(schedule_key) if schedule_key in catalogue() else tr("gloss.extra.schedule", value=recipe.schedule))
    if recipe.flip or recipe.crop:
        flip = tr("gloss.extra.flip_yes" if recipe.flip else "gloss.extra.flip_no")
        parts.append(tr("gloss.extra.flip_crop", flip=flip, crop=recipe.crop))
    if recipe.label_smoothing:
        parts.append(tr("gloss.extra.label_smoothing", value=f"{recipe.label_smoothing:g}"))
    parts.append(tr("gloss.extra.normalize_on" if recipe.normalize else "gloss.extra.normalize_off"))
    if recipe.whiten:
        parts.append(tr("gloss.extra.whiten"))
    return tr("gloss.extra.separator").join(parts)


def synthetic_source(train: int, test: int) -> str:
    """The built-in data set, said in the learner's language."""
    return tr("gloss.data.synthetic", train=train, test=test)
