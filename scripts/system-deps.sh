#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, once, and only what is missing:
# a headless browser for the web chat tests, the emoji font for faithful screenshots,
# PostgreSQL and Redis for the scale-out tests, nginx for the reverse-proxy test and
# systemd-analyze for the service units. Without root it names the one command
# to run and stops.
set -euo pipefail
packages=(chromium chromium-driver fonts-noto-color-emoji postgresql redis-server nginx-light systemd)
missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need: ${missing[*]}. Run once: sudo make system-deps" >&2
  exit 1
fi
echo "Installing ${missing[*]} (apt-get, once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}."
