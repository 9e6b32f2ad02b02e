"""What the shipped model has learnt: the most heavily weighted features of each label.

    python experiments/top_features.py

Writes experiments/results/top_features.csv (15 features per label and task, weights relative to
the mean over labels) and prints the top five of each label.
"""


from stance.explain import top_features
from stance.model import load_model
from stance.paths import RESULTS



def main() -> None:
    table = top_features(load_model(), n=15)
    RESULTS.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS / "top_features.csv", index=False)
    for (task, label), group in table.groupby(["task", "label"], sort=False):
        print(f"{task} {label}: " + ", ".join(group["feature"].head(5)))


if __name__ == "__main__":
    main()
