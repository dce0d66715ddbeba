#!/usr/bin/env bash
# A one-node Slurm on this machine for the tests: munged, slurmctld and slurmd, no cgroups, every
# file under DIR (state, spool, logs, slurm.conf). Prints the slurm.conf path; the caller sets
# SLURM_CONF to it for sbatch, squeue and scancel, and runs stop-local-slurm.sh DIR at the end.
# Needs Debian's slurm-wlm and munge (.ci/run installs them) and root (the daemons run as root here).
set -euo pipefail
dir=$(realpath "${1:?usage: start-local-slurm.sh DIR}")
mkdir -p "$dir"/{state,spool,log,munge}
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))

# munge: a key of its own and a socket in DIR, so that nothing of the machine's is touched.
key="$dir/munge/munge.key"
[ -f "$key" ] || { dd if=/dev/urandom of="$key" bs=1024 count=1 status=none; chmod 400 "$key"; }
socket="$dir/munge/munge.socket"
munged --force --key-file="$key" --socket="$socket" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

conf="$dir/slurm.conf"
# KillWait is Slurm's default, 30 s: a cancelled task stops after its current step, but one still
# loading its network on a busy machine needs more than a few seconds to reach a step.
cat > "$conf" <<CONF
ClusterName=nstest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=30
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

SLURM_CONF="$conf" slurmctld
SLURM_CONF="$conf" slurmd
for _ in $(seq 1 60); do
  if SLURM_CONF="$conf" sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "$conf"
    exit 0
  fi
  sleep 0.5
done
echo "start-local-slurm: the node did not come up; see $dir/log" >&2
exit 1
