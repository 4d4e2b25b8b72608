"""Regenerate the README's research section from docs/research.in.md: in ```console blocks every
`$ command` line is run and its real output inserted below it; the result replaces what stands
between the README's `<!-- research:begin -->` and `<!-- research:end -->` markers. Runs in a scratch folder (corpus/ linked, its own
output/zhmine.db) so that it never touches the working database.

    .venv/bin/python scripts/make_research_docs.py
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 18


def main() -> None:
    template = (ROOT / "docs" / "research.in.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="zhmine-docs-") as tmp:
        work = Path(tmp)
        for name in ("corpus", "docs", ".venv"):
            (work / name).symlink_to(ROOT / name)
        out, in_block = [], False
        for line in template.splitlines():
            in_block = line.startswith("```console") or (in_block and not line.startswith("```"))
            out.append(line)
            if in_block and line.startswith("$ "):
                cmd = re.sub(r"(^|\| |&& )zhmine ", r"\1.venv/bin/zhmine ", line[2:])
                res = subprocess.run(cmd, shell=True, cwd=work, capture_output=True, text=True)
                lines = (res.stdout + res.stderr).rstrip("\n").splitlines()
                if len(lines) > MAX_LINES:
                    lines = lines[:MAX_LINES] + [f"... ({len(lines) - MAX_LINES} more lines)"]
                out.extend(lines)
        screenshots(work)
    splice_into_readme("\n".join(out))
    for svg in (ROOT / "docs").glob("research-*.svg"):
        svg.unlink()  # the PNG is what the page shows
    print("README.md (research section)", file=sys.stderr)


def splice_into_readme(section: str) -> None:
    """Put the generated section between the README's markers (headings one level down, images
    under docs/)."""
    begin, end = "<!-- research:begin -->", "<!-- research:end -->"
    lines = [line for line in section.splitlines() if not line.startswith("<!--")]
    out, in_code = [], False
    for line in lines:
        in_code = in_code != line.startswith("```")
        out.append("#" + line if line.startswith("#") and not in_code else line)
    body = "\n".join(out)
    body = body.replace("](research-", "](docs/research-")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    (ROOT / "README.md").write_text(f"{head}{begin}\n{body.strip()}\n{end}{tail}", encoding="utf-8")


def screenshots(work: Path) -> None:
    """docs/research-datasette.png (figures faceted by province) and docs/research-map.png, taken
    in headless Chromium from a running `zhmine serve`."""
    import socket
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([".venv/bin/zhmine", "serve", "--port", str(port)], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(url + "/-/figures")
            page.goto(page.url + "?kind=money")
            page.wait_for_selector("th .zh-label")  # the Chinese column labels
            # past the title and search box, to the row count, facets and rows
            page.evaluate("document.querySelector('h3').scrollIntoView()")
            page.screenshot(path=str(ROOT / "docs" / "research-datasette.png"))
            page.goto(url + "/map")
            page.wait_for_selector("svg#map path.area.has-data")
            page.screenshot(path=str(ROOT / "docs" / "research-map.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
