"""The README stays true: it starts with the two set-up commands, the first scores the five seeds,
and its Python examples run as written."""

import re
import shlex
import subprocess
import sys

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_readme_starts_with_the_two_set_up_commands():
    score, tests = readme_commands()[:2]
    assert "stance score seeds/" in score and "pytest" in tests
    assert "README.md" in (ROOT / ".ci" / "run").read_text()


def test_the_first_command_prints_the_five_seed_profiles():
    """Its last step, run with this interpreter (the set-up steps are what CI itself runs)."""
    last = shlex.split(readme_commands()[0].split("&&")[-1])
    assert last[0].endswith("stance")
    result = subprocess.run([sys.executable, "-m", "stance", *last[1:]], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    seeds = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        assert seed in result.stdout


def test_the_output_shown_is_what_the_shipped_model_prints():
    """"What the output looks like" shows the real table of `stance score seeds/ --format table`."""
    from typer.testing import CliRunner

    from stance.cli import app

    shown = re.search(r"`stance score seeds/ --format table`.*?```\n(.*?)```", README, re.S)
    result = CliRunner().invoke(app, ["score", str(ROOT / "seeds"), "--format", "table"])
    assert result.exit_code == 0
    assert shown.group(1) == result.stdout


def test_the_python_examples_run_as_written(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    monkeypatch.chdir(ROOT)
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
        assert "profiles" in namespace and len(namespace["profiles"]) >= 1
