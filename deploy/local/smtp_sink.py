"""An SMTP server that accepts every message and keeps it, for `make cluster` and its drill:
each message is written whole to DIRECTORY/<n>.eml and its Message-ID appended to
DIRECTORY/message-ids (one a line, flushed before the server answers 250), so the drill counts
what reached the receiver. Tooling, not portal code."""
import argparse
import asyncio
import email
import itertools
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepingHandler:
    def __init__(self, directory: Path, delay: float):
        self.directory = directory
        self.delay = delay
        directory.mkdir(parents=True, exist_ok=True)
        existing = [int(path.stem) for path in directory.glob("*.eml")]
        self.numbers = itertools.count(max(existing, default=0) + 1)
        self.index = (directory / "message-ids").open("a")

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message_id = email.message_from_bytes(envelope.content)["Message-ID"] or ""
        (self.directory / f"{next(self.numbers)}.eml").write_bytes(envelope.content)
        self.index.write(message_id.strip() + "\n")
        self.index.flush()
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="seconds before accepting each message (a relay's pace)")
    arguments = parser.parse_args()
    controller = Controller(KeepingHandler(arguments.directory, arguments.delay),
                            hostname="127.0.0.1", port=arguments.port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{arguments.port}, keeping mail in {arguments.directory}",
          flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
