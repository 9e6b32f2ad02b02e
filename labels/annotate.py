"""The annotators' tool for the project's own label files.

    python labels/annotate.py template TEXT OUT.csv --annotator NAME [--provenance written]
    python labels/annotate.py fill OUT.csv < decisions.txt     # lines: INDEX STANCE FRAME
    python labels/annotate.py check OUT.csv TEXT
    python labels/annotate.py realign OUT.csv TEXT      # after a splitter change

``template`` cuts the article into sentences exactly as the model will; ``fill`` writes the
annotator's decisions (one line per sentence, typed by the annotator) into the file; ``check``
fails loudly on a missing, unknown or misplaced label. ``realign`` re-cuts the article with the
current splitter and carries each label over to the same sentence; it refuses when the number of
sentences changed or a sentence changed by more than the quote marks and brackets at its edges.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stance.labels import LabelError, check_rows, read_rows, template_rows, write_rows
from stance.sentences import OPENERS, split


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    template = sub.add_parser("template")
    template.add_argument("text", type=Path)
    template.add_argument("out", type=Path)
    template.add_argument("--annotator", required=True)
    template.add_argument("--provenance", default="written")
    fill = sub.add_parser("fill")
    fill.add_argument("out", type=Path)
    check = sub.add_parser("check")
    check.add_argument("out", type=Path)
    check.add_argument("text", type=Path)
    realign = sub.add_parser("realign")
    realign.add_argument("out", type=Path)
    realign.add_argument("text", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "template":
            text = args.text.read_text(encoding="utf-8")
            rows = template_rows(args.text.stem, text, args.provenance, args.annotator)
            write_rows(args.out, rows)
            for row in rows:
                print(f"{row['sentence']}\t{row['text']}")
        elif args.command == "fill":
            rows = read_rows(args.out)
            for line in sys.stdin:
                if line.strip():
                    index, stance, frame = line.split()
                    rows[int(index)].update(stance=stance, frame=frame)
            write_rows(args.out, rows)
        elif args.command == "realign":
            realign_rows(args.out, args.text.read_text(encoding="utf-8"))
        else:
            check_rows(read_rows(args.out), args.text.read_text(encoding="utf-8"), str(args.out))
            unlabelled = [r["sentence"] for r in read_rows(args.out) if not r["stance"]]
            if unlabelled:
                raise LabelError(f"{args.out}: sentences without labels: {unlabelled}")
            print(f"{args.out}: ok")
    except (LabelError, OSError, ValueError, IndexError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


def realign_rows(path: Path, text: str) -> None:
    """Move a label file's offsets to the current splitter's cut, keeping every label."""
    rows = read_rows(path)
    spans = split(text)
    if len(spans) != len(rows):
        raise LabelError(f"{path}: {len(rows)} labelled sentences but the splitter now cuts {len(spans)}")
    moved = 0
    for row, (start, end) in zip(rows, spans):
        if row["text"].strip(EDGES) != text[start:end].strip(EDGES):
            raise LabelError(f"{path}, sentence {row['sentence']}: the cut moved more than quote marks")
        moved += (row["start"], row["end"]) != (start, end)
        row.update(start=start, end=end, text=text[start:end])
    write_rows(path, rows)
    print(f"{path}: {moved} sentences realigned")


EDGES = OPENERS + " \t"


if __name__ == "__main__":
    sys.exit(main())
