#!/usr/bin/env bash
# Run by HiveOS (in its miner screen, restarted when it exits): sero-miner with the arguments
# h-config.sh wrote; the log goes where HiveOS rotates it.
cd "$(dirname "$0")" || exit 1
. ./h-manifest.conf
[[ -f $CUSTOM_CONFIG_FILENAME ]] || { echo "no $CUSTOM_CONFIG_FILENAME: h-config.sh has not run" >&2; exit 1; }
mkdir -p "$(dirname "$CUSTOM_LOG_BASENAME")"
mapfile -t args < "$CUSTOM_CONFIG_FILENAME"
exec ./sero-miner mine "${args[@]}"
