# A replica that is not ringlb-server: busybox httpd serving two files, run by `busybox sh` in a
# FROM scratch image whose only program is /bin/busybox (so every command names it).
# ringlb gives it SERVER_ID, REPLICA_NAME, PORT and HOST; GREETING is any --replica-env entry.
set -eu
root=/tmp/www
/bin/busybox mkdir -p "$root"
printf '{"message":"Hello from Server: %s","status":"successful"}' "$SERVER_ID" > "$root/home"
printf 'ok %s\n' "$REPLICA_NAME" > "$root/heartbeat"
printf '%s\n' "${GREETING:-}" > "$root/greeting"
# The shell stays process 1 (which, without a handler, would ignore SIGTERM) and stops httpd.
/bin/busybox httpd -f -p "$HOST:$PORT" -h "$root" &
server=$!
trap '/bin/busybox kill "$server"; exit 0' TERM INT
wait "$server"
