"""Try the planner panel as a planner would: JupyterLab on loopback, headless Chromium.

``make panel-check`` (outside ``make test``) runs this maintainer tool:

1. starts JupyterLab from this venv on ``127.0.0.1`` (a free port, a random token, no
   browser), serving ``notebooks/``;
2. starts the Debian ``chromium`` package headless with a DevTools port on loopback and
   drives it over the DevTools protocol (``websocket-client``, a Jupyter dependency):
   opens ``07_planner_panel.ipynb``, runs all cells from the Run menu, waits for the panel
   (the widgets and the first table), takes a screenshot; ticks the chief representative,
   clicks **Run**, waits for the redrawn table and takes a second screenshot;
3. writes the screenshots to ``results/panel-check/`` and stops both processes (its own,
   by process id).

Every wait is bounded (``TIMEOUT_S``); the script exits 1 with a message when a step does not
happen, 0 when both screenshots were taken.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "panel-check"
NOTEBOOK = "07_planner_panel.ipynb"
TIMEOUT_S = 240.0
WIDTH, HEIGHT = 1400, 2600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = TIMEOUT_S) -> Any:
    """Poll ``check`` every half second until it returns something true."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - a server not up yet, a page still loading
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise SystemExit(f"panel-check: timed out waiting for {what}")


class DevTools:
    """A minimal DevTools-protocol client of one page."""

    def __init__(self, port: int) -> None:
        import websocket

        def page() -> str | None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=5) as r:
                targets = json.load(r)
            pages = [t for t in targets if t.get("type") == "page"]
            return pages[0]["webSocketDebuggerUrl"] if pages else None

        self.ws = websocket.create_connection(wait_for("chromium", page), timeout=60)
        self.n = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))

    def js(self, expression: str) -> Any:
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return res.get("result", {}).get("value")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"panel-check: screenshot {path.relative_to(ROOT)}")


CLICK_MENU = """
(() => {
  const label = [...document.querySelectorAll('.lm-MenuBar-itemLabel')]
    .find(e => e.textContent.trim() === %s);
  if (!label) return false;
  label.closest('.lm-MenuBar-item').dispatchEvent(
    new MouseEvent('mousedown', {bubbles: true, button: 0}));
  return true;
})()
"""
CLICK_ITEM = """
(() => {
  const item = [...document.querySelectorAll('.lm-Menu-itemLabel')]
    .find(e => e.textContent.trim() === %s);
  if (!item) return false;
  const li = item.closest('.lm-Menu-item');
  li.dispatchEvent(new MouseEvent('mouseenter', {bubbles: true}));
  li.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, button: 0}));
  return true;
})()
"""
PANEL_READY = """
(() => {
  const b = [...document.querySelectorAll('button')].find(e => e.textContent.includes('Run 运行'));
  const done = [...document.querySelectorAll('.widget-label')].some(e => e.textContent === 'done');
  const table = document.querySelector('.jupyter-widgets-output-area table');
  return Boolean(b && done && table);
})()
"""
CHANGE_PLAN = """
(() => {
  const box = [...document.querySelectorAll('.widget-checkbox input')][0];
  if (!box) return false;
  box.click();
  const status = [...document.querySelectorAll('.widget-label')]
    .find(e => e.textContent === 'done');
  if (status) status.textContent = '';
  const b = [...document.querySelectorAll('button')].find(e => e.textContent.includes('Run 运行'));
  b.scrollIntoView();
  b.click();
  return true;
})()
"""
TABLE_TEXT = """
[...document.querySelectorAll('.jupyter-widgets-output-area table')].map(t => t.innerText)
  .join('\\n---\\n')
"""


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("panel-check: needs the Debian package chromium (apt-get install chromium)")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    lab_port, cdp_port = free_port(), free_port()
    env = {**os.environ, "SIMHALL_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    lab = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={lab_port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=(OUT / "jupyterlab.log").open("w"),
    )  # fmt: skip
    profile = tempfile.mkdtemp(prefix="panel-check-chromium-")
    browser = None
    try:
        base = f"http://127.0.0.1:{lab_port}"
        wait_for("JupyterLab", lambda: urllib.request.urlopen(f"{base}/api?token={token}"))
        browser = subprocess.Popen(
            [
                chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                f"--remote-debugging-port={cdp_port}", "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        dt = DevTools(cdp_port)
        dt.call("Page.enable")
        dt.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT,
                deviceScaleFactor=1, mobile=False)  # fmt: skip
        dt.call("Page.navigate", url=f"{base}/lab/tree/{NOTEBOOK}?token={token}&reset")
        wait_for("the notebook", lambda: dt.js("document.querySelectorAll('.jp-Cell').length"))
        time.sleep(3)
        wait_for("the Run menu", lambda: dt.js(CLICK_MENU % json.dumps("Run")))
        wait_for("Run All Cells", lambda: dt.js(CLICK_ITEM % json.dumps("Run All Cells")))
        started = time.monotonic()
        wait_for("the panel's first table", lambda: dt.js(PANEL_READY))
        print(f"panel-check: panel drawn {time.monotonic() - started:.1f} s after Run All")
        time.sleep(1)
        dt.screenshot(OUT / "panel-1-as-is.png")
        first = dt.js(TABLE_TEXT)
        wait_for("the plan change", lambda: dt.js(CHANGE_PLAN))
        started = time.monotonic()
        wait_for("the redraw", lambda: dt.js(PANEL_READY) and dt.js(TABLE_TEXT) != first)
        print(f"panel-check: redrawn {time.monotonic() - started:.1f} s after Run")
        time.sleep(1)
        dt.screenshot(OUT / "panel-2-chief-rep.png")
        (OUT / "tables.txt").write_text(f"{first}\n\n=== after ===\n{dt.js(TABLE_TEXT)}\n")
        return 0
    finally:
        for proc in (browser, lab):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
