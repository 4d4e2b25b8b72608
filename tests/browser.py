"""`zhmine serve` in a subprocess and Debian's headless Chromium driven by Playwright, for the browser
tests (test_serve.py, test_research_path.py): bounded in time, on 127.0.0.1, always stopped."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def zhmine_serve(db, *args, wait: float = 30):
    """The URL of `zhmine serve --db DB ARGS` once it answers; the server is stopped on exit."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zhmine.cli", "serve", "--db", str(db), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"zhmine serve exited: {proc.stdout.read()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"zhmine serve did not answer within {wait:g} s")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium_page(width: int = 1280, height: int = 900):
    """A page of a fresh headless Chromium profile; skips the test where Chromium is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (run scripts/system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with tempfile.TemporaryDirectory(prefix="zhmine-chromium-") as profile, sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                                                       viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            yield page
        finally:
            context.close()
