# servers.bash - the loopback servers the media tests start: lighttpd
# (HTTP) and pyftpdlib (FTP) on free ports of 127.0.0.1, serving $T/www.
# A test sets T and PIDS=() first and kills "${PIDS[@]}" in teardown.
# (bats `load servers`.)

# the pyenv python3 on PATH has no pyftpdlib: Debian's has
PY=/usr/bin/python3

free_port() {
	"$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_listen PID PORT: until PORT answers (0), or PID died or 5 s (1)
wait_listen() {
	local i
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 1
		(exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# start_lighttpd: HTTP on $T/www; sets HTTP_PORT
start_lighttpd() {
	command -v /usr/sbin/lighttpd >/dev/null || skip "no lighttpd"
	local try pid
	for try in 1 2 3; do
		HTTP_PORT=$(free_port)
		cat > "$T/lighttpd.conf" <<-EOF
		server.document-root = "$T/www"
		server.bind = "127.0.0.1"
		server.port = $HTTP_PORT
		server.errorlog = "$T/lighttpd.err"
		EOF
		/usr/sbin/lighttpd -D -f "$T/lighttpd.conf" \
		    >"$T/lighttpd.out" 2>&1 3>&- &
		pid=$!
		PIDS+=("$pid")
		wait_listen "$pid" "$HTTP_PORT" && return 0
	done
	echo "lighttpd did not start: $(cat "$T/lighttpd.err")" >&2
	return 1
}

# start_ftp [USER PASS]: FTP on $T/www (anonymous unless a login is
# given); sets FTP_PORT
start_ftp() {
	"$PY" -c 'import pyftpdlib' 2>/dev/null || skip "no python3-pyftpdlib"
	local try pid
	for try in 1 2 3; do
		FTP_PORT=$(free_port)
		"$PY" -m pyftpdlib -i 127.0.0.1 -p "$FTP_PORT" -d "$T/www" \
		    ${1:+-u "$1" -P "$2"} >"$T/ftp.log" 2>&1 3>&- &
		pid=$!
		PIDS+=("$pid")
		wait_listen "$pid" "$FTP_PORT" && return 0
	done
	echo "pyftpdlib did not start: $(cat "$T/ftp.log")" >&2
	return 1
}

