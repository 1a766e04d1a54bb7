# A real single-node Apache Kafka broker (KRaft, broker+controller) from Maven Central jars.

root_pom_property() { sed -n "s:.*<$1>\\(.*\\)</$1>.*:\\1:p" "$CAIRN_ROOT/pom.xml" | head -1; }
KAFKA_VERSION=$(root_pom_property kafka.version)
LOG4J2_VERSION=$(root_pom_property log4j2.version)
KAFKA_HOME=$CAIRN_STATE_DIR/kafka
KAFKA_LIB=$KAFKA_HOME/lib-$KAFKA_VERSION
KAFKA_BOOTSTRAP=127.0.0.1:$CAIRN_KAFKA_PORT

kafka_resolve_jars() {
  [ -f "$KAFKA_LIB/.complete" ] && return 0
  say "resolving Apache Kafka $KAFKA_VERSION jars from Maven Central"
  local t0; t0=$(now_ms)
  rm -rf "$KAFKA_LIB"; mkdir -p "$KAFKA_LIB"
  # Full plugin coordinates: the 'dependency:' prefix lookup hides the real cause when metadata download fails.
  mvn -B -q -f "$CAIRN_ROOT/deploy/local/kafka-broker/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j2.version="$LOG4J2_VERSION" \
    -DoutputDirectory="$KAFKA_LIB" >"$CAIRN_LOG_DIR/kafka-resolve.log" 2>&1 \
    || die "could not resolve the Kafka jars; see $CAIRN_LOG_DIR/kafka-resolve.log"
  touch "$KAFKA_LIB/.complete"
  say "Kafka jars ready in $(( $(now_ms) - t0 )) ms ($(ls "$KAFKA_LIB" | wc -l) jars)"
}

kafka_tool() { # main-class args...
  local main=$1; shift
  java -Xmx256m -Dlog4j2.configurationFile="$CAIRN_ROOT/deploy/local/config/tools-log4j2.properties" \
    -cp "$KAFKA_LIB/*" "$main" "$@"
}

kafka_write_config() {
  mkdir -p "$KAFKA_HOME/data"
  cat >"$KAFKA_HOME/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CAIRN_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$CAIRN_KAFKA_PORT,CONTROLLER://127.0.0.1:$CAIRN_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$CAIRN_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
}

kafka_ready() { port_open "$CAIRN_KAFKA_PORT" && grep -q 'Kafka Server started' "$CAIRN_LOG_DIR/kafka.log" 2>/dev/null; }

kafka_start() {
  if running kafka; then
    port_open "$CAIRN_KAFKA_PORT" || die "the Kafka broker (pid $(pidfile_pid kafka)) runs but does not listen on $CAIRN_KAFKA_PORT; run '$0 stack down' and retry"
    say "Kafka broker already running on $KAFKA_BOOTSTRAP"
    return 0
  fi
  require_port_free "the Kafka broker" "$CAIRN_KAFKA_PORT" CAIRN_KAFKA_PORT
  require_port_free "the Kafka controller" "$CAIRN_KAFKA_CONTROLLER_PORT" CAIRN_KAFKA_CONTROLLER_PORT
  kafka_resolve_jars
  kafka_write_config
  local t0; t0=$(now_ms)
  if [ ! -f "$KAFKA_HOME/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid) || die "kafka StorageTool random-uuid failed"
    kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" \
      >"$CAIRN_LOG_DIR/kafka-format.log" 2>&1 || die "formatting the Kafka log dir failed; see $CAIRN_LOG_DIR/kafka-format.log"
  fi
  : >"$CAIRN_LOG_DIR/kafka.log"
  nohup java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dcairn.kafka.log="$CAIRN_LOG_DIR/kafka.log" \
    -Dlog4j2.configurationFile="$CAIRN_ROOT/deploy/local/config/kafka-log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_HOME/server.properties" \
    >"$CAIRN_LOG_DIR/kafka.out" 2>&1 </dev/null &
  echo $! >"$CAIRN_RUN_DIR/kafka.pid"
  if ! wait_for "Kafka" 90 kafka_ready; then
    running kafka || die "the Kafka broker exited during start; see $CAIRN_LOG_DIR/kafka.log and kafka.out"
    die "the Kafka broker did not become ready within 90 s; see $CAIRN_LOG_DIR/kafka.log"
  fi
  say "Kafka broker $KAFKA_VERSION ready on $KAFKA_BOOTSTRAP in $(( $(now_ms) - t0 )) ms"
}

kafka_stop() {
  running kafka && say "stopping the Kafka broker"
  stop_pid kafka 30
}
