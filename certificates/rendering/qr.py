"""QR codes drawn as vector rectangles on a ReportLab canvas (no raster image)."""

from functools import lru_cache

import segno

QUIET_ZONE_MODULES = 4  # the white margin scanners need, in modules


@lru_cache(maxsize=256)
def qr_rows(data: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Return, for each row of the symbol, the (start, length) of its dark runs."""
    # Level M survives a smudge or a fold in a printed copy and keeps the
    # symbol small enough for a cheap phone camera at arm's length.
    matrix = segno.make_qr(data, error="m", boost_error=False).matrix
    rows = []
    for row in matrix:
        runs = []
        start = None
        for column, dark in enumerate(list(row) + [0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append((start, column - start))
                start = None
        rows.append(tuple(runs))
    return tuple(rows)


def draw_qr(
    canvas, data: str, x: float, y: float, size: float, colour="#000000"
) -> None:
    """Draw a QR code for ``data`` in a ``size`` square whose lower left is (x, y).

    The square includes the quiet zone, painted white.
    """
    rows = qr_rows(data)
    modules = len(rows) + 2 * QUIET_ZONE_MODULES
    module = size / modules
    canvas.saveState()
    canvas.setFillColor("#ffffff")
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colour)
    path = canvas.beginPath()
    top = y + size - QUIET_ZONE_MODULES * module
    left = x + QUIET_ZONE_MODULES * module
    for row_index, runs in enumerate(rows):
        row_y = top - (row_index + 1) * module
        for start, length in runs:
            path.rect(left + start * module, row_y, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
