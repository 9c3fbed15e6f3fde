"""`make review`: the conversation review, from the tracker store.

    .venv/bin/python scripts/review.py [--since YYYY-MM-DD] [--channel rest|socketio|telegram]
                                       [--out var/review]

Reads the store the bot uses (SQLite in BOT_DATA_DIR, or PostgreSQL with
BOT_POSTGRES_URL), so erased and expired conversations are not in it. Writes
`index.html` (offline: charts are embedded PNG images made with matplotlib,
no external request) and `to_label.yml` (the unsure messages in Rasa's NLU
format, crisis messages left out), and prints a short summary. What counts as
what: `counselor/review.py`.
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counselor import review as core  # noqa: E402
from counselor.scoring import load_rubric  # noqa: E402

VERDICT_LABELS = {"good_fit": "COCOK", "partial_fit": "CUKUP COCOK", "poor_fit": "KURANG COCOK"}
GREEN, AMBER, RED, TEAL = "#16a34a", "#d97706", "#dc2626", "#0f766e"


def store_url() -> str:
    postgres = os.environ.get("BOT_POSTGRES_URL", "").strip()
    if postgres:
        return postgres
    data_dir = Path(os.environ.get("BOT_DATA_DIR") or "var/data")
    return f"sqlite:///{(data_dir / 'tracker.db').resolve()}"


def rows(url: str) -> Iterator[core.Row]:
    """The events in id order, streamed (a large store is not loaded at once)."""
    engine = sa.create_engine(url)
    query = sa.text("SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                    "FROM events ORDER BY id")
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(query)
        for row in result:
            yield core.Row(*row)
    engine.dispose()


def chart(draw) -> str:
    """An <img> with a PNG drawn by draw(axes), embedded as data: URI."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7.5, 3.2), dpi=110)
    draw(axes)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f'<img class="chart" alt="" src="data:image/png;base64,{encoded}">'


def per_day_chart(counts: dict, title: str) -> str:
    days = sorted({day for day, _ in counts})
    channels = sorted({channel for _, channel in counts})

    def draw(axes):
        width = 0.8 / max(1, len(channels))
        for index, channel in enumerate(channels):
            axes.bar([d + index * width for d in range(len(days))],
                     [counts.get((day, channel), 0) for day in days], width, label=channel)
        axes.set_xticks([d + 0.4 - width / 2 for d in range(len(days))], days, rotation=30, ha="right")
        axes.set_title(title)
        axes.legend(frameon=False)
    return chart(draw)


def bar_chart(labels, values, title, colors=TEAL, horizontal=False) -> str:
    def draw(axes):
        if horizontal:
            axes.barh(labels[::-1], values[::-1], color=colors)
        else:
            axes.bar(labels, values, color=colors)
            axes.tick_params(axis="x", labelrotation=30)
        axes.set_title(title)
    return chart(draw)


def render(result: core.Review, traits, options: str) -> str:
    e = html.escape
    finished = sum(result.verdicts.values())
    funnel_labels = ["mulai"] + [f"P{k}" for k in range(1, len(traits) + 1)] + ["hasil"]
    funnel_values = [result.started] + result.reached + [finished]
    intents = result.intents.most_common()
    verdicts = [(VERDICT_LABELS.get(k, k), result.verdicts.get(k, 0)) for k in VERDICT_LABELS]
    unsure_rows = "".join(
        f"<tr><td>{e(u.text)}</td><td>{e(u.guess)}</td><td>{u.confidence:.2f}</td><td>{u.count}</td></tr>"
        for u in result.unsure[:200]) or '<tr><td colspan="4">Tidak ada.</td></tr>'
    drop_rows = "".join(f"<tr><td>Pertanyaan {k} ({e(trait)})</td><td>{reached}</td><td>{dropped}</td></tr>"
                        for k, (trait, reached, dropped)
                        in enumerate(zip(traits, result.reached, result.drop_off), start=1))
    charts = [per_day_chart(result.conversations_per_day, "Percakapan per hari dan kanal"),
              per_day_chart(result.messages_per_day, "Pesan pengguna per hari dan kanal")]
    if intents:
        charts.append(bar_chart([i for i, _ in intents], [n for _, n in intents],
                                "Topik yang ditanyakan (intent)", horizontal=True))
    charts.append(bar_chart(funnel_labels, funnel_values, "Corong tes kecocokan"))
    charts.append(bar_chart([v for v, _ in verdicts], [n for _, n in verdicts], "Hasil tes",
                            colors=[GREEN, AMBER, RED]))
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tinjauan percakapan</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #0f172a; }}
h1 {{ color: {TEAL}; }} table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
td, th {{ border-bottom: 1px solid #e2e8f0; padding: .35rem .5rem; text-align: left; vertical-align: top; }}
.chart {{ max-width: 100%; display: block; margin: 1rem 0; }} .rates td:last-child {{ font-weight: 600; }}
</style></head><body>
<h1>Tinjauan percakapan</h1>
<p>Dibuat {e(datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))} dari tracker store{e(options)}.
{result.conversations} percakapan, {result.user_messages} pesan pengguna. Pesan krisis hanya dihitung, isinya tidak ditampilkan.</p>
<table class="rates"><tbody>
<tr><td>Fallback (bot tidak yakin)</td><td>{result.fallback_rate:.1%} ({result.fallbacks})</td></tr>
<tr><td>Klarifikasi "Maksudmu ...?" dijawab "Bukan keduanya"</td><td>{result.two_stage_rate:.1%} dari {result.clarifications}</td></tr>
<tr><td>Pesan krisis</td><td>{result.crisis_rate:.1%} ({result.crisis_messages})</td></tr>
<tr><td>Tes dimulai / selesai dengan hasil</td><td>{result.started} / {finished}</td></tr>
</tbody></table>
{''.join(charts)}
<h2>Berhenti di pertanyaan</h2>
<table><thead><tr><th>Pertanyaan</th><th>Sampai di sini</th><th>Berhenti di sini</th></tr></thead><tbody>{drop_rows}</tbody></table>
<h2>Pesan yang belum dipahami atau kurang yakin</h2>
<p>Juga di <code>to_label.yml</code>: perbaiki labelnya, pindahkan ke <code>data/nlu/</code>, latih ulang, lalu cek set blind.</p>
<table><thead><tr><th>Pesan</th><th>Tebakan</th><th>Keyakinan</th><th>Jumlah</th></tr></thead><tbody>{unsure_rows}</tbody></table>
</body></html>
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", help="only events from this day on (YYYY-MM-DD, UTC)")
    parser.add_argument("--channel", help="only conversations of this channel (rest, socketio, telegram)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "review")
    args = parser.parse_args(argv)
    since = None
    if args.since:
        try:
            since = datetime.strptime(args.since, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            parser.error("--since takes a date as YYYY-MM-DD")
    traits = [trait.trait for trait in load_rubric()]
    try:
        result = core.build(rows(store_url()), traits, since, args.channel)
    except sa.exc.OperationalError as error:
        print(f"Cannot read the tracker store ({error.orig}); is BOT_DATA_DIR / BOT_POSTGRES_URL right?",
              file=sys.stderr)
        return 2
    options = "".join([f", sejak {args.since}" if args.since else "",
                       f", kanal {args.channel}" if args.channel else ""])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "index.html").write_text(render(result, traits, options), encoding="utf-8")
    (args.out / "to_label.yml").write_text(core.to_label_yaml(result.unsure), encoding="utf-8")
    print(core.summary(result))
    print(f"Report: {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
