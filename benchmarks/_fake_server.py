"""FakeVertex in its own process, driven over stdin/stdout, for `bench_alternatives.py` and `soak.py`.

In the benchmark's process the server's threads would compete with the clients for the GIL, and a
client that blocks its event loop would also stall the server it waits for. Commands are JSON lines on
stdin; each gets one JSON line back on stdout. `Server` starts the process and sends them.

    {"cmd": "info"}                         -> {"base_url", "service_account_info"}
    {"cmd": "set", "token_lifetime": 3600, "token_delay": 0.1, "token_dies_after": 0.3}
    {"cmd": "revoke"}                       every token issued so far is refused from now on
    {"cmd": "stats"}                        -> {"token_times", "chat_requests", "auth_failures"}
    {"cmd": "reset"}                        forget the token times and zero the counters
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from google.oauth2 import service_account

from openai_vertex.testing import CLOUD_PLATFORM_SCOPE, FakeVertex
from openai_vertex.testing._server import RecordedRequest


class TimedFakeVertex(FakeVertex):
    """Also notes when each token request arrived (time.monotonic is one clock for all processes)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.token_times: list[float] = []
        self.chat_count = 0
        self._count_lock = threading.Lock()

    def _answer(self, request: RecordedRequest) -> Any:
        with self._count_lock:
            if request.path == "/token":
                self.token_times.append(time.monotonic())
            else:
                self.chat_count += 1
        answer = super()._answer(request)
        with self._lock:
            self._requests.clear()  # the log would grow by tens of thousands of requests per run
        return answer


class Server:
    """A FakeVertex process running this file, and its command channel: what the benchmarks hold."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("_fake_server.py"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        info = self.send("info")
        self.base_url: str = info["base_url"]
        self.service_account_info: dict[str, str] = info["service_account_info"]

    def send(self, cmd: str, **fields: Any) -> Any:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"cmd": cmd, **fields}) + "\n")
        self._process.stdin.flush()
        return json.loads(self._process.stdout.readline())

    async def stats(self) -> Any:
        """The server's counters, asked from a worker thread: under load the answer can take a while, and
        the event loop must keep serving the requests in flight meanwhile."""
        return await asyncio.to_thread(self.send, "stats")

    def credentials(self) -> Any:
        return service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            self.service_account_info, scopes=[CLOUD_PLATFORM_SCOPE])

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)


def main() -> None:
    fake = TimedFakeVertex(require_thought_signatures=False)
    fake.start()
    for line in sys.stdin:
        command = json.loads(line)
        name = command.pop("cmd")
        reply: dict[str, Any] = {}
        if name == "info":
            reply = {"base_url": fake.base_url, "service_account_info": fake.service_account_info()}
        elif name == "set":
            for key, value in command.items():
                setattr(fake, key, value)
        elif name == "revoke":
            fake.revoke()
        elif name == "stats":
            reply = {"token_times": list(fake.token_times), "chat_requests": fake.chat_count,
                     "auth_failures": fake.auth_failures}
        elif name == "reset":
            fake.token_times.clear()
            fake.chat_count = 0
            fake.auth_failures = 0
        print(json.dumps(reply), flush=True)
    fake.stop()


if __name__ == "__main__":
    main()
