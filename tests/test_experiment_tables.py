"""experiments/tables.py: the rows that several experiment scripts write alike."""

import sys

import pandas as pd

from stance.paths import ROOT
from stance.schema import TASKS

sys.path.append(str(ROOT / "experiments"))  # after the installed packages: its scripts are plain module names
import tables  # noqa: E402

TRUTH = {"stance": ["pro_musk", "pro_openai", "neutral"] * 4, "frame": ["ideology", "money", "law", "geopolitics"] * 3}
WRONG = {"stance": ["pro_openai", "neutral", "pro_musk"] * 4, "frame": ["money", "law", "geopolitics", "ideology"] * 3}


def test_a_delta_row_per_task_with_dev_seeds_and_pooled_cells():
    pooled = pd.DataFrame({"article": ["a"] * 6 + ["b"] * 3 + ["c"] * 3, **TRUTH})
    rows = tables.delta_rows("perfect", pooled, 6, WRONG, TRUTH)
    cell = "+1.000 (+1.000 to +1.000)"
    assert rows == [f"| perfect | {task} | {cell} | {cell} | {cell} |" for task in TASKS]
    assert tables.delta_rows("worse", pooled, 6, TRUTH, WRONG)[0].startswith("| worse | stance | -1.000 (-1.000 to -1.000) |")


def test_class_f1_lists_every_class_of_both_tasks_in_order():
    metrics = {task: {"per_label": {label: {"f1": 0.5 if label == "law" else 1.0} for label in labels}}
               for task, labels in TASKS.items()}
    assert tables.class_f1(metrics) == ("pro_musk 1.00; pro_openai 1.00; neutral 1.00; ideology 1.00; money 1.00; "
                                        "law 0.50; geopolitics 1.00; none 1.00")


def test_a_training_row_scores_the_development_set_then_the_seeds_with_the_dev_classes():
    dev, seeds = pd.DataFrame(TRUTH), pd.DataFrame(TRUTH)
    right = {task: pd.Series(labels).to_numpy() for task, labels in TRUTH.items()}
    wrong = {task: pd.Series(labels).to_numpy() for task, labels in WRONG.items()}
    row = tables.training_row(["+ a batch", 120], dev, seeds, right, wrong)
    assert row.startswith("| + a batch | 120 | 1.000 | 1.000 | 0.000 | 0.000 | pro_musk 1.00; ")
    assert row.endswith("geopolitics 1.00; none 0.00 |")  # none is absent from TRUTH: F1 0 in the class list
    assert tables.training_row(["reviewed"], dev, seeds, wrong, right).startswith("| reviewed | 0.000 | 0.000 | 1.000 |")
    with_cv = tables.training_row(["shipped"], dev, seeds, right, wrong, after=["0.750", "0.820", "2,400"])
    assert with_cv.startswith("| shipped | 1.000 | 1.000 | 0.000 | 0.000 | 0.750 | 0.820 | 2,400 | pro_musk 1.00; ")


def test_an_interval_is_signed_to_three_places():
    assert tables.interval_text((0.0124, -0.0031, 0.0266)) == "+0.012 (-0.003 to +0.027)"


def test_a_report_is_written_to_the_results_folder_and_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tables, "RESULTS", tmp_path / "results")
    tables.write_markdown("x.md", ["# X", "", "| a |"])
    assert (tmp_path / "results" / "x.md").read_text(encoding="utf-8") == "# X\n\n| a |\n"
    assert capsys.readouterr().out == "# X\n\n| a |\n"


def test_variant_tables_score_every_variant_and_pair_the_others_with_the_shipped_one():
    dev = pd.DataFrame({"article": ["a"] * 6 + ["b"] * 6, **TRUTH})
    seeds = dev.copy()
    as_arrays = {task: pd.Series(labels).to_numpy() for task, labels in TRUTH.items()}
    wrong = {task: pd.Series(labels).to_numpy() for task, labels in WRONG.items()}
    lines = tables.variant_tables({"shipped": {"dev": wrong, "seeds": wrong},
                                   "better": {"dev": as_arrays, "seeds": as_arrays}}, dev, seeds)
    blank = lines.index("")
    assert lines[2].startswith("| shipped | 0.000 |") and lines[3].startswith("| better | 1.000 | 1.000 | 1.000 | 1.000 |")
    assert blank == 4 and lines[blank + 1].startswith("| variant | task | Δ dev |")
    cell = "+1.000 (+1.000 to +1.000)"
    assert lines[blank + 3:] == [f"| better | {task} | {cell} | {cell} | {cell} |" for task in TASKS]
