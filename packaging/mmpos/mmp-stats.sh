#!/usr/bin/env bash
# Run by the mmpOS agent (arguments: device count, log file): prints the stats JSON it reads
# (busid, hash, units, air, temp, fan, miner_name, miner_version) from the miner's API.
exec "$(dirname "$0")/sero-miner" farm-stats mmpos --api-port "${SERO_MINER_API_PORT:-3338}"
