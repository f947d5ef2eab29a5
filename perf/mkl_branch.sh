#!/usr/bin/env bash
# MKL's code branch on an AMD processor (issue 8). The MKL inside libtorch picks its kernels by
# asking whether the processor is Intel's (mkl_serv_intel_cpu_true, called once per process at the
# first product); on AMD it answers no and MKL runs its generic branch ("def", with a Zen sgemm
# kernel). This script times the ladder's training steps (`steps` mode) and their matrix products
# one by one (`products` mode, with each product's bits fingerprinted) twice per round: as
# OversightLab runs, and with a preloaded shim that answers yes, so MKL takes its Intel branch.
# The shim is a measurement tool only: OversightLab never loads it (see results/perf/README.md).
#
#   perf/mkl_branch.sh   → results/perf/mkl_branch/steps.csv, products.csv, machine.txt, raw/
#
# Environment: THREADS ("1 2"), BATCHES ("32 512"), MODELS (mlp-m,mlp-l,mlp-xl), ROUNDS (5), OUT (results/perf/mkl_branch).
# Needs a C compiler for the shim (Debian: apt-get install gcc).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-"1 2"}
BATCHES=${BATCHES:-"32 512"}
MODELS=${MODELS:-mlp-m,mlp-l,mlp-xl}
ROUNDS=${ROUNDS:-5}
OUT=${OUT:-results/perf/mkl_branch}
if ! command -v gcc >/dev/null; then
    echo "mkl_branch: no C compiler for the shim; install one with: sudo apt-get install gcc" >&2
    exit 2
fi

shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
echo 'int mkl_serv_intel_cpu_true(void) { return 1; }' > "$shim/intel.c"
gcc -shared -fPIC -O2 "$shim/intel.c" -o "$shim/libintel_branch.so"

dotnet build -c Release src/OversightLab.Benchmarks -v quiet -nologo >/dev/null
bench=src/OversightLab.Benchmarks/bin/Release/net10.0/OversightLab.Benchmarks
rm -rf "$OUT/raw"
mkdir -p "$OUT/raw"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for b in $BATCHES; do
for t in $THREADS; do
for r in $(seq 1 "$ROUNDS"); do
    export OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t
    for branch in default intel; do
        preload=()
        [[ $branch == intel ]] && preload=(env "LD_PRELOAD=$shim/libintel_branch.so")
        "${preload[@]}" "$bench" steps --threads "$t" --batch "$b" --models "$MODELS" \
            --warmup 50 --repeats 5 --steps 50 --sgemm-steps 2 --json "$OUT/raw/steps-$branch-batch$b-threads$t-round$r.json"
        "${preload[@]}" "$bench" products --threads "$t" --batch "$b" --models "$MODELS" \
            --warmup 20 --repeats 5 --steps 30 --json "$OUT/raw/products-$branch-batch$b-threads$t-round$r.json"
    done
done
done
done
{
    perf/machine.sh
    echo "load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "protocol: per (batch, threads), $ROUNDS rounds; in each, the default branch then the Intel one (LD_PRELOAD shim answering mkl_serv_intel_cpu_true with 1), each a steps run (warm-up 50, median of 5 repeats of 50 steps; 2048² sgemm) and a products run (warm-up 20, median of 5 repeats of 30 products); CSV = medians over rounds; models: $MODELS; batches: $BATCHES; threads: $THREADS"
} > "$OUT/machine.txt"

python3 - "$OUT" "$ROUNDS" "$BATCHES" $THREADS <<'PYEOF'
import csv, json, statistics, sys
out, rounds, batches, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
def runs(kind, branch, b, t):
    return [json.load(open(f"{out}/raw/{kind}-{branch}-batch{b}-threads{t}-round{r}.json")) for r in range(1, rounds + 1)]

steps, products = [], []
for b in batches:
    for t in threads:
        d, i = runs("steps", "default", b, t), runs("steps", "intel", b, t)
        for m in d[0]["models"]:
            du = [next(x for x in run["models"] if x["model"] == m["model"])["step_us"] for run in d]
            iu = [next(x for x in run["models"] if x["model"] == m["model"])["step_us"] for run in i]
            steps.append({"model": m["model"], "batch": int(b), "threads": int(t),
                          "default_us": round(statistics.median(du), 1), "intel_us": round(statistics.median(iu), 1),
                          "ratio": round(statistics.median(iu) / statistics.median(du), 3),
                          "paired_ratio": round(statistics.median(y / x for x, y in zip(du, iu)), 3),
                          "intel_faster_rounds": sum(y < x for x, y in zip(du, iu)), "rounds": rounds,
                          "default_sgemm_gflops": round(statistics.median(run["sgemm"]["gflops"] for run in d), 1),
                          "intel_sgemm_gflops": round(statistics.median(run["sgemm"]["gflops"] for run in i), 1)})
        d, i = runs("products", "default", b, t), runs("products", "intel", b, t)
        for k, p in enumerate(d[0]["products"]):
            du, iu = [run["products"][k]["us"] for run in d], [run["products"][k]["us"] for run in i]
            # Every round of a branch must give the same bits: the inputs come from a fixed seed.
            bits = {branch: {run["products"][k]["bits"] for run in rs} for branch, rs in (("default", d), ("intel", i))}
            assert all(len(v) == 1 for v in bits.values()), f"{p}: bits differ between rounds of one branch"
            products.append({"model": p["model"], "layer": p["layer"], "product": p["product"], "m": p["m"], "k": p["k"], "n": p["n"],
                             "batch": int(b), "threads": int(t),
                             "default_us": round(statistics.median(du), 1), "intel_us": round(statistics.median(iu), 1),
                             "ratio": round(statistics.median(iu) / statistics.median(du), 3),
                             "default_bits": bits["default"].pop(), "intel_bits": bits["intel"].pop()})
for name, rows in (("steps", steps), ("products", products)):
    with open(f"{out}/{name}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
print(f"\n{'model':<8} {'batch':>5} {'thr':>3} {'default µs':>11} {'Intel µs':>9} {'ratio':>6} {'paired':>6}  sgemm GFLOP/s default / Intel")
for s in steps:
    print(f"{s['model']:<8} {s['batch']:>5} {s['threads']:>3} {s['default_us']:>11.1f} {s['intel_us']:>9.1f} {s['ratio']:>6.2f} {s['paired_ratio']:>6.2f}  {s['default_sgemm_gflops']:.0f} / {s['intel_sgemm_gflops']:.0f}")
for t in threads[1:]:
    one = {(p["model"], p["layer"], p["product"], p["batch"]): p for p in products if p["threads"] == int(threads[0])}
    for branch in ("default", "intel"):
        differ = [p for p in products if p["threads"] == int(t) and p[f"{branch}_bits"] != one[(p["model"], p["layer"], p["product"], p["batch"])][f"{branch}_bits"]]
        print(f"{branch} branch: {len(differ)} of {sum(p['threads'] == int(t) for p in products)} products give other bits with {t} threads than with {threads[0]}")
print(f"products whose bits differ between the branches: {sum(p['default_bits'] != p['intel_bits'] for p in products)} of {len(products)}")
print(f"ratio = Intel branch / default branch, medians over rounds (< 1: the Intel branch is faster); paired = median of the rounds' ratios → {out}/")
PYEOF
