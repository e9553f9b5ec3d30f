#!/usr/bin/env bash
# Install everything the project needs into .venv/ (and, as root on Debian, the system packages).
# Usage: scripts/setup.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-run}"
PYTHON="${PYTHON:-python3}"

debian_packages=(python3 python3-venv python3-dev gcc libseccomp2 bubblewrap)
if [ "$profile" = test ]; then
  debian_packages+=(chromium postgresql-client redis-tools)
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "$profile" = test ] && extras="[dev]"
stamp=".venv/.installed-$profile"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch is pinned to the CPU build (==2.13.0) in pyproject.toml; see README.
  .venv/bin/python -m pip install --quiet -e ".$extras"
  touch "$stamp"
fi
