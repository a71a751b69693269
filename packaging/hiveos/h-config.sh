#!/usr/bin/env bash
# Sourced by HiveOS before each start: writes the miner's arguments from the flight sheet,
# one per line, to $CUSTOM_CONFIG_FILENAME. Reads CUSTOM_URL (one or more pool URLs, space or
# newline separated: the first is the primary, the rest fail over), CUSTOM_TEMPLATE (wallet.worker),
# CUSTOM_PASS and CUSTOM_USER_CONFIG (more sero-miner options, which win over these).
. "$(dirname "${BASH_SOURCE[0]}")/h-manifest.conf"

# %-encodes what would end the password early or split the URI (as the -P syntax allows)
sero_uri_escape() {
  local v=${1//%/%25}
  v=${v//@/%40}; v=${v//:/%3A}; v=${v//\//%2F}; v=${v// /%20}; v=${v//#/%23}; v=${v//\?/%3F}
  printf '%s' "$v"
}

sero_miner_args=()
for sero_url in $CUSTOM_URL; do
  # a URL without a scheme is a SERO pool's stratum1 over TCP; the template takes the place of a user in it
  [[ $sero_url == *://* ]] || sero_url="stratum1+tcp://$sero_url"
  sero_scheme=${sero_url%%://*}
  sero_host=${sero_url#*://}
  if [[ -n $CUSTOM_TEMPLATE ]]; then
    sero_host=${sero_host##*@}
    sero_user=$CUSTOM_TEMPLATE
    [[ -n $CUSTOM_PASS ]] && sero_user+=":$(sero_uri_escape "$CUSTOM_PASS")"
    sero_url="$sero_scheme://$sero_user@$sero_host"
  fi
  sero_miner_args+=(-P "$sero_url")
done
sero_miner_args+=("--api-port=-$SERO_MINER_API_PORT" --log-file "$CUSTOM_LOG_BASENAME.log")
# the user's options (any number of lines), split into words at blanks, last so they win
read -r -d '' -a sero_user_args <<< "$CUSTOM_USER_CONFIG"
sero_miner_args+=("${sero_user_args[@]}")

printf '%s\n' "${sero_miner_args[@]}" > "$CUSTOM_CONFIG_FILENAME"
unset sero_url sero_scheme sero_host sero_user sero_user_args sero_miner_args
unset -f sero_uri_escape
