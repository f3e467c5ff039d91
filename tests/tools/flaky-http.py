#!/usr/bin/python3
"""flaky-http.py - an HTTP server for the media tests that misbehaves on
purpose (run with /usr/bin/python3: the standard library only).

  flaky-http.py [--tls CERT KEY] [--log FILE] PORTFILE MODE [DIR]

Listens on a free port of 127.0.0.1 and writes the port to PORTFILE once
it listens (the tests wait for that file).  Serves the files under DIR;
every request is logged to FILE as "METHOD PATH RANGE" (RANGE "-" when
none).  MODE says how it misbehaves:

  ok       serves GET and HEAD properly, Range included (206)
  drop     the first GET of a file stops after half its bytes and closes;
           the rest is served properly (a transfer to resume)
  stuck    as drop, but every later GET sends its headers and closes
           before any byte of the body (a transfer that never completes)
  norange  as drop, but later GETs ignore Range: the whole file, 200
  pause    the first GET of a file stops after half its bytes and then
           sends nothing more, without closing (a stall mid-body)
  nohead   as ok, but HEAD is refused (405), as some servers do
  silent   accepts connections and never answers (DIR not needed)
"""

import http.server
import os
import socket
import ssl
import sys
import threading
import time


def parse_range(value):
    """The start of "bytes=START-", or None when it is not one."""
    if not value or not value.startswith("bytes="):
        return None
    first, _, last = value[6:].partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    return int(first)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def note(self):
        srv = self.server
        with srv.lock:
            if srv.log:
                srv.log.write("%s %s %s\n" % (self.command, self.path,
                              self.headers.get("Range", "-")))
                srv.log.flush()
            seen = srv.seen.get(self.path, 0)
            srv.seen[self.path] = seen + 1
        return seen

    def file(self):
        rel = self.path.split("?", 1)[0].lstrip("/")
        full = os.path.realpath(os.path.join(self.server.root, rel))
        if not full.startswith(self.server.root + os.sep) or \
           not os.path.isfile(full):
            return None
        with open(full, "rb") as f:
            return f.read()

    def do_HEAD(self):
        self.note()
        if self.server.mode == "nohead":
            self.send_error(405)
            return
        data = self.file()
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()

    def do_GET(self):
        mode = self.server.mode
        seen = self.note()
        data = self.file()
        if data is None:
            self.send_error(404)
            return
        size = len(data)
        start = parse_range(self.headers.get("Range"))
        if mode == "norange" and seen > 0:
            start = None
        if start is not None and start >= size:
            self.send_response(416)
            self.send_header("Content-Range", "bytes */%d" % size)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = data[start or 0:]
        if start is None:
            self.send_response(200)
        else:
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" %
                             (start, size - 1, size))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        first = seen == 0
        if mode == "stuck" and not first:
            self.wfile.flush()
            return
        if mode in ("drop", "stuck", "norange", "pause") and first:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            if mode == "pause":
                # nothing more until the client gives up
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    time.sleep(0.1)
                    try:
                        if not self.connection.recv(1, socket.MSG_PEEK |
                                                    socket.MSG_DONTWAIT):
                            break
                    except BlockingIOError:
                        pass
                    except OSError:
                        break
            return
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def silent(portfile):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    write_port(portfile, s.getsockname()[1])
    held = []
    while True:
        conn, _ = s.accept()
        held.append(conn)  # never read from, never written to


def write_port(portfile, port):
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, portfile)


def main(argv):
    tls = None
    log = None
    while argv and argv[0].startswith("--"):
        if argv[0] == "--tls" and len(argv) >= 3:
            tls = (argv[1], argv[2])
            argv = argv[3:]
        elif argv[0] == "--log" and len(argv) >= 2:
            log = argv[1]
            argv = argv[2:]
        else:
            break
    if len(argv) < 2 or argv[1] not in ("ok", "drop", "stuck", "norange",
                                        "pause", "nohead", "silent"):
        sys.stderr.write(__doc__)
        return 2
    portfile, mode = argv[0], argv[1]
    if mode == "silent":
        silent(portfile)
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    srv = Server(("127.0.0.1", 0), Handler)
    srv.mode = mode
    srv.root = os.path.realpath(argv[2])
    srv.lock = threading.Lock()
    srv.seen = {}
    srv.log = open(log, "a") if log else None
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    write_port(portfile, srv.server_address[1])
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
