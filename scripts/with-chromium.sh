#!/usr/bin/env bash
# Run a command with Debian's chromium available:  scripts/with-chromium.sh CMD [ARG...]
#
# The JavaScript-page crawl tests (tests/test_crawl_js.py) drive the system's chromium
# through scrapy-playwright; Playwright never downloads a browser (this script exports
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
#
# - chromium is looked up as $NETPATROL_CHROMIUM, then chromium / chromium-browser in PATH;
#   if missing and we are root with apt-get, Debian's chromium package is installed
#   (non-interactive, no recommended packages).
# - chromium unavailable (or NETPATROL_NO_CHROMIUM=1): with CI=true this fails (exit 1);
#   otherwise a warning is printed and CMD runs anyway (the chromium tests skip).
# - Then CMD runs (exec), and its exit code is this script's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

say() { echo "with-chromium: $*" >&2; }

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# chromium cannot be had: fail under CI, else warn and run CMD without it.
#   unavailable WHY CMD [ARG...]
unavailable() {
    local why="$1"
    shift
    if [ "${CI:-}" = "true" ]; then
        say "ERROR: chromium is required when CI=true, but $why"
        exit 1
    fi
    say "WARNING: $why; running without chromium, so the JavaScript-page tests will be SKIPPED"
    export NETPATROL_NO_CHROMIUM=1
    exec "$@"
}

find_chromium() {
    if [ -n "${NETPATROL_CHROMIUM:-}" ]; then
        if [ -x "$NETPATROL_CHROMIUM" ]; then
            echo "$NETPATROL_CHROMIUM"
        fi
        return
    fi
    command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || true
}

install_chromium() {
    local log="$1"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    say "chromium not found; installing Debian's chromium package (log: $log)"
    {
        export DEBIAN_FRONTEND=noninteractive
        apt-get update &&
            apt-get install -y --no-install-recommends chromium
    } >"$log" 2>&1
}

if [ "${NETPATROL_NO_CHROMIUM:-}" = 1 ]; then
    unavailable "NETPATROL_NO_CHROMIUM=1 is set" "$@"
fi

chromium="$(find_chromium)"
if [ -z "$chromium" ] && [ -z "${NETPATROL_CHROMIUM:-}" ]; then
    log="$(mktemp "${TMPDIR:-/tmp}/netpatrol-chromium.XXXXXX.log")"
    if install_chromium "$log"; then
        chromium="$(find_chromium)"
        rm -f "$log"
    else
        if [ -s "$log" ]; then
            say "last lines of the install log:"
            tail -n 20 "$log" | sed 's/^/    /' >&2
        fi
        rm -f "$log"
    fi
fi
if [ -z "$chromium" ]; then
    if [ -n "${NETPATROL_CHROMIUM:-}" ]; then
        unavailable "NETPATROL_CHROMIUM=$NETPATROL_CHROMIUM is not an executable" "$@"
    fi
    unavailable "chromium was not found (PATH) and could not be installed (needs root and apt-get)" "$@"
fi

# It must start, not only exist (missing shared libraries show up here, not in the tests).
if ! version="$("$chromium" --headless --no-sandbox --version 2>/dev/null)"; then
    unavailable "$chromium does not run" "$@"
fi
say "$version ($chromium)"
exec "$@"
