"""FakeVertex in its own process, driven over stdin/stdout, for `bench_alternatives.py`.

In the benchmark's process the server's threads would compete with the clients for the GIL, and a
client that blocks its event loop would also stall the server it waits for. Commands are JSON lines on
stdin; each gets one JSON line back on stdout.

    {"cmd": "info"}                         -> {"base_url", "service_account_info"}
    {"cmd": "set", "token_lifetime": 3600, "token_delay": 0.1}
    {"cmd": "revoke"}                       every token issued so far is refused from now on
    {"cmd": "stats"}                        -> {"token_times", "chat_requests", "auth_failures"}
    {"cmd": "reset"}                        forget the token times and zero the counters
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from openai_vertex.testing import FakeVertex
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
