"""Shared fixtures: a tiny label directory written in tmp_path, and a model trained on it."""

from pathlib import Path

import pytest

from stance.annotation.labels import MANIFEST_COLUMNS, write_rows
from stance.annotation.tool import template_rows

ROOT = Path(__file__).resolve().parent.parent

# Three small articles written for the tests, with one label per sentence.
TINY_ARTICLES = {
    "t1_pro_musk": (
        "Tribune\nMusk a raison : OpenAI a trahi sa mission et sert Microsoft. "
        "La justice doit protéger le but non lucratif. Bravo Elon !",
        [("neutral", "none"), ("pro_musk", "ideology"), ("pro_musk", "law"), ("pro_musk", "none")],
    ),
    "t2_pro_openai": (
        "Analyse\nL'offre de Musk est un coup de com pour freiner un concurrent. "
        "Le conseil a eu raison de refuser 97,4 milliards. Stargate place l'Amérique devant la Chine.",
        [("neutral", "none"), ("pro_openai", "money"), ("pro_openai", "money"), ("pro_openai", "geopolitics")],
    ),
    "t3_neutral": (
        "Dépêche\nMusk a proposé 97,4 milliards de dollars pour racheter OpenAI. "
        "Le procès est prévu au printemps 2026. Macron annonce 109 milliards d'euros pour l'IA en France.",
        [("neutral", "none"), ("neutral", "money"), ("neutral", "law"), ("neutral", "geopolitics")],
    ),
}


def write_label_dir(directory: Path, articles: dict = TINY_ARTICLES) -> Path:
    """A label directory with its manifest, article texts and gold files."""
    import csv

    (directory / "written").mkdir(parents=True, exist_ok=True)
    manifest = []
    for article, (text, labels) in articles.items():
        (directory / "written" / f"{article}.txt").write_text(text, encoding="utf-8")
        rows = template_rows(article, text, "written", "tests")
        assert len(rows) == len(labels), f"{article}: {len(rows)} sentences for {len(labels)} labels"
        for row, (stance, frame) in zip(rows, labels):
            row.update(stance=stance, frame=frame)
        write_rows(directory / "gold" / f"{article}.csv", rows)
        manifest.append(dict(article=article, provenance="written", path=f"written/{article}.txt",
                             register="test", written_by="tests", note=""))
    with open(directory / "articles.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(manifest)
    return directory


@pytest.fixture
def label_dir(tmp_path) -> Path:
    return write_label_dir(tmp_path / "labels")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A model folder trained on the tiny label directory (no evaluation, to stay fast).

    It has the shipped settings (second pass included) except the quantifier: error rates measured
    out of fold on twelve sentences would make every interval nearly [−1, 1], so shares are mean
    probabilities here (tests/test_quantify.py tests the correction).
    """
    from stance.model import Settings
    from stance.training import train

    base = tmp_path_factory.mktemp("tiny")
    out = base / "model"
    train(write_label_dir(base / "labels"), out, Settings(quantifier="pcc"), evaluate_model=False,
          name="tiny-test-model")
    return out


def one_error(result, code: int = 1) -> str:
    """The single ``Error: …`` line of a failed command run in process (exit ``code``, no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def interrupted_score(monkeypatch, *args) -> None:
    """Run ``stance score ARGS`` in process and stop it with Ctrl-C at the third batch of two documents."""
    from typer.testing import CliRunner

    from stance import scoring
    from stance.cli import app

    real, calls = scoring.score_batch, []

    def stopping(batch, model):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(batch, model)

    monkeypatch.setattr(scoring, "BATCH_DOCUMENTS", 2)
    monkeypatch.setattr(scoring, "score_batch", stopping)
    CliRunner().invoke(app, ["score", *map(str, args)])
    monkeypatch.setattr(scoring, "score_batch", real)
