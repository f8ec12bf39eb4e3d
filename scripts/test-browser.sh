#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing (with sudo unless run as root), then runs the
# browser tests of the `tern serve` playground in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -q
    $sudo apt-get install -y -q chromium
fi
swift build --build-tests
swift test --skip-build --filter PlaygroundBrowserTests
