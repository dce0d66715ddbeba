#!/usr/bin/env bash
# Run here, from the repository root, before a GPU session: puts into .device/ (ignored by git) what
# bench/gpu/run.sh needs on the lent GPU machine, which has no .NET and reaches no package feed:
# this machine's .NET runtime, and the benchmark and the tool built from the committed tree without
# libtorch (-p:TorchDevice=system: they load that machine's PyTorch libtorch through LD_LIBRARY_PATH).
# Then: device run, carry [".device"], command "bash bench/gpu/run.sh".
set -euo pipefail
root=$(pwd)
rm -rf "$root/.device"
../shared/device/pack-dotnet-runtime.sh >/dev/null
# A clone, so that this working tree's restore (the CPU libtorch) is left as it is.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/repo"
for project in bench/NeuralStyle.Bench src/NeuralStyle.Cli; do
  dotnet publish "$work/repo/$project" -c Release -p:TorchDevice=system -o "$root/.device/app" --nologo -v q
done
# The built-in ResNet-18 (45 MB) would not fit the 64 MiB that travels; the GPU checks use VGG-19.
rm -rf "$root/.device/app/models"
du -sh "$root/.device"
