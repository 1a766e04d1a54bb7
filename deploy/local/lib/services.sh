# The three Cairn services, run from their Quarkus builds with the local stack's addresses.
# The local agent may write beside the demo VMs' disks too: libvirt's default backup target is <disk>.<suffix>.

CAIRN_SERVICES=(checkpoint-service backup-service host-agent)

service_port() {
  case $1 in
    checkpoint-service) echo "$CAIRN_CHECKPOINT_PORT" ;;
    backup-service) echo "$CAIRN_BACKUP_PORT" ;;
    host-agent) echo "$CAIRN_AGENT_PORT" ;;
  esac
}

# Metrics and OpenAPI: each service's management interface, on its API port + 1000.
service_management_port() { echo $(( $(service_port "$1") + 1000 )); }

service_db() {
  case $1 in
    checkpoint-service) echo cairn_checkpoint ;;
    backup-service) echo cairn_backup ;;
    *) echo "" ;;
  esac
}

# Each service logs in to Kafka as its own principal (made by 'topics'); the local agent as its host's.
service_principal() {
  case $1 in
    host-agent) echo "cairn-agent-$CAIRN_LOCAL_HOST_ID" ;;
    *) echo "$1" ;;
  esac
}

build_all() {
  say "building Cairn (mvn install -DskipTests)"
  local t0; t0=$(now_ms)
  (cd "$CAIRN_ROOT" && mvn -B -q install -DskipTests) >"$CAIRN_LOG_DIR/build.log" 2>&1 \
    || die "the build failed; see $CAIRN_LOG_DIR/build.log"
  say "built in $(( $(now_ms) - t0 )) ms"
}

service_ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/ready" 2>/dev/null; }

# The services' JVM options (CAIRN_SERVICE_JVM_OPTS overrides them) and the agent's (CAIRN_AGENT_JVM_OPTS). The agent's
# live set is small: a 96 MiB serial-collected heap took its RSS from 215-298 MiB to 178-213 MiB under the benchmark.
CAIRN_SERVICE_JVM_OPTS=${CAIRN_SERVICE_JVM_OPTS:--Xmx256m}
CAIRN_AGENT_JVM_OPTS=${CAIRN_AGENT_JVM_OPTS:--Xmx96m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m}

service_start() {
  local name=$1 port jar
  port=$(service_port "$name")
  jar=$CAIRN_ROOT/$name/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || die "$jar is missing; the build did not produce $name"
  if running "$name"; then
    say "$name already running on http://127.0.0.1:$port"
    return 0
  fi
  require_port_free "$name" "$port" "CAIRN_$(echo "${name%%-*}" | tr a-z A-Z)_PORT"
  local t0 public_key principal jvm_opts=$CAIRN_SERVICE_JVM_OPTS; t0=$(now_ms)
  [ "$name" = host-agent ] && jvm_opts=$CAIRN_AGENT_JVM_OPTS
  public_key=$(security_public_key)
  principal=$(service_principal "$name")
  CAIRN_JWT_PUBLIC_KEY=$public_key CAIRN_JWT_ISSUER=$CAIRN_JWT_ISSUER \
  KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP KAFKA_SASL_JAAS_CONFIG=$(kafka_jaas "$principal") PG_HOST=127.0.0.1 PG_PORT=$CAIRN_PG_PORT PG_DB=$(service_db "$name") \
  PG_USER=cairn PG_PASSWORD=cairn CAIRN_QMP_DIR=$CAIRN_QMP_DIR CAIRN_STORAGE_DIR=$CAIRN_STORAGE_DIR \
  CAIRN_HOST_ID=$CAIRN_LOCAL_HOST_ID CAIRN_AGENT_STATE_DIR=$CAIRN_STATE_DIR/agent \
  CAIRN_TRACE_FILE=${CAIRN_TRACE_FILE:-$CAIRN_LOG_DIR/traces.jsonl} \
  CAIRN_CHECKPOINT_URL=http://127.0.0.1:$CAIRN_CHECKPOINT_PORT \
    nohup java $jvm_opts -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port="$(service_management_port "$name")" -Dquarkus.management.host=127.0.0.1 \
    -Dcairn.agent.storage-roots="$CAIRN_STORAGE_DIR,$CAIRN_VM_DIR" -jar "$jar" \
    >"$CAIRN_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$CAIRN_RUN_DIR/$name.pid"
  if ! wait_for "$name" 60 service_ready "$port"; then
    running "$name" || die "$name exited during start; see $CAIRN_LOG_DIR/$name.log"
    die "$name did not become ready within 60 s; see $CAIRN_LOG_DIR/$name.log"
  fi
  say "$name ready on http://127.0.0.1:$port in $(( $(now_ms) - t0 )) ms"
}

service_stop() {
  running "$1" && say "stopping $1"
  stop_pid "$1" 20
}
