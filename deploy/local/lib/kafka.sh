# A real single-node Apache Kafka broker (KRaft, broker+controller) from Maven Central jars, with SCRAM authentication
# and ACLs on every listener.

root_pom_property() { sed -n "s:.*<$1>\\(.*\\)</$1>.*:\\1:p" "$CAIRN_ROOT/pom.xml" | head -1; }
KAFKA_VERSION=$(root_pom_property kafka.version)
LOG4J2_VERSION=$(root_pom_property log4j2.version)
KAFKA_HOME=$CAIRN_STATE_DIR/kafka
KAFKA_LIB=$KAFKA_HOME/lib-$KAFKA_VERSION
KAFKA_BOOTSTRAP=127.0.0.1:$CAIRN_KAFKA_PORT
# The host id of this machine's agent (its Kafka topics and principal are named after it).
CAIRN_LOCAL_HOST_ID=${CAIRN_HOST_ID:-$(hostname)}

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

# The broker's own secrets (admin, broker, controller) in $CAIRN_STATE_DIR/security/kafka, made once; owner-only.
# Every other principal's password is made there by the provisioner (KafkaProvisioner) when it creates the principal.
KAFKA_SECRETS=$CAIRN_STATE_DIR/security/kafka

kafka_secret() { # NAME: prints the secret, making it first
  local file=$KAFKA_SECRETS/$1.password
  mkdir -p "$KAFKA_SECRETS" && chmod 700 "$CAIRN_STATE_DIR/security" "$KAFKA_SECRETS"
  if [ ! -s "$file" ]; then
    (umask 077 && openssl rand -hex 24 >"$file.new" && mv -f "$file.new" "$file") || die "cannot make the Kafka secret $file"
  fi
  cat "$file"
}

# The sasl.jaas.config a client logs in with as PRINCIPAL (KAFKA_SASL_JAAS_CONFIG for Quarkus and the tour).
kafka_jaas() {
  local file=$KAFKA_SECRETS/$1.password
  [ -s "$file" ] || die "no Kafka credentials for principal $1 in $KAFKA_SECRETS; run '$0 topics' (or 'host add')"
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$(cat "$file")"
}

# SASL_PLAINTEXT + SCRAM-SHA-512 for clients and between brokers, SASL/PLAIN on the controller listener (an
# unauthenticated controller listener would have to make ANONYMOUS a super user), KRaft's ACL authorizer with
# nothing allowed unless an ACL says so, and no auto-created topics (a typo must not create a topic).
kafka_write_config() {
  mkdir -p "$KAFKA_HOME/data"
  local broker controller
  broker=$(kafka_secret broker); controller=$(kafka_secret controller)
  (umask 077 && cat >"$KAFKA_HOME/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CAIRN_KAFKA_CONTROLLER_PORT
listeners=CLIENT://127.0.0.1:$CAIRN_KAFKA_PORT,CONTROLLER://127.0.0.1:$CAIRN_KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENT://127.0.0.1:$CAIRN_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$broker";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller" user_controller="$controller";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:broker;User:controller
allow.everyone.if.no.acl.found=false
log.dirs=$KAFKA_HOME/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  )
}

# Formats the log dir with the admin and broker SCRAM credentials. A log dir formatted before the broker had
# authentication (no marker) is formatted anew: its topics are re-created by the provisioner.
kafka_format() {
  if [ -f "$KAFKA_HOME/data/meta.properties" ] && [ ! -f "$KAFKA_HOME/data/.cairn-sasl" ]; then
    say "the local broker's data predates Kafka authentication: formatting it anew (topics are re-created)"
    rm -rf "$KAFKA_HOME/data"; mkdir -p "$KAFKA_HOME/data"
  fi
  [ -f "$KAFKA_HOME/data/meta.properties" ] && return 0
  local cluster_id admin broker
  admin=$(kafka_secret admin); broker=$(kafka_secret broker)
  cluster_id=$(kafka_tool kafka.tools.StorageTool random-uuid) || die "kafka StorageTool random-uuid failed"
  kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/server.properties" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$admin]" --add-scram "SCRAM-SHA-512=[name=broker,password=$broker]" \
    >"$CAIRN_LOG_DIR/kafka-format.log" 2>&1 || die "formatting the Kafka log dir failed; see $CAIRN_LOG_DIR/kafka-format.log"
  touch "$KAFKA_HOME/data/.cairn-sasl"
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
  kafka_format
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
