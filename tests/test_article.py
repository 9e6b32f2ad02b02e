from typer.testing import CliRunner

from stance.cli import app
from tests.conftest import TINY_ARTICLES


def show(*args):
    return CliRunner().invoke(app, ["show", *map(str, args)])


def test_several_articles_need_an_id_and_the_id_picks_one(tmp_path, tiny_model):
    for name, (text, _) in TINY_ARTICLES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = show(tmp_path, "-m", tiny_model)
    assert result.exit_code == 1 and result.output.count("Error:") == 1 and "--id" in result.output
    result = show(tmp_path, "--id", "t2_pro_openai", "-m", tiny_model)
    assert result.exit_code == 0 and "<h1>t2_pro_openai</h1>" in result.stdout
    assert show(tmp_path, "--id", "nope", "-m", tiny_model).exit_code == 1


def test_hostile_text_is_escaped_and_every_sentence_is_shown(tmp_path, tiny_model):
    text = tmp_path / "a.txt"
    text.write_text('Titre\n<img src=x onerror="alert(1)"> Musk & OpenAI : « non ». Fin du texte.', encoding="utf-8")
    page = show(text, "-m", tiny_model).stdout
    assert "<img" not in page and "&lt;img src=x" in page and "&amp; OpenAI" in page
    assert page.count('class="s ') == 3 + 3  # three sentences, three key entries
    assert "net lean" in page and "90% interval" in page
