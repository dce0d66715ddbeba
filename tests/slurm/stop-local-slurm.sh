#!/usr/bin/env bash
# Stops what start-local-slurm.sh DIR started, and waits until each daemon has ended: slurmctld
# writes its state as it stops, so DIR can be deleted only after that.
dir=$(realpath "${1:?usage: stop-local-slurm.sh DIR}")
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
done
exit 0
