"""Times one training step of each OversightLab ladder model in PyTorch, for perf/side_by_side.sh.

The models and the step mirror src/OversightLab.Benchmarks/LadderStep.cs exactly: average-pool,
flatten, Linear+ReLU hidden layers, a zero-initialised linear head; input 1x28x28, 2 classes,
batch 32; soft cross-entropy -(y * log_softmax(z)).sum(1).mean(); Adam (lr 1e-3, weight decay 0,
the default single-tensor implementation); the step is forward, loss, backward, optimizer step,
zero_grad. Timing protocol (as StepTimer.cs): `warmup` untimed steps, then the median over
`repeats` of (time of `steps` consecutive steps) / `steps`. Also a square sgemm (torch.mm).

PyTorch is a comparison tool only; OversightLab never depends on it. Run with Debian's
/usr/bin/python3 (python3-torch).
"""
import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn

# src/OversightLab/Models/ModelLadder.cs: name -> (pool, hidden widths)
LADDER = {
    "mlp-xs": (4, [16, 16]),
    "mlp-s": (4, [64, 32]),
    "lin-pool7": (4, []),
    "mlp-m": (2, [128, 64]),
    "mlp-l": (1, [256, 128]),
    "mlp-xl": (1, [512, 512]),
}
CLASSES = 2


def build(pool, hidden):
    layers = [nn.AvgPool2d(pool)] if pool > 1 else []
    layers.append(nn.Flatten(1))
    width = (28 // pool) ** 2
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    head = nn.Linear(width, CLASSES)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.zero_()
    layers.append(head)
    return nn.Sequential(*layers), width


def dims(pool, hidden):
    width = (28 // pool) ** 2
    out = []
    for h in hidden + [CLASSES]:
        out.append((width, h))
        width = h
    return out


def timed(action, steps):
    start = time.perf_counter()
    for _ in range(steps):
        action()
    return (time.perf_counter() - start) / steps


def median_of(repeats, sample):
    return statistics.median(sample() for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--models", default=",".join(LADDER))
    parser.add_argument("--sgemm-size", type=int, default=2048)
    parser.add_argument("--sgemm-steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--zero-grad-set-to-none", type=int, choices=[0, 1], default=1,
                        help="match TorchSharp's zero_grad (StepTimer reports which it does)")
    args = parser.parse_args()
    warmup = max(1, args.warmup)
    batch = args.batch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    n = args.sgemm_size
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        torch.mm(a, b)
    sgemm_seconds = median_of(args.repeats, lambda: timed(lambda: torch.mm(a, b), args.sgemm_steps))
    sgemm_gflops = 2.0 * n ** 3 / sgemm_seconds / 1e9
    print(f"pytorch threads={torch.get_num_threads()} sgemm {n}²: {sgemm_gflops:.1f} GFLOP/s")

    rows = []
    for name in args.models.split(","):
        pool, hidden = LADDER[name]
        model, _ = build(pool, hidden)
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0)
        images = torch.rand(batch, 1, 28, 28)
        targets = nn.functional.one_hot(torch.randint(0, CLASSES, (batch,)), CLASSES).float()
        set_to_none = bool(args.zero_grad_set_to_none)

        def step():
            loss = -(targets * model(images).log_softmax(1)).sum(1).mean()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=set_to_none)

        for _ in range(warmup):
            step()
        seconds = median_of(args.repeats, lambda: timed(step, args.steps))
        flops = 3 * sum(2.0 * batch * i * o for i, o in dims(pool, hidden))
        gflops = flops / seconds / 1e9
        params = sum(p.numel() for p in model.parameters())
        print(f"pytorch threads={args.threads} {name:<10} {seconds * 1e6:9.1f} µs/step  {gflops:7.2f} GFLOP/s  {gflops / sgemm_gflops:6.1%} of sgemm")
        rows.append({"model": name, "params": params, "flops_per_step": flops, "step_us": seconds * 1e6, "gflops": gflops})

    result = {
        "framework": "pytorch",
        "framework_version": torch.__version__,
        "runtime": "Python " + sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "protocol": {"warmup": warmup, "repeats": args.repeats, "steps": args.steps, "batch": batch},
        "zero_grad_set_to_none": bool(args.zero_grad_set_to_none),
        "adam": "single-tensor (foreach=None → False in torch 1.13)",
        "sgemm": {"size": n, "steps": args.sgemm_steps, "seconds": sgemm_seconds, "gflops": sgemm_gflops},
        "models": rows,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
