"""How the commands report failures: exit statuses, and Google's explanation of an HTTP error."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._vertex import HINT_OPENS

if TYPE_CHECKING:  # the parser imports this module, and it must not load openai
    import openai

EXIT_FAILED, EXIT_USAGE = 1, 2
# The wire layer's hints say what to change in Python; here the same change is a flag.
_PYTHON_LOCATION = re.compile(r'`vertex_client\(location="([^"]+)"\)`')


def api_error_message(exc: openai.APIStatusError, *, hint: bool = True) -> str:
    """Google's own explanation of an HTTP error, else the SDK's message.

    The commands' clients always run the wire layer, which unwraps Google's list-wrapped envelope, so the
    SDK's `.body` is Google's error object here. `hint=False` leaves out the layer's advice after it, for a
    command that gives its own.
    """
    message = exc.body.get("message") if isinstance(exc.body, dict) else None
    if not isinstance(message, str) or not message:
        return exc.message
    if not hint and message.endswith(")") and HINT_OPENS in message:
        return message[: message.rindex(HINT_OPENS)].rstrip()
    return _PYTHON_LOCATION.sub(r"`--location \1`", message)
