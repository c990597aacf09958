"""QR codes for the portal's own URLs: the check-in display's SVG and the certificate's
verification code (drawn into the PDF as rectangles, or as an SVG for the full render).

Encoded by zxing-cpp (C++): a certificate's code takes about 0.2 ms, against 0.6 ms in a
pure-Python encoder, and every claim's render draws one. Error correction M: a printed or
projected code stays readable with a fold or a glare across it.
"""
from collections.abc import Iterator
from html import escape

import zxingcpp


def qr_modules(text: str) -> list[bytes]:
    """The code's rows of modules, without the quiet zone: byte 0 is dark, 255 light."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = bytes(barcode.to_image(scale=1, add_quiet_zones=False))
    size = int(len(image) ** 0.5)
    return [image[row * size:(row + 1) * size] for row in range(size)]


def dark_runs(row: bytes) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row, left to right."""
    column, size = 0, len(row)
    while column < size:
        if row[column] == 0:
            start = column
            while column < size and row[column] == 0:
                column += 1
            yield start, column - start
        else:
            column += 1


def qr_svg(text: str, *, scale: int, border: int, colour: str = "#000",
           title: str = "") -> str:
    """The code as one SVG path, `scale` pixels a module, `border` modules of quiet zone."""
    rows = qr_modules(text)
    side = (len(rows) + 2 * border) * scale
    path = "".join(f"M{start + border} {number + border}h{length}v1h-{length}z"
                   for number, row in enumerate(rows) for start, length in dark_runs(row))
    modules = len(rows) + 2 * border
    named = f' role="img"><title>{escape(title)}</title>' if title else ">"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
            f'viewBox="0 0 {modules} {modules}"{named}'
            f'<path fill="{escape(colour)}" d="{path}"/></svg>')
