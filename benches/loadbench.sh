#!/usr/bin/env bash
# End-to-end load benchmark of the callback path, in one command:
#
#   benches/loadbench.sh [--rounds 5] [--duration 5] [--connections 32] [--threads 1]
#
# Installs the HTTP load generator wrk (Debian package) if it is missing, then runs
# examples/loadbench.rs in release mode: the servers of benches/support/apps.rs, with one
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

# A real redis-server on a free loopback port for the crate-redis server, when installed.
features=()
if command -v redis-server >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
    redis_pid=$!
    trap 'kill "$redis_pid" 2>/dev/null' EXIT
    until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
    export TIM_LOADBENCH_REDIS="redis://127.0.0.1:$port/"
    features=(--features redis)
else
    echo "loadbench: redis-server is not installed; the crate-redis server is left out" >&2
fi

cargo run --release --quiet "${features[@]}" --example loadbench -- "$@"
