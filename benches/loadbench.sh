#!/usr/bin/env bash
# End-to-end load benchmark of the callback path, in one command:
#
#   benches/loadbench.sh [--rounds 5] [--duration 5] [--connections 32] [--threads 1]
#
# Installs the HTTP load generator wrk (Debian package) if it is missing, then runs
# examples/loadbench.rs in release mode: four servers (bare, hand-written,
# decode-floor, crate) with one
# worker each on loopback ports, driven by wrk in alternating rounds; prints requests/s,
# p50/p99 latency and server CPU per request (medians over the rounds) and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        echo "loadbench: installing wrk" >&2
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq wrk >/dev/null
    else
        echo "loadbench: wrk is not installed; install it with your package manager" >&2
        exit 1
    fi
fi

exec cargo run --release --quiet --example loadbench -- "$@"
