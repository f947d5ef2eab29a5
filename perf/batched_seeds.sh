#!/usr/bin/env bash
# Batched seeds against one by one (issue 8), in alternating rounds: for each thread count, every
# (model, S) fits its S models one by one, then as one stack, ROUNDS times over (the benchmarks'
# `seeds` mode, src/OversightLab.Benchmarks/SeedsTimer.cs). A round's two fits run within a second
# of each other, so the VM's slow stretches land on both; BenchmarkDotNet's BatchedSeeds tables
# time the two minutes apart.
#
#   perf/batched_seeds.sh     → results/perf/batched_seeds/seeds-threadsT.csv (medians), rounds-threadsT.csv, machine.txt
#
# Environment: THREADS ("1 2"), MODELS (mlp-xs,mlp-s,lin-pool7), SIZES (8,16,32), ROUNDS (15), OUT (results/perf/batched_seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-"1 2"}
MODELS=${MODELS:-mlp-xs,mlp-s,lin-pool7}
SIZES=${SIZES:-8,16,32}
ROUNDS=${ROUNDS:-15}
OUT=${OUT:-results/perf/batched_seeds}
mkdir -p "$OUT"

dotnet build -c Release src/OversightLab.Benchmarks -v quiet -nologo >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for t in $THREADS; do
    export OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t
    dotnet run -c Release --no-build --project src/OversightLab.Benchmarks -- \
        seeds --threads "$t" --models "$MODELS" --sizes "$SIZES" --rounds "$ROUNDS" --out "$OUT"
done
{
    perf/machine.sh
    echo "load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "protocol: per (model, S), warm-up rounds until the JIT compiles nothing new for 3 of them (at most 30); then $ROUNDS rounds of one one-by-one fit and three stacked fits (their median); speedup = one by one / stacked, per round; CSV = medians over rounds; threads: $THREADS"
} > "$OUT/machine.txt"
echo "batched seeds → $OUT"
