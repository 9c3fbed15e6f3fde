"""The verdict's trait scores as a PNG bar chart (for Telegram's sendPhoto).

The same bars and colours as the web page (web/widget.css): green for 4-5,
amber for 3, red for 1-2, on a 0-5 track. Rendered with matplotlib (installed
with Rasa) on the Agg backend, so no display is needed.
"""
from __future__ import annotations

import io
from typing import Sequence, Tuple

COLOURS = {5: "#16a34a", 4: "#16a34a", 3: "#ca8a04", 2: "#dc2626", 1: "#dc2626"}  # widget.css
TRACK = "#e2e8f0"
TITLE = "Rincian jawabanmu (skala 1–5)"


def render_png(bars: Sequence[Tuple[str, int]]) -> bytes:
    """PNG bytes of one horizontal bar per (label, score 1-5), in the given order.

    Raises ValueError for no bars or a score outside 1-5."""
    if not bars or any(not 1 <= score <= 5 for _, score in bars):
        raise ValueError("need at least one (label, score 1-5)")
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [label for label, _ in bars][::-1]
    scores = [score for _, score in bars][::-1]
    figure, axes = pyplot.subplots(figsize=(6.4, 0.5 * len(bars) + 1.0), dpi=120)
    axes.barh(labels, [5] * len(bars), color=TRACK, height=0.55)
    axes.barh(labels, scores, color=[COLOURS[s] for s in scores], height=0.55)
    for y, score in enumerate(scores):
        axes.text(5.1, y, f"{score}/5", va="center", fontsize=10)
    axes.set_xlim(0, 5.6)
    axes.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    axes.set_title(TITLE, loc="left", fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()
