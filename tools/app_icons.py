"""Draw the installed app's icons from the portal's mark (static/img/favicon.svg: a white cross
on the portal blue, 32 units square), so the home-screen icon, the splash screen and the browser
tab show one mark. The PNGs are committed; run this again only when the mark changes:

    .venv/bin/python tools/app_icons.py

"any" icons keep the SVG's rounded square; the maskable one fills the square with blue and keeps
the cross inside the 80 % safe zone Android's masks (circle, squircle) never cut. iOS uses
static/img/apple-touch-icon.png (180 px, opaque), linked from every page.
"""
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = "#1a4f8b"
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "app"
# The cross of favicon.svg: M12 6h8v6h6v8h-6v6h-8v-6H6v-8h6z, on a 32-unit grid.
CROSS = [(12, 6), (20, 6), (20, 12), (26, 12), (26, 20), (20, 20), (20, 26), (12, 26),
         (12, 20), (6, 20), (6, 12), (12, 12)]
SUPERSAMPLE = 4  # drawn large and scaled down, for smooth edges


def _icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BLUE)
        scale, offset = big * 0.6 / 32, big * 0.2  # the mark in the middle 60 %
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 7 / 32, fill=BLUE)
        scale, offset = big / 32, 0
    draw.polygon([(offset + x * scale, offset + y * scale) for x, y in CROSS], fill="white")
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        _icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        _icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
