#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "examples" (run by tests/examples/run.sh): sockfilter and
# sockops on the real kernel (root, BTF), against packets and connections
# this script causes.
# sockfilter must show, on the host end of a veth pair whose other end is in
# a new network namespace, exactly the UDP packets sent from the namespace
# from a known port to a known port (protocol, both addresses and ports; both
# engines; over IPv4, and over IPv6 with the addresses in brackets), the
# replies the host sends only with -o (marked out), hold a packet socket on
# that interface only while it runs, and fail cleanly for a missing interface.
# sockops must show, in a child cgroup this script makes and moves a client
# and a server into, the connection's CONNECT, ACCEPT and two CLOSE lines
# with the right ports (both engines), nothing of a connection made outside
# that cgroup, leave no attachment on the cgroup once stopped (bpftool cgroup
# show), find the cgroup v2 mount itself without -c, and say in one line when
# /proc/self/mounts has none.
# Both: -h and usage errors, stop on SIGINT within a second with exit 0, and
# leave no BPF program loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

examples_tmp examples-sockets
EX=$WBPF_BUILD/examples
SOCKFILTER=${WBPF_SOCKFILTER:-$EX/sockfilter/sockfilter}
SOCKOPS=${WBPF_SOCKOPS:-$EX/sockops/sockops}
RUN=${WBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
BPFTOOL=${BPFTOOL:-bpftool}
SF_TESTS=(sockfilter_udp sockfilter_udp_interp sockfilter_udp_ipv6 sockfilter_outgoing
	sockfilter_socket_closed
	sockfilter_no_such_interface sockfilter_sigint)
SO_TESTS=(sockops_connection sockops_connection_interp sockops_other_cgroup sockops_detached
	sockops_finds_cgroup2 sockops_no_cgroup2 sockops_sigint)
ROOT_TESTS=("${SF_TESTS[@]}" "${SO_TESTS[@]}" sockets_no_programs_left)

# ------------------------------------------------------------------ command line (no root)
need_built "$SOCKFILTER" "$SOCKOPS" "$SOCKFILTER.wasm" "$SOCKOPS.wasm" "$RUN" || exit 0

cmdline_tests sockfilter "$SOCKFILTER" "USAGE: sockfilter [-h] [-T] [-o] IFACE" \
	"a/b" "invalid IFACE: a/b"
cmdline_tests sockops "$SOCKOPS" "USAGE: sockops [-h] [-T] [-w] [-c CGROUP]" \
	"extra" "unrecognized positional argument: extra"

# ------------------------------------------------------------------ real kernel
need_kernel

# ------------------------------------------------------------------ sockfilter
NET6=fd00:5bf:$(printf %x $(($$ % 65536)))
HOST_IP6=$NET6::1
NS_IP6=$NET6::2
SPORT=$((40000 + $$ % 10000))
DPORT=$((SPORT + 1))
UDPS=6
PINGS=3
cg_dir=
cleanup() {
	veth_cleanup
	[ -n "$cg_dir" ] && rmdir "$cg_dir" 2>/dev/null
}
trap cleanup EXIT

# send_udp N: N datagrams from NS_IP:SPORT to HOST_IP:DPORT, from the namespace
# shellcheck disable=SC2016
# (not connected: the host's port unreachable replies do not fail later sends)
UDP_SEND='use IO::Socket::IP; use Socket qw(getaddrinfo SOCK_DGRAM);
	my $s = IO::Socket::IP->new(LocalHost => $ARGV[0], LocalPort => $ARGV[1], Proto => "udp")
		or die "udp: $@";
	my ($err, $ai) = getaddrinfo($ARGV[2], $ARGV[3], { socktype => SOCK_DGRAM });
	die "getaddrinfo: $err" if $err;
	my $to = $ai->{addr};
	for my $i (1 .. $ARGV[4]) { $s->send("wbpf$i", 0, $to) or die "send: $!"; select(undef, undef, undef, 0.02); }'
send_udp() { # N [SRC DST]
	ip netns exec "$NS" perl -e "$UDP_SEND" "${2:-$NS_IP}" $SPORT "${3:-$HOST_IP}" $DPORT "$1" \
		2>>"$T/udp.err"
}

# the inodes of the packet sockets bound to HOST_IF (/proc/net/packet, host netns)
packet_socks() {
	awk -v i="$(cat /sys/class/net/"$HOST_IF"/ifindex 2>/dev/null)" \
		'NR > 1 && $5 == i { print $9 }' /proc/net/packet
}

# udp_test NAME CMD...: exactly the UDP datagrams sent, with addresses and ports
udp_test() {
	local t=$1 want got others
	shift
	if ! start_tool "$T/$t.out" 1 0 1 "$@" "$HOST_IF"; then
		fail $t "$* $HOST_IF did not start"
		return 1
	fi
	socks_running=$(packet_socks)
	send_udp $UDPS
	stop_tool
	socks_after=$(packet_socks)
	want="interface: $HOST_IF  protocol: UDP  $NS_IP:$SPORT(src) -> $HOST_IP:$DPORT(dst)"
	got=$(grep -cxF -- "$want" "$T/$t.out")
	others=$(grep 'protocol: UDP' "$T/$t.out" | grep -vxF -- "$want" | head -2)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ "$(head -1 "$T/$t.out")" != "Showing the IP packets of $HOST_IF... Hit Ctrl-C to end." ]; then
		fail $t "no banner line: '$(head -1 "$T/$t.out")'"
	elif [ "$got" -ne $UDPS ]; then
		fail $t "$got lines '$want', want $UDPS; udp: $(head -c 200 "$T/udp.err")"
	elif [ -n "$others" ]; then
		fail $t "other UDP lines: $others"
	elif grep -q '  out$' "$T/$t.out"; then
		fail $t "outgoing packets shown without -o: $(grep -m1 '  out$' "$T/$t.out")"
	else
		pass $t
	fi
	return 0
}

# in a /24 unlikely taken
why=
veth_setup s "10.$((150 + $$ % 50)).$((($$ / 50) % 250))" || why=$veth_why
ipv6_why=
if [ -z "$why" ] && { ! ip -6 addr add "$HOST_IP6/64" dev "$HOST_IF" nodad 2>"$T/ipv6.err" ||
	! ip -n "$NS" -6 addr add "$NS_IP6/64" dev "$NS_IF" nodad 2>>"$T/ipv6.err"; }; then
	ipv6_why="cannot give the veth pair IPv6 addresses: $(head -1 "$T/ipv6.err")"
fi
if [ -n "$why" ]; then
	skip_each "$why" "${SF_TESTS[@]}"
else
	if with_sigint sockfilter_sigint udp_test sockfilter_udp "$SOCKFILTER"; then
		t=sockfilter_socket_closed
		if [ "$(wc -w <<<"$socks_running")" -ne 1 ]; then
			fail $t "$(wc -w <<<"$socks_running") packet sockets on $HOST_IF while it ran, want 1"
		elif [ -n "$socks_after" ]; then
			fail $t "packet socket(s) $socks_after still on $HOST_IF after it exited"
		else
			pass $t
		fi
	else
		fail sockfilter_socket_closed "sockfilter did not start"
	fi
	udp_test sockfilter_udp_interp "$RUN" "$SOCKFILTER.wasm"

	t=sockfilter_udp_ipv6
	if [ -n "$ipv6_why" ]; then
		skip $t "$ipv6_why"
	elif start_tool "$T/$t.out" 1 0 1 "$SOCKFILTER" "$HOST_IF"; then
		send_udp $UDPS "$NS_IP6" "$HOST_IP6"
		stop_tool
		want="interface: $HOST_IF  protocol: UDP  [$NS_IP6]:$SPORT(src) -> [$HOST_IP6]:$DPORT(dst)"
		got=$(grep -cxF -- "$want" "$T/$t.out")
		if [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT"
		elif [ "$got" -ne $UDPS ]; then
			fail $t "$got lines '$want', want $UDPS; udp: $(tail -c 200 "$T/udp.err")"
		else
			pass $t
		fi
	else
		fail $t "sockfilter did not start"
	fi

	t=sockfilter_outgoing
	if start_tool "$T/$t.out" 1 0 1 "$SOCKFILTER" -o "$HOST_IF"; then
		ip netns exec "$NS" ping -n -q -c $PINGS -i 0.2 -W 1 "$HOST_IP" >"$T/$t.ping" 2>&1
		stop_tool
		req="interface: $HOST_IF  protocol: ICMP  $NS_IP(src) -> $HOST_IP(dst)"
		rep="interface: $HOST_IF  protocol: ICMP  $HOST_IP(src) -> $NS_IP(dst)  out"
		if [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT"
		elif [ "$(grep -cxF -- "$req" "$T/$t.out")" -ne $PINGS ] ||
			[ "$(grep -cxF -- "$rep" "$T/$t.out")" -ne $PINGS ]; then
			fail $t "want $PINGS lines '$req' and $PINGS '$rep'; got $(grep -c ICMP "$T/$t.out") ICMP lines; ping: $(tail -2 "$T/$t.ping" | tr '\n' ' ')"
		else
			pass $t
		fi
	else
		fail $t "sockfilter -o did not start"
	fi

	fails_test sockfilter_no_such_interface -qxF "failed to attach to wbNoSuch$$: No such device" \
		"$SOCKFILTER" wbNoSuch$$
fi
veth_cleanup

# ------------------------------------------------------------------ sockops
# A server that accepts one connection, reads to EOF and closes, on a port the
# kernel picks; a client that connects, writes and closes. Each writes its
# port (server: listening; client: local) to the file given.
SERVER='use IO::Socket::IP;
	my $s = IO::Socket::IP->new(LocalHost => "127.0.0.1", LocalPort => 0, Listen => 8)
		or die "listen: $@";
	open(my $f, ">", "$ARGV[0].tmp") or die; print $f $s->sockport, "\n"; close($f);
	rename("$ARGV[0].tmp", $ARGV[0]);
	my $c = $s->accept or die; my $b; while (sysread($c, $b, 4096)) {} close($c);'
CLIENT='use IO::Socket::IP;
	my $c = IO::Socket::IP->new(PeerHost => "127.0.0.1", PeerPort => $ARGV[0]) or die "connect: $@";
	open(my $f, ">", $ARGV[1]) or die; print $f $c->sockport, "\n"; close($f);
	print $c "hello"; select(undef, undef, undef, 0.1); close($c);'

# connection CGROUP: a server and a client, both moved into CGROUP first (none:
# left where they are); sets sport and cport, returns 1 if either failed
connection() {
	local cg=$1 f=$T/conn.$RANDOM _ spid
	bash -c '[ "$1" = none ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec perl -e "$@"' \
		sh "$cg" "$SERVER" "$f.server" 2>>"$T/conn.err" &
	spid=$!
	for _ in $(seq 1 100); do
		[ -s "$f.server" ] && break
		sleep 0.02
	done
	sport=$(cat "$f.server" 2>/dev/null)
	if [ -z "$sport" ]; then
		kill $spid 2>/dev/null
		wait $spid 2>/dev/null
		return 1
	fi
	bash -c '[ "$1" = none ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec perl -e "$@"' \
		sh "$cg" "$CLIENT" "$sport" "$f.client" 2>>"$T/conn.err"
	wait $spid
	cport=$(cat "$f.client" 2>/dev/null)
	[ -n "$cport" ]
}

# conn_check OUT: why the lines of the connection sport/cport are not right
# (nothing when they are). Columns: EVENT LADDR LPORT RADDR RPORT SRTT_US
# ACKED RCVD RETR MS
conn_check() {
	awk -v s="$sport" -v c="$cport" '
		$2 == "127.0.0.1" && $4 == "127.0.0.1" && ($3 == s || $3 == c) { seen[$1 " " $3 " " $5]++; line[$1 " " $3] = $0 }
		END {
			want["CONNECT " c " " s]; want["ACCEPT " s " " c]; want["CLOSE " c " " s]; want["CLOSE " s " " c]
			for (k in want) if (seen[k] != 1) { print seen[k] + 0 " lines \"" k "\", want 1"; exit 1 }
			if (length(seen) != 4) { print length(seen) " kinds of lines of the connection, want 4"; exit 1 }
			split(line["CLOSE " c], f)
			if (f[7] < 6) { print "the client CLOSE line has ACKED " f[7] ", it sent 5 bytes and SYN"; exit 1 }
			if (f[10] < 100) { print "the client CLOSE line has MS " f[10] ", it held the connection 100 ms"; exit 1 }
			split(line["CLOSE " s], f)
			if (f[8] < 5) { print "the server CLOSE line has RCVD " f[8] ", it read 5 bytes"; exit 1 }
		}' "$1"
}

SO_HEADER='EVENT   LADDR           LPORT RADDR           RPORT  SRTT_US      ACKED       RCVD RETR         MS'
# connection_test NAME CMD...: one connection in the cgroup, seen whole
connection_test() {
	local t=$1 why
	shift
	if ! start_tool "$T/$t.out" 1 0 1 "$@" -c "$cg_dir"; then
		fail $t "$* -c $cg_dir did not start"
		return 1
	fi
	attached=$("$BPFTOOL" cgroup show "$cg_dir" 2>&1)
	if ! connection "$cg_dir"; then
		stop_tool
		fail $t "the test connection failed: $(tail -c 200 "$T/conn.err")"
		return 0
	fi
	stop_tool
	detached=$("$BPFTOOL" cgroup show "$cg_dir" 2>&1)
	why=$(conn_check "$T/$t.out")
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ "$(sed -n 2p "$T/$t.out")" != "$SO_HEADER" ]; then
		fail $t "header '$(sed -n 2p "$T/$t.out")', want '$SO_HEADER'"
	elif [ -n "$why" ]; then
		fail $t "$why (client port $cport, server port $sport)"
	else
		pass $t
	fi
	return 0
}

cg_root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$cg_root" ]; then
	skip_each "no cgroup v2 mount in /proc/self/mounts" "${SO_TESTS[@]}"
elif ! cg_dir=$cg_root/wbsockops$$ || ! mkdir "$cg_dir" 2>"$T/cg.err"; then
	cg_dir=
	skip_each "cannot create a cgroup under $cg_root: $(head -1 "$T/cg.err")" "${SO_TESTS[@]}"
else
	if with_sigint sockops_sigint connection_test sockops_connection "$SOCKOPS"; then
		t=sockops_detached
		if ! grep -q 'sock_ops.*sockops_tcp' <<<"$attached"; then
			fail $t "bpftool cgroup show $cg_dir did not show the program while it ran: $attached"
		elif [ -n "$(grep -v '^ID ' <<<"$detached")" ]; then
			fail $t "bpftool cgroup show $cg_dir after exit: $detached"
		else
			pass $t
		fi
	else
		fail sockops_detached "sockops did not start"
	fi
	connection_test sockops_connection_interp "$RUN" "$SOCKOPS.wasm"

	t=sockops_other_cgroup
	if start_tool "$T/$t.out" 1 0 1 "$SOCKOPS" -c "$cg_dir"; then
		if connection none; then
			stop_tool
			if [ "$tool_rc" != 0 ]; then
				fail $t "exit $tool_rc after SIGINT"
			elif awk -v s=$sport -v c=$cport '$3 == s || $3 == c { found = 1 } END { exit !found }' "$T/$t.out"; then
				fail $t "a connection outside $cg_dir was shown: $(grep -m1 -e " $sport " "$T/$t.out")"
			else
				pass $t
			fi
		else
			stop_tool
			fail $t "the test connection failed: $(tail -c 200 "$T/conn.err")"
		fi
	else
		fail $t "sockops -c did not start"
	fi

	# without -c, /proc granted: the mount of /proc/self/mounts, attached at its root
	t=sockops_finds_cgroup2
	if start_tool "$T/$t.out" 1 0 1 env WASMBPF_DIR=/proc:ro "$SOCKOPS"; then
		found=$("$BPFTOOL" cgroup show "$cg_root" 2>&1)
		stop_tool
		if [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT"
		elif [ "$(head -1 "$T/$t.out")" != "Tracing the TCP connections of cgroup $cg_root... Hit Ctrl-C to end." ]; then
			fail $t "banner '$(head -1 "$T/$t.out")', want cgroup $cg_root"
		elif ! grep -q 'sock_ops.*sockops_tcp' <<<"$found"; then
			fail $t "bpftool cgroup show $cg_root did not show the program: $found"
		else
			pass $t
		fi
	else
		fail $t "sockops without -c did not start"
	fi

	# a /proc whose mounts have no cgroup2 line
	t=sockops_no_cgroup2
	mkdir -p "$T/proc/self"
	grep -v ' cgroup2 ' /proc/self/mounts >"$T/proc/self/mounts"
	WASMBPF_DIR="$T/proc::/proc:ro" "$SOCKOPS" >"$T/$t.out" 2>"$T/$t.err"; rc=$?
	msg="sockops: no cgroup v2 mount in /proc/self/mounts; give a cgroup with -c CGROUP"
	if [ $rc -ne 1 ] || [ "$(cat "$T/$t.err")" != "$msg" ]; then
		fail $t "exit $rc (want 1), stderr: $(head -c 300 "$T/$t.err") (want the one line '$msg')"
	else
		pass $t
	fi
fi

# ------------------------------------------------------------------ nothing left loaded
no_programs_left_test sockets_no_programs_left
exit 0
