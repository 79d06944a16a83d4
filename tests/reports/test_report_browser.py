"""The HTML reports in a real browser: headless Chromium renders them to a DOM and a screenshot.

Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); the test fails,
not skips, without it, so CI cannot pass by silently not looking. Each run has a 60 s timeout
and its own profile directory, and the process group it started is killed afterwards, so no
renderer outlives a test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import subprocess
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import coach
from coach.reports.html import result_html, session_html
from coach.session import SessionRecord
from tests.reports.support import turn

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1200, 2000
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
GREEN = (0x2D, 0xA4, 0x4E)  # a full criterion bar (coach.reports.svg.bar_color)
ANSWER = (
    "去年6月，一位客户打电话投诉扣款两次，情绪激动。我先耐心听他把话说完，向他道歉。"
    "接着我核实了还款记录，提交冲正申请退款。第二天我回电告知结果，客户很满意。"
)


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium "
            "(apt-get update && apt-get install -y chromium) to run the browser tests"
        )
    return CHROMIUM


def _run(chromium: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run in its own session; whatever it leaves behind is killed."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [str(chromium), *FLAGS, f"--user-data-dir={profile}", *args]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"chromium timed out after 60 s: {err[-2000:]}")
    finally:
        with contextlib.suppress(ProcessLookupError):  # renderers that outlived the browser
            os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def _screenshot(chromium: Path, tmp_path: Path, page: Path) -> Path:
    png = page.with_suffix(".png")
    done = _run(
        chromium,
        tmp_path,
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.exists(), done.stderr[-2000:]
    return png


def _pixels(png: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit, non-interlaced PNG (no Pillow)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, prev, step)
        rows.append(bytes(line))
        prev = line
    return width, height, [row[0::step] + row[1::step] + row[2::step] for row in rows]


def _unfilter(kind: int, line: bytearray, prev: bytearray, step: int) -> None:
    """Undo one row's PNG filter in place (0 none, 1 sub, 2 up, 3 average, 4 Paeth)."""
    if kind == 2:
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        return
    for i in range(len(line) if kind else 0):
        left = line[i - step] if i >= step else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + prev[i]) // 2) & 0xFF
        else:
            up, corner = prev[i], prev[i - step] if i >= step else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + guess) & 0xFF


def _census(png: Path) -> tuple[float, int]:
    """Share of non-white pixels, and how many pixels have the full-bar green."""
    width, _, planes = _pixels(png)
    inked = green = 0
    for plane in planes[::4]:  # every fourth row is plenty
        r, g, b = plane[:width], plane[width : 2 * width], plane[2 * width :]
        for x in range(width):
            inked += r[x] < 235 or g[x] < 235 or b[x] < 235
            green += abs(r[x] - GREEN[0]) + abs(g[x] - GREEN[1]) + abs(b[x] - GREEN[2]) < 30
    return inked / (width * len(planes[::4])), green


def _session() -> SessionRecord:
    bank = coach.load_bank("account-manager")
    question = bank.question("b1")
    start = datetime(2025, 3, 1, 9, 30)
    first = turn(1, question, ANSWER, coach.grade_offline(bank, question, ANSWER), start)
    return SessionRecord(
        id="browser", started_at=start, bank_ids=[bank.id], method="keyword", turns=[first]
    )


def test_png_reader_rejects_a_blank_page(chromium: Path, tmp_path: Path) -> None:
    """The non-blank check can fail: an empty white page has no ink and no bars."""
    page = tmp_path / "blank.html"
    page.write_text('<!DOCTYPE html><html><body style="background:#fff"></body></html>')
    png = _screenshot(chromium, tmp_path, page)
    width, height, _ = _pixels(png)
    assert (width, height) == (WIDTH, HEIGHT)
    assert _census(png) == (0.0, 0)


def test_result_report_renders(chromium: Path, tmp_path: Path) -> None:
    result = coach.grade_offline("account-manager", "b1", ANSWER)
    page = tmp_path / "result.html"
    page.write_text(result_html(result, prompt="请分享一次处理投诉的经历", answer=ANSWER), "utf-8")
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert f"{result.score:g} / {result.max_score:g}" in dom.stdout
    assert "<svg" in dom.stdout and dom.stdout.count('class="bar"') == len(result.criteria)
    assert "倾听与安抚情绪" in dom.stdout  # UTF-8 read as UTF-8
    png = _screenshot(chromium, tmp_path, page)
    assert _pixels(png)[:2] == (WIDTH, HEIGHT)
    assert png.stat().st_size > 20_000
    ink, green = _census(png)
    assert ink > 0.02, ink  # text, cards and tables, not a blank page
    assert green > 500, green  # the full criterion bars were drawn


def test_session_report_renders(chromium: Path, tmp_path: Path) -> None:
    session = _session()
    start = session.started_at
    history = [(start - timedelta(days=d), p) for d, p in ((6, 30.0), (3, 52.0), (0, 70.0))]
    page = tmp_path / "session.html"
    page.write_text(session_html(session, history=history), "utf-8")
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert f"{session.score:g} / {session.max_score:g}" in dom.stdout
    assert dom.stdout.count("<svg") == 3  # competencies, progress, the one grade
    assert dom.stdout.count('class="point"') == len(history)
    png = _screenshot(chromium, tmp_path, page)
    assert _pixels(png)[:2] == (WIDTH, HEIGHT)
    ink, green = _census(png)
    assert ink > 0.02 and green > 500, (ink, green)
