#!/usr/bin/env bash
# Debian's chromium (and an emoji font for the decision icons) for the dashboard's browser
# tests: Playwright drives /usr/bin/chromium, since `playwright install` cannot download one here.
# Idempotent: does nothing when both are present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -n "$(fc-list 2>/dev/null | grep -i 'Noto Color Emoji' || true)" ] || need+=(fonts-noto-color-emoji)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing ${need[*]} for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
[ -x /usr/bin/chromium ] || { echo "chromium was not installed at /usr/bin/chromium" >&2; exit 1; }
