#!/usr/bin/env python3
"""An ICMP echo responder for check_ping's tests, run inside a test network
namespace whose kernel ignores echo requests (icmp_echo_ignore_all=1).

Each destination address has a rule DELAYS:PATTERN. PATTERN has one
character per request of a run (a sender address and echo id), cycling:
'1' answers, '0' drops, '2' answers twice (a duplicate). DELAYS is a
'/'-separated list of milliseconds, also cycling per request. That makes
loss, delay, jitter and duplicates exact, where netem would be random
(and its kernel module is not always available).

usage: ping_responder.py READY_FILE ADDR=DELAYS:PATTERN...
"""
import heapq
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def reply_of(icmp):
    body = b"\0\0\0\0" + icmp[4:]
    c = checksum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def main():
    ready = sys.argv[1]
    socks = {}
    for arg in sys.argv[2:]:
        addr, rule = arg.split("=")
        delays, pattern = rule.split(":")
        # A raw socket bound to the address sees only requests to it and
        # answers from it, as the host would.
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.bind((addr, 0))
        s.setblocking(False)
        socks[s] = ([float(d) / 1000.0 for d in delays.split("/")], pattern)
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    seen = {}
    due = []  # (time, n, packet, address, socket)
    n = 0
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else None
        r, _, _ = select.select(list(socks), [], [], timeout)
        for s in r:
            try:
                data, addr = s.recvfrom(65535)
            except BlockingIOError:
                continue
            icmp = data[(data[0] & 0x0F) * 4:]
            if len(icmp) < 8 or icmp[0] != 8:
                continue
            delays, pattern = socks[s]
            key = (addr[0], s.fileno(), icmp[4:6])
            k = seen.get(key, 0)
            seen[key] = k + 1
            at = time.monotonic() + delays[k % len(delays)]
            for _ in range(int(pattern[k % len(pattern)])):
                n += 1
                heapq.heappush(due, (at, n, reply_of(icmp), addr[0], s))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, pkt, to, s = heapq.heappop(due)
            s.sendto(pkt, (to, 0))


if __name__ == "__main__":
    main()
