"""Google's credentials stay at the base URL's origin: a followed redirect elsewhere carries none of them.

httpx drops `Authorization` on a cross-origin redirect, but not `x-goog-user-project`, `x-goog-api-key`
or whatever else google-auth adds; the openai SDK follows redirects by default.
"""

from __future__ import annotations

from typing import Any, Literal

# Headers that carry a credential or bill a project; the cassette scrubber (`testing/_vcr.py`) hides
# the same ones.
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "x-goog-api-key", "x-goog-user-project")
# Not secret, but about the caller's Google project: no other origin needs it.
_GOOGLE_ONLY_HEADERS = ("x-allowed-locations",)


def keep_credentials_at_home(http_client: Any, base_url: str, auth: Any, mode: Literal["sync", "async"]) -> None:
    """Strip every header the credentials applied from any request that leaves `base_url`'s origin."""
    home = origin(http_client, base_url)

    def strip(request: Any) -> None:
        url = request.url
        # The URL's own normalised parts (default port dropped, IDNA host), compared as they are: no parse.
        if (url.scheme, url.raw_host, url.port) != home:
            for name in (*CREDENTIAL_HEADERS, *_GOOGLE_ONLY_HEADERS, *auth.applied_header_names()):
                request.headers.pop(name, None)

    async def astrip(request: Any) -> None:
        strip(request)

    http_client.event_hooks["request"].append(strip if mode == "sync" else astrip)


def origin(http_client: Any, url: str) -> tuple[str, bytes, int | None]:
    """The origin of `url` as the client's own URL type normalises it (`:443` on https is no port)."""
    parsed = type(http_client.base_url)(url)
    return parsed.scheme, parsed.raw_host, parsed.port
