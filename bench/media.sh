#!/bin/bash
# media.sh - lib/media's throughput against the reference clients, in the
# same run, on the same 1 GiB file over loopback:
#   HTTP (lighttpd): xvm's fetch vs `curl -o`      goal: >= 90 %
#   NFS (nfs-ganesha): xvm's fetch vs `nfs-cp`     goal: >= 80 %
# and virt-install --print-xml start-to-exit against Debian's virt-install
# (virtinst), when it is installed: goal at least 50x faster.
#
#   bench/media.sh [SIZE_MIB]     (run by `make bench`; needs root for NFS)
#
# Each transfer runs 3 times; the best time of each counts.  Prints one
# line per comparison and exits 1 when a goal is missed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
mib=${1:-1024}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xvm-bench.XXXXXX")
pids=()
nfsdir=
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$nfsdir" ] && "$top/tests/tools/nfs-server.sh" stop "$nfsdir" >/dev/null 2>&1
	rm -rf "$tmp" ${shm:+"$shm"}
}
trap cleanup EXIT INT TERM
unset http_proxy https_proxy ftp_proxy all_proxy no_proxy
mediaget=$top/build/tests/mediaget
fail=0

best() {	# best CMD...: the best wall time of 3 runs, in seconds
	local i t b=
	for i in 1 2 3; do
		rm -f "$out"
		t=$(TIMEFORMAT=%R; { time "$@" >/dev/null 2>&1; } 2>&1)
		if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then
			b=$t
		fi
	done
	echo "$b"
}

compare() {	# compare WHAT OURS THEIRS GOAL_PERCENT
	local pct
	pct=$(awk -v o="$2" -v t="$3" 'BEGIN { printf "%d", (o > 0 ? t / o * 100 : 0) }')
	printf '%-6s %5d MiB: xvm %6.2f s (%7.1f MiB/s), %s %6.2f s (%7.1f MiB/s): %d%% of its speed (goal %d%%)\n' \
	    "$1" "$mib" "$2" "$(awk -v s="$2" -v m="$mib" 'BEGIN { print m / s }')" "$4" "$3" \
	    "$(awk -v s="$3" -v m="$mib" 'BEGIN { print m / s }')" "$pct" "$5"
	[ "$pct" -ge "$5" ] || fail=1
}

# what is fetched goes to memory when it fits (/dev/shm), so that the
# disk's write-back does not decide the race
out=$tmp/out
if [ "$(df -m --output=avail /dev/shm 2>/dev/null | tail -1)" -gt $((mib * 2 + 256)) ] 2>/dev/null; then
	shm=$(mktemp -d /dev/shm/xvm-bench.XXXXXX)
	out=$shm/out
fi
mkdir -p "$tmp/www" "$tmp/export"
head -c $((mib << 20)) /dev/urandom > "$tmp/www/big"
ln "$tmp/www/big" "$tmp/export/big" 2>/dev/null || cp "$tmp/www/big" "$tmp/export/big"

# HTTP
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'server.document-root = "%s"\nserver.bind = "127.0.0.1"\nserver.port = %s\n' \
    "$tmp/www" "$port" > "$tmp/lighttpd.conf"
/usr/sbin/lighttpd -D -f "$tmp/lighttpd.conf" &
pids+=($!)
sleep 0.5
ours=$(best "$mediaget" "http://127.0.0.1:$port/" fetch big "$out")
theirs=$(best curl -s -o "$out" "http://127.0.0.1:$port/big")
compare HTTP "$ours" "$theirs" "curl -o" 90

# NFS
if [ "$(id -u)" -eq 0 ]; then
	nfsdir=$tmp/nfs
	eval "$("$top/tests/tools/nfs-server.sh" start "$nfsdir" "$tmp/export")"
	net=()
	[ -n "${NFS_NETNS:-}" ] && net=(nsenter --net="$NFS_NETNS")
	ours=$(best "${net[@]}" "$mediaget" "$NFS_BASE/$NFS_ARGS" fetch big "$out")
	theirs=$(best "${net[@]}" nfs-cp "$NFS_BASE/big$NFS_ARGS" "$out")
	compare NFS "$ours" "$theirs" nfs-cp 80
else
	echo "NFS: skipped (nfs-ganesha's VFS back end needs root)"
fi

# virt-install --print-xml, start to exit
vi_args=(--connect test:///default --name b --memory 512 --disk "path=$tmp/d.img,size=1" --import --print-xml)
ours=$(best "$top/build/bin/virt-install" "${vi_args[@]}")
if [ -x /usr/bin/virt-install ]; then
	theirs=$(VIRTINSTALL_OSINFO_DISABLE_REQUIRE=1 best /usr/bin/virt-install "${vi_args[@]}")
	x=$(awk -v o="$ours" -v t="$theirs" 'BEGIN { printf "%d", (o > 0 ? t / o : 0) }')
	printf 'virt-install --print-xml: xvm %.3f s, virtinst %.3f s: %dx faster (goal 50x)\n' "$ours" "$theirs" "$x"
	[ "$x" -ge 50 ] || fail=1
else
	printf 'virt-install --print-xml: xvm %.3f s (Debian virt-install not installed: apt-get install virtinst)\n' "$ours"
fi
exit $fail
