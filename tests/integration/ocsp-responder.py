#!/usr/bin/env python3
"""Loopback OCSP responder for the TLS tests (not a product component).

Listens on 127.0.0.1:PORT and answers each POSTed OCSP request by running
`openssl ocsp` in offline mode over the test CA's index file. With
--hang it accepts connections and never answers, like a dead responder.
"""
import argparse
import http.server
import os
import subprocess
import tempfile
import threading


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--index")
    ap.add_argument("--ca")
    ap.add_argument("--key")
    ap.add_argument("--hang", action="store_true")
    a = ap.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            if a.hang:
                # a responder that never answers: the check's deadline ends it
                threading.Event().wait()
                return
            n = int(self.headers.get("Content-Length", "0"))
            req = self.rfile.read(min(n, 65536))
            with tempfile.TemporaryDirectory() as d:
                qi, ro = os.path.join(d, "req.der"), os.path.join(d, "resp.der")
                with open(qi, "wb") as f:
                    f.write(req)
                subprocess.run(["openssl", "ocsp", "-index", a.index, "-CA", a.ca,
                                "-rsigner", a.ca, "-rkey", a.key, "-reqin", qi,
                                "-respout", ro, "-nmin", "60"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               check=False)
                body = open(ro, "rb").read() if os.path.exists(ro) else b""
            self.send_response(200 if body else 500)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
