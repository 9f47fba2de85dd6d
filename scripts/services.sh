# Throwaway PostgreSQL and Redis on 127.0.0.1 for the test run; source this file.
# Adapted from the machine's recipes: no systemd, no Docker, runs as root.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-54329}

pg_start() {
  PGTMP=$(mktemp -d /tmp/krakow-ngo-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGTMP"
    as_pg=(runuser -u postgres --)
  else
    as_pg=()
  fi
  (cd / && "${as_pg[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust \
      -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log")
  (cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null)
  export PGTMP PGHOST=127.0.0.1 PGPORT PGUSER=postgres
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/app"
  "$PGBIN/createdb" app
}

pg_stop() {
  [ -n "${PGTMP:-}" ] || return 0
  local pid
  pid=$(head -1 "$PGTMP/data/postmaster.pid" 2>/dev/null) || true
  (cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1) \
    || { [ -n "$pid" ] && kill -INT "$pid"; } || true
  rm -rf "$PGTMP"
  unset PGTMP DATABASE_URL
}
