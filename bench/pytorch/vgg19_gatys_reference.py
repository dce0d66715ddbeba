"""The reference the benchmark compares with: the same Gatys loop in plain PyTorch eager.

VGG-19 to relu5_1 with random weights (speed does not depend on them), content relu4_2, style
relu1_1..relu5_1, torch.optim.LBFGS with history 100 and no tolerances: the loop of the reference
tools. Prints one JSON line per size with seconds per evaluation (min/median/max of timed ones).
Usage: python3 vgg19_gatys_reference.py --sizes 256,512 --evaluations 10 --warmup 2 [--device cuda] [--threads N]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

# (in, out) channels of each convolution; "M" is a 2x2 max pool.
LAYOUT = [(3, 64), (64, 64), "M", (64, 128), (128, 128), "M", (128, 256), (256, 256), (256, 256), (256, 256), "M",
          (256, 512), (512, 512), (512, 512), (512, 512), "M", (512, 512)]
# Convolutions counted from 0: conv1_1 = 0, conv2_1 = 2, conv3_1 = 4, conv4_1 = 8, conv4_2 = 9, conv5_1 = 12.
STYLE = {0: "relu1_1", 2: "relu2_1", 4: "relu3_1", 8: "relu4_1", 12: "relu5_1"}
CONTENT = {9: "relu4_2"}


def network(device):
    layers = []
    for item in LAYOUT:
        layers += [nn.MaxPool2d(2)] if item == "M" else [nn.Conv2d(item[0], item[1], 3, padding=1), nn.ReLU()]
    net = nn.Sequential(*layers).to(device).eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def responses(net, x):
    out, conv = {}, -1
    for module in net:
        x = module(x)
        if isinstance(module, nn.Conv2d):
            conv += 1
        elif isinstance(module, nn.ReLU) and (conv in STYLE or conv in CONTENT):
            out[conv] = x
    return out


def gram(f):
    f = f.reshape(f.shape[1], -1)
    return f @ f.t()


def bench(size, evaluations, warmup, device):
    torch.manual_seed(0)
    net = network(device)
    with torch.no_grad():
        content = responses(net, torch.rand(1, 3, size, size, device=device))
        style = responses(net, torch.rand(1, 3, size, size, device=device))
        targets = {i: content[i] for i in CONTENT}
        grams = {i: gram(style[i]) for i in STYLE}
    x = torch.rand(1, 3, size, size, device=device).requires_grad_(True)
    optimiser = torch.optim.LBFGS([x], lr=1, max_iter=warmup + evaluations, history_size=100,
                                  tolerance_grad=-1, tolerance_change=-1)
    stamps = []

    def closure():
        optimiser.zero_grad()
        f = responses(net, x)
        loss = sum(0.5 * ((f[i] - targets[i]) ** 2).sum() for i in CONTENT)
        for i in STYLE:
            n, m = f[i].shape[1], f[i].shape[2] * f[i].shape[3]
            loss = loss + 1e3 * 0.2 * ((gram(f[i]) - grams[i]) ** 2).sum() / (4 * n * n * m * m)
        loss.backward()
        if device == "cuda":
            torch.cuda.synchronize()
        stamps.append(time.perf_counter())
        return loss

    stamps.append(time.perf_counter())
    optimiser.step(closure)
    # Each interval spans one evaluation and the optimiser's work before the next, as ours does.
    seconds = sorted(b - a for a, b in zip(stamps[warmup:], stamps[warmup + 1:]))
    return {"torch": torch.__version__, "device": device, "threads": torch.get_num_threads(), "size": size,
            "min": seconds[0], "median": statistics.median(seconds), "max": seconds[-1]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="256,512")
    parser.add_argument("--evaluations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "cuda":
        torch.backends.cudnn.benchmark = True
    for size in (int(s) for s in args.sizes.split(",")):
        print(json.dumps(bench(size, args.evaluations, args.warmup, args.device)), flush=True)


if __name__ == "__main__":
    main()
