#!/usr/bin/env bash
# The README's test command: installs the Debian packages that the tests start themselves, when they
# are missing, then builds and runs every test. Arguments go to dotnet test (--filter NAME, say).
# chromium: the browser tests; slurm-wlm and munge: the batch command under a real Slurm
# (tests/slurm); ffmpeg: the video command's input and output; redis-server: the web app's queue and
# its workers; npm: the page's onnxruntime-web, which the build fetches (the live camera's tests);
# libgtk-3-0: OpenCV's native library (video's optical flow) links it. Installing needs root or sudo; the tests also mount a small tmpfs (a full disk) with it.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] || missing+=(slurm-wlm)
[ -x /usr/sbin/munged ] || missing+=(munge)
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v npm >/dev/null || missing+=(npm)
/sbin/ldconfig -p | grep -q 'libgtk-3\.so\.0 ' || missing+=(libgtk-3-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests: installing Debian's ${missing[*]} for the tests" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
fi
dotnet test NeuralStyle.slnx -c Release "$@"
