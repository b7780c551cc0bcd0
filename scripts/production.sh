#!/usr/bin/env bash
# The production topology on one machine: two gunicorn app servers behind nginx, which
# spreads requests between them and retries a failed GET on the other; PostgreSQL; Redis
# as the cache they share (API rate limits are counted once, there); two task workers and
# the reminder scheduler. As root it installs nginx and Redis with apt-get when missing.
#
#   DATABASE_URL=postgres://user@127.0.0.1:5432/civicbridge scripts/production.sh [start]
#   scripts/production.sh stop      # stops what start started
#   scripts/production.sh status
#
# Settings come from the environment, as for the app (see the README), plus:
#   PYTHON       the Python with Civic Bridge's dependencies (.venv/bin/python if present)
#   PROXY_PORT   where nginx listens on 127.0.0.1 (8100)
#   APP_PORTS    the app servers' ports on 127.0.0.1 ("8101 8102")
#   APP_WORKERS  gunicorn worker processes per app server (2)
#   TASK_WORKERS task workers (2)
#   CACHE_URL    the shared cache (redis://127.0.0.1:6379/1)
#   COLLECTSTATIC  false to skip collecting the styles and scripts (true)
# Pid files and logs go under VAR_DIR/production/.
set -euo pipefail
cd "$(dirname "$0")/.."

export VAR_DIR=${VAR_DIR:-$PWD/var}
export CACHE_URL=${CACHE_URL:-redis://127.0.0.1:6379/1}
export BEHIND_PROXY=${BEHIND_PROXY:-true}
PROXY_PORT=${PROXY_PORT:-8100}
APP_PORTS=${APP_PORTS:-8101 8102}
APP_WORKERS=${APP_WORKERS:-2}
TASK_WORKERS=${TASK_WORKERS:-2}
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
RUN=$VAR_DIR/production
PIDS=$RUN/pids
LOGS=$RUN/logs

say() { echo "== $*"; }
fail() {
    echo "production.sh: $*" >&2
    exit 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Start a long-running process in a session of its own (its pid is its process group, so
# stop reaches its children too), with its output in a log and its pid in a file.
launch() {
    local name=$1
    shift
    setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
    echo $! >"$PIDS/$name.pid"
}

answers() {
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1"
}

wait_for() {
    local what=$1 check=$2
    for _ in $(seq 1 60); do
        if eval "$check" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    fail "$what did not start; see $LOGS/."
}

ensure_nginx() {
    command -v nginx >/dev/null 2>&1 && return
    [ -x /usr/sbin/nginx ] && { PATH=$PATH:/usr/sbin; return; }
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        fail "nginx is not installed and this is not root with apt-get: install nginx (Debian: apt-get install nginx), then run this again."
    fi
    say "Installing nginx"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    PATH=$PATH:/usr/sbin
}

ensure_postgresql() {
    local host port
    host=$("$PYTHON" -c 'import os, dj_database_url as d; print(d.parse(os.environ["DATABASE_URL"])["HOST"] or "127.0.0.1")')
    port=$("$PYTHON" -c 'import os, dj_database_url as d; print(d.parse(os.environ["DATABASE_URL"])["PORT"] or 5432)')
    pg_isready -q -h "$host" -p "$port" && return
    command -v pg_ctlcluster >/dev/null 2>&1 || fail "PostgreSQL does not answer on $host:$port."
    say "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    wait_for "PostgreSQL" "pg_isready -q -h $host -p $port"
}

ensure_redis() {
    case $CACHE_URL in redis://* | rediss://*) ;; *)
        echo "CACHE_URL=$CACHE_URL: not Redis; every app server must share it."
        return
        ;;
    esac
    "$PYTHON" -c 'import redis' 2>/dev/null || {
        say "Installing the redis extra"
        "$PYTHON" -m pip install --quiet '.[redis]'
    }
    local address host port
    address=${CACHE_URL#*://}
    address=${address%%/*}
    address=${address##*@}
    host=${address%%:*}
    port=${address##*:}
    [ "$port" = "$address" ] && port=6379
    redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 && return
    case $host in 127.0.0.1 | localhost) ;; *) fail "Redis does not answer at $host:$port." ;; esac
    if ! command -v redis-server >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
            fail "Redis is not installed and this is not root with apt-get: install it (Debian: apt-get install redis-server), then run this again."
        fi
        say "Installing Redis"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
    say "Starting Redis on $host:$port"
    redis-server --daemonize yes --bind "$host" --port "$port" --save "" --appendonly no \
        --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log"
    wait_for "Redis" "redis-cli -h $host -p $port ping"
}

write_nginx_conf() {
    local servers="" port
    for port in $APP_PORTS; do
        servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    done
    mkdir -p "$RUN/nginx"
    cat >"$RUN/nginx.conf" <<EOF
# Written by scripts/production.sh; changes are lost at the next start.
worker_processes 1;
pid $PIDS/nginx.pid;
error_log $LOGS/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $LOGS/nginx-access.log;
    client_body_temp_path $RUN/nginx/body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    client_max_body_size 25m;
    # Only local processes reach 127.0.0.1: a TLS proxy in front says the scheme it served.
    map \$http_x_forwarded_proto \$forwarded_proto {
        default \$http_x_forwarded_proto;
        "" \$scheme;
    }
    upstream civicbridge {
$servers    }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location / {
            proxy_pass http://civicbridge;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$forwarded_proto;
            # An app server that fails or stops answering: its request goes to the other.
            # nginx retries only idempotent requests (GET, HEAD…), never a POST.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }
    }
}
EOF
}

start() {
    [ -n "${DATABASE_URL:-}" ] || fail "Set DATABASE_URL to the PostgreSQL database, e.g. postgres://user@127.0.0.1:5432/civicbridge."
    case $DATABASE_URL in postgres://* | postgresql://*) ;; *) fail "DATABASE_URL must name a PostgreSQL database: several processes write at once." ;; esac
    mkdir -p "$PIDS" "$LOGS"
    for pidfile in "$PIDS"/*.pid; do
        [ -e "$pidfile" ] || continue
        if alive "$pidfile" && [ "$(basename "$pidfile")" != redis.pid ]; then
            fail "already running ($(basename "$pidfile" .pid)): run 'scripts/production.sh stop' first."
        fi
    done
    ensure_nginx
    ensure_postgresql
    ensure_redis

    say "Migrating the database"
    "$PYTHON" manage.py migrate --noinput >"$LOGS/migrate.log"
    if [ "${COLLECTSTATIC:-true}" != false ]; then
        say "Collecting static files"
        "$PYTHON" manage.py collectstatic --noinput >"$LOGS/collectstatic.log"
    fi

    local n=0 port
    for port in $APP_PORTS; do
        n=$((n + 1))
        say "App server $n on 127.0.0.1:$port"
        launch "app$n" "$PYTHON" -m gunicorn civicbridge.wsgi --bind "127.0.0.1:$port" \
            --workers "$APP_WORKERS" --access-logfile "$LOGS/app$n-access.log" \
            --forwarded-allow-ips 127.0.0.1
    done
    for n in $(seq 1 "$TASK_WORKERS"); do
        launch "worker$n" "$PYTHON" manage.py db_worker --no-reload
    done
    say "$TASK_WORKERS task workers and the reminder scheduler"
    launch scheduler "$PYTHON" manage.py send_reminders --loop 60

    write_nginx_conf
    nginx -t -q -c "$RUN/nginx.conf" -p "$RUN/nginx" 2>>"$LOGS/nginx-error.log" ||
        fail "nginx refused its configuration; see $LOGS/nginx-error.log."
    nginx -c "$RUN/nginx.conf" -p "$RUN/nginx"
    for port in $APP_PORTS; do
        wait_for "The app server on $port" "answers http://127.0.0.1:$port/accounts/login/"
    done
    wait_for "nginx" "answers http://127.0.0.1:$PROXY_PORT/accounts/login/"
    say "Civic Bridge answers on http://127.0.0.1:$PROXY_PORT/ ('scripts/production.sh stop' stops it)"
}

# Send TERM to each named process, wait up to ten seconds for all of them, then KILL the
# process group of any still there. TERM lets gunicorn and the task workers finish what they
# hold; nginx and Redis stop their own children.
stop_together() {
    local name pid pids=() names=()
    for name in "$@"; do
        [ -f "$PIDS/$name.pid" ] || continue
        pid=$(cat "$PIDS/$name.pid")
        if kill -TERM "$pid" 2>/dev/null; then
            pids+=("$pid")
            names+=("$name")
        fi
        rm -f "$PIDS/$name.pid"
    done
    for _ in $(seq 1 40); do
        local running=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
        [ $running = 0 ] && break
        sleep 0.25
    done
    local i
    for i in "${!pids[@]}"; do
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            echo "${names[$i]} did not stop in 10 seconds: killing it."
            kill -KILL -- "-${pids[$i]}" 2>/dev/null || kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
        echo "Stopped ${names[$i]} (${pids[$i]})."
    done
}

stop() {
    [ -d "$PIDS" ] || { echo "Nothing was started from $RUN."; return; }
    local others=() pidfile
    for pidfile in "$PIDS"/app*.pid "$PIDS"/worker*.pid "$PIDS"/scheduler.pid; do
        [ -e "$pidfile" ] && others+=("$(basename "$pidfile" .pid)")
    done
    # The proxy first, so no request reaches a stopping app server; Redis (if started
    # here) last.
    stop_together nginx
    stop_together "${others[@]}"
    stop_together redis
}

status() {
    local pidfile
    for pidfile in "$PIDS"/*.pid; do
        [ -e "$pidfile" ] || { echo "Nothing was started from $RUN."; return; }
        if alive "$pidfile"; then
            echo "$(basename "$pidfile" .pid): running ($(cat "$pidfile"))"
        else
            echo "$(basename "$pidfile" .pid): stopped"
        fi
    done
}

case ${1:-start} in
start) start ;;
stop) stop ;;
status) status ;;
*) fail "usage: scripts/production.sh [start|stop|status]" ;;
esac
