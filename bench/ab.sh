#!/bin/sh
# A/B of two builds on this machine, alternating (ABBA: odd pairs old first, even pairs new
# first), every run a full benchmark with its bare server in the same run:
#
#   bench/ab.sh <bench> <pairs> <old build's main.js> <log dir> [bench args...]
#   e.g. bench/ab.sh debts 3 /work/wt/bench-old/dist/src/main.js /tmp/ab --parcels 100000
#
# "new" is this tree's dist/ (build it first: npm run build). Then summarise with
#   node -r ./scripts/register.js bench/ab-summary.ts <log dir>
#
# A warm-up run of each build comes first and is not counted (its log is warmup-<side>.log,
# which the summary skips): the first run of a batch found a cooler machine — in two OTP
# batches of 2026-12-06 the first run, always the old build, made 260 and 180 flows/s
# against 184–216 and 107–154 for the old build's later runs.
set -e
bench=$1; pairs=$2; old=$3; out=$4; shift 4
mkdir -p "$out"
for side in old new; do
  if [ "$side" = old ]; then entry=$old; else entry=dist/src/main.js; fi
  echo "=== $bench warm-up $side ($entry) $(date -u +%H:%M:%S)"
  BENCH_SERVER_ENTRY=$entry node -r ./scripts/register.js "bench/$bench.ts" "$@" > "$out/warmup-$side.log" 2>&1
done
i=1
while [ "$i" -le "$pairs" ]; do
  if [ $((i % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for side in $order; do
    if [ "$side" = old ]; then entry=$old; else entry=dist/src/main.js; fi
    echo "=== $bench pair $i $side ($entry) $(date -u +%H:%M:%S)"
    BENCH_SERVER_ENTRY=$entry node -r ./scripts/register.js "bench/$bench.ts" "$@" > "$out/$bench-$i-$side.log" 2>&1
  done
  i=$((i + 1))
done
