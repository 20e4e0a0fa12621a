#!/usr/bin/env python3
"""A misbehaving DNS server on 127.0.0.1 for check_dns's failure paths.

usage: dns_fake_server.py MODE PORT
  silent     reads queries and never answers (UDP and TCP)
  garbage    answers every UDP query with bytes that are not a DNS message
  truncated  answers every UDP query with an empty reply that has TC set,
             and listens on no TCP port, so the TCP retry is refused
  wrongid    answers with another id first (to be ignored), then nothing
  servfail   answers SERVFAIL to everything
  nonauth    answers 192.0.2.53 to everything, without the AA bit (a cache)
  noedns     an old server: FORMERR (without OPT) to a query with EDNS,
             192.0.2.53 to any A query without
"""
import socket
import struct
import sys


def reply_header(query, flags, qd):
    qid = struct.unpack("!H", query[:2])[0]
    return struct.pack("!HHHHHH", qid, flags, qd, 0, 0, 0)


def question(query):
    # the question section runs from byte 12 to the end of QNAME + 4
    i = 12
    while i < len(query) and query[i] != 0:
        i += query[i] + 1
    return query[12:i + 5]


def a_reply(query, flags):
    """A reply with one answer, 192.0.2.53, owned by the question's name."""
    answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + bytes([192, 0, 2, 53])
    return (reply_header(query, flags, 1)[:6] + struct.pack("!HHH", 1, 0, 0)
            + question(query) + answer)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    if mode == "silent":
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind(("127.0.0.1", port))
        tcp.listen(8)
    print("ready", flush=True)
    while True:
        data, peer = udp.recvfrom(65535)
        if mode == "silent" or len(data) < 12:
            continue
        if mode == "garbage":
            udp.sendto(b"\x01\x02garbage that is not DNS", peer)
        elif mode == "truncated":
            # QR, opcode 0, TC, RD, RA; rcode NOERROR; the question echoed
            udp.sendto(reply_header(data, 0x8380, 1) + question(data), peer)
        elif mode == "servfail":
            udp.sendto(reply_header(data, 0x8182, 1) + question(data), peer)
        elif mode == "noedns":
            arcount = struct.unpack("!H", data[10:12])[0]
            if arcount:
                udp.sendto(reply_header(data, 0x8181, 1) + question(data), peer)
            else:
                udp.sendto(a_reply(data, 0x8580), peer)
        elif mode == "nonauth":
            udp.sendto(a_reply(data, 0x8180), peer)
        elif mode == "wrongid":
            bad = bytes([data[0] ^ 0xFF, data[1]]) + data[2:]
            udp.sendto(reply_header(bad, 0x8180, 1) + question(data), peer)


if __name__ == "__main__":
    main()
