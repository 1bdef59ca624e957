#!/usr/bin/env python3
"""A burst of changes from several clients at once, as when a stack of services is deployed:
CLIENTS threads, each with its own keep-alive connection, send their share of COUNT reconfigure
calls (services burst-0..COUNT-1) as fast as the answers come back, then the same number of remove
calls. Prints one line per phase (a call that fails to connect or
times out counts as not 200):

  BURST phase=reconfigure calls=200 not200=0 seconds=0.84 per_s=238 p50_ms=3.1 p99_ms=9.4 max_ms=12.0

  burst.py HOST:PORT COUNT CLIENTS
"""
import http.client
import sys
import threading
import time

PREFIX = "/v1/docker-flow-proxy"


def phase(name, host, port, paths, clients):
    shares = [paths[i::clients] for i in range(clients)]
    latencies, failures = [], []
    lock = threading.Lock()

    def run(share):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine, bad = [], 0
        for path in share:
            t0 = time.monotonic()
            try:
                conn.request("GET", path)
                answer = conn.getresponse()
                answer.read()
                bad += answer.status != 200
            except (OSError, http.client.HTTPException):
                bad += 1  # counted as not 200; a new connection for the next call
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            mine.append(time.monotonic() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    threads = [threading.Thread(target=run, args=(s,)) for s in shares]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - start
    latencies.sort()

    def pct(p):
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    print(f"BURST phase={name} calls={len(latencies)} not200={sum(failures)} seconds={seconds:.2f} "
          f"per_s={len(latencies) / seconds:.0f} p50_ms={pct(0.5):.1f} p99_ms={pct(0.99):.1f} "
          f"max_ms={1000 * latencies[-1]:.1f}", flush=True)


def main():
    target, count, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    host, port = target.rsplit(":", 1)
    port = int(port)
    adds = [f"{PREFIX}/reconfigure?serviceName=burst-{i}&servicePath=/burst-{i}"
            "&port=18190&outboundHostname=127.0.0.1" for i in range(count)]
    removes = [f"{PREFIX}/remove?serviceName=burst-{i}" for i in range(count)]
    phase("reconfigure", host, port, adds, clients)
    phase("remove", host, port, removes, clients)


if __name__ == "__main__":
    main()
