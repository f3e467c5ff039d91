#!/bin/sh
# nfs-server.sh - an NFS server for the media tests: nfs-ganesha in user
# space (FSAL VFS) exporting one directory as /export, read-only.
#
#   nfs-server.sh start DIR EXPORT   start it; DIR (created) holds its config,
#                                    log, NFSv4 recovery state and pid
#   nfs-server.sh stop DIR           stop it and wait until it is gone
#
# start prints shell assignments for the tests:
#   NFS_BASE=nfs://127.0.0.1/export  the export's URL
#   NFS_ARGS=?version=4&nfsport=N    URL arguments to append ('' in netns)
#   NFS_NETNS=/proc/PID/ns/net       run clients in this network namespace
#                                    (nsenter --net=$NFS_NETNS CMD); '' in host
#   NFS_MODE=netns|host
#
# Two modes (NFS_SERVER_MODE=netns|host chooses; the default is netns when
# this machine can make one: root, unshare, ip and rpcbind, which
# nfs-ganesha depends on):
#
# netns: a private network, mount and PID namespace of its own, with
#   rpcbind and ganesha on the standard ports (NFS 2049, MOUNT 20048,
#   portmapper 111) serving NFSv3 and NFSv4: nothing on the host's
#   network changes, the guide's nfs:HOST:/PATH form works as it is, and
#   killing the namespace's first process ends everything in it.
# host: ganesha alone on 127.0.0.1 and a free port chosen here, NFSv4 only
#   (ganesha exits when it cannot register NFSv3 with rpcbind).
#
# Both serve NFSv4 without a grace period (Graceless), and NFSv3 mounts by
# the pseudo path (/export) as NFSv4 does.  VFS needs root
# (open_by_handle_at) and a file system with file handles (ext4 and tmpfs
# work).  Ganesha answers about 0.1 s after its start; stopping takes
# less.  Its log (DIR/ganesha.log) has CRIT lines about D-Bus and Kerberos
# that do not matter here.
set -eu

GANESHA=${GANESHA:-/usr/bin/ganesha.nfsd}
FSAL_DIR=${FSAL_DIR:-/usr/lib/x86_64-linux-gnu/ganesha}

die() {
	echo "nfs-server.sh: $*" >&2
	exit 1
}

# write_config DIR EXPORT PROTOCOLS [BIND PORT]
write_config() {
	{
		echo "NFS_CORE_PARAM {"
		if [ -n "${4:-}" ]; then
			echo "	Bind_addr = $4;"
			echo "	NFS_Port = $5;"
		else
			echo "	NFS_Port = 2049;"
			echo "	MNT_Port = 20048;"
		fi
		cat <<-EOF
			Protocols = $3;
			Enable_NLM = false;
			Enable_RQUOTA = false;
			Enable_UDP = false;
			# NFSv3 mounts name the export by its pseudo path too
			mount_path_pseudo = true;
			Plugins_Dir = $FSAL_DIR;
		}
		NFSV4 {
			# no grace period after the start: opens work at once
			Graceless = true;
			RecoveryBackend = fs;
			RecoveryRoot = $1/recovery;
		}
		EXPORT {
			Export_Id = 1;
			Path = $2;
			Pseudo = /export;
			Access_Type = RO;
			Squash = No_Root_Squash;
			SecType = sys;
			Protocols = $3;
			Transports = TCP;
			FSAL { Name = VFS; }
		}
		EOF
	} > "$1/ganesha.conf"
}

# free_port: a TCP port nothing listens on now
free_port() {
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
		command -v ss >/dev/null || { echo "$p"; return; }
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

netns_ok() {
	[ "$(id -u)" -eq 0 ] && command -v ip >/dev/null &&
	    command -v rpcbind >/dev/null &&
	    unshare --net --mount --pid --fork true 2>/dev/null
}

# gone PID: the process has ended (a zombie counts)
gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" \
	    2>/dev/null)" = Z ]
}

# ready URL [NETNS]: the server answers within 10 s
ready() {
	i=0
	while [ $i -lt 200 ]; do
		gone "$pid" && return 1
		if [ -n "${2:-}" ]; then
			nsenter --net="$2" nfs-ls "$1" >/dev/null 2>&1 &&
			    return 0
		else
			nfs-ls "$1" >/dev/null 2>&1 && return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

start() {
	dir=$1
	export_dir=$(cd "$2" && pwd)
	mode=${NFS_SERVER_MODE:-}
	[ -x "$GANESHA" ] || die "$GANESHA is not installed (nfs-ganesha)"
	[ -f "$FSAL_DIR/libfsalvfs.so" ] ||
	    die "$FSAL_DIR/libfsalvfs.so is not installed (nfs-ganesha-vfs)"
	command -v nfs-ls >/dev/null ||
	    die "nfs-ls is not installed (libnfs-utils)"
	[ "$(id -u)" -eq 0 ] || die "ganesha's VFS back end needs root"
	if [ -z "$mode" ]; then
		if netns_ok; then mode=netns; else mode=host; fi
	fi
	mkdir -p "$dir/recovery"
	dir=$(cd "$dir" && pwd)
	rm -f "$dir/pid" "$dir/ganesha.log" "$dir/inside.sh"

	if [ "$mode" = netns ]; then
		write_config "$dir" "$export_dir" "3, 4"
		cat > "$dir/inside.sh" <<-EOF
		# the first process of the namespace: when it dies, all do
		ip link set lo up
		mount -t tmpfs tmpfs /run
		mkdir -p /run/rpcbind
		rpcbind -f -w &
		i=0
		while [ ! -S /run/rpcbind.sock ] && [ \$i -lt 100 ]; do
			sleep 0.02; i=\$((i + 1))
		done
		$GANESHA -F -f "$dir/ganesha.conf" -L "$dir/ganesha.log" \\
		    -p /run/ganesha.pid -N NIV_EVENT &
		wait \$!
		EOF
		# stdin, stdout and stderr away: whoever runs this script
		# must not wait for the server's end
		unshare --net --mount --pid --fork --propagation private \
		    --kill-child=KILL sh "$dir/inside.sh" \
		    </dev/null >"$dir/server.out" 2>&1 &
		pid=$!
		echo "$pid" > "$dir/pid"
		netns=/proc/$pid/ns/net
		ready "nfs://127.0.0.1/export?version=4" "$netns" || {
			tail -n 5 "$dir/ganesha.log" "$dir/server.out" >&2
			stop "$dir"
			die "ganesha did not start"
		}
		echo "NFS_MODE=netns"
		echo "NFS_BASE=nfs://127.0.0.1/export"
		echo "NFS_ARGS=''"
		echo "NFS_NETNS=$netns"
		return
	fi

	# host: NFSv4 on a free port of 127.0.0.1; another tries if taken
	for try in 1 2 3; do
		port=$(free_port)
		write_config "$dir" "$export_dir" 4 127.0.0.1 "$port"
		"$GANESHA" -F -f "$dir/ganesha.conf" -L "$dir/ganesha.log" \
		    -p "$dir/ganesha.pid" -N NIV_EVENT \
		    </dev/null >"$dir/server.out" 2>&1 &
		pid=$!
		echo "$pid" > "$dir/pid"
		if ready "nfs://127.0.0.1/export?version=4&nfsport=$port"; then
			echo "NFS_MODE=host"
			echo "NFS_BASE=nfs://127.0.0.1/export"
			echo "NFS_ARGS='?version=4&nfsport=$port'"
			echo "NFS_NETNS="
			return
		fi
		stop "$dir"
	done
	tail -n 5 "$dir/ganesha.log" >&2
	die "ganesha did not start"
}

stop() {
	dir=$1
	[ -f "$dir/pid" ] || return 0
	pid=$(cat "$dir/pid")
	rm -f "$dir/pid"
	gone "$pid" && return 0
	# netns: SIGKILL to the namespace's first process ends everything in
	# it (unshare itself ignores SIGTERM); host: ganesha stops on SIGTERM
	kids=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)
	if [ -n "$kids" ] && [ -f "$dir/inside.sh" ]; then
		kill -KILL $kids 2>/dev/null || true
	else
		kill -TERM "$pid" 2>/dev/null || true
	fi
	i=0
	while ! gone "$pid" && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if ! gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
		while ! gone "$pid"; do sleep 0.05; done
	fi
	wait "$pid" 2>/dev/null || true
}

case ${1:-} in
start)	[ $# -eq 3 ] || die "usage: nfs-server.sh start DIR EXPORT"
	start "$2" "$3" ;;
stop)	[ $# -eq 2 ] || die "usage: nfs-server.sh stop DIR"
	stop "$2" ;;
*)	die "usage: nfs-server.sh start DIR EXPORT | stop DIR" ;;
esac
