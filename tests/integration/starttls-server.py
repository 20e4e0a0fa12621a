#!/usr/bin/env python3
"""Loopback STARTTLS test server for the TLS tests (not a product component).

Speaks the plain-text opening of one protocol (imap, pop3, ftp, xmpp, ldap,
postgres, smtp with multi-line replies, or smtp without STARTTLS), then
switches the connection to TLS
with the given certificate chain, exactly as a real server would.

    starttls-server.py PROTO PORT CHAIN KEY [--refuse]

--refuse answers the STARTTLS request negatively (IMAP NO, POP3 -ERR,
FTP 534, XMPP <failure/>, LDAP resultCode 53, PostgreSQL 'N', SMTP 454).
"""
import socket
import ssl
import sys
import threading

XMPP_NS = "urn:ietf:params:xml:ns:xmpp-tls"


def read_line(conn):
    buf = b""
    while not buf.endswith(b"\n") and len(buf) < 4096:
        c = conn.recv(1)
        if not c:
            break
        buf += c
    return buf.decode("ascii", "replace").strip()


def read_until(conn, token):
    buf = b""
    while token not in buf and len(buf) < 65536:
        c = conn.recv(4096)
        if not c:
            break
        buf += c
    return buf


def read_exact(conn, n):
    buf = b""
    while len(buf) < n:
        c = conn.recv(n - len(buf))
        if not c:
            break
        buf += c
    return buf


def imap(conn, refuse):
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] test server ready\r\n")
    tag = read_line(conn).split(" ")[0].encode()
    conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS\r\n")
    if refuse:
        conn.sendall(tag + b" NO STARTTLS unavailable\r\n")
        return False
    conn.sendall(tag + b" OK Begin TLS negotiation now\r\n")
    return True


def pop3(conn, refuse):
    conn.sendall(b"+OK test server ready\r\n")
    read_line(conn)
    conn.sendall(b"-ERR not now\r\n" if refuse else b"+OK Begin TLS negotiation\r\n")
    return not refuse


def ftp(conn, refuse):
    conn.sendall(b"220-test server\r\n220 ready\r\n")
    read_line(conn)
    conn.sendall(b"534 refused\r\n" if refuse else b"234 AUTH TLS successful\r\n")
    return not refuse


def xmpp(conn, refuse):
    read_until(conn, b">")
    conn.sendall(("<?xml version='1.0'?><stream:stream from='example.test' id='t1' "
                  "version='1.0' xmlns='jabber:client' "
                  "xmlns:stream='http://etherx.jabber.org/streams'>"
                  "<stream:features><starttls xmlns='%s'><required/></starttls>"
                  "</stream:features>" % XMPP_NS).encode())
    read_until(conn, b"/>")
    if refuse:
        conn.sendall(("<failure xmlns='%s'/></stream:stream>" % XMPP_NS).encode())
        return False
    conn.sendall(("<proceed xmlns='%s'/>" % XMPP_NS).encode())
    return True


def ldap(conn, refuse):
    hdr = read_exact(conn, 2)
    if len(hdr) < 2:
        return False
    read_exact(conn, hdr[1])
    code = 53 if refuse else 0
    # ExtendedResponse: messageID 1, resultCode, matchedDN "", diagnostic "".
    conn.sendall(bytes([0x30, 0x0C, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0A, 0x01, code,
                        0x04, 0x00, 0x04, 0x00]))
    return not refuse


def postgres(conn, refuse):
    read_exact(conn, 8)
    conn.sendall(b"N" if refuse else b"S")
    return not refuse


def smtp(conn, refuse):
    conn.sendall(b"220-mail.example.test ESMTP\r\n220 test server\r\n")
    read_line(conn)
    conn.sendall(b"250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                 b"250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n")
    read_line(conn)
    conn.sendall(b"454 4.7.0 TLS not available due to local problem\r\n" if refuse
                 else b"220 2.0.0 Ready to start TLS\r\n")
    return not refuse


def smtp_plain(conn, refuse):
    conn.sendall(b"220 test server ESMTP\r\n")
    read_line(conn)
    conn.sendall(b"250-test server\r\n250 PIPELINING\r\n")
    read_line(conn)
    conn.sendall(b"221 bye\r\n")
    return False


PROTOS = {"imap": imap, "pop3": pop3, "ftp": ftp, "xmpp": xmpp, "ldap": ldap,
          "postgres": postgres, "smtp": smtp, "smtp-plain": smtp_plain}


def serve(conn, ctx, proto, refuse):
    try:
        conn.settimeout(20)
        if PROTOS[proto](conn, refuse):
            tls = ctx.wrap_socket(conn, server_side=True)
            while tls.recv(4096):
                pass
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    proto, port, chain, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    refuse = "--refuse" in sys.argv[5:]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, ctx, proto, refuse), daemon=True).start()


if __name__ == "__main__":
    main()
