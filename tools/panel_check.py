"""Try the planner panel as a planner would: JupyterLab on loopback, headless Chromium.

``make panel-check`` (outside ``make test``) runs this maintainer tool:

1. starts JupyterLab from this venv on ``127.0.0.1`` (a free port, a random token, no
   browser), serving a temporary copy of notebook 07 (JupyterLab saves what it runs);
2. starts the Debian ``chromium`` package headless with a DevTools port on loopback (the
   page's Chinese needs a CJK system font such as the Debian package ``fonts-noto-cjk``;
   the figures bring their own) and drives it over the DevTools protocol
   (``websocket-client``, a Jupyter dependency):
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

    def __init__(self, port: int, browser: subprocess.Popen[bytes]) -> None:
        import websocket

        def page() -> str | None:
            if browser.poll() is not None:
                raise SystemExit(f"panel-check: chromium stopped (see {OUT / 'chromium.log'})")
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

    def click(self, what: str, selector: str, text: str) -> None:
        """Click, as a mouse would, the visible element ``selector`` whose text is ``text``
        (Lumino's menus react to real pointer events, not to synthetic DOM ones)."""
        x, y = wait_for(what, lambda: self.js(CENTER % (json.dumps(selector), json.dumps(text))))
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)  # fmt: skip

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"panel-check: screenshot {path.relative_to(ROOT)}")


CENTER = """
(() => {
  const e = [...document.querySelectorAll(%s)].find(e => e.textContent.trim() === %s);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return r.width > 0 ? [r.x + r.width / 2, r.y + r.height / 2] : null;
})()
"""
STARTED = """
[...document.querySelectorAll('.jp-InputPrompt')].some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))
"""
# The panel: the output area of the cell whose widgets include the Run button.
PANEL = """
const run = [...document.querySelectorAll('button')].find(e => e.textContent.includes('Run 运行'));
const area = run ? run.closest('.jp-OutputArea') : null;
const tables = area ? [...area.querySelectorAll('table')] : [];
const done = area ? [...area.querySelectorAll('*')].some(
  e => e.children.length === 0 && e.textContent.trim() === 'done') : false;
"""
PANEL_READY = f"(() => {{ {PANEL} return Boolean(run && done && tables.length); }})()"
CHANGE_PLAN = f"""(() => {{ {PANEL}
  const box = area ? area.querySelector('input[type=checkbox]') : null;
  if (!box) return false;
  box.click();
  run.scrollIntoView();
  run.click();
  return true;
}})()"""
TABLE_TEXT = f"(() => {{ {PANEL} return tables.map(t => t.innerText).join('\\n---\\n'); }})()"


def _copy_without_outputs(src: Path, dst: Path) -> None:
    """The notebook as a planner opens it fresh: no outputs, no execution counts."""
    import nbformat

    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, dst)


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("panel-check: needs the Debian package chromium (apt-get install chromium)")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    lab_port, cdp_port = free_port(), free_port()
    env = {**os.environ, "SIMHALL_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    # JupyterLab saves what it runs: serve a copy of the notebook (beside a link to the
    # scenarios, so its relative paths hold), never the tracked file
    work = Path(tempfile.mkdtemp(prefix="panel-check-lab-"))
    (work / "notebooks").mkdir()
    _copy_without_outputs(ROOT / "notebooks" / NOTEBOOK, work / "notebooks" / NOTEBOOK)
    (work / "scenarios").symlink_to(ROOT / "scenarios", target_is_directory=True)
    lab = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={lab_port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work / 'notebooks'}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # CI and containers run as root
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=(OUT / "jupyterlab.log").open("w"),
    )  # fmt: skip
    profile = tempfile.mkdtemp(prefix="panel-check-chromium-")
    browser = None
    dt: DevTools | None = None
    try:
        base = f"http://127.0.0.1:{lab_port}"

        def lab_up() -> Any:
            if lab.poll() is not None:
                log = (OUT / "jupyterlab.log").read_text(encoding="utf-8").splitlines()
                raise SystemExit("panel-check: JupyterLab stopped:\n" + "\n".join(log[-5:]))
            return urllib.request.urlopen(f"{base}/api?token={token}", timeout=5)

        wait_for("JupyterLab", lab_up)
        browser = subprocess.Popen(
            [
                chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--remote-debugging-port={cdp_port}", "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=(OUT / "chromium.log").open("w"),
        )  # fmt: skip
        dt = DevTools(cdp_port, browser)
        dt.call("Page.enable")
        dt.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT,
                deviceScaleFactor=1, mobile=False)  # fmt: skip
        dt.call("Page.navigate", url=f"{base}/lab/tree/{NOTEBOOK}?token={token}&reset")
        wait_for("the notebook", lambda: dt.js("document.querySelectorAll('.jp-Cell').length"))
        time.sleep(3)
        if dt.js(CENTER % (json.dumps(".jp-Dialog button"), json.dumps("Select"))):
            dt.click("the kernel dialog", ".jp-Dialog button", "Select")  # the venv's python3
            time.sleep(2)

        def kernel_idle() -> bool:
            with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as r:
                return any(k.get("execution_state") == "idle" for k in json.load(r))

        wait_for("the kernel", kernel_idle)
        time.sleep(2)
        for attempt in range(3):  # a menu click may land while the page still settles
            dt.click("the Run menu", ".lm-MenuBar-itemLabel", "Run")
            dt.click("Run All Cells", ".lm-Menu-itemLabel", "Run All Cells")
            try:
                wait_for("the cells to run", lambda: dt.js(STARTED), timeout=30)
                break
            except SystemExit:
                if attempt == 2:
                    raise
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
        dt.js(f"(() => {{ {PANEL} if (run) run.scrollIntoView(); }})()")
        time.sleep(1)
        dt.screenshot(OUT / "panel-2-chief-rep.png")
        (OUT / "tables.txt").write_text(f"{first}\n\n=== after ===\n{dt.js(TABLE_TEXT)}\n")
        return 0
    except SystemExit:
        if dt is not None:  # what the page showed when a step did not happen
            dt.screenshot(OUT / "panel-failed.png")
        raise
    finally:
        for proc in (browser, lab):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
