#!/usr/bin/env bash
# Stops what start-local-slurm.sh DIR started.
dir=$(realpath "${1:?usage: stop-local-slurm.sh DIR}")
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
done
exit 0
