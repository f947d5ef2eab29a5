#!/usr/bin/env bash
# Describes this machine and checkout for results/perf/ (side_by_side.sh and batched_seeds.sh
# append their own lines): date, commit, processor, memory, OS, .NET, TorchSharp and its libtorch.
set -euo pipefail
cd "$(dirname "$0")/.."
assets=src/OversightLab.Benchmarks/obj/project.assets.json
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
# Local changes to the code, not to results/ (the scripts rewrite their own results before this runs).
echo "git commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- . ':(exclude)results' 2>/dev/null || echo ' (with local changes)')"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
echo "cpus (lscpu): $(lscpu | sed -n 's/^CPU(s): *//p'); threads per core: $(lscpu | sed -n 's/^Thread(s) per core: *//p'); nproc --all: $(nproc --all)"
echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
echo "kernel: $(uname -r); os: $(. /etc/os-release && echo "$PRETTY_NAME")"
echo ".NET SDK: $(dotnet --version)"
echo "TorchSharp: $(grep -o '"TorchSharp/[^"]*"' "$assets" | head -1 | tr -d '"' | cut -d/ -f2)"
echo "libtorch (TorchSharp's bundle): $(grep -o '"libtorch-cpu-linux-x64/[^"]*"' "$assets" | head -1 | tr -d '"')"
