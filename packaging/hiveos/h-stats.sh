#!/usr/bin/env bash
# Sourced by the HiveOS agent: sets $khs (total kH/s) and $stats (hs, hs_units, temp, fan,
# uptime, ar, algo, ver, bus_numbers) from the miner's API, read by the runtime in the package
# (no jq or node needed). When the miner does not answer: khs=0, stats=null.
. "$(dirname "${BASH_SOURCE[0]}")/h-manifest.conf"
khs=
stats=
{ read -r khs; read -r stats; } < <("$sero_miner_dir/sero-miner" farm-stats hiveos --api-port "$SERO_MINER_API_PORT" 2>/dev/null)
[[ -z $khs ]] && khs=0
[[ -z $stats ]] && stats=null
