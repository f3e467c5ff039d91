#!/usr/bin/env bats
# lib/media over the network (lib/media/media_curl.c), driven through the
# mediaget fixture: an install tree served by lighttpd (http), pyftpdlib
# (ftp) and tests/tools/flaky-http.py (https, and the servers that drop,
# stall or ignore ranges), each started on a free loopback port by the
# test that needs it and stopped in teardown.

load helper
load servers

MEDIAGET=$XVM_TOP/build/tests/mediaget
FLAKY=$XVM_TOP/tests/tools/flaky-http.py
# the pyenv python3 on PATH has no pyftpdlib: Debian's has
PY=/usr/bin/python3
SIZE=307200		# vmlinuz: 300 KiB
HALF=153600

setup() {
	common_setup
	[ -x "$MEDIAGET" ] || skip "build it first: make build/tests/mediaget"
	# loopback must not go through a proxy of the environment
	unset http_proxy https_proxy ftp_proxy all_proxy no_proxy
	unset HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY NO_PROXY
	PIDS=()
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/www/tree/images/pxeboot" "$T/out"
	head -c $SIZE /dev/urandom > "$T/www/tree/images/pxeboot/vmlinuz"
	head -c 4096 /dev/urandom > "$T/www/tree/images/pxeboot/initrd.img"
	printf '[general]\nfamily = Solaris\nversion = 11\n' \
	    > "$T/www/tree/.treeinfo"
	cd "$T/out"
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}

# start_flaky NAME MODE [--tls]: flaky-http.py on $T/www, its requests
# logged to $T/NAME.log; sets PORT
start_flaky() {
	local name=$1 mode=$2 tls=() i pid
	if [ "${3:-}" = --tls ]; then
		tls=(--tls "$T/cert.pem" "$T/key.pem")
	fi
	rm -f "$T/$name.port"
	"$PY" "$FLAKY" "${tls[@]}" --log "$T/$name.log" "$T/$name.port" \
	    "$mode" "$T/www" >"$T/$name.out" 2>&1 3>&- &
	pid=$!
	PIDS+=("$pid")
	for i in $(seq 1 100); do
		if [ -s "$T/$name.port" ]; then
			PORT=$(cat "$T/$name.port")
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "flaky-http.py $mode did not start: $(cat "$T/$name.out")" >&2
	return 1
}

# one_line: $err is exactly one line
one_line() {
	[ "$(printf '%s' "$err" | wc -l)" -eq 1 ] ||
	    { echo "not one line: $err" >&2; return 1; }
}

# no_leftovers [NAME...]: nothing in out/ but the NAMEs (no DEST, no
# temporary file beside it)
no_leftovers() {
	local f left=
	for f in $(ls -A "$T/out"); do
		[[ " $* " == *" $f "* ]] || left="$left $f"
	done
	[ -z "$left" ] || { echo "left behind:$left" >&2; return 1; }
}

@test "kind: http and https are http, ftp is ftp; a bad URL is refused" {
	[ "$("$MEDIAGET" http://example.invalid/tree kind)" = http ]
	[ "$("$MEDIAGET" https://example.invalid/tree/ kind)" = http ]
	[ "$("$MEDIAGET" ftp://example.invalid/pub/tree kind)" = ftp ]
	run_split "$MEDIAGET" http:///tree kind
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: install location 'http:///tree' is not a valid URL
" ]
}

@test "exists over http: files, missing files, root with or without '/'" {
	start_lighttpd
	local u=http://127.0.0.1:$HTTP_PORT/tree
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/vmlinuz)" = yes ]
	[ "$("$MEDIAGET" "$u/" exists /images/pxeboot/vmlinuz)" = yes ]
	[ "$("$MEDIAGET" "$u//" exists .treeinfo)" = yes ]
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/nosuch)" = no ]
	[ "$("$MEDIAGET" "$u" exists nosuchdir/vmlinuz)" = no ]
	[ "$("$MEDIAGET" "$u/" exists '.treeinfo?x')" = no ]
	run_split "$MEDIAGET" "$u" exists ../etc/passwd
	[ "$status" -eq 1 ]
}

@test "exists over http where HEAD is refused: asks for a byte instead" {
	start_flaky srv nohead
	local u=http://127.0.0.1:$PORT/tree
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/vmlinuz)" = yes ]
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/nosuch)" = no ]
	grep -q '^GET /tree/images/pxeboot/vmlinuz bytes=0-0$' "$T/srv.log"
}

@test "exists over ftp: files, missing files, missing directories" {
	start_ftp
	local u=ftp://127.0.0.1:$FTP_PORT/tree
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/vmlinuz)" = yes ]
	[ "$("$MEDIAGET" "$u/" exists .treeinfo)" = yes ]
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/nosuch)" = no ]
	[ "$("$MEDIAGET" "$u" exists nosuchdir/vmlinuz)" = no ]
}

@test "cat and fetch over http give the files byte for byte" {
	start_lighttpd
	local u=http://127.0.0.1:$HTTP_PORT/tree
	"$MEDIAGET" "$u" cat images/pxeboot/vmlinuz > cat.out
	cmp cat.out "$T/www/tree/images/pxeboot/vmlinuz"
	"$MEDIAGET" "$u/" fetch images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	[ "$(stat -c %a vmlinuz)" = 644 ]
	"$MEDIAGET" "$u" fetch .treeinfo treeinfo
	cmp treeinfo "$T/www/tree/.treeinfo"
	rm cat.out vmlinuz treeinfo
	no_leftovers
}

@test "cat and fetch over ftp give the files byte for byte" {
	start_ftp
	local u=ftp://127.0.0.1:$FTP_PORT/tree
	"$MEDIAGET" "$u" cat images/pxeboot/vmlinuz > cat.out
	cmp cat.out "$T/www/tree/images/pxeboot/vmlinuz"
	"$MEDIAGET" "$u/" fetch images/pxeboot/initrd.img initrd.img
	cmp initrd.img "$T/www/tree/images/pxeboot/initrd.img"
	"$MEDIAGET" "$u" fetch .treeinfo treeinfo
	cmp treeinfo "$T/www/tree/.treeinfo"
}

@test "ftp with a login in the URL; the password never shows in errors" {
	start_ftp xvm s3cret
	local u=ftp://xvm:s3cret@127.0.0.1:$FTP_PORT/tree
	[ "$("$MEDIAGET" "$u" exists images/pxeboot/vmlinuz)" = yes ]
	"$MEDIAGET" "$u" fetch images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	run_split "$MEDIAGET" "$u" cat nosuch
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot fetch 'ftp://xvm@127.0.0.1:$FTP_PORT/tree/nosuch': not found (FTP 550)
" ]
	# anonymous is not let in here
	run_split "$MEDIAGET" "ftp://127.0.0.1:$FTP_PORT/tree" cat .treeinfo
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch 'ftp://127.0.0.1:$FTP_PORT/tree/.treeinfo': the server refused the login
" ]
}

@test "fetch over an existing DEST replaces it only with a complete copy" {
	start_flaky bad stuck
	local bad=http://127.0.0.1:$PORT/tree
	start_lighttpd
	local good=http://127.0.0.1:$HTTP_PORT/tree
	echo "the old kernel" > old
	cp old old.orig
	run_split "$MEDIAGET" "$bad" fetch images/pxeboot/vmlinuz old
	[ "$status" -eq 1 ]
	cmp old old.orig
	"$MEDIAGET" "$good" fetch images/pxeboot/vmlinuz old
	cmp old "$T/www/tree/images/pxeboot/vmlinuz"
	rm old.orig
	no_leftovers old
}

@test "a failed fetch leaves neither DEST nor a temporary file" {
	start_lighttpd
	run_split "$MEDIAGET" "http://127.0.0.1:$HTTP_PORT/tree" fetch \
	    images/pxeboot/nosuch vmlinuz
	[ "$status" -eq 3 ]
	start_flaky bad stuck
	run_split "$MEDIAGET" "http://127.0.0.1:$PORT/tree" fetch \
	    images/pxeboot/vmlinuz vmlinuz
	[ "$status" -eq 1 ]
	run_split "$MEDIAGET" http://nosuch.invalid/tree fetch vmlinuz vmlinuz
	[ "$status" -eq 1 ]
	[ ! -e vmlinuz ]
	no_leftovers
}

@test "--progress reports 0 first and the total last, over http and ftp" {
	start_lighttpd
	start_ftp
	local u
	for u in "http://127.0.0.1:$HTTP_PORT/tree" \
	    "ftp://127.0.0.1:$FTP_PORT/tree"; do
		run_split "$MEDIAGET" --progress "$u" fetch \
		    images/pxeboot/vmlinuz vmlinuz
		[ "$status" -eq 0 ]
		[ "$(printf '%s' "$err" | head -n 1)" = "progress vmlinuz 0 0" ]
		[ "$(printf '%s' "$err" | tail -n 1)" = \
		    "progress vmlinuz $SIZE $SIZE" ]
		# done never goes back
		printf '%s' "$err" | awk '$3 < last { exit 1 } { last = $3 }'
		rm vmlinuz
	done
}

@test "https: a self-signed certificate is refused, and taken with --insecure" {
	command -v openssl >/dev/null || skip "no openssl"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" \
	    -out "$T/cert.pem" 2>/dev/null
	start_flaky tls ok --tls
	local u=https://127.0.0.1:$PORT/tree
	run_split "$MEDIAGET" "$u" fetch images/pxeboot/vmlinuz vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch '$u/images/pxeboot/vmlinuz': server certificate not trusted (use --insecure to skip the check)
" ]
	[ ! -e vmlinuz ]
	run_split "$MEDIAGET" "$u" exists .treeinfo
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot check '$u/.treeinfo': server certificate not trusted (use --insecure to skip the check)
" ]
	"$MEDIAGET" --insecure "$u" fetch images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	[ "$("$MEDIAGET" --insecure "$u" exists .treeinfo)" = yes ]
	[ "$("$MEDIAGET" --insecure "$u" exists nosuch)" = no ]
}

@test "an unknown host: one line naming the URL and the host" {
	run_split "$MEDIAGET" http://nosuch.invalid/tree cat vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch 'http://nosuch.invalid/tree/vmlinuz': could not resolve host 'nosuch.invalid'
" ]
	run_split "$MEDIAGET" ftp://nosuch.invalid/tree exists vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot check 'ftp://nosuch.invalid/tree/vmlinuz': could not resolve host 'nosuch.invalid'
" ]
}

@test "a refused port: one line, connection refused" {
	local port
	port=$(free_port)
	run_split "$MEDIAGET" "http://127.0.0.1:$port/tree" cat vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch 'http://127.0.0.1:$port/tree/vmlinuz': connection refused
" ]
	run_split "$MEDIAGET" "ftp://127.0.0.1:$port/" exists vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot check 'ftp://127.0.0.1:$port/vmlinuz': connection refused
" ]
}

@test "a missing file: exit 3 and one line, over http and ftp" {
	start_lighttpd
	start_ftp
	run_split "$MEDIAGET" "http://127.0.0.1:$HTTP_PORT/tree" cat \
	    images/pxeboot/nosuch
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot fetch 'http://127.0.0.1:$HTTP_PORT/tree/images/pxeboot/nosuch': not found (HTTP 404)
" ]
	run_split "$MEDIAGET" "ftp://127.0.0.1:$FTP_PORT/tree" fetch \
	    images/nosuch vmlinuz
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot fetch 'ftp://127.0.0.1:$FTP_PORT/tree/images/nosuch': not found (FTP 550)
" ]
	# a name that needs escaping is escaped, not taken as a query
	run_split "$MEDIAGET" "http://127.0.0.1:$HTTP_PORT/tree" cat \
	    'my dir/a?b'
	[ "$status" -eq 3 ]
	[ "$err" = "mediaget: cannot fetch 'http://127.0.0.1:$HTTP_PORT/tree/my%20dir/a%3Fb': not found (HTTP 404)
" ]
	no_leftovers
}

@test "a server that accepts and never answers fails within the stall timeout" {
	start_flaky silent silent
	local t0 t1
	t0=$(date +%s%N)
	run_split "$MEDIAGET" --stall-timeout 2 "http://127.0.0.1:$PORT/tree" \
	    fetch images/pxeboot/vmlinuz vmlinuz
	t1=$(date +%s%N)
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch 'http://127.0.0.1:$PORT/tree/images/pxeboot/vmlinuz': no data for 2 s (server stalled)
" ]
	[ $(( (t1 - t0) / 1000000 )) -lt 10000 ]
	[ $(( (t1 - t0) / 1000000 )) -ge 1900 ]
	no_leftovers
	t0=$(date +%s%N)
	run_split "$MEDIAGET" --stall-timeout 1 "http://127.0.0.1:$PORT/tree" \
	    exists .treeinfo
	t1=$(date +%s%N)
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot check 'http://127.0.0.1:$PORT/tree/.treeinfo': no data for 1 s (server stalled)
" ]
	[ $(( (t1 - t0) / 1000000 )) -lt 9000 ]
}

@test "a transfer cut short is resumed from where it stopped" {
	start_flaky srv drop
	run_split "$MEDIAGET" --progress "http://127.0.0.1:$PORT/tree" fetch \
	    images/pxeboot/vmlinuz vmlinuz
	[ "$status" -eq 0 ]
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	[ "$(cat "$T/srv.log")" = "GET /tree/images/pxeboot/vmlinuz -
GET /tree/images/pxeboot/vmlinuz bytes=$HALF-" ]
	[ "$(printf '%s' "$err" | tail -n 1)" = "progress vmlinuz $SIZE $SIZE" ]
	# into memory the same
	"$MEDIAGET" "http://127.0.0.1:$PORT/tree" cat images/pxeboot/initrd.img \
	    > initrd.img
	cmp initrd.img "$T/www/tree/images/pxeboot/initrd.img"
}

@test "a resume the server answers with the whole file drops what was there" {
	start_flaky srv norange
	"$MEDIAGET" "http://127.0.0.1:$PORT/tree" fetch \
	    images/pxeboot/vmlinuz vmlinuz
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	[ "$(wc -l < "$T/srv.log")" -eq 2 ]
}

@test "a transfer that stalls mid-way is resumed after the stall timeout" {
	start_flaky srv pause
	local t0 t1
	t0=$(date +%s%N)
	"$MEDIAGET" --stall-timeout 2 "http://127.0.0.1:$PORT/tree" fetch \
	    images/pxeboot/vmlinuz vmlinuz
	t1=$(date +%s%N)
	cmp vmlinuz "$T/www/tree/images/pxeboot/vmlinuz"
	[ "$(tail -n 1 "$T/srv.log")" = \
	    "GET /tree/images/pxeboot/vmlinuz bytes=$HALF-" ]
	[ $(( (t1 - t0) / 1000000 )) -lt 10000 ]
}

@test "a transfer cut short for good fails after the retries, 'cut short'" {
	start_flaky srv stuck
	local u=http://127.0.0.1:$PORT/tree
	run_split "$MEDIAGET" --retries 2 "$u" fetch images/pxeboot/vmlinuz \
	    vmlinuz
	[ "$status" -eq 1 ]
	[ "$err" = "mediaget: cannot fetch '$u/images/pxeboot/vmlinuz': the transfer was cut short after $HALF of $SIZE bytes
" ]
	# the first try, then the retries and one more that gained nothing
	[ "$(grep -c "bytes=$HALF-\$" "$T/srv.log")" -eq 3 ]
	[ "$(wc -l < "$T/srv.log")" -eq 4 ]
	no_leftovers
	run_split "$MEDIAGET" "$u" cat images/pxeboot/vmlinuz
	[ "$status" -eq 1 ]
	[ "$out" = "" ]
	one_line
}
