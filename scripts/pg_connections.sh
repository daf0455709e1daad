#!/usr/bin/env bash
# Connection slots for two test workers on this machine's PostgreSQL (make test runs the
# suite on two cores): the concurrency tests open dozens of connections at once, and two
# workers' live servers and tests need more than the default 100. Raises max_connections
# on the main cluster and, first, on the streaming replica if there is one (a standby
# refuses to run with fewer than its primary). Idempotent; run as root on Debian.
set -euo pipefail
want=${PG_MAX_CONNECTIONS:-300}
version=$(ls /etc/postgresql | sort -n | tail -n 1)
current=$(su postgres -c "psql -qtAc 'SHOW max_connections'")
if [ "$current" -ge "$want" ]; then
  exit 0
fi
if pg_lsclusters --no-header | awk '{print $2}' | grep -qx replica; then
  echo "max_connections = $want" > "/etc/postgresql/$version/replica/conf.d/connections.conf"
  if pg_lsclusters --no-header | grep -E "\sreplica\s" | grep -q online; then
    pg_ctlcluster --skip-systemctl-redirect "$version" replica restart
  fi
fi
su postgres -c "psql -qtAc \"ALTER SYSTEM SET max_connections = $want\"" >/dev/null
pg_ctlcluster --skip-systemctl-redirect "$version" main restart
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
echo "max_connections = $(su postgres -c "psql -qtAc 'SHOW max_connections'")"
