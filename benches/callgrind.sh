#!/usr/bin/env bash
# Instructions per callback of the servers of benches/support/apps.rs, counted by
# valgrind's callgrind on benches/callpath.rs: deterministic, unlike wall-clock numbers on
# a shared machine.
#
#   benches/callgrind.sh [COUNT]     # default 2000
#
# Each server runs COUNT and 3 x COUNT callbacks; the difference of the two instruction
# totals over 2 x COUNT leaves out start-up. Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "callgrind: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
fi

host="$(rustc -vV | sed -n 's/^host: //p')"
runner_var="CARGO_TARGET_$(echo "$host" | tr '[:lower:]-' '[:upper:]_')_RUNNER"
cargo bench --bench callpath --no-run --quiet

instructions() {
    env "$runner_var=valgrind --tool=callgrind --callgrind-out-file=/dev/null" \
        cargo bench --quiet --bench callpath -- "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo "instructions per callback (seed payload, in process, callgrind):"
for server in bare hand-written decode-floor crate-unsigned crate crate-dedup crate-after crate-after-dedup; do
    low="$(instructions "$server" "$count")"
    high="$(instructions "$server" $((3 * count)))"
    printf '  %-17s %8d\n' "$server" $(((high - low) / (2 * count)))
done
