"""Regenerate docs/research.md from docs/research.in.md: in ```console blocks every `$ command` line
is run and its real output inserted below it. Runs in a scratch folder (corpus/ linked, its own
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
    (ROOT / "docs" / "research.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    for svg in (ROOT / "docs").glob("research-*.svg"):
        svg.unlink()  # the PNG is what the page shows
    print("docs/research.md", file=sys.stderr)


if __name__ == "__main__":
    main()
