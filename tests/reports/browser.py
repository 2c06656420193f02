"""Headless Chromium driven over the DevTools protocol on a pipe (no port, no extra package).

``find_chromium()`` returns Debian's ``chromium`` (installing it with apt-get where that is
possible: root, apt-get present, package available) or None with the reason. ``inspect_page``
opens a file in a fresh profile, waits for the load event, returns the console errors (console
API errors, uncaught exceptions, and log entries such as failed loads or Content-Security-Policy
violations), the result of a JavaScript expression, and writes a full-page screenshot.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--window-size=1280,900")
INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "-o",
           "DPkg::Lock::Timeout=300", "chromium"]


def find_chromium(install: bool = True) -> tuple[str | None, str]:
    """(path, '') when a Chromium is available, else (None, why not)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path, ""
    if not install:
        return None, "chromium is not installed"
    if shutil.which("apt-get") is None:
        return None, "chromium is not installed and apt-get is not available to install it"
    if os.geteuid() != 0:
        return None, ("chromium is not installed and installing it needs root "
                      "(run `make browser` as root, or `apt-get install chromium`)")
    try:
        done = subprocess.run(INSTALL, capture_output=True, text=True, timeout=900,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    except subprocess.TimeoutExpired:
        return None, "`apt-get install chromium` did not finish within 15 minutes"
    path = shutil.which("chromium")
    if done.returncode != 0 or path is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"`apt-get install chromium` failed: {tail[0]}"
    return path, ""


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)
    value: object = None
    screenshot: Path | None = None


class _Pipe:
    """DevTools protocol over --remote-debugging-pipe: NUL-terminated JSON on fds 3 and 4."""

    def __init__(self, binary: str, profile: str) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # out of the way of 3 and 4, which the child must see
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def wire() -> None:
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [binary, *HEADLESS_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, high_r, high_w), preexec_fn=wire)
        os.close(high_r)
        os.close(high_w)
        self.write = os.fdopen(to_child_w, "wb", buffering=0)
        self.read = os.fdopen(from_child_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = self.read.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it crash?)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60.0) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.write.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60.0) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.write.close()
        self.read.close()


def _errors(events: list[dict]) -> list[str]:
    out = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                              for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            out.append("exception: " + str(details.get("exception", {}).get("description")
                                           or details.get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            out.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
    return out


def inspect_page(binary: str, page: Path, expression: str, screenshot: Path) -> PageReport:
    """Load ``page`` (a file), evaluate ``expression`` (its JSON-able value is returned) and
    write a full-page PNG screenshot to ``screenshot``."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        pipe = _Pipe(binary, profile)
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.call("Target.attachToTarget",
                                {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                pipe.call(f"{domain}.enable", session=session)
            pipe.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            pipe.wait_for("Page.loadEventFired")
            value = pipe.call("Runtime.evaluate", {"expression": expression,
                                                   "returnByValue": True, "awaitPromise": True},
                              session=session)["result"].get("value")
            shot = pipe.call("Page.captureScreenshot",
                             {"format": "png", "captureBeyondViewport": True}, session=session)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            time.sleep(0.2)  # let late log entries arrive
            pipe.call("Runtime.evaluate", {"expression": "1"}, session=session)
            return PageReport(errors=_errors(pipe.events), value=value, screenshot=screenshot)
        finally:
            pipe.close()
