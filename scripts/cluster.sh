#!/usr/bin/env bash
# ./dialer cluster up [--nodes N] [--out FILE] [--port-base P] [--rtp-ports N] | status | restart nodeN | down
# A whole cluster on this machine (docs/deployment.md): PostgreSQL, Kamailio (the SIP edge), HAProxy (the
# HTTP/WebSocket edge) and N gateway nodes, each with its own ports and data directory. Every process is
# started with a known PID, recorded in <state dir>/pids and stopped by that PID.
# State: $DIALER_CLUSTER_DIR (default ./cluster-data): logs, data, configs, pids, cluster.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${OPENDIALER_GATEWAY_JAR:-$ROOT/server/app/target/opendialer-gateway.jar}"
STATE="${DIALER_CLUSTER_DIR:-$ROOT/cluster-data}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
PIDS="$STATE/pids"

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
  local secs="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  log "$what is up"
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

running_pids() {
  [ -f "$PIDS" ] || return 0
  while read -r name pid; do
    alive "$pid" && echo "$name $pid"
  done < "$PIDS"
  return 0
}

record() { echo "$1 $2" >> "$PIDS"; }

pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$d/postgres" ] || die "PostgreSQL is not installed (apt-get install postgresql)."
  echo "$d"
}

# as_pg CMD...: PostgreSQL refuses to run as root: run as the postgres system user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

cmd_up() {
  local nodes=2 out="" base="${DIALER_CLUSTER_PORT_BASE:-8080}" rtp=20
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes="${2:-}"; shift 2 ;;
      --out) out="${2:-}"; shift 2 ;;
      --port-base) base="${2:-}"; shift 2 ;;
      --rtp-ports) rtp="${2:-}"; shift 2 ;;
      *) die "usage: ./dialer cluster up [--nodes N] [--out FILE] [--port-base P] [--rtp-ports N]" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9]$ ]] || die "--nodes takes a whole number from 1 to 9"
  [[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 65000 ] || die "--port-base takes a port from 1024 to 65000"
  # --rtp-ports: RTP ports per node (2 per call); more for load tests (bench/cluster.mjs).
  [[ "$rtp" =~ ^[0-9]+$ ]] && [ "$rtp" -ge 2 ] && [ "$rtp" -le 2000 ] && [ $((rtp % 2)) -eq 0 ] \
    || die "--rtp-ports takes an even number of RTP ports per node from 2 to 2000"
  [ $((base + 99 + rtp * nodes)) -le 65535 ] || die "--port-base $base with $nodes nodes of $rtp RTP ports passes port 65535"
  local running
  running="$(running_pids)"
  if [ -n "$running" ]; then
    die "a cluster is already running ($STATE/cluster.json; PIDs: $(echo "$running" | tr '\n' ' ')): ./dialer cluster down first"
  fi
  [ -n "${DIALER_SIP_TRUNK:-}" ] || die "DIALER_SIP_TRUNK is not set: the cluster's SIP edge sends outbound calls to it and takes inbound calls from it (e.g. sip:203.0.113.5:5060)"
  [[ "$DIALER_SIP_TRUNK" =~ ^sips?:([^:;]+)(:([0-9]+))?(;.*)?$ ]] || die "DIALER_SIP_TRUNK '$DIALER_SIP_TRUNK' is not sip:host[:port][;transport=...]"
  local trunk_host="${BASH_REMATCH[1]}" trunk_port="${BASH_REMATCH[3]:-5060}" trunk_ip
  trunk_ip="$(getent ahostsv4 "$trunk_host" | awk 'NR==1{print $1}')"
  [ -n "$trunk_ip" ] || die "DIALER_SIP_TRUNK: cannot resolve $trunk_host"
  [ -f "$JAR" ] || die "the gateway is not built ($JAR): ./dialer build"
  for bin in kamailio kamcmd haproxy curl java; do
    command -v "$bin" >/dev/null || die "$bin is not installed (apt-get install kamailio kamailio-postgres-modules haproxy curl)"
  done
  [ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/db_postgres.so ] || die "Kamailio's PostgreSQL module is missing: apt-get install kamailio-postgres-modules"

  # Fresh state; the ports: HAProxy base, its stats base+1, PostgreSQL base+2, Kamailio base+3;
  # node i: HTTP base+10i, SIP base+10i+1, WebRTC base+10i+2, RTP base+100+R(i-1) .. +R-1 (R: --rtp-ports, 20).
  find "$STATE" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  : > "$PIDS"
  local http=$base stats=$((base + 1)) pg_port=$((base + 2)) edge_port=$((base + 3))
  local bind="${DIALER_BIND_ADDRESS:-127.0.0.1}"
  local url="${DIALER_PUBLIC_URL:-http://127.0.0.1:$http}"
  local admin_key="${DIALER_ADMIN_KEY:-$(random_hex 24)}"
  local secret_key="${DIALER_SECRET_KEY:-$(head -c 32 /dev/urandom | base64)}"
  local cluster_secret db_password kam_password
  cluster_secret="$(random_hex 20)"; db_password="$(random_hex 16)"; kam_password="$(random_hex 16)"
  STARTED=0
  trap 'exit 143' TERM INT
  trap 'if [ "$STARTED" != 1 ]; then log "start failed: stopping what started"; cmd_down >/dev/null 2>&1 || true; fi' EXIT

  # PostgreSQL: one server, database opendialer (the nodes) and kamailio (the location table).
  local bin; bin="$(pg_bin)"
  mkdir -p "$STATE/pg"
  printf '%s\n' "$db_password" > "$STATE/pg/pwfile"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$STATE/pg"
  as_pg "$bin/initdb" -D "$STATE/pg/data" -U opendialer --pwfile="$STATE/pg/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C --no-sync > "$STATE/pg/initdb.log" 2>&1 || die "initdb failed: $STATE/pg/initdb.log"
  rm -f "$STATE/pg/pwfile"
  # Started directly (not through a function): setpriv execs postgres, so $! is the postmaster's PID.
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  "${as[@]}" "$bin/postgres" -D "$STATE/pg/data" -p "$pg_port" -k "$STATE/pg" -c listen_addresses=127.0.0.1 \
    -c fsync=off -c max_connections=200 > "$STATE/postgres.log" 2>&1 &
  record postgres $!
  wait_until 60 "PostgreSQL on 127.0.0.1:$pg_port" "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" \
    || die "PostgreSQL did not start: $STATE/postgres.log"
  local psql=(env PGPASSWORD="$db_password" "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U opendialer)
  "${psql[@]}" -d postgres -c "CREATE DATABASE opendialer" \
    -c "CREATE ROLE kamailio LOGIN PASSWORD '$kam_password'" -c "CREATE DATABASE kamailio OWNER kamailio" >/dev/null
  for sql in standard-create.sql usrloc-create.sql; do
    PGPASSWORD="$kam_password" "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U kamailio -d kamailio \
      -f "/usr/share/kamailio/postgres/$sql" >/dev/null
  done

  # Kamailio, the SIP edge.
  mkdir -p "$STATE/kamailio"
  : > "$STATE/kamailio/dispatcher.list"
  for i in $(seq 1 "$nodes"); do
    echo "1 sip:127.0.0.1:$((base + 10 * i + 1)) 0 0" >> "$STATE/kamailio/dispatcher.list"
  done
  sed -e "s|@DB_PASSWORD@|$kam_password|g" -e "s|@DB_HOST@|127.0.0.1|g" -e "s|@DB_PORT@|$pg_port|g" \
      -e "s|@TRUNK_HOSTPORT@|$trunk_ip:$trunk_port|g" -e "s|@TRUNK_URI@|$DIALER_SIP_TRUNK|g" \
      -e "s|@TRUNK_IP@|$trunk_ip|g" -e "s|@CLUSTER_SECRET@|$cluster_secret|g" -e "s|@EDGE_ADDR@|127.0.0.1|g" \
      -e "s|@EDGE_PORT@|$edge_port|g" -e "s|@CTL@|$STATE/kamailio/ctl|g" \
      -e "s|@DISPATCHER_LIST@|$STATE/kamailio/dispatcher.list|g" \
      "$ROOT/deploy/kamailio/kamailio.cfg" > "$STATE/kamailio/kamailio.cfg"
  kamailio -c -f "$STATE/kamailio/kamailio.cfg" > "$STATE/kamailio/check.log" 2>&1 \
    || die "the Kamailio config does not check: $STATE/kamailio/check.log"
  kamailio -f "$STATE/kamailio/kamailio.cfg" -DD -E -m 64 -M 8 -Y "$STATE/kamailio" > "$STATE/kamailio.log" 2>&1 &
  record kamailio $!
  wait_until 30 "Kamailio on udp 127.0.0.1:$edge_port" kamcmd -s "unix:$STATE/kamailio/ctl" core.version \
    || die "Kamailio did not start: $STATE/kamailio.log"

  # The gateway nodes: every DIALER_* of this environment, then their own ports, data and cluster settings.
  # Each node's launcher ($STATE/nodeI.sh, 0700: it holds the secrets) execs the JVM, so its PID is the node's;
  # `restart NAME` runs it again.
  start_node() {
    local i="$1" name="node$1"
    mkdir -p "$STATE/$name"
    {
      echo '#!/usr/bin/env bash'
      printf 'exec env'
      env | grep '^DIALER_' | grep -v '^DIALER_CLUSTER_DIR=' | while IFS= read -r kv; do printf ' %q' "$kv"; done
      printf ' %q' DIALER_NODE_NAME="$name" DIALER_CLUSTER_SECRET="$cluster_secret" \
      DIALER_HTTP_PORT=$((base + 10 * i)) DIALER_SIP_PORT=$((base + 10 * i + 1)) \
      DIALER_WEBRTC_PORT=$((base + 10 * i + 2)) DIALER_WEBRTC_TCP_PORT=$((base + 10 * i + 2)) \
      DIALER_RTP_PORTS="$((base + 100 + rtp * (i - 1)))-$((base + 99 + rtp * i))" \
      DIALER_DEMO_PORT=0 DIALER_METRICS_PORT="${DIALER_METRICS_PORT:-0}" \
      DIALER_DATA_DIR="$STATE/$name" DIALER_BIND_ADDRESS=127.0.0.1 DIALER_SIP_LISTEN_ADDRESS=127.0.0.1 \
      DIALER_PUBLIC_URL="$url" DIALER_SIP_TRUNK="sip:127.0.0.1:$edge_port" DIALER_TRUSTED_PROXIES=127.0.0.1 \
      DIALER_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/opendialer" DIALER_DB_USER=opendialer \
      DIALER_DB_PASSWORD="$db_password" DIALER_ADMIN_KEY="$admin_key" DIALER_SECRET_KEY="$secret_key" \
    DIALER_WEB_DIR="${DIALER_WEB_DIR:-$ROOT/web}" java ${DIALER_JAVA_OPTS:-} -jar "$JAR" serve
      echo
    } > "$STATE/$name.sh"
    chmod 700 "$STATE/$name.sh"
    nohup "$STATE/$name.sh" >> "$STATE/$name.log" 2>&1 &
    record "$name" $!
  }
  node_up() { http_ok "http://127.0.0.1:$((base + 10 * $1))/healthz"; }
  # The first node migrates the schema (Flyway) alone; the others start side by side.
  start_node 1
  wait_until 120 "node1 on http://127.0.0.1:$((base + 10))" node_up 1 || die "node1 did not start: $STATE/node1.log"
  for i in $(seq 2 "$nodes"); do start_node "$i"; done
  for i in $(seq 2 "$nodes"); do
    wait_until 120 "node$i on http://127.0.0.1:$((base + 10 * i))" node_up "$i" || die "node$i did not start: $STATE/node$i.log"
  done

  # HAProxy, the HTTP and WebSocket edge.
  local servers="" use=""
  for i in $(seq 1 "$nodes"); do
    servers+="    server node$i 127.0.0.1:$((base + 10 * i)) check"$'\n'
    use+="    use-server node$i if { url_param(node) -m str node$i }"$'\n'
  done
  mkdir -p "$STATE/haproxy"
  awk -v servers="$servers" -v use="$use" -v bind="$bind" -v http="$http" -v stats="$stats" '
    { gsub("@BIND@", bind); gsub("@HTTP_PORT@", http); gsub("@STATS_PORT@", stats) }
    /^@SERVERS@$/ { printf "%s", servers; next }
    /^@USE_SERVERS@$/ { printf "%s", use; next }
    { print }' "$ROOT/deploy/haproxy/haproxy.cfg" > "$STATE/haproxy/haproxy.cfg"
  haproxy -c -f "$STATE/haproxy/haproxy.cfg" > "$STATE/haproxy/check.log" 2>&1 \
    || die "the HAProxy config does not check: $STATE/haproxy/check.log"
  haproxy -f "$STATE/haproxy/haproxy.cfg" -db > "$STATE/haproxy.log" 2>&1 &
  record haproxy $!
  wait_until 30 "HAProxy on $url" http_ok "http://127.0.0.1:$http/healthz" || die "HAProxy did not start: $STATE/haproxy.log"
  STARTED=1

  {
    printf '{\n  "url": "%s",\n  "sip": "127.0.0.1:%s",\n  "admin_key": "%s",\n' "$url" "$edge_port" "$admin_key"
    printf '  "stats": "http://127.0.0.1:%s/stats",\n  "state_dir": "%s",\n  "nodes": [\n' "$stats" "$STATE"
    for i in $(seq 1 "$nodes"); do
      printf '    { "name": "node%s", "pid": %s, "url": "http://127.0.0.1:%s", "sip": "127.0.0.1:%s" }%s\n' \
        "$i" "$(awk -v n="node$i" '$1==n{print $2}' "$PIDS")" "$((base + 10 * i))" "$((base + 10 * i + 1))" \
        "$([ "$i" -lt "$nodes" ] && echo ,)"
    done
    printf '  ],\n  "postgres": { "pid": %s, "port": %s },\n  "kamailio": { "pid": %s },\n  "haproxy": { "pid": %s }\n}\n' \
      "$(awk '$1=="postgres"{print $2}' "$PIDS")" "$pg_port" "$(awk '$1=="kamailio"{print $2}' "$PIDS")" \
      "$(awk '$1=="haproxy"{print $2}' "$PIDS")"
  } > "$STATE/cluster.json"
  chmod 600 "$STATE/cluster.json"
  if [ -n "$out" ]; then cp "$STATE/cluster.json" "$out"; chmod 600 "$out"; fi
  log "cluster up: $url (SIP edge 127.0.0.1:$edge_port), $nodes node(s); ${out:-$STATE/cluster.json}"
  cat "$STATE/cluster.json"
}

# restart NAME: SIGTERM the node (it drains: no new calls, it exits when its calls end or after
# DIALER_DRAIN_TIMEOUT_S), start it again with the same settings, wait for its /healthz.
cmd_restart() {
  local name="${1:-}"
  [[ "$name" =~ ^node[1-9]$ ]] && [ -x "$STATE/$name.sh" ] || die "usage: ./dialer cluster restart nodeN (a node of $STATE/cluster.json)"
  local old url
  old="$(awk -v n="$name" '$1==n{print $2}' "$PIDS")"
  url="$(json_node_url "$name")"
  stop_pid "$old" TERM "$(( ${DIALER_DRAIN_TIMEOUT_S:-600} + 30 ))"
  nohup "$STATE/$name.sh" >> "$STATE/$name.log" 2>&1 &
  local new=$!
  awk -v n="$name" -v p="$new" '$1==n{$2=p} {print}' "$PIDS" > "$PIDS.new" && mv "$PIDS.new" "$PIDS"
  sed -i "s/\"name\": \"$name\", \"pid\": $old,/\"name\": \"$name\", \"pid\": $new,/" "$STATE/cluster.json"
  wait_until 120 "$name again on $url" http_ok "$url/healthz" || die "$name did not start again: $STATE/$name.log"
  echo "$new"
}

# Each part's health: process alive, and its own check (pg_isready, kamcmd, /healthz).
cmd_status() {
  [ -f "$STATE/cluster.json" ] || die "no cluster here ($STATE): ./dialer cluster up"
  local health=()
  while read -r name pid; do
    local h="down"
    if alive "$pid"; then
      case "$name" in
        postgres) h="$(pg_health "$(json_get postgres.port)")" ;;
        kamailio) kamcmd -s "unix:$STATE/kamailio/ctl" core.version >/dev/null 2>&1 && h=up || h="not answering" ;;
        haproxy) http_ok "$(json_get url)/healthz" && h=up || h="no live node" ;;
        node*) local body; body="$(curl -sS --max-time 2 "$(json_node_url "$name")/healthz" 2>/dev/null || true)"
               h="${body:-not answering}" ;;
      esac
    fi
    health+=("$name" "$pid" "$h")
  done < "$PIDS"
  node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const rest = process.argv.slice(2); const health = {};
    for (let i = 0; i < rest.length; i += 3) {
      let h = rest[i + 2]; try { h = JSON.parse(h); } catch {}
      health[rest[i]] = { pid: Number(rest[i + 1]), health: h };
    }
    for (const n of c.nodes) n.health = health[n.name]?.health ?? "down";
    for (const p of ["postgres", "kamailio", "haproxy"]) c[p].health = health[p]?.health ?? "down";
    console.log(JSON.stringify(c, null, 2));' "$STATE/cluster.json" "${health[@]}"
}

# pg_health PORT: "up" when PostgreSQL accepts connections on 127.0.0.1:PORT (pg_isready, else a plain TCP
# connect), else "not ready: <what pg_isready said>". Its stdin is not the loop's: pg_isready gets /dev/null.
pg_health() {
  local port="$1" said
  [[ "$port" =~ ^[0-9]+$ ]] || { echo "not ready: no port in cluster.json ('$port')"; return 0; }
  if said="$("$(pg_bin)/pg_isready" -t 15 -h 127.0.0.1 -p "$port" </dev/null 2>&1)"; then echo up; return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo up; return 0; fi
  echo "not ready: ${said:-pg_isready failed}"
}

# Values of cluster.json as plain text. Not console.log: with FORCE_COLOR in the environment (CI, Playwright) it
# prints a number in colour escapes, and PostgreSQL's port read "\e[33m8082\e[39m" (status said "not ready").
json_get() { node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(String(process.argv[2].split(".").reduce((o,k)=>o[k],c))+"\n")' "$STATE/cluster.json" "$1"; }
json_node_url() { node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(String(c.nodes.find(n=>n.name===process.argv[2]).url)+"\n")' "$STATE/cluster.json" "$1"; }

# stop_pid PID SIGNAL SECONDS: signal, wait, then SIGKILL.
stop_pid() {
  local pid="$1" sig="$2" secs="$3"
  alive "$pid" || return 0
  kill "-$sig" "$pid" 2>/dev/null || return 0
  local deadline=$(( $(date +%s) + secs ))
  while alive "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
  return 0
}

# HAProxy first (no new traffic), the nodes (SIGTERM: calls end as gateway_shutdown), then the edge and the database.
cmd_down() {
  [ -f "$PIDS" ] || { log "no cluster here ($STATE)"; return 0; }
  local order=(haproxy node kamailio postgres)
  for part in "${order[@]}"; do
    local stoppers=()
    while read -r name pid; do
      case "$name" in
        "$part"*)
          case "$part" in
            postgres) stop_pid "$pid" INT 20 ;;
            node) stop_pid "$pid" TERM 30 & stoppers+=($!) ;;
            *) stop_pid "$pid" TERM 10 ;;
          esac ;;
      esac
    done < "$PIDS"
    # Only the stoppers: a bare `wait` would also wait for the cluster's own processes (children of `up`).
    [ ${#stoppers[@]} -eq 0 ] || wait "${stoppers[@]}"
  done
  rm -f "$PIDS"
  log "cluster down"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  status) shift; cmd_status "$@" ;;
  down) shift; cmd_down "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  *) die "usage: ./dialer cluster up [--nodes N] [--out FILE] [--port-base P] [--rtp-ports N] | status | restart nodeN | down" ;;
esac
