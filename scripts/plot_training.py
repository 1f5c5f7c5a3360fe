"""Draw the order adapter's training curve as an SVG (no plotting library needed).

    python scripts/plot_training.py [docs/adapter_training.json] [docs/adapter_training.svg]

Training loss per step (grey), its running mean (blue) and the dev set's loss and
exact-match share at each evaluation (orange dots, right axis).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT, MARGIN = 720, 360, 48


def _polyline(points: list[tuple[float, float]], colour: str, width: float = 1.5) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" points="{path}"/>'


def render(run: dict) -> str:
    curve = run["curve"]
    steps = max(point["step"] for point in curve)
    top_loss = max(point["loss"] for point in curve[5:] or curve)

    def x(step: float) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * step / steps

    def y(value: float, top: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * min(value, top) / top

    raw = [(x(p["step"]), y(p["loss"], top_loss)) for p in curve]
    window, smooth = 25, []
    for i in range(len(curve)):
        chunk = curve[max(0, i - window + 1): i + 1]
        smooth.append((x(curve[i]["step"]), y(sum(p["loss"] for p in chunk) / len(chunk),
                                                top_loss)))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
             _polyline(raw, "#bbbbbb", 1.0), _polyline(smooth, "#1f5fbf", 2.0)]
    for point in curve:
        if "dev" in point:
            px = x(point["step"])
            exact = point["dev"]["exact"]
            parts.append(f'<circle cx="{px:.1f}" cy="{y(exact, 1.0):.1f}" r="4" fill="#e07000"/>')
            parts.append(f'<text x="{px - 14:.1f}" y="{y(exact, 1.0) - 8:.1f}" fill="#e07000">'
                         f'{exact:.0%}</text>')
    axis = HEIGHT - MARGIN
    parts += [f'<line x1="{MARGIN}" y1="{axis}" x2="{WIDTH - MARGIN}" y2="{axis}" stroke="black"/>',
              f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{axis}" stroke="black"/>',
              f'<text x="{WIDTH / 2 - 30}" y="{HEIGHT - 12}">step (of {steps})</text>',
              f'<text x="6" y="{MARGIN - 10}">loss (0 to {top_loss:.2f})</text>',
              f'<text x="{WIDTH - 250}" y="{MARGIN - 10}" fill="#e07000">'
              'dev: every branch right (teacher-forced)</text>',
              "</svg>"]
    return "\n".join(parts) + "\n"


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "adapter_training.json"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else source.with_suffix(".svg")
    target.write_text(render(json.loads(source.read_text("utf-8"))), "utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
