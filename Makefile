# The pipeline, step by step: make dev-labels → make model (and model-embeddings) → make experiments; make check before a commit.
PY ?= .venv/bin/python

.PHONY: check test lint dev-labels fresh-labels model model-embeddings experiments bench

check: lint test

test:
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check stance tests experiments
	$(PY) -m mypy -p stance

# Real development set: the git-ignored passes and adjudications (.cache/real_dev) into labels/real_dev/, without text.
dev-labels:
	$(PY) -c "from stance.devset import freeze; print(freeze())"

# The fresh real set, which chooses nothing: the same from .cache/real_fresh into labels/real_fresh/.
fresh-labels:
	$(PY) -c "from stance.devset import FRESH_LABELS, FRESH_TEXTS, freeze; print(freeze(FRESH_TEXTS.parent, FRESH_LABELS))"

# The articles both shipped models leave out: the seventh, eighth and ninth batches (c13–c18, m0xx, m97x and w972),
# measured without a gain.
LEFT_OUT = --exclude c13 --exclude c14 --exclude c15 --exclude c16 --exclude m0 --exclude m97 --exclude w972 --exclude c17 --exclude c18
# The slower second model's settings (the others are the defaults).
EMBEDDINGS_SETTINGS = {"embeddings": 1.0, "encoder": "e5", "speakers": false, "neutral_weight": 1.55}

# The shipped model, from labels/ alone.
model:
	$(PY) -m stance train --labels labels --out stance/models/default $(LEFT_OUT)

# The second shipped model, `--model embeddings` (pip install -e '.[embeddings]' first; about 15 minutes on two cores).
model-embeddings:
	mkdir -p .cache && echo '$(EMBEDDINGS_SETTINGS)' > .cache/embeddings_settings.json
	$(PY) -m stance train --labels labels --out stance/models/embeddings --settings .cache/embeddings_settings.json \
		--name stance-embeddings $(LEFT_OUT)

# What the README reports (the development and fresh texts must be rebuilt in .cache/ first).
experiments:
	$(PY) experiments/headline.py
	$(PY) experiments/real_dev.py
	$(PY) experiments/fresh.py
	$(PY) experiments/batches.py
	$(PY) experiments/learning_curve.py
	$(PY) experiments/label_review.py
	$(PY) experiments/training_noise.py
	$(PY) experiments/training_noise.py --add c13 --add c14 --add c15 --add c16 --add m0
	$(PY) experiments/training_noise.py --add m97 --add w972 --add c17 --add c18
	$(PY) experiments/embeddings.py
	$(PY) experiments/versus_shipped.py '{"C": 2.0}' '{"C": 8.0}'
	$(PY) experiments/versus_shipped.py '{"context_weight": 0.25}' '{"context_weight": 1.0}'
	$(PY) experiments/versus_shipped.py '{"word_ngrams": [1, 3]}' '{"char_ngrams": [3, 6]}'
	$(PY) experiments/versus_shipped.py '{"class_weight": null}'
	$(PY) experiments/versus_shipped.py '{"embeddings": 0.5, "encoder": "use"}' '{"embeddings": 1.0, "encoder": "use"}'
	$(PY) experiments/domains.py
	$(PY) experiments/domains.py --weights
	$(PY) experiments/nested_stance.py
	$(PY) experiments/real_in_training.py
	$(PY) experiments/versus_shipped.py --model embeddings '{"speakers": true, "neutral_weight": 1.25, "stance_without": ["embeddings"]}' \
		'{"speakers": true, "neutral_weight": 1.25, "stance_without": ["embeddings"], "frame_without": ["speakers"]}'
	$(PY) experiments/neutral_weight.py
	$(PY) experiments/second_pass.py
	$(PY) experiments/profiles.py
	$(PY) experiments/profiles.py embeddings
	$(PY) experiments/calibration.py
	$(PY) experiments/solver.py

bench:
	$(PY) experiments/bench_throughput.py --sizes 1000 --speed-articles 2000
