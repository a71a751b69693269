#!/usr/bin/env bash
# mmpOS' launcher: give this script as the custom miner's executable and sero-miner's options
# (-P stratum1+tcp://WALLET.WORKER@pool:port …) as its arguments; the API mmp-stats.sh reads is added.
cd "$(dirname "$0")" || exit 1
exec ./sero-miner mine --api-port=-"${SERO_MINER_API_PORT:-3338}" "$@"
