"""How the commands report failures: exit statuses, and Google's explanation of an HTTP error."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser imports this module, and it must not load openai
    import openai

EXIT_FAILED, EXIT_USAGE = 1, 2
# The wire layer's hints say what to change in Python; here the same change is a flag.
_PYTHON_LOCATION = re.compile(r'`vertex_client\(location="([^"]+)"\)`')


def api_error_message(exc: openai.APIStatusError) -> str:
    """Google's own explanation of an HTTP error, else the SDK's message.

    The commands' clients always run the wire layer, which unwraps Google's list-wrapped envelope, so the
    SDK's `.body` is Google's error object here.
    """
    message = exc.body.get("message") if isinstance(exc.body, dict) else None
    if not isinstance(message, str) or not message:
        return exc.message
    return _PYTHON_LOCATION.sub(r"`--location \1`", message)
