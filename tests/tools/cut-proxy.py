#!/usr/bin/python3
"""cut-proxy.py - a TCP proxy on 127.0.0.1 that spoils its first connection,
for the media tests' resume checks.

    cut-proxy.py TARGET_PORT MODE BYTES SECONDS

Listens on a free port of 127.0.0.1, prints it on stdout (then "accepted"
for each connection), and forwards each
connection to 127.0.0.1:TARGET_PORT.  On the first connection, once BYTES
bytes have come back from the target, MODE says what happens: "cut" closes
both sides, "stall" stops forwarding and holds the connection open.  The
connections after it are forwarded whole.  Exits after SECONDS.
"""
import socket
import sys
import threading
import time


def pump(src, dst, limit, mode):
    """src to dst; with a limit, spoil the stream after limit bytes"""
    sent = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None and sent + len(data) >= limit:
                dst.sendall(data[:limit - sent])
                if mode == "stall":
                    time.sleep(3600)
                break
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    target, mode, limit, seconds = (int(sys.argv[1]), sys.argv[2],
                                    int(sys.argv[3]), float(sys.argv[4]))
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    ls.settimeout(0.2)
    print(ls.getsockname()[1], flush=True)
    first = True
    end = time.time() + seconds
    while time.time() < end:
        try:
            client, _ = ls.accept()
        except socket.timeout:
            continue
        print("accepted", flush=True)
        server = socket.create_connection(("127.0.0.1", target))
        for src, dst, lim in ((client, server, None),
                              (server, client, limit if first else None)):
            threading.Thread(target=pump, args=(src, dst, lim, mode),
                             daemon=True).start()
        first = False


if __name__ == "__main__":
    main()
