#!/usr/bin/env bash
# Run on the lent GPU machine from the repository root, after bench/gpu/prepare.sh here, with carry
# [".device"]: every GPU measurement of issue 4 in one call, each written under $OUT.
#   1. seconds per VGG-19 iteration at 512² and 1024², float32 and bfloat16, beside PyTorch's loop;
#   2. 500 iterations at 512 px from start to written file (a random torchvision VGG-19 file,
#      as large as the real one, since no trained weights reach that machine);
#   3. 4096 × 4096 in float32 and in bfloat16 with a short L-BFGS history, the GPU's memory sampled.
# PEAK (GFLOP/s) gives the card's peak for the fraction-of-peak column. To try the script on a CPU
# machine: TORCH_LIB (a libtorch 2.10 folder), DEVICE=cpu, WEIGHTS (a VGG-19 file to use instead of a
# random torchvision one), SIZES, ITERATIONS, E2E_ITERATIONS and BIG make it smaller.
set -uo pipefail
out=${OUT:-/tmp/gpu-out}
mkdir -p "$out"
device=${DEVICE:-cuda}
sizes=${SIZES:-512,1024}
iterations=${ITERATIONS:-50}
e2e_iterations=${E2E_ITERATIONS:-500}
big=${BIG:-4096}
tar -C /tmp -xJf .device/dotnet.tar.xz
lib=${TORCH_LIB:-$(python3 -c "import os, torch; print(os.path.dirname(torch.__file__) + '/lib')")}
export DOTNET_ROOT=/tmp/dn LD_LIBRARY_PATH=$lib:$PWD/.device/app
run() { /tmp/dn/dotnet ".device/app/$1.dll" "${@:2}"; }
# Runs a command, then prints its seconds, its exit status and, on a GPU, the most memory the GPU
# held meanwhile (sampled every 100 ms).
measured() {
  local start sampler="" status
  start=$(date +%s.%N)
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > /tmp/memory-used-mib.txt &
    sampler=$!
  fi
  "$@"
  status=$?
  echo "$(echo "$(date +%s.%N) - $start" | bc) s, exit $status"
  if [ -n "$sampler" ]; then
    kill "$sampler"
    echo "most GPU memory used: $(sort -n /tmp/memory-used-mib.txt | tail -1) MiB"
  fi
}
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"

peak=()
[ -n "${PEAK:-}" ] && peak=(--peak-gflops "$PEAK")
run neural-style-bench --device "$device" --networks vgg19 --sizes "$sizes" --iterations "$iterations" --warmup 5 --pytorch python3 "${peak[@]}" 2>&1 | tee "$out/bench-float32.txt"
run neural-style-bench --device "$device" --networks vgg19 --sizes "$sizes" --iterations "$iterations" --warmup 5 --precision bfloat16 "${peak[@]}" 2>&1 | tee "$out/bench-bfloat16.txt"

weights=${WEIGHTS:-/tmp/vgg19.pth}
[ -n "${WEIGHTS:-}" ] || python3 -c "import torch, torchvision; torch.save(torchvision.models.vgg19().state_dict(), '$weights')"
{
  echo "$e2e_iterations iterations, 512 px, VGG-19, L-BFGS, one scale, from start to written file:"
  measured run neural-style samples/chelsea.png samples/ihc.png -o "$out/e2e-512.png" --network vgg19 --weights "$weights" --size 512 --scales 1 --iterations "$e2e_iterations" --seed 1 --device "$device"
  for precision in float32 bfloat16; do
    echo "$big px square, $precision, L-BFGS history 10, 3 iterations:"
    measured run neural-style samples/ihc.png samples/ihc.png -o "/tmp/big-$big-$precision.png" --network vgg19 --weights "$weights" --size "$big" --scales 1 --iterations 3 --lbfgs-history 10 --precision "$precision" --seed 1 --device "$device"
  done
} 2>&1 | tee "$out/jobs.txt"
