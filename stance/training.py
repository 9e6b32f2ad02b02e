"""Training the shipped model from a label directory, reproducibly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from stance.model.settings import Settings

if TYPE_CHECKING:
    from stance.model import Model


def library_versions(settings: Settings) -> dict:
    """Versions of the libraries a saved model depends on (the sentence encoder's when it reads embeddings)."""
    from importlib.metadata import version

    from stance.encoder import ENCODERS

    encoder = (ENCODERS[settings.encoder].package,) if settings.embeddings else ()
    names = ("stance", "scikit-learn", "numpy", "scipy", "spacy") + encoder
    return {name: version(name) for name in names}


def read_settings(path: Path) -> Settings:
    """Settings from a JSON file holding an object of settings (missing keys take the shipped defaults)."""
    from stance.model.reading import ModelError, read_json
    from stance.model.validate import check_encoder

    try:
        settings = Settings.from_dict(read_json(Path(path), limit=2**20))
    except ModelError:
        raise
    except ValueError as error:
        raise ModelError(f"{path}: {error}") from None
    return check_encoder(settings, path)


def trained_on(model: Model, labels_dir: Path):
    """The gold labels of ``labels_dir`` that ``model`` was trained on (its card's left-out articles left out)."""
    from stance.annotation.labels import training_gold

    return training_gold(labels_dir, model.config.get("training", {}).get("excluded", ()))


def train(labels_dir: Path, out: Path, settings: Settings | None = None, evaluate_model: bool = True,
          name: str = "stance-default", exclude: Sequence[str] = ()) -> dict:
    """Fit both classifiers on the gold labels (without the articles whose ids start with a prefix in
    ``exclude``), evaluate them, save the folder; returns its config."""
    from stance.evaluate import evaluate_gold, fit_labels
    from stance.annotation.labels import labels_hash, training_gold
    from stance.model import save_model

    gold = training_gold(labels_dir, exclude)
    settings = settings or Settings()
    model = fit_labels(gold, settings)
    metrics = {}
    if evaluate_model:
        metrics["grouped_cv"] = evaluate_gold(gold, settings, where=str(labels_dir))
        if gold["provenance"].nunique() > 1 and (gold["provenance"] == "seed").any():
            metrics["seed_holdout"] = evaluate_gold(gold, settings, holdout="seed", where=str(labels_dir))
    model.config.update(
        name=name,
        training={
            "labels_hash": labels_hash(gold),
            "sentences": len(gold),
            "articles": int(gold["article"].nunique()),
            "provenance": gold["provenance"].value_counts().sort_index().to_dict(),
            **({"excluded": sorted(set(exclude))} if exclude else {}),
        },
        versions=library_versions(settings),
        metrics=metrics,
    )
    save_model(model, out)
    return model.config
