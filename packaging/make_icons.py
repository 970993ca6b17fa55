"""Render the app icon SVG to PNGs (hicolor sizes), a Windows .ico and a macOS .icns.

Run it after editing the SVG; the outputs are committed so a build needs no SVG renderer::

    python packaging/make_icons.py

It uses ``rsvg-convert`` (Debian: librsvg2-bin) when present, else Qt's SVG renderer.
It also copies the SVG to ``resources/icons/service-atlas.svg`` for the app's window icon.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

__all__ = [
    "APP_ID",
    "ICNS",
    "ICO",
    "SIZES",
    "SVG",
    "RenderError",
    "icns_bytes",
    "ico_bytes",
    "main",
    "png_path",
    "render",
]

APP_ID = "io.github.serviceatlas.ServiceAtlas"
HERE = Path(__file__).resolve().parent
ICONS = HERE / "icons"
SVG = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
ICO = ICONS / "service-atlas.ico"
ICNS = ICONS / "service-atlas.icns"
APP_SVG = HERE.parent / "resources" / "icons" / "service-atlas.svg"

#: The hicolor theme sizes shipped as PNG.
SIZES = (16, 32, 48, 64, 128, 256, 512)

# Windows shows at most 256 px from an .ico; PNG-compressed entries are allowed since Vista.
_ICO_SIZES = (16, 32, 48, 64, 128, 256)
# macOS icon types whose payload may be a PNG, by pixel size.
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


class RenderError(Exception):
    """No SVG renderer is available, or it failed."""


def png_path(size: int) -> Path:
    """Where the ``size`` px PNG lives, laid out like the hicolor icon theme."""
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def _render_rsvg(svg: Path, size: int) -> bytes:
    cmd = ["rsvg-convert", "-w", str(size), "-h", str(size), str(svg)]
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode != 0:
        raise RenderError(f"rsvg-convert failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def _render_qt(svg: Path, size: int) -> bytes:
    try:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
        from PySide6.QtGui import QGuiApplication, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
    except ImportError as exc:
        raise RenderError(f"install librsvg2-bin (rsvg-convert) or PySide6: {exc}") from None
    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def render(svg: Path, size: int) -> bytes:
    """The SVG rendered as a ``size`` x ``size`` PNG."""
    if shutil.which("rsvg-convert"):
        return _render_rsvg(svg, size)
    return _render_qt(svg, size)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding the given PNGs (size -> PNG bytes), smallest first.

    Examples
    --------
    >>> ico_bytes({16: b"png16"})[:6]
    b'\\x00\\x00\\x01\\x00\\x01\\x00'
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        # Width and height are one byte each; 0 means 256.
        side = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the given PNGs (size -> PNG bytes) for the sizes macOS knows.

    Examples
    --------
    >>> icns_bytes({16: b"png16"})[:4], icns_bytes({16: b"png16"})[8:12]
    (b'icns', b'icp4')
    """
    chunks = [
        _ICNS_TYPES[size] + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for size in sorted(pngs)
        if size in _ICNS_TYPES
    ]
    body = b"".join(chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    """Write every PNG size, the .ico, the .icns and the app's copy of the SVG."""
    del argv  # no options; the signature matches other entry points
    try:
        pngs = {size: render(SVG, size) for size in SIZES}
    except RenderError as exc:
        print(f"make_icons: error: {exc}", file=sys.stderr)
        return 1
    for size, data in pngs.items():
        png_path(size).parent.mkdir(parents=True, exist_ok=True)
        png_path(size).write_bytes(data)
    ICO.write_bytes(ico_bytes({s: pngs[s] for s in _ICO_SIZES}))
    ICNS.write_bytes(icns_bytes(pngs))
    APP_SVG.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, APP_SVG)
    print(f"wrote {len(pngs)} PNGs, {ICO.name}, {ICNS.name} and {APP_SVG.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
