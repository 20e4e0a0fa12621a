#!/usr/bin/env python3
"""Hostile servers on 127.0.0.1 for hostile.t: each misbehaves in one way,
for every connection or datagram, until it is killed.

usage: hostile_server.py MODE PORT
TCP modes:
  silent      accepts and never sends a byte
  slow        an SMTP banner at one byte a second
  endless     "220 " and then bytes without a line end, without end
  flood       100 MB of valid-looking "220-" continuation lines, fast
  reset       accepts and resets the connection (SO_LINGER 0)
  garbage     64 KB of random bytes, then silence
  tlspartial  reads the ClientHello, answers with half a ServerHello
              (a record header promising more than is sent), then silence
  authecho    SMTP offering AUTH PLAIN LOGIN that rejects AUTH quoting
              what the client sent (base64, and decoded)
  starttls    a good SMTP banner and EHLO offering STARTTLS, "220 go
              ahead" to STARTTLS and then garbage instead of a handshake
UDP modes (DNS on PORT, TCP on PORT too where a mode needs it):
  dnswrongid  answers every query with another id, and never the right one
  dnstc       answers with TC set; TCP on PORT accepts and stays silent
  dnsloop     answers with the right id, a name compressed into a loop
  dnsgarbage  answers with 64 KB-capped random bytes carrying the query id
SNMP (UDP):
  snmpsilent  reads requests and never answers
  snmpbad     answers every request with malformed BER
"""
import base64
import os
import socket
import struct
import sys
import threading
import time

GARBAGE = os.urandom(65536)


def tcp_session(mode, c):
    try:
        if mode == "silent":
            while c.recv(4096):
                pass
        elif mode == "slow":
            for b in b"220 slow.example.test ESMTP\r\n":
                c.sendall(bytes([b]))
                time.sleep(1)
        elif mode == "endless":
            c.sendall(b"220 ")
            while True:
                c.sendall(b"x" * 4096)
        elif mode == "flood":
            line = b"220-" + b"f" * 76 + b"\r\n"
            chunk = line * 800
            for _ in range(100 * 1024 * 1024 // len(chunk)):
                c.sendall(chunk)
            time.sleep(60)
        elif mode == "reset":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "garbage":
            c.sendall(GARBAGE)
            time.sleep(60)
        elif mode == "tlspartial":
            c.recv(4096)
            # handshake record of 512 bytes, ServerHello of 508: 10 sent
            c.sendall(b"\x16\x03\x03\x02\x00\x02\x00\x01\xfc\x03")
            time.sleep(60)
        elif mode == "starttls":
            smtp_then_garbage(c)
        elif mode == "authecho":
            smtp_auth_echo(c)
    except OSError:
        pass
    finally:
        c.close()


def smtp_then_garbage(c):
    f = c.makefile("rb")
    c.sendall(b"220 hostile.example.test ESMTP\r\n")
    for line in f:
        cmd = line.strip().upper()
        if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
            c.sendall(b"250-hostile.example.test\r\n250 STARTTLS\r\n")
        elif cmd == b"STARTTLS":
            c.sendall(b"220 go ahead\r\n" + GARBAGE[:4096])
            time.sleep(60)
            return
        elif cmd == b"QUIT":
            c.sendall(b"221 bye\r\n")
            return
        else:
            c.sendall(b"250 ok\r\n")


def smtp_auth_echo(c):
    f = c.makefile("rb")
    c.sendall(b"220 hostile.example.test ESMTP\r\n")
    login = 0  # AUTH LOGIN lines still to come
    for line in f:
        words = line.strip().split()
        cmd = words[0].upper() if words else b""
        if login == 2:
            login = 1
            c.sendall(b"334 UGFzc3dvcmQ6\r\n")
        elif cmd in (b"EHLO", b"HELO"):
            c.sendall(b"250-hostile.example.test\r\n250 AUTH PLAIN LOGIN\r\n")
        elif cmd == b"AUTH" and len(words) == 2:
            login = 2
            c.sendall(b"334 VXNlcm5hbWU6\r\n")
        elif cmd == b"AUTH" or login == 1:
            login = 0
            token = words[-1] if words else b""
            try:
                plain = base64.b64decode(token).replace(b"\0", b" ")
            except ValueError:
                plain = b""
            c.sendall(b"535 5.7.8 rejected " + token + b" =" + plain + b"\r\n")
        elif cmd == b"QUIT":
            c.sendall(b"221 bye\r\n")
            return
        else:
            c.sendall(b"250 ok\r\n")


def tcp_server(mode, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=tcp_session, args=(mode, c), daemon=True).start()


def loop_reply(q):
    # header, the question copied, then an answer whose owner name is a
    # pointer to itself (offset of the answer)
    qend = 12
    while qend < len(q) and q[qend] != 0:
        qend += q[qend] + 1
    question = q[12:qend + 5]
    off = 12 + len(question)
    answer = struct.pack("!H", 0xC000 | off) + struct.pack("!HHIH", 1, 1, 60, 4) + b"\x7f\0\0\1"
    return q[:2] + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + question + answer


def udp_reply(mode, q):
    if mode == "dnswrongid":
        qid = (struct.unpack("!H", q[:2])[0] + 1) & 0xFFFF
        return struct.pack("!H", qid) + b"\x81\x80" + q[4:6] + b"\0\0\0\0\0\0" + q[12:]
    if mode == "dnstc":
        return q[:2] + b"\x83\x80" + q[4:6] + b"\0\0\0\0\0\0" + q[12:]
    if mode == "dnsloop":
        return loop_reply(q)
    if mode == "dnsgarbage":
        return q[:2] + GARBAGE[:1400]
    if mode == "snmpbad":
        # a SEQUENCE whose length runs past the datagram, then junk
        return b"\x30\x84\x7f\xff\xff\xff\x02\x01\x01\x04" + GARBAGE[:200]
    return None


def udp_server(mode, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    if mode == "dnstc":
        threading.Thread(target=tcp_server, args=("silent", port), daemon=True).start()
    while True:
        q, peer = s.recvfrom(65535)
        r = udp_reply(mode, q) if len(q) >= 12 else None
        if r is not None:
            s.sendto(r, peer)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode.startswith("dns") or mode.startswith("snmp"):
        udp_server(mode, port)
    else:
        tcp_server(mode, port)


if __name__ == "__main__":
    main()
