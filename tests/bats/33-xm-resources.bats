#!/usr/bin/env bats
# What a running domain is given: xm mem-set / mem-max (the guest's balloon
# follows), vcpu-set (the guest brings vcpus up and down), vcpu-pin and
# vcpu-list (hard and soft affinity), sched-credit (weight and cap), in
# xl's output layouts.

load helper

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR"
	guest_cfg g.cfg 64
	xm list >/dev/null 2>&1
}

# wait until CMD's output matches the pattern (the guest acts in ms)
until_match() {
	local pat=$1 i
	shift
	for i in $(seq 1 100); do
		[[ "$("$@")" =~ $pat ]] && return 0
		sleep 0.02
	done
	echo "never matched: $pat" >&2
	"$@" >&2
	return 1
}

@test "vcpu-list: xl's layout, online and offline vcpus, affinity" {
	sed 's/^vcpus = .*/vcpus = 10/' g.cfg > g10.cfg
	xm create g10.cfg >/dev/null
	run_split xm vcpu-list g1
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | head -1)" = "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)" ]
	[ "$(printf '%s' "$out" | sed -n 2p)" = "g1                                   1     0    0   -b-       0.0  all / all" ]
	[ "$(printf '%s' "$out" | wc -l)" -eq 11 ]
	# the seed walk-through: 10 vcpus, then 8: two are offline
	xm vcpu-set g1 8
	until_match "	1	8	" bash -c "xm list g1 | awk 'NR == 2 { printf \"\\t%s\\t%s\\t\", \$2, \$4 }'"
	run_split xm vcpu-list g1
	[ "$(printf '%s\n' "$out" | grep -c -- ' --p ')" -eq 2 ]
	[ "$(printf '%s' "$out" | tail -1)" = "g1                                   1     9    -   --p       0.0  all / all" ]
	xm vcpu-set g1 10
	until_match "	10	" bash -c "xm list g1 | awk 'NR == 2 { printf \"\\t%s\\t\", \$4 }'"
	# every domain when none is named; --json
	run_split xm vcpu-list
	[ "$(printf '%s\n' "$out" | grep -c '^Domain-0 ')" -eq 8 ]
	xm vcpu-list --json g1 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) == 10 and d[0]["hard_affinity"] == "all" and d[0]["online"]'
}

@test "vcpu-pin: hard and soft affinity, all, -, and what it refuses" {
	xm create g.cfg >/dev/null
	xm vcpu-pin g1 0 1
	xm vcpu-pin g1 all - 2-3
	run_split xm vcpu-list g1
	[ "$(printf '%s' "$out" | sed -n 2p)" = "g1                                   1     0    1   -b-       0.0  1 / 2-3" ]
	[ "$(printf '%s' "$out" | sed -n 3p)" = "g1                                   1     1    1   -b-       0.0  all / 2-3" ]
	xm vcpu-pin g1 1 '0-7,^4-5' all
	[[ "$(xm vcpu-list g1 | sed -n 3p)" == *"  0-3,6-7 / all" ]]
	run_split xm vcpu-pin g1 5 1
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: vcpu 5: domain 1 has vcpus 0 to 1" ]
	run_split xm vcpu-pin g1 0 99
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: CPU 99 does not exist: the host has 8 (0-7)" ]
	run_split xm vcpu-pin g1 0 'x-1'
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: invalid CPU list 'x-1': 'x' is not a CPU number" ]
	run_split xm vcpu-pin g1 zero 1
	[ "$status" -eq 1 ]
	# nothing changed by the refusals
	[[ "$(xm vcpu-list g1 | sed -n 2p)" == *"  1 / 2-3" ]]
}

@test "mem-set and mem-max: the balloon follows, within the maximum" {
	xm create g.cfg >/dev/null
	xm mem-set g1 32
	until_match "^32$" field g1 3
	xm mem-set g1 48m
	until_match "^48$" field g1 3
	run_split xm mem-set g1 100
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: memory_dynamic_max must be less than or equal to memory_static_max: 100 MiB is more than the domain's maximum, 64 MiB (raise it with mem-max)" ]
	run_split xm mem-max g1 16
	[ "$status" -eq 1 ]
	[[ "$err" == *"16 MiB is less than the domain's target, 48 MiB"* ]]
	xm mem-max g1 1g
	[ "$("$XVM_TOP/build/tests/xsls" /local/domain/1/memory/static-max)" = '/local/domain/1/memory/static-max = "1048576"' ]
	run_split xm mem-set g1 abc
	[ "$status" -eq 1 ]
	run_split xm mem-set 0 100
	[ "$status" -eq 1 ]
	[[ "$err" == *"Domain-0's memory is the host's own"* ]]
}

@test "sched-credit: every domain, one, and setting weight and cap" {
	xm create g.cfg >/dev/null
	run_split xm sched-credit
	[ "$status" -eq 0 ]
	[ "$out" = "Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us
Name                                ID Weight  Cap
Domain-0                             0    256    0
g1                                   1    256    0
" ]
	xm sched-credit -d g1 -w 512 -c 50
	run_split xm sched-credit -d g1
	[ "$out" = "Name                                ID Weight  Cap
g1                                   1    512   50
" ]
	xm sched-credit -d g1 -c 0
	[ "$(xm sched-credit -d g1 | tail -1)" = "g1                                   1    512    0" ]
	run_split xm sched-credit -d g1 -w 0
	[ "$status" -eq 1 ]
	[ "${err%$'\n'}" = "Error: invalid argument: weight 0: it is 1 to 65535" ]
	run_split xm sched-credit -w 300
	[ "$status" -eq 1 ]
	[[ "$err" == *"-w and -c need a domain (-d)"* ]]
}

@test "the test host answers too" {
	export XVM_DEFAULT_URI=test:///default
	[ "$(xm vcpu-list test | sed -n 2p)" = "test                                 1     0    0   r--       0.0  all / all" ]
	[ "$(xm sched-credit | tail -1)" = "test                                 1    256    0" ]
}
