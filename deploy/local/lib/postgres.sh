# A private PostgreSQL cluster from Debian's server binaries, run as the postgres user in the state directory.

PG_HOME=$CAIRN_STATE_DIR/pg
PG_DATA=$PG_HOME/data

pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$CAIRN_PG_PORT" 2>/dev/null; }

pg_start() {
  PG_BIN=$(postgres_bin_dir) || die "PostgreSQL server binaries are missing (package postgresql)"
  if [ -f "$PG_DATA/postmaster.pid" ] && pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    pg_ensure_databases
    say "PostgreSQL already running on 127.0.0.1:$CAIRN_PG_PORT"
    return 0
  fi
  require_port_free "PostgreSQL" "$CAIRN_PG_PORT" CAIRN_PG_PORT
  local t0; t0=$(now_ms)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    install -d -o postgres -g postgres "$PG_HOME"
    # The postgres user must be able to reach its data dir through every parent directory.
    runuser -u postgres -- test -x "$PG_HOME" || die "the postgres user cannot reach $PG_HOME (a parent directory is not world-executable); set CAIRN_STATE_DIR elsewhere"
  else
    mkdir -p "$PG_HOME"
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    pg_as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N \
      >"$CAIRN_LOG_DIR/pg-initdb.log" 2>&1 || die "initdb failed; see $CAIRN_LOG_DIR/pg-initdb.log"
  fi
  # fsync off: this cluster is for local runs and tests only; production uses CloudNativePG.
  pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_HOME/postgres.log" -w -t 60 \
    -o "-p $CAIRN_PG_PORT -k $PG_HOME -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >"$CAIRN_LOG_DIR/pg-start.log" 2>&1 || die "PostgreSQL did not start; see $CAIRN_LOG_DIR/pg-start.log and $PG_HOME/postgres.log"
  pg_ensure_databases
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$CAIRN_PG_PORT in $(( $(now_ms) - t0 )) ms"
}

# The role and one database per service (and per service's tests); idempotent.
pg_ensure_databases() {
  local db
  for db in cairn_checkpoint cairn_backup cairn_checkpoint_test cairn_backup_test cairn_test; do
    psql -q -h 127.0.0.1 -p "$CAIRN_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL || die "creating database $db failed"
SELECT 'CREATE ROLE cairn LOGIN PASSWORD ''cairn''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cairn')\gexec
SELECT 'CREATE DATABASE $db OWNER cairn' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\gexec
SQL
  done
}

pg_stop() {
  PG_BIN=$(postgres_bin_dir) || return 0
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    say "stopping PostgreSQL"
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || warn "pg_ctl stop failed"
  fi
}
