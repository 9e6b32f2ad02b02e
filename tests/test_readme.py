"""The README's set-up commands stay true: the first one scores the five seeds."""

import re
import subprocess

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_readme_starts_with_the_two_set_up_commands():
    score, tests = readme_commands()[:2]
    assert "stance score seeds/" in score and "pytest" in tests
    assert "pytest" in (ROOT / ".ci" / "run").read_text() or "README.md" in (ROOT / ".ci" / "run").read_text()


def test_the_first_command_prints_the_five_seed_profiles():
    score = readme_commands()[0]
    result = subprocess.run(["bash", "-c", score], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    seeds = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        assert seed in result.stdout
