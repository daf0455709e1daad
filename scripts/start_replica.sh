#!/usr/bin/env bash
# A PostgreSQL streaming replica of this machine's main cluster, on port 5433, for the
# replica tests (and to try the replica locally). Idempotent; run as root on Debian.
# Prints the URL to set as REPLICA_TEST_URL / DATABASE_REPLICA_URL (user and database
# as the primary's).
set -euo pipefail
version=$(ls /etc/postgresql | sort -n | tail -n 1)
port=${REPLICA_PORT:-5433}
hba=/etc/postgresql/$version/main/pg_hba.conf
if ! grep -qE '^local\s+replication\s+all\s+trust' "$hba"; then
  echo "local replication all trust" >> "$hba"
  su postgres -c "psql -qtAc 'SELECT pg_reload_conf()'" >/dev/null
fi
# Keep 2 GB of WAL for the standby to catch up: a long, write-heavy test run must not
# recycle WAL it has not replayed yet (without a slot, which an abandoned standby would
# leave holding WAL forever).
if [ "$(su postgres -c "psql -qtAc 'SHOW wal_keep_size'")" = "0" ]; then
  su postgres -c "psql -qtAc \"ALTER SYSTEM SET wal_keep_size = '2GB'\"" >/dev/null
  su postgres -c "psql -qtAc 'SELECT pg_reload_conf()'" >/dev/null
fi
if ! pg_lsclusters --no-header | awk '{print $2}' | grep -qx replica; then
  pg_createcluster "$version" replica --port "$port" >/dev/null
  rm -rf "/var/lib/postgresql/$version/replica/"*
  su postgres -c "pg_basebackup -h /var/run/postgresql -p 5432 -D /var/lib/postgresql/$version/replica -R -X stream"
fi
if ! pg_lsclusters --no-header | grep -E "\sreplica\s" | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" replica start
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
state=$(su postgres -c "psql -p $port -qtAc 'SELECT pg_is_in_recovery()'")
if [ "$state" != "t" ]; then
  echo "the cluster on port $port is not a standby" >&2
  exit 1
fi
echo "postgres://outreach:outreach@127.0.0.1:$port/outreach"
