#!/usr/bin/env python3
"""A minimal SMTP server that accepts every message and prints its envelope: the EMAIL_URL of CI.

Usage: smtp_sink.py PORT. Standard library only (smtpd left Python in 3.12).
"""

import asyncio
import sys


async def session(reader, writer):
    def send(line):
        writer.write(line.encode() + b"\r\n")

    send("220 ci-smtp-sink")
    await writer.drain()
    in_data = False
    size = 0
    while line := await reader.readline():
        if in_data:
            if line in (b".\r\n", b".\n"):
                in_data = False
                print(f"message of {size} bytes accepted", flush=True)
                send("250 OK")
            else:
                size += len(line)
                continue
        else:
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                send("250 ci-smtp-sink")
            elif verb == b"DATA":
                in_data, size = True, 0
                send("354 end with .")
            elif verb == b"QUIT":
                send("221 bye")
                await writer.drain()
                break
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                print(line.decode(errors="replace").strip(), flush=True)
                send("250 OK")
        await writer.drain()
    writer.close()


async def main(port):
    server = await asyncio.start_server(session, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
