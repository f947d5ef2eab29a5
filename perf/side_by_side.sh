#!/usr/bin/env bash
# Side by side with PyTorch (issue 8): one training step of every ladder model, timed with the same
# protocol in TorchSharp (src/OversightLab.Benchmarks, `steps` mode) and in PyTorch
# (perf/pytorch_steps.py, Debian's python3-torch), for 1 and 2 threads; plus a 2048² sgemm in each.
#
#   perf/side_by_side.sh            the measurement → results/perf/side_by_side.csv, machine.txt, raw/
#   perf/side_by_side.sh --quick    a few steps only: checks that everything runs (numbers meaningless)
#
# The two frameworks take turns, ROUNDS times per (batch, threads): this shared VM's speed drifts
# over minutes, and alternating keeps a slow stretch from landing on one side only. Each round's
# number is a median over REPEATS; the CSV has the median over rounds.
#
# Environment: THREADS ("1 2"), BATCHES ("32 512"), MODELS (every ladder model, or e.g. "mlp-l,mlp-xl"), ROUNDS (3), WARMUP (50), REPEATS (7), STEPS (200), SGEMM_STEPS (5), OUT (results/perf),
# OPENBLAS_DIR (/usr/lib/x86_64-linux-gnu/openblas-openmp), ALLOW_REFERENCE_BLAS (0).
# PyTorch is a comparison tool only: nothing in the product depends on it. Run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python, where python3-torch lives (not a pyenv python on PATH)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "side_by_side: $PY cannot import torch; install PyTorch for the comparison with: sudo apt-get install python3-torch" >&2
    exit 2
fi
# Debian's torch calls whatever libblas.so.3 the system provides; the reference (netlib) BLAS is
# ~20x slower than OpenBLAS and would make the comparison meaningless. Load OpenBLAS for this
# process only, without touching the system's BLAS alternative. The OpenMP build first: PyTorch's
# own parallel loops are OpenMP, and with the pthread build two pools of t threads each took turns
# on t cores (2026-11-28, 2 threads: PyTorch's steps 2-5x slower than with the OpenMP build).
if [[ -z "${OPENBLAS_DIR:-}" ]]; then
    for d in /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/x86_64-linux-gnu/openblas-pthread; do
        [[ -e "$d/libblas.so.3" ]] && OPENBLAS_DIR=$d && break
    done
    OPENBLAS_DIR=${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
fi
if [[ "$OPENBLAS_DIR" == *pthread* && " ${THREADS:-1 2} " != " 1 " ]]; then
    echo "side_by_side: warning: OpenBLAS's pthread build beside PyTorch's OpenMP threads slows PyTorch's multi-threaded steps; install libopenblas0-openmp for a fair comparison" >&2
fi
if [[ -e "$OPENBLAS_DIR/libblas.so.3" ]]; then
    PY_LIBS="$OPENBLAS_DIR"
elif [[ "${ALLOW_REFERENCE_BLAS:-0}" == 1 ]]; then
    PY_LIBS=""
    echo "side_by_side: warning: no OpenBLAS in $OPENBLAS_DIR; PyTorch runs on the system's libblas.so.3" >&2
else
    echo "side_by_side: no OpenBLAS for PyTorch in $OPENBLAS_DIR; install it with: sudo apt-get install libopenblas0-openmp (or set ALLOW_REFERENCE_BLAS=1)" >&2
    exit 2
fi

THREADS=${THREADS:-"1 2"}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-50} REPEATS=${REPEATS:-7} STEPS=${STEPS:-200} SGEMM_STEPS=${SGEMM_STEPS:-5}
if [[ "${1:-}" == "--quick" ]]; then ROUNDS=1 WARMUP=3 REPEATS=1 STEPS=5 SGEMM_STEPS=1; fi
OUT=${OUT:-results/perf}
rm -rf "$OUT/raw"
mkdir -p "$OUT/raw"
PROTOCOL=(--warmup "$WARMUP" --repeats "$REPEATS" --steps "$STEPS" --sgemm-steps "$SGEMM_STEPS")
if [[ -n "${MODELS:-}" ]]; then PROTOCOL+=(--models "$MODELS"); fi

dotnet build -c Release src/OversightLab.Benchmarks -v quiet -nologo >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
BATCHES=${BATCHES:-"32 512"}
for b in $BATCHES; do
for t in $THREADS; do
for r in $(seq 1 "$ROUNDS"); do
    # Pin every pool to t threads: libtorch's OpenMP/MKL (set_num_threads) and OpenBLAS's pthreads.
    export OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t
    ts="$OUT/raw/torchsharp-batch$b-threads$t-round$r.json"
    dotnet run -c Release --no-build --project src/OversightLab.Benchmarks -- \
        steps --threads "$t" --batch "$b" "${PROTOCOL[@]}" --json "$ts"
    # zero_grad the way TorchSharp does it (set_to_none or zero-fill), so both steps do the same work.
    none=$("$PY" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["zero_grad_set_to_none"]))' "$ts")
    LD_LIBRARY_PATH="$PY_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$PY" perf/pytorch_steps.py \
        --threads "$t" --batch "$b" "${PROTOCOL[@]}" --zero-grad-set-to-none "$none" --json "$OUT/raw/pytorch-batch$b-threads$t-round$r.json"
done
done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The machine, for results/perf/README.md.
{
    perf/machine.sh
    echo "load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
    echo ".NET runtime: $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["runtime"])' "$OUT/raw/torchsharp-batch${BATCHES%% *}-threads${THREADS%% *}-round1.json")"
    echo "PyTorch: $("$PY" -c 'import torch; print(torch.__version__)') ($(dpkg-query -W -f='${Package} ${Version}' python3-torch 2>/dev/null || echo 'not from dpkg')); $("$PY" --version)"
    echo "PyTorch BLAS: $(LD_LIBRARY_PATH="$PY_LIBS" ldd "$("$PY" -c 'import torch,os; print(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))')" | awk '/libblas/ {print $3}' | xargs -r readlink -f)"
    echo "OpenBLAS for PyTorch: $OPENBLAS_DIR ($(dpkg-query -W -f='${Package} ${Version}' "libopenblas0-${OPENBLAS_DIR##*/openblas-}" 2>/dev/null || true))"
    echo "timing protocol: per round, warmup $WARMUP steps, then median over $REPEATS repeats of $STEPS steps (sgemm: $SGEMM_STEPS products per repeat); the two frameworks alternate for $ROUNDS rounds, CSV = median over rounds (and the fastest round, *_best_us); batches: $BATCHES; threads: $THREADS"
} > "$OUT/machine.txt"

"$PY" - "$OUT" "$BATCHES" "$ROUNDS" $THREADS <<'PYEOF'
import csv, json, statistics, sys
out, batches, rounds, threads = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), sys.argv[4:]

def load(framework, b, t):
    """One framework's rounds for (batch, threads), as one result: medians over rounds."""
    runs = [json.load(open(f"{out}/raw/{framework}-batch{b}-threads{t}-round{r}.json")) for r in range(1, rounds + 1)]
    result = dict(runs[0])
    result["sgemm"] = {"gflops": statistics.median(run["sgemm"]["gflops"] for run in runs)}
    result["models"] = []
    for m in runs[0]["models"]:
        rounds_us = [next(x for x in run["models"] if x["model"] == m["model"])["step_us"] for run in runs]
        step_us = statistics.median(rounds_us)
        result["models"].append(dict(m, step_us=step_us, best_us=min(rounds_us), gflops=m["flops_per_step"] / step_us / 1e3))
    return result

# *_us: median over rounds; *_best_us: the fastest round (this VM's interference only ever slows a round down).
columns = ["model", "params", "batch", "threads", "torchsharp_us", "pytorch_us", "ratio", "torchsharp_best_us", "pytorch_best_us", "best_ratio",
           "torchsharp_gflops", "pytorch_gflops",
           "torchsharp_sgemm_gflops", "pytorch_sgemm_gflops", "sgemm_gflops", "fraction_of_sgemm", "pytorch_fraction_of_sgemm"]
rows = []
for b, t in [(b, t) for b in batches for t in threads]:
    ts, py = load("torchsharp", b, t), load("pytorch", b, t)
    pym = {m["model"]: m for m in py["models"]}
    # The machine's sgemm rate: the better of the two libraries' (MKL in libtorch, OpenBLAS for Debian's torch).
    sgemm = max(ts["sgemm"]["gflops"], py["sgemm"]["gflops"])
    for m in ts["models"]:
        p = pym[m["model"]]
        assert m["params"] == p["params"] and m["flops_per_step"] == p["flops_per_step"], f"{m['model']}: the two models differ"
        rows.append({
            "model": m["model"], "params": m["params"], "batch": int(b), "threads": ts["threads"],
            "torchsharp_us": round(m["step_us"], 1), "pytorch_us": round(p["step_us"], 1),
            "ratio": round(m["step_us"] / p["step_us"], 3),
            "torchsharp_best_us": round(m["best_us"], 1), "pytorch_best_us": round(p["best_us"], 1),
            "best_ratio": round(m["best_us"] / p["best_us"], 3),
            "torchsharp_gflops": round(m["gflops"], 2), "pytorch_gflops": round(p["gflops"], 2),
            "torchsharp_sgemm_gflops": round(ts["sgemm"]["gflops"], 1), "pytorch_sgemm_gflops": round(py["sgemm"]["gflops"], 1),
            "sgemm_gflops": round(sgemm, 1), "fraction_of_sgemm": round(m["gflops"] / sgemm, 4),
            "pytorch_fraction_of_sgemm": round(p["gflops"] / sgemm, 4),
        })
with open(f"{out}/side_by_side.csv", "w", newline="") as f:
    w = csv.DictWriter(f, columns)
    w.writeheader()
    w.writerows(rows)
print(f"\n{'model':<10} {'params':>8} {'batch':>5} {'thr':>3} {'TorchSharp µs':>14} {'PyTorch µs':>11} {'ratio':>6} {'best':>5}  {'TS GFLOP/s':>10} {'of sgemm':>8}")
for r in rows:
    print(f"{r['model']:<10} {r['params']:>8} {r['batch']:>5} {r['threads']:>3} {r['torchsharp_us']:>14.1f} {r['pytorch_us']:>11.1f} {r['ratio']:>6.2f} {r['best_ratio']:>5.2f}"
          f"  {r['torchsharp_gflops']:>10.2f} {r['fraction_of_sgemm']:>8.1%}")
print("ratio = TorchSharp step time / PyTorch step time, medians over rounds (≤ 1: TorchSharp is at least as fast); best = the same for each side's fastest round; "
      "of sgemm = TorchSharp's step GFLOP/s / the machine's 2048² sgemm GFLOP/s")
print(f"→ {out}/side_by_side.csv, {out}/machine.txt, {out}/raw/")
PYEOF
