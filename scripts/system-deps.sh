#!/bin/sh
# Install the Debian packages that tests and charts need, only when missing:
#   fonts-noto-cjk  Chinese labels in `zhmine chart` (matplotlib finds it through fontconfig)
#   chromium        the browser test of `zhmine serve` (Playwright drives Debian's Chromium;
#                   we never run `playwright install`, which downloads a browser from outside)
#   antiword        Word 97-2003 (.doc) and WPS text for zhmine.formats (without it such files are
#                   recorded as errors that name the package)
#   sqlite3         the SQLite shell: benchmarks/archive.py times `zhmine query` against it
# Without them the tests that need them skip with a reason; so a failed install warns, not fails.
need=""
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need="$need fonts-noto-cjk"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v antiword >/dev/null 2>&1 || need="$need antiword"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing system packages:$need (install them with: sudo apt-get install$need)" >&2
  exit 0
fi
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need fontconfig >/dev/null; }; then
  echo "warning: could not install$need; the chart and browser tests will skip" >&2
fi
exit 0
