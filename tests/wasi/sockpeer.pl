#!/usr/bin/perl
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# sockpeer.pl MODE GOT PROG [ARGS...]: run PROG with a socket as stdin and be
# the other end of it (perl-base has what it takes, on any Debian).
#   pair    stdin is one end of a connected socket pair; the peer sends
#           "hello", then reads what PROG sends until it shuts down writing
#           (or exits), then closes its end
#   listen  stdin is a listening UNIX socket (GOT.sock) with one connection
#           pending from the peer, which sends "hi from client" and reads the
#           reply until the connection ends
# What the peer read goes to the file GOT. Exits with PROG's exit status.
use strict;
use warnings;
use Socket;

my ($mode, $got_file, @cmd) = @ARGV;
my ($peer, $sock);

if ($mode eq 'pair') {
	socketpair($peer, $sock, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!\n";
} else {
	my $addr = pack_sockaddr_un("$got_file.sock");
	unlink "$got_file.sock";
	socket($sock, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
	bind($sock, $addr) or die "bind: $!\n";
	listen($sock, 4) or die "listen: $!\n";
	socket($peer, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
	connect($peer, $addr) or die "connect: $!\n";
}
syswrite($peer, $mode eq 'pair' ? 'hello' : 'hi from client') or die "write: $!\n";

my $pid = fork() // die "fork: $!\n";
if (!$pid) {
	close $peer;
	open(STDIN, '<&', $sock) or die "dup: $!\n";
	exec(@cmd) or die "exec $cmd[0]: $!\n";
}
close $sock;
my ($got, $buf) = ('', '');
while (sysread($peer, $buf, 4096)) {
	$got .= $buf;
}
close $peer;
waitpid($pid, 0);
open(my $f, '>', $got_file) or die "$got_file: $!\n";
print $f $got;
close $f;
exit($? & 127 ? 128 + ($? & 127) : $? >> 8);
