"""The label sets and output columns, named once for the whole package."""

STANCES = ("pro_musk", "pro_openai", "neutral")
FRAMES = ("ideology", "money", "law", "geopolitics", "none")
LENSES = FRAMES[:-1]
TASKS = {"stance": STANCES, "frame": FRAMES}
PROVENANCES = ("seed", "written", "modelled", "counterfactual", "imported", "real_dev")

SENTENCE_KEYS = ("article", "sentence", "start", "end", "text")
LABEL_COLUMNS = SENTENCE_KEYS + ("stance", "frame", "provenance", "annotator")
PROBA_COLUMNS = tuple(f"p_{task}_{label}" for task, labels in TASKS.items() for label in labels)
SENTENCE_COLUMNS = SENTENCE_KEYS + ("stance", "frame") + PROBA_COLUMNS
STATUS_COLUMNS = ("warning", "error")
SHARE_COLUMNS = tuple(f"{task}_{label}" for task, labels in TASKS.items() for label in labels)
SHARE_INTERVAL_COLUMNS = tuple(f"{share}_{end}" for share in SHARE_COLUMNS for end in ("low", "high"))
PROFILE_COLUMNS = (
    ("article", "sentences")
    + SHARE_COLUMNS
    + ("net_lean", "net_lean_low", "net_lean_high", "dominant_frame")
    + SHARE_INTERVAL_COLUMNS
)
CROSS_COLUMNS = tuple(f"cross_{stance}_{frame}" for stance in STANCES for frame in FRAMES)
OUTPUT_COLUMNS = frozenset(SENTENCE_COLUMNS + PROFILE_COLUMNS + CROSS_COLUMNS + STATUS_COLUMNS)
OUTPUT_PREFIXES = ("p_", "cross_")  # computed columns of any label set
INTEGER_COLUMNS = frozenset(("sentence", "start", "end", "sentences"))
NUMBER_COLUMNS = frozenset(
    PROBA_COLUMNS + SHARE_COLUMNS + SHARE_INTERVAL_COLUMNS + ("net_lean", "net_lean_low", "net_lean_high") + CROSS_COLUMNS)
