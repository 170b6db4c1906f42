#!/bin/sh
# nginx as a ringlb replica (examples/nginx/README.md): writes this replica's configuration (PORT,
# HOST and SERVER_ID from ringlb) into a directory of its own, runs nginx in the foreground, and
# removes the directory when nginx ends or the replica is stopped. /home answers as ringlb-server does, /echo/TOKEN with the token, /heartbeat
# with 200.
set -eu
dir=$(mktemp -d "${TMPDIR:-/tmp}/ringlb-nginx-$REPLICA_NAME-XXXXXX")
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir;
    proxy_temp_path $dir;
    fastcgi_temp_path $dir;
    uwsgi_temp_path $dir;
    scgi_temp_path $dir;
    keepalive_requests 100000;
    server {
        listen $HOST:$PORT;
        default_type application/json;
        location = /home { return 200 '{"message": "Hello from Server: $SERVER_ID", "status": "successful"}'; }
        location = /heartbeat { return 200 ''; }
        location ~ ^/echo/(?<token>[^/]+)\$ { return 200 '{"token": "\$token", "server": "$SERVER_ID"}'; }
    }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -rf "$dir"; exit 0' TERM INT
status=0
wait $pid || status=$?
rm -rf "$dir"
exit $status
