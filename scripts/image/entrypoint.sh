#!/bin/sh
# The container's main process (under tini): the database migrated and the demo data loaded
# once, then the app with every stand-in, as `make run` does. SIGTERM stops them all.
set -eu
cd /app
python -m loggro_app.migrate
python -m loggro_app.seed
exec python -m loggro_app.local_stack run -- run --env prod \
  --frontend-port "$PORT" --backend-port "$PORT" --backend-host "$LOGGRO_BIND_HOST"
