"""The report's four charts, drawn with matplotlib's SVG backend and returned as inline SVG text."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np

from stance.schema import FRAMES, STANCES

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib's names of rc settings (3.9 and later)

STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",      # text drawn as shapes: the chart looks the same in every browser
    "svg.hashsalt": "stance-report",  # fixed ids, so the same data gives the same file
    "text.parse_math": False,     # an outlet named "$x$" stays literal text
}
STANCE_ORDER = ("pro_musk", "neutral", "pro_openai")  # left to right, as on the net lean axis
STANCE_NAMES = {"pro_musk": "pro-Musk", "neutral": "neutral", "pro_openai": "pro-OpenAI"}
STANCE_COLORS = {"pro_musk": "#D55E00", "neutral": "#C8C8C8", "pro_openai": "#0072B2"}
LABEL_WIDTH = 34
WIDTH = 8.5
ROW_HEIGHT = 0.42


def charts(report) -> dict[str, str]:
    """Every chart of the report as SVG text, by name."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        return {
            "stance_shares": stance_shares(report.table, report.by),
            "frame_shares": frame_shares(report.table, report.by),
            "net_lean": net_lean(report.table, report.by),
            "crosstab": crosstab(report.crosstab),
        }


def stance_shares(table, by: str) -> str:
    """Stacked horizontal bars: each group's pro-Musk, neutral and pro-OpenAI shares."""
    figure, axes = _figure(len(table))
    rows = np.arange(len(table))
    left = np.zeros(len(table))
    for stance in STANCE_ORDER:
        shares = table[f"stance_{stance}"].to_numpy()
        axes.barh(rows, shares, left=left, color=STANCE_COLORS[stance], edgecolor="white", label=STANCE_NAMES[stance])
        for row, (start, share) in enumerate(zip(left, shares)):
            if share >= 0.08:
                colour = "white" if stance != "neutral" else "black"
                axes.text(start + share / 2, row, f"{share:.0%}", ha="center", va="center", color=colour, fontsize=9)
        left += shares
    _group_axis(axes, table[by], by)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(_percent())
    axes.set_xlabel("Share of sentences (mean probability of each stance)")
    figure.legend(loc="outside upper center", ncols=3, frameon=False)
    return _svg(figure)


def frame_shares(table, by: str) -> str:
    """A heatmap of each group's frame shares, with the share written in every cell."""
    values = table[[f"frame_{frame}" for frame in FRAMES]].to_numpy()
    figure, axes = _figure(len(table))
    _heatmap(figure, axes, values, "Share of the group's sentences")
    axes.set_xticks(range(len(FRAMES)), FRAMES)
    axes.set_xlabel("Frame")
    _group_axis(axes, table[by], by)
    return _svg(figure)


def net_lean(table, by: str) -> str:
    """Each group's net lean as a dot with its 90% interval, most pro-Musk on top, against a zero line."""
    ordered = table.sort_values("net_lean", kind="stable")
    lean = ordered["net_lean"].to_numpy()
    low, high = ordered["net_lean_low"].to_numpy(), ordered["net_lean_high"].to_numpy()
    figure, axes = _figure(len(ordered))
    rows = np.arange(len(ordered))
    axes.axvline(0, color="#555555", linewidth=1, linestyle="--", label="0: as much pro-Musk as pro-OpenAI")
    axes.errorbar(lean, rows, xerr=[lean - low, high - lean], fmt="o", color="#222222", ecolor="#777777",
                  elinewidth=2, capsize=4, markersize=7, label="net lean, with its 90% interval")
    _group_axis(axes, ordered[by], by)
    reach = float(np.nanmax(np.abs(np.r_[low, high, 0.1]))) * 1.15
    axes.set_xlim(-min(reach, 1.05), min(reach, 1.05))
    axes.set_xlabel("Net lean = mean P(pro-OpenAI) − mean P(pro-Musk)\n← more pro-Musk          more pro-OpenAI →")
    figure.legend(loc="outside upper center", ncols=2, frameon=False)
    return _svg(figure)


def crosstab(table) -> str:
    """A heatmap of the corpus's stance × frame shares (all cells sum to 100%)."""
    figure, axes = _figure(len(STANCES), width=7.5)
    _heatmap(figure, axes, table.loc[list(STANCE_ORDER), list(FRAMES)].to_numpy(), "Share of all sentences")
    axes.set_xticks(range(len(FRAMES)), FRAMES)
    axes.set_yticks(range(len(STANCE_ORDER)), [STANCE_NAMES[s] for s in STANCE_ORDER])
    axes.set_xlabel("Frame")
    axes.set_ylabel("Stance")
    return _svg(figure)


def _figure(rows: int, width: float = WIDTH):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, 1.9 + ROW_HEIGHT * max(rows, 2)), layout="constrained")
    return figure, figure.add_subplot()


def _group_axis(axes, names, by: str) -> None:
    """Groups listed from the top, one tick each, long names shortened."""
    axes.set_yticks(range(len(names)), [_shorten(str(n)) for n in names])
    axes.set_ylim(len(names) - 0.5, -0.5)
    axes.set_ylabel(by)


def _heatmap(figure, axes, values: np.ndarray, legend: str) -> None:
    top = max(float(values.max()), 0.01)
    image = axes.imshow(values, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        axes.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=10,
                  color="white" if value > 0.6 * top else "black")
    axes.spines[:].set_visible(False)
    axes.tick_params(length=0)
    figure.colorbar(image, ax=axes, label=legend, format=_percent(), shrink=0.9)


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def _shorten(name: str) -> str:
    """Long names cut in the middle, so names that differ only at the end stay apart."""
    if len(name) <= LABEL_WIDTH:
        return name
    head = (LABEL_WIDTH - 1) // 2
    return name[:head] + "…" + name[len(name) - (LABEL_WIDTH - 1 - head):]


def _svg(figure) -> str:
    """The figure as an <svg> element for inlining (no XML prolog), identical for identical data."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]
