#!/usr/bin/env python3
"""One long-lived client that sends RATE calls per second over one keep-alive connection, until
killed, and prints each answer's status on its own line.

  changer.py admin HOST:PORT RATE    reconfigure / remove of services moving-0..49 in turn (each call
                                     a new routing table)
  changer.py control HOST:PORT RATE  GET / at the same rate (the control: the client's core pays the
                                     same, the proxy sees nothing)

One process instead of a curl process per call: spawning curl ten times a second on the client's
core disturbed the latency client there more than the changes disturbed Sluice."""
import http.client
import sys
import time

PREFIX = "/v1/docker-flow-proxy"


def paths(mode):
    i = 0
    while True:
        i += 1
        if mode == "control":
            yield "/"
        elif i % 2:
            n = i % 50
            yield (f"{PREFIX}/reconfigure?serviceName=moving-{n}&servicePath=/moving-{n}"
                   "&port=18190&outboundHostname=127.0.0.1")
        else:
            yield f"{PREFIX}/remove?serviceName=moving-{(i - 1) % 50}"


def main():
    mode, target, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
    host, port = target.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    pause = 1.0 / rate
    due = time.monotonic()
    for path in paths(mode):
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException) as e:
            status = f"error {e!r}"
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
        print(status, flush=True)
        due += pause
        time.sleep(max(0.0, due - time.monotonic()))


if __name__ == "__main__":
    main()
