#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "examples" (run by tests/examples/run.sh): tcpstates, uprobe
# and xdp on the real kernel (root, BTF, tracefs), against traffic and calls
# this script causes.
# tcpstates must show, for a TCP connection to a local server on a port the
# kernel picked, the client socket's changes from CLOSE back to CLOSE
# (CLOSE -> SYN_SENT -> ESTABLISHED ...) with plausible MS (both engines);
# only that local port with -L, that remote port with -D, only IPv6 with -6.
# uprobe must show exactly N entries (with the arguments) and N returns (with
# the values) of a function a test program calls N times (both engines), only
# the process of -p, and fail cleanly for a missing function.
# xdp must count, on the host end of a veth pair whose other end is in a new
# network namespace, exactly the ICMP echo requests and at least the UDP
# packets sent from the namespace (both engines), print -c tables every -i
# seconds, and leave no XDP program on the interface once stopped.
# All three: -h and usage errors, stop on SIGINT within a second with exit 0,
# and leave no BPF program loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

examples_tmp examples-probes
EX=$WBPF_BUILD/examples
TCPSTATES=${WBPF_TCPSTATES:-$EX/tcpstates/tcpstates}
UPROBE=${WBPF_UPROBE:-$EX/uprobe/uprobe}
XDP=${WBPF_XDP:-$EX/xdp/xdp}
RUN=${WBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
TCP_TESTS=(tcpstates_transitions tcpstates_transitions_interp tcpstates_lport_filter
	tcpstates_rport_filter tcpstates_ipv6_only tcpstates_sigint)
UPROBE_TESTS=(uprobe_calls uprobe_calls_interp uprobe_pid_filter uprobe_missing_function
	uprobe_sigint)
XDP_TESTS=(xdp_counts xdp_counts_interp xdp_detached xdp_interval_count xdp_no_such_interface
	xdp_sigint)
ROOT_TESTS=("${TCP_TESTS[@]}" "${UPROBE_TESTS[@]}" "${XDP_TESTS[@]}" probes_no_programs_left)

# ------------------------------------------------------------------ command line (no root)
need_built "$TCPSTATES" "$UPROBE" "$XDP" "$TCPSTATES.wasm" "$UPROBE.wasm" "$XDP.wasm" "$RUN" ||
	exit 0

cmdline_tests tcpstates "$TCPSTATES" "USAGE: tcpstates [-h] [-4] [-6] [-T] [-w] [-L LPORT] [-D RPORT]" \
	"-L 80,0" "invalid LPORT: 80,0"
cmdline_tests uprobe "$UPROBE" "USAGE: uprobe [-h] [-T] [-i] [-x] [-p PID] BINARY FUNCTION" \
	"/bin/true" "missing BINARY and FUNCTION"
cmdline_tests xdp "$XDP" "USAGE: xdp [-h] [-T] [-i SECONDS] [-c COUNT] IFACE" \
	"-i 0 lo" "invalid SECONDS: 0"

# ------------------------------------------------------------------ real kernel
need_kernel

# ------------------------------------------------------------------ tcpstates
# A server that accepts, reads to EOF and closes, on a port the kernel picks
# (written to the file $2) on address $1; a client that connects, writes,
# waits HOLD seconds and closes.
SERVER='use IO::Socket::IP;
	my $s = IO::Socket::IP->new(LocalHost => $ARGV[0], LocalPort => 0, Listen => 8)
		or die "listen: $@";
	open(my $f, ">", "$ARGV[1].tmp") or die; print $f $s->sockport, "\n"; close($f);
	rename("$ARGV[1].tmp", $ARGV[1]);
	while (my $c = $s->accept) { my $b; while (sysread($c, $b, 4096)) {} close($c); }'
CLIENT='use IO::Socket::IP;
	my $c = IO::Socket::IP->new(PeerHost => $ARGV[0], PeerPort => $ARGV[1]) or die "connect: $@";
	print $c "hello"; select(undef, undef, undef, $ARGV[2]); close($c);'
HOLD=0.2

server_pids=
# start_server ADDR: sets port
start_server() {
	local f=$T/port.$RANDOM _
	rm -f "$f"
	perl -e "$SERVER" "$1" "$f" 2>>"$T/server.err" &
	server_pids="$server_pids $!"
	for _ in $(seq 1 100); do
		[ -s "$f" ] && break
		sleep 0.02
	done
	port=$(cat "$f" 2>/dev/null)
	[ -n "$port" ]
}
stop_servers() {
	# shellcheck disable=SC2086
	{ kill $server_pids; wait $server_pids; } 2>/dev/null
	server_pids=
}

# connect ADDR PORT: sets client (its pid)
connect() {
	perl -e "$CLIENT" "$1" "$2" $HOLD 2>>"$T/client.err" &
	client=$!
	wait $client
}

# the columns: SKADDR C-PID C-COMM IP LADDR LPORT RADDR RPORT OLD -> NEW MS
TCP_HEADER='SKADDR           C-PID   C-COMM     IP LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS'

# client_chain OUT PORT: why the client socket's lines to PORT are not one
# chain of changes from CLOSE back to CLOSE through SYN_SENT and ESTABLISHED
# with plausible times (nothing when they are). The perf buffer delivers per
# CPU, so the lines are taken as a set, not in order.
client_chain() {
	awk -v port="$2" -v hold=$HOLD '
		$8 == port && $6 != port && $10 == "->" { n++; next_of[$9] = $11; ms[$9] = $12; sk[$1] = 1 }
		END {
			if (!n) { print "no line of a client socket to port " port; exit 1 }
			if (length(sk) != 1) { print "lines of " length(sk) " client sockets, want 1"; exit 1 }
			s = "CLOSE"; path = s
			for (i = 0; i < n; i++) {
				if (!(s in next_of)) { print "chain " path " stops at " s; exit 1 }
				t = next_of[s]; delete next_of[s]; s = t; path = path " -> " s
				if (s == "CLOSE") break
			}
			if (s != "CLOSE" || i + 1 != n) { print "not one chain from CLOSE to CLOSE: " path " (" n " lines)"; exit 1 }
			if (path !~ /^CLOSE -> SYN_SENT -> ESTABLISHED -> /) { print "chain " path; exit 1 }
			if (ms["CLOSE"] != "0.000") { print "CLOSE -> SYN_SENT after " ms["CLOSE"] " ms, want 0.000 (start unseen)"; exit 1 }
			if (ms["SYN_SENT"] < 0 || ms["SYN_SENT"] > 1000) { print "SYN_SENT for " ms["SYN_SENT"] " ms"; exit 1 }
			if (ms["ESTABLISHED"] < hold * 1000 * 0.9 || ms["ESTABLISHED"] > 10000) {
				print "ESTABLISHED for " ms["ESTABLISHED"] " ms, the client held it " hold " s"; exit 1
			}
		}' "$1"
}

# transitions_test NAME CMD...: a connection's client socket, seen whole
transitions_test() {
	local t=$1 why
	shift
	if ! start_server 127.0.0.1; then
		fail $t "the test server did not start: $(head -c 200 "$T/server.err")"
		return 1
	fi
	if ! start_tool "$T/$t.out" 1 1 1 "$@"; then
		stop_servers
		fail $t "$* did not start"
		return 1
	fi
	connect 127.0.0.1 "$port"
	stop_tool
	stop_servers
	why=$(client_chain "$T/$t.out" "$port")
	if [ "$(head -1 "$T/$t.out")" != "$TCP_HEADER" ]; then
		fail $t "header '$(head -1 "$T/$t.out")', want '$TCP_HEADER'"
	elif [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ -n "$why" ]; then
		fail $t "$why"
	elif ! awk -v p=$port -v c=$client '$8 == p && $9 == "CLOSE" && $11 == "SYN_SENT" &&
		$2 == c && $3 == "perl" && $4 == 4 && $5 == "127.0.0.1" && $7 == "127.0.0.1" { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no 'SKADDR $client perl 4 127.0.0.1 0 127.0.0.1 $port CLOSE -> SYN_SENT 0.000'"
	elif ! awk -v p=$port '$6 == p && $9 == "SYN_RECV" && $11 == "ESTABLISHED" { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no SYN_RECV -> ESTABLISHED line of the server's socket (local port $port)"
	else
		pass $t
	fi
	return 0
}

with_sigint tcpstates_sigint transitions_test tcpstates_transitions "$TCPSTATES"
transitions_test tcpstates_transitions_interp "$RUN" "$TCPSTATES.wasm"

# port_filter_test NAME FLAG COLUMN: only PORT in that column (6 LPORT, 8 RPORT),
# while another connection (to another server) goes on
port_filter_test() {
	local t=$1 flag=$2 col=$3 other_port others
	if ! start_server 127.0.0.1 || ! other_port=$port || ! start_server 127.0.0.1; then
		stop_servers
		fail $t "the test servers did not start: $(head -c 200 "$T/server.err")"
		return
	fi
	if ! start_tool "$T/$t.out" 1 1 1 "$TCPSTATES" "$flag" "$port"; then
		stop_servers
		fail $t "tcpstates $flag did not start"
		return
	fi
	connect 127.0.0.1 "$other_port"
	connect 127.0.0.1 "$port"
	stop_tool
	stop_servers
	others=$(awk -v c=$col -v p=$port 'NR > 1 && $c != p' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif [ -n "$others" ]; then
		fail $t "lines of other ports with $flag $port: $others"
	elif [ "$col" = 8 ] && ! awk -v p=$port '$8 == p && $9 == "SYN_SENT" && $11 == "ESTABLISHED" { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no SYN_SENT -> ESTABLISHED line of the client socket to $port"
	elif [ "$col" = 6 ] && ! awk -v p=$port '$6 == p && $9 == "SYN_RECV" && $11 == "ESTABLISHED" { ok = 1 }
		END { exit !ok }' "$T/$t.out"; then
		fail $t "no SYN_RECV -> ESTABLISHED line of the server socket on $port"
	else
		pass $t
	fi
}
port_filter_test tcpstates_lport_filter -L 6
port_filter_test tcpstates_rport_filter -D 8

t=tcpstates_ipv6_only
if ! grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
	skip $t "no IPv6 loopback address (::1)"
elif ! start_server 127.0.0.1 || ! port4=$port || ! start_server ::1; then
	stop_servers
	fail $t "the test servers did not start: $(head -c 200 "$T/server.err")"
elif start_tool "$T/$t.out" 1 1 1 "$TCPSTATES" -6 -w; then
	connect 127.0.0.1 "$port4"
	connect ::1 "$port"
	stop_tool
	stop_servers
	others=$(awk 'NR > 1 && $4 != 6' "$T/$t.out" | head -3)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT"
	elif [ -n "$others" ]; then
		fail $t "IPv4 lines with -6: $others"
	elif ! awk -v p=$port '$8 == p && $5 == "::1" && $7 == "::1" && $9 == "SYN_SENT" &&
		$11 == "ESTABLISHED" { ok = 1 } END { exit !ok }' "$T/$t.out"; then
		fail $t "no '... 6 ::1 LPORT ::1 $port SYN_SENT -> ESTABLISHED' line"
	else
		pass $t
	fi
else
	stop_servers
	fail $t "tcpstates -6 did not start"
fi

# ------------------------------------------------------------------ uprobe
# ADD N BASE [GATE]: calls wbpf_probe_add(BASE + i, -3 * (BASE + i)) for i = 1..N,
# after reading a line from the fifo GATE when given
ADD=$T/wbAdd$$ # a unique comm
cat >"$T/add.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((noipa))
#endif
__attribute__((noinline)) int wbpf_probe_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	int n, base, i;
	long sum = 0;
	char line[16];
	FILE *gate;

	if (argc < 3)
		return 2;
	n = atoi(argv[1]);
	base = atoi(argv[2]);
	if (argc > 3) {
		gate = fopen(argv[3], "r");
		if (!gate || !fgets(line, sizeof(line), gate))
			return 1;
		fclose(gate);
	}
	for (i = 1; i <= n; i++)
		sum += wbpf_probe_add(base + i, -3 * (base + i));
	printf("%ld\n", sum);
	return 0;
}
EOF
ADD_COMM=$(basename "$ADD")

# expected_calls N BASE PID: the lines uprobe -i shows for those calls
expected_calls() {
	local i v
	for i in $(seq 1 "$1"); do
		v=$(($2 + i))
		printf '%-7d %-16s %-6s arg1=%d arg2=%d\n' "$3" "$ADD_COMM" entry $v $((-3 * v))
		printf '%-7d %-16s %-6s ret=%d\n' "$3" "$ADD_COMM" return $((-2 * v))
	done
}

# calls_test NAME CMD...: N calls, N entries and N returns, in call order
calls_test() {
	local t=$1 n=7 base=40 apid
	shift
	if ! start_tool "$T/$t.out" 2 2 1 "$@"; then
		fail $t "$* did not start"
		return 1
	fi
	"$ADD" $n $base >/dev/null &
	apid=$!
	wait $apid
	stop_tool
	expected_calls $n $base $apid >"$T/$t.want"
	awk -v p=$apid '$1 == p' "$T/$t.out" >"$T/$t.got"
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ "$(head -1 "$T/$t.out")" != "PID     COMM             EVENT  VALUES" ]; then
		fail $t "header '$(head -1 "$T/$t.out")'"
	elif ! cmp -s "$T/$t.want" "$T/$t.got"; then
		diff "$T/$t.want" "$T/$t.got" >&2
		fail $t "the lines of pid $apid are not the $n entries and returns expected (diff on stderr)"
	else
		pass $t
	fi
	return 0
}

if ! cc -O2 -o "$ADD" "$T/add.c" 2>"$T/add.err"; then
	cat "$T/add.err" >&2
	fail_each "cannot build the test program (cc)" "${UPROBE_TESTS[@]}"
elif [ ! -e /sys/bus/event_source/devices/uprobe/type ] && [ ! -e /sys/kernel/tracing/uprobe_events ]; then
	skip_each "kernel without uprobes (no uprobe PMU, no uprobe_events in tracefs)" \
		"${UPROBE_TESTS[@]}"
else
	with_sigint uprobe_sigint calls_test uprobe_calls "$UPROBE" -i "$ADD" wbpf_probe_add
	calls_test uprobe_calls_interp "$RUN" "$UPROBE.wasm" -i "$ADD" wbpf_probe_add

	t=uprobe_pid_filter
	rm -f "$T/gate1" "$T/gate2"
	mkfifo "$T/gate1" "$T/gate2"
	"$ADD" 3 100 "$T/gate1" >/dev/null &
	traced=$!
	"$ADD" 5 200 "$T/gate2" >/dev/null &
	other=$!
	if start_tool "$T/$t.out" 2 2 1 "$UPROBE" -i -p $traced "$ADD" wbpf_probe_add; then
		echo go >"$T/gate2"
		wait $other
		echo go >"$T/gate1"
		wait $traced
		stop_tool
		expected_calls 3 100 $traced >"$T/$t.want"
		if [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc after SIGINT"
		elif ! tail -n +2 "$T/$t.out" | cmp -s "$T/$t.want" -; then
			tail -n +2 "$T/$t.out" | diff "$T/$t.want" - >&2
			fail $t "want only the 3 calls of pid $traced, not those of $other (diff on stderr)"
		else
			pass $t
		fi
	else
		echo go >"$T/gate1"
		echo go >"$T/gate2"
		wait $traced $other
		fail $t "uprobe -p did not start"
	fi

	fails_test uprobe_missing_function -qF "failed to attach to $ADD:wbpf_no_such_function" \
		"$UPROBE" "$ADD" wbpf_no_such_function
fi

# ------------------------------------------------------------------ xdp
trap veth_cleanup EXIT

# the XDP program on the host end, from ip link: "prog/xdp id N" or empty
xdp_prog() {
	ip -d link show dev "$HOST_IF" 2>/dev/null | grep -o 'prog/xdp[a-z]* id [0-9]*'
}

# last_count OUT PROTO: the PACKETS of PROTO in the last table (0 if absent)
last_count() {
	awk -v p="$2" '$1 == "PROTO" { v = 0; n++ } $1 == p { v = $2 } END { print v + 0 }' "$1"
}

PINGS=5
UDPS=7
# xdp_counts_test NAME CMD...: pings and UDP packets from the namespace
xdp_counts_test() {
	local t=$1 icmp udp
	shift
	if ! start_tool "$T/$t.out" 1 1 1 "$@" "$HOST_IF"; then
		fail $t "$* $HOST_IF did not start"
		return 1
	fi
	attached=$(xdp_prog)
	ip netns exec "$NS" ping -n -q -c $PINGS -i 0.2 -W 1 "$HOST_IP" >"$T/$t.ping" 2>&1
	# shellcheck disable=SC2016
	ip netns exec "$NS" bash -c 'for i in $(seq 1 $1); do echo udp$i >/dev/udp/$2/9; done' \
		sh $UDPS "$HOST_IP" 2>/dev/null
	stop_tool
	detached=$(xdp_prog)
	icmp=$(last_count "$T/$t.out" ICMP)
	udp=$(last_count "$T/$t.out" UDP)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ "$(head -1 "$T/$t.out")" != "Counting packets on $HOST_IF by IP protocol... Hit Ctrl-C to end." ]; then
		fail $t "no banner line: '$(head -1 "$T/$t.out")'"
	elif [ -z "$attached" ]; then
		fail $t "ip link shows no XDP program on $HOST_IF while it runs"
	elif [ "$icmp" -ne $PINGS ]; then
		fail $t "ICMP $icmp in the last table, want $PINGS (the echo requests); ping: $(tail -2 "$T/$t.ping" | tr '\n' ' ')"
	elif [ "$udp" -lt $UDPS ]; then
		fail $t "UDP $udp in the last table, want at least $UDPS"
	else
		pass $t
	fi
	return 0
}

# in a /24 unlikely taken
if ! veth_setup x "10.$((100 + $$ % 100)).$((($$ / 100) % 250))"; then
	skip_each "$veth_why" "${XDP_TESTS[@]}"
else
	if with_sigint xdp_sigint xdp_counts_test xdp_counts "$XDP"; then
		t=xdp_detached
		if [ -n "$detached" ]; then
			fail $t "ip link still shows '$detached' on $HOST_IF after xdp exited"
		elif [ -z "$attached" ]; then
			fail $t "no XDP program was seen on $HOST_IF while xdp ran"
		else
			pass $t
		fi
	else
		fail xdp_detached "xdp did not start"
	fi
	xdp_counts_test xdp_counts_interp "$RUN" "$XDP.wasm"

	t=xdp_interval_count
	if start_tool "$T/$t.out" 1 1 1 "$XDP" -T -i 1 -c 2 "$HOST_IF"; then
		wait_tool 5000
		tables=$(grep -c '^PROTO  *PACKETS  *BYTES  *PKTS/S$' "$T/$t.out")
		stamps=$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$' "$T/$t.out")
		if [ "$tool_rc" != 0 ]; then
			fail $t "exit $tool_rc (want 0 after 2 intervals)"
		elif [ "$tables" -ne 2 ] || [ "$stamps" -ne 2 ]; then
			fail $t "$tables tables and $stamps times, want 2 of each"
		elif [ "$tool_ms" -lt 1000 ]; then
			fail $t "ended after $tool_ms ms: two 1 s intervals take about 2 s"
		elif [ -n "$(xdp_prog)" ]; then
			fail $t "XDP program left on $HOST_IF after the last interval"
		else
			pass $t
		fi
	else
		fail $t "xdp -c 2 did not start"
	fi

	fails_test xdp_no_such_interface -qF "failed to attach to wbNoSuch$$" "$XDP" wbNoSuch$$
fi
veth_cleanup

# ------------------------------------------------------------------ nothing left loaded
no_programs_left_test probes_no_programs_left
exit 0
