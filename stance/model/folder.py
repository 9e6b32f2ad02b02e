"""A model on disk: a folder of plain data, saved atomically and validated whenever it is loaded.

The folder holds, per task, ``<task>.json`` (classes and vocabularies) and ``<task>.npz`` (idf
vectors and weights), then ``collective.npz`` (the second pass) and ``error_rates.npz`` when the
settings ask for them, ``config.json`` (labels, settings, training-data hash, library versions,
evaluation figures) and ``README.md`` (the model card). Nothing in it is code, so loading it cannot
run any; every file is read within limits and checked (stance.model.reading, stance.model.validate)
before any of it is used. A save writes a temporary sibling folder and renames it into place, so
an interrupted save leaves the old folder whole, never a mix of old and new files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from stance.model.linear import Model, share_features
from stance.model.reading import ModelError, read_arrays, read_json
from stance.model.validate import check_classes, check_config, check_encoder, check_rates, check_second_pass, check_task
from stance.quantify import CORRECTING, ErrorRates
from stance.schema import TASKS

FORMAT_VERSION = 2
CONFIG = "config.json"
SECOND_PASS = "collective.npz"
ERROR_RATES = "error_rates.npz"
CARD = "README.md"
MAX_CONFIG_BYTES = 16 * 2**20
SHIPPED_MODELS = Path(__file__).parent.parent / "models"
DEFAULT_MODEL = SHIPPED_MODELS / "default"


def shipped_models() -> list[str]:
    """The names of the models that ship with the package (``default`` first)."""
    names = (folder.name for folder in SHIPPED_MODELS.iterdir() if (folder / CONFIG).is_file())
    return sorted(names, key=lambda name: (name != "default", name))


def model_folder(model: str | Path | None) -> Path:
    """A model's folder: the shipped default for None, a shipped model's name (unless a folder of that
    name exists here), or a folder path."""
    if model is None:
        return DEFAULT_MODEL
    path = Path(model)
    if not path.exists() and str(model) in shipped_models():
        return SHIPPED_MODELS / str(model)
    return path


def load_model(directory: str | Path | None = None) -> Model:
    """Load a model folder (or a shipped model by name), refusing foreign formats and anything that is
    not valid plain data."""
    directory = model_folder(directory)
    if not (directory / CONFIG).exists() and not (directory / CONFIG).is_symlink():
        raise ModelError(f"{directory}: not a model folder (no {CONFIG}); shipped models: {', '.join(shipped_models())}")
    config = read_json(directory / CONFIG, MAX_CONFIG_BYTES)
    settings = check_encoder(check_config(config, directory / CONFIG, FORMAT_VERSION), directory)
    tasks = {task: check_task(task, read_json(directory / f"{task}.json"), read_arrays(directory / f"{task}.npz"),
                              settings, directory) for task in TASKS}
    second_pass = check_second_pass(read_arrays(directory / SECOND_PASS), directory / SECOND_PASS) \
        if settings.collective else None
    rates = check_rates(read_arrays(directory / ERROR_RATES), directory / ERROR_RATES, settings.quantifier) \
        if settings.quantifier in CORRECTING else ErrorRates.identity(settings.quantifier)
    return Model(share_features(tasks), settings, {**config, "settings": settings.to_dict()}, second_pass, rates)


def save_model(model: Model, directory: Path) -> None:
    """Write the model folder into a temporary sibling, then rename it into place (replacing an older model)."""
    directory = Path(directory)
    check_replaceable(directory)
    for task, linear in model.tasks.items():
        check_classes(task, linear.classes, directory / f"{task}.json")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".saving", dir=directory.parent))
    try:
        write_folder(model, staging)
        staging.chmod(0o755)
        replace_folder(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when the save succeeded


def check_replaceable(directory: Path) -> None:
    """Refuse to save over anything but nothing, an empty folder or a model folder."""
    if not os.path.lexists(directory):
        return
    if directory.is_symlink() or not directory.is_dir():
        raise ModelError(f"{directory}: exists and is not a folder; refusing to replace it with a model")
    if any(directory.iterdir()) and not (directory / CONFIG).is_file():
        raise ModelError(f"{directory}: a folder that is not a model folder (no {CONFIG}); refusing to replace it")


def replace_folder(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an existing ``target`` is renamed aside first and removed after."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    old = new.with_name(new.name.removesuffix(".saving") + ".old")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old)


def write_folder(model: Model, directory: Path) -> None:
    """Every file of the model folder, written into ``directory``."""
    from stance.card import model_card

    config = {"format_version": FORMAT_VERSION, "labels": {t: list(v) for t, v in TASKS.items()},
              **model.config, "settings": model.settings.to_dict()}
    for task, linear in model.tasks.items():
        learned = [block for block in linear.space.blocks if hasattr(block, "idf")]
        write_json(directory / f"{task}.json", {"classes": linear.classes,
                                                "vocabularies": {block.name: list(block.vocabulary) for block in learned}})
        write_arrays(directory / f"{task}.npz", coef=linear.coef, intercept=linear.intercept,
                     **{f"idf__{block.name}": block.idf for block in learned})
    if model.settings.collective:
        second = model.second_pass
        assert second is not None, "a collective model is fitted with its second pass"
        write_arrays(directory / SECOND_PASS, **{f"coef__{t}": second.coef[t] for t in TASKS},
                     **{f"intercept__{t}": second.intercept[t] for t in TASKS})
    if model.settings.quantifier in CORRECTING:
        write_arrays(directory / ERROR_RATES, **{t: np.ascontiguousarray(model.rates.matrices[t]) for t in TASKS})
    write_json(directory / CONFIG, config)
    (directory / CARD).write_text(model_card(config), encoding="utf-8")


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_arrays(path: Path, **arrays: np.ndarray) -> None:
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub reads **kwds as allow_pickle
