"""Checks the browser tooling without a ScarTrack server.

    python3 Tests/browser/selfcheck.py --artifacts test-artifacts

Starts headless Chromium through chromedriver (Debian packages), loads a
data: URL, checks the DOM, and saves full-page and tablet screenshots. Used by
`SCARTRACK_TEST_ONLY=browsercheck scripts/test` to tell "the machine cannot
run browsers" apart from "the app is broken".
"""

import argparse
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

# Taller than the window, so the full-page screenshot has something to prove.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>selfcheck</title></head>
<body style="font-family: sans-serif; margin: 0">
<h1 id="title">ScarTrack browser self-check</h1>
<div style="height: 2000px; background: linear-gradient(#e0f0ff, #204060)"></div>
<p id="bottom">bottom of page</p>
</body></html>"""


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    harness.check(header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", default="test-artifacts")
    args = parser.parse_args()
    artifacts = Path(args.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)

    url = "data:text/html;charset=utf-8," + urllib.parse.quote(PAGE)
    for (width, height), name in ((harness.DESKTOP, "selfcheck.png"),
                                  (harness.TABLET, "selfcheck-tablet.png")):
        driver = harness.new_chromium(width, height)
        try:
            driver.get(url)
            title = driver.find_element("id", "title").text
            harness.check(title == "ScarTrack browser self-check", f"unexpected heading {title!r}")
            path = harness.save_screenshot(driver, artifacts / name)
            shot_width, shot_height = png_size(path)
            harness.check(shot_height > 2000, f"{name} is {shot_height}px tall; full-page capture failed")
            print(f"ok {name}: {shot_width}x{shot_height} "
                  f"({driver.capabilities.get('browserVersion', '?')} headless)")
        finally:
            driver.quit()
    print("browser self-check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
