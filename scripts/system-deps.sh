#!/bin/sh
# Install the Debian packages that tests and charts need, only when missing.
set -e
need=""
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need="$need fonts-noto-cjk"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing system packages:$need (install them with: sudo apt-get install$need)" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need fontconfig >/dev/null
