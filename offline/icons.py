"""Draws the web-app icons (our own, no third-party asset): ``python -m offline.icons`` writes
static/offline/icon-<size>.png for each size the manifest names."""

from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (192, 512)


def draw(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), "#b3261e")
    pen = ImageDraw.Draw(image)
    step = size // 4
    for i in range(1, 4):  # the three-tier grid
        pen.line([(i * step, step // 2), (i * step, size - step // 2)], fill="#ffffff", width=max(2, size // 48))
        pen.line([(step // 2, i * step), (size - step // 2, i * step)], fill="#ffffff", width=max(2, size // 48))
    r = size // 7
    pen.ellipse([size // 2 - r, size // 2 - r, size // 2 + r, size // 2 + r], fill="#ffd54f")
    return image


if __name__ == "__main__":
    folder = Path(__file__).resolve().parent.parent / "static" / "offline"
    for size in SIZES:
        draw(size).save(folder / f"icon-{size}.png", optimize=True)
