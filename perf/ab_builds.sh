#!/usr/bin/env bash
# Two builds of OversightLab, the same steps: the benchmark program's `steps` mode built from a
# commit (BASE) and from this checkout, in ABBA order (odd rounds the base first, even rounds this
# checkout first), so that neither the VM's drift nor running second favours one build.
#
#   BASE=344ae14 perf/ab_builds.sh     → $OUT/rounds.csv, summary.csv, machine.txt
#
# Environment: BASE (HEAD~1), THREADS ("1 2"), BATCHES ("32 512"), MODELS (every ladder model, or
# e.g. "mlp-l,mlp-xl"), ROUNDS (10), WARMUP (30), REPEATS (3), STEPS (60), OUT (results/perf/ab).
# summary.csv: per (batch, threads, model) the medians over rounds, their ratio (this checkout /
# base), the median of the rounds' own ratios, and in how many rounds this checkout was faster.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${BASE:-HEAD~1}
THREADS=${THREADS:-"1 2"} BATCHES=${BATCHES:-"32 512"} ROUNDS=${ROUNDS:-10}
WARMUP=${WARMUP:-30} REPEATS=${REPEATS:-3} STEPS=${STEPS:-60}
OUT=${OUT:-results/perf/ab}
base_rev=$(git rev-parse --short "$BASE")
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$tree"' EXIT
git worktree add -q --detach "$tree" "$base_rev"
dotnet build -c Release "$tree/src/OversightLab.Benchmarks" -v quiet -nologo >/dev/null
dotnet build -c Release src/OversightLab.Benchmarks -v quiet -nologo >/dev/null
rm -rf "$OUT/raw"
mkdir -p "$OUT/raw"
MODEL_ARGS=()
if [[ -n "${MODELS:-}" ]]; then MODEL_ARGS=(--models "$MODELS"); fi

for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 == 1 )); then order="base new"; else order="new base"; fi
    for build in $order; do
        root=$([[ $build == base ]] && echo "$tree" || echo .)
        for b in $BATCHES; do
        for t in $THREADS; do
            OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t "$root/src/OversightLab.Benchmarks/bin/Release/net10.0/OversightLab.Benchmarks" steps \
                --threads "$t" --batch "$b" "${MODEL_ARGS[@]}" --warmup "$WARMUP" --repeats "$REPEATS" --steps "$STEPS" \
                --sgemm-steps 1 --sgemm-size 64 --json "$OUT/raw/$build-batch$b-threads$t-round$r.json" >/dev/null
        done
        done
    done
done

{
    perf/machine.sh
    echo "base: $base_rev ($(git log -1 --format=%s "$base_rev" | cut -c1-100))"
    echo "protocol: steps mode, warmup $WARMUP, median of $REPEATS repeats of $STEPS steps per round; $ROUNDS rounds in ABBA order; batches: $BATCHES; threads: $THREADS"
} > "$OUT/machine.txt"

python3 - "$OUT" "$ROUNDS" "$BATCHES" "$THREADS" <<'PYEOF'
import csv, json, statistics, sys
out, rounds, batches, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
def steps(build, b, t, r):
    return {m["model"]: m["step_us"] for m in json.load(open(f"{out}/raw/{build}-batch{b}-threads{t}-round{r}.json"))["models"]}
with open(f"{out}/rounds.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["round", "batch", "threads", "model", "base_us", "new_us", "ratio"])
    summary = []
    for b in batches:
        for t in threads:
            per = {}
            for r in range(1, rounds + 1):
                base, new = steps("base", b, t, r), steps("new", b, t, r)
                for m in base:
                    w.writerow([r, b, t, m, round(base[m], 1), round(new[m], 1), round(new[m] / base[m], 3)])
                    per.setdefault(m, []).append((base[m], new[m]))
            for m, pairs in per.items():
                bm, nm = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
                summary.append([b, t, m, round(bm, 1), round(nm, 1), round(nm / bm, 3),
                                round(statistics.median(p[1] / p[0] for p in pairs), 3), sum(p[1] < p[0] for p in pairs), len(pairs)])
with open(f"{out}/summary.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["batch", "threads", "model", "base_us", "new_us", "ratio", "paired_ratio", "new_faster", "rounds"])
    w.writerows(summary)
print(f"{'batch':>5} {'thr':>3} {'model':10} {'base µs':>9} {'new µs':>9} {'ratio':>6} {'paired':>6} faster")
for row in summary:
    print(f"{row[0]:>5} {row[1]:>3} {row[2]:10} {row[3]:9.0f} {row[4]:9.0f} {row[5]:6.3f} {row[6]:6.3f} {row[7]}/{row[8]}")
print(f"ratio = this checkout's step time / base's (medians over rounds); paired = median of the rounds' ratios → {out}/summary.csv, rounds.csv, raw/")
PYEOF
