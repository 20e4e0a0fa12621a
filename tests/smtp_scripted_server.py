#!/usr/bin/env python3
"""A scripted SMTP server for check_smtp's integration tests.

It is not a mail server: it plays the misbehaviours a real one cannot be
made to show on demand (a slow or absent banner, an endless line, endless
continuation lines, no EHLO, no answer to EHLO) and a small AUTH PLAIN/LOGIN exchange behind
STARTTLS. It listens on 127.0.0.1 (or ::1) only, serves each connection in a
thread of its own (so a probe of the port never delays the next
client), and appends every command it receives to --log (passwords are
logged as <secret>) so tests can assert what the client sent.
"""
import argparse
import base64
import socket
import ssl
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bind", default="127.0.0.1", choices=["127.0.0.1", "::1"])
    p.add_argument("--mode", default="normal",
                   choices=["normal", "silent", "hangup", "endless-line", "endless-reply",
                            "no-ehlo", "mute-ehlo"])
    p.add_argument("--delay", type=float, default=0.0, help="seconds before the banner")
    p.add_argument("--banner", default="220 fake.example.test ESMTP scripted")
    p.add_argument("--auth", default=None, help="USER:PASS that AUTH accepts")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--log", default=None)
    return p.parse_args()


class Conversation:
    def __init__(self, sock, args):
        self.sock = sock
        self.args = args
        self.rfile = sock.makefile("rb")
        self.tls = False

    def log(self, line):
        if self.args.log:
            with open(self.args.log, "a") as f:
                f.write(line + "\n")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\r\n")

    def readline(self):
        line = self.rfile.readline(4096)
        if not line:
            return None
        return line.decode(errors="replace").rstrip("\r\n")

    def ehlo_lines(self):
        ext = ["PIPELINING", "SIZE 1000000", "8BITMIME"]
        if self.args.cert and not self.tls:
            ext.append("STARTTLS")
        if self.args.auth and self.tls:
            ext.append("AUTH PLAIN LOGIN")
        lines = ["250-fake.example.test"] + ["250-" + e for e in ext[:-1]]
        return lines + ["250 " + ext[-1]]

    def starttls(self):
        self.send("220 2.0.0 Ready to start TLS")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.args.cert, self.args.key)
        self.sock = ctx.wrap_socket(self.sock, server_side=True)
        self.rfile = self.sock.makefile("rb")
        self.tls = True

    def auth(self, words):
        want_user, want_pass = self.args.auth.split(":", 1)
        mech = words[1].upper() if len(words) > 1 else ""
        if mech == "PLAIN":
            self.log("AUTH PLAIN <secret>")
            raw = base64.b64decode(words[2]) if len(words) > 2 else b""
            parts = raw.split(b"\0")
            user, pw = (parts[1].decode(), parts[2].decode()) if len(parts) == 3 else ("", "")
        elif mech == "LOGIN":
            self.log("AUTH LOGIN")
            self.send("334 VXNlcm5hbWU6")
            user = base64.b64decode(self.readline() or "").decode()
            self.send("334 UGFzc3dvcmQ6")
            pw = base64.b64decode(self.readline() or "").decode()
            self.log("<secret>")
        else:
            self.send("504 5.5.4 Unrecognized authentication type")
            return
        if (user, pw) == (want_user, want_pass):
            self.send("235 2.7.0 Authentication successful")
        else:
            self.send("535 5.7.8 Error: authentication failed")

    def command(self, line):
        words = line.split()
        verb = words[0].upper() if words else ""
        if verb != "AUTH":
            self.log(line)
        if verb == "EHLO" and self.args.mode == "mute-ehlo":
            threading.Event().wait()  # silent until the client gives up
        if verb == "EHLO" and self.args.mode == "no-ehlo":
            self.send("502 5.5.2 Error: command not recognized")
        elif verb in ("EHLO", "LHLO"):
            for l in self.ehlo_lines():
                self.send(l)
        elif verb == "HELO":
            self.send("250 fake.example.test")
        elif verb == "STARTTLS" and self.args.cert and not self.tls:
            self.starttls()
        elif verb == "AUTH" and self.args.auth and self.tls:
            self.auth(words)
        elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
            self.send("250 2.0.0 Ok")
        elif verb == "QUIT":
            self.send("221 2.0.0 Bye")
            return False
        else:
            self.send("502 5.5.2 Error: command not recognized")
        return True

    def run(self):
        mode = self.args.mode
        if mode == "silent":
            threading.Event().wait()  # never greets; the client times out
            return
        # --delay: a slow banner, for the response-time thresholds
        time.sleep(self.args.delay)
        if mode == "hangup":
            return
        if mode == "endless-line":
            self.sock.sendall(b"220 ")
            while True:
                self.sock.sendall(b"x" * 4096)
        if mode == "endless-reply":
            while True:
                self.sock.sendall(b"220-still greeting\r\n" * 64)
        self.send(self.args.banner)
        if self.args.banner.startswith("421"):
            return
        while True:
            line = self.readline()
            if line is None:
                self.log("(connection closed)")
                return
            if not self.command(line):
                self.log("(connection closed)")
                return


def main():
    args = parse_args()
    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.bind, args.port))
    srv.listen(8)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, args), daemon=True).start()


def serve(conn, args):
    try:
        Conversation(conn, args).run()
    except (OSError, ValueError, ssl.SSLError):
        pass
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
