"""The demo report in headless Chromium with the network blocked."""

from __future__ import annotations

import pytest

from .conftest import remote_requests

CANVAS_INK = """() => {
  const c = document.querySelector('canvas');
  if (!c) return -1;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
  return n;
}"""


def _graph_frames(page):
    return [f for f in page.frames if f != page.main_frame]


@pytest.mark.slow
def test_demo_report_offline_no_errors_graphs_drawn(demo_report, offline_page, artifacts):
    page = offline_page
    page.goto(demo_report.as_uri())
    page.wait_for_load_state("load")
    iframes = page.locator("iframe")
    assert iframes.count() >= 2
    for i in range(iframes.count()):
        iframes.nth(i).scroll_into_view_if_needed()  # off-screen sandboxed iframes are throttled
        page.wait_for_timeout(600)
    frames = _graph_frames(page)
    assert len(frames) == iframes.count()
    for frame in frames:
        frame.wait_for_selector("canvas")
        ink = 0
        for _ in range(20):
            ink = frame.evaluate(CANVAS_INK)
            if ink > 500:
                break
            page.wait_for_timeout(250)
        assert ink > 500, "a graph canvas stayed blank"
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    assert remote_requests(page) == []
    assert page.errors == []


@pytest.mark.slow
def test_hostile_names_run_nothing(hostile_report, offline_page):
    page = offline_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_report.as_uri())
    for i in range(page.locator("iframe").count()):
        page.locator("iframe").nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    for frame in page.frames:
        assert frame.evaluate("() => window.__pwned") is None
    assert dialogs == []
    # an <img src=x> would have tried to load file:///.../x: only the page itself may be a file
    loaded = [u for u in page.requests if not u.startswith(("data:", "blob:", "about:"))]
    assert loaded == [hostile_report.as_uri()]
