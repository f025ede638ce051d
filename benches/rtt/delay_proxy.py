#!/usr/bin/env python3
"""A TCP proxy on loopback that adds a chosen round-trip time (the kernel here has no netem).

    delay_proxy.py LISTEN_PORT UPSTREAM_PORT RTT_MS

Listens on 127.0.0.1:LISTEN_PORT and forwards each connection to 127.0.0.1:UPSTREAM_PORT.
Every byte, and the end of each direction, is delayed by half the RTT in its direction, and a
connection's first client bytes reach the server no earlier than one RTT after the accept: the
client's connect() returns at once on loopback, so that RTT stands for the TCP handshake a
distant server would have cost. A hello written right after connecting is therefore answered
after 2 RTT, as over a real path; a later exchange on the same connection after 1 RTT.

On SIGTERM/SIGINT it prints `connections N` (connections accepted) to stderr and exits.
Standard library only; loopback only (it refuses any other address by construction).
"""

import asyncio
import signal
import sys
import time

HOST = "127.0.0.1"


async def pump(reader, writer, delay, not_before):
    """Copy reader -> writer, each chunk released `delay` after it was read (and not before
    `not_before`), keeping order; the end of the stream is delayed the same way."""
    queue = asyncio.Queue()

    async def read_side():
        try:
            while True:
                data = await reader.read(65536)
                release = max(time.monotonic(), not_before) + delay
                await queue.put((release, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            await queue.put((time.monotonic() + delay, b""))

    async def write_side():
        try:
            while True:
                release, data = await queue.get()
                wait = release - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            return

    await asyncio.gather(read_side(), write_side())


async def main():
    listen_port, upstream_port, rtt_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    half = rtt_ms / 2000.0
    rtt = rtt_ms / 1000.0
    accepted = 0

    async def handle(c_reader, c_writer):
        nonlocal accepted
        accepted += 1
        t0 = time.monotonic()
        try:
            s_reader, s_writer = await asyncio.open_connection(HOST, upstream_port)
        except OSError:
            c_writer.close()
            return
        await asyncio.gather(
            pump(c_reader, s_writer, half, t0 + rtt),
            pump(s_reader, c_writer, half, 0.0),
        )
        for w in (s_writer, c_writer):
            try:
                w.close()
            except OSError:
                pass

    server = await asyncio.start_server(handle, HOST, listen_port, backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    async with server:
        await stop.wait()
    print(f"connections {accepted}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
