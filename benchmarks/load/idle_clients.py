#!/usr/bin/env python3
"""Opens N keep-alive connections to HOST:PORT, sends one GET on each (so every connection has a
request behind it, as a browser's idle keep-alive connection does), reads the answer, then keeps
them all open and idle until stdin closes or SECONDS pass. Prints 'ready N' once all answered."""
import asyncio
import sys


async def one(host, port, path, ready, hold):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: idle\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head[:40])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length:
        await reader.readexactly(length)
    ready.append(1)
    await hold.wait()
    writer.close()


async def main(host, port, n, seconds, path):
    ready = []
    hold = asyncio.Event()
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(one(host, port, path, ready, hold)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)  # do not overflow the listen backlog
    while len(ready) < n:
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            print("failed:", failed[0].exception(), flush=True)
            sys.exit(1)
        await asyncio.sleep(0.1)
    print("ready", n, flush=True)
    await asyncio.sleep(seconds)
    hold.set()


if __name__ == "__main__":
    host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    path = sys.argv[5] if len(sys.argv) > 5 else "/empty"
    asyncio.run(main(host, port, n, seconds, path))
