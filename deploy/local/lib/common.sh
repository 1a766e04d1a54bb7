# Shared helpers of the local stack: one state directory, logs, pid files and port checks.
# Sourced by deploy/local/cairn; never run directly.

CAIRN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CAIRN_STATE_DIR=${CAIRN_STATE_DIR:-$CAIRN_ROOT/.cairn}
CAIRN_LOG_DIR=$CAIRN_STATE_DIR/logs
CAIRN_RUN_DIR=$CAIRN_STATE_DIR/run
# Ports away from the usual defaults so a developer's own Kafka/PostgreSQL never clashes; all overridable.
CAIRN_KAFKA_PORT=${CAIRN_KAFKA_PORT:-19092}
CAIRN_KAFKA_CONTROLLER_PORT=${CAIRN_KAFKA_CONTROLLER_PORT:-19093}
CAIRN_PG_PORT=${CAIRN_PG_PORT:-15433}
CAIRN_CHECKPOINT_PORT=${CAIRN_CHECKPOINT_PORT:-18081}
CAIRN_BACKUP_PORT=${CAIRN_BACKUP_PORT:-18082}
CAIRN_AGENT_PORT=${CAIRN_AGENT_PORT:-18083}
CAIRN_MIN_FREE_MB=${CAIRN_MIN_FREE_MB:-2048}

say()  { printf '\033[1;34m[cairn]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[cairn] warning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[cairn] error:\033[0m %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }

ensure_state_dirs() {
  mkdir -p "$CAIRN_STATE_DIR" "$CAIRN_LOG_DIR" "$CAIRN_RUN_DIR" || die "cannot create the state directory $CAIRN_STATE_DIR"
}

# Refuses to start on a nearly full disk: a broker or database that dies of ENOSPC later is far harder to diagnose.
check_free_disk() {
  local free_mb
  free_mb=$(df -Pm "$CAIRN_STATE_DIR" | awk 'NR==2 {print $4}')
  [ -n "$free_mb" ] || die "cannot read the free space of $CAIRN_STATE_DIR"
  if [ "$free_mb" -lt "$CAIRN_MIN_FREE_MB" ]; then
    die "only ${free_mb} MiB free under $CAIRN_STATE_DIR; the local stack needs at least ${CAIRN_MIN_FREE_MB} MiB (set CAIRN_STATE_DIR to a larger disk)"
  fi
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

pidfile_pid() { [ -f "$CAIRN_RUN_DIR/$1.pid" ] && cat "$CAIRN_RUN_DIR/$1.pid"; }

running() { pid_alive "$(pidfile_pid "$1")"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Says who holds a port, so "port taken" errors name the culprit.
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\))).*/\1/p' | head -1; }

require_port_free() { # name port variable
  if port_open "$2"; then
    die "port $2 needed by $1 is taken by another process (${4:-$(port_owner "$2")}); free it or set $3 to another port"
  fi
}

wait_for() { # description timeout-seconds command...
  local what=$1 timeout=$2; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

stop_pid() { # name [grace-seconds]
  local name=$1 grace=${2:-20} pid
  pid=$(pidfile_pid "$name") || true
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_for "$name to stop" "$grace" bash -c "! kill -0 $pid 2>/dev/null"; then
      warn "$name (pid $pid) ignored SIGTERM for ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$CAIRN_RUN_DIR/$name.pid"
}
