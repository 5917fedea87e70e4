"""How the commands report failures: exit statuses, and Google's explanation of an HTTP error."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser imports this module, and it must not load openai
    import openai

EXIT_FAILED, EXIT_USAGE = 1, 2


def api_error_message(exc: openai.APIStatusError) -> str:
    """Google's own explanation of an HTTP error, else the SDK's message.

    The commands' clients always run the wire layer, which unwraps Google's list-wrapped envelope, so the
    SDK's `.body` is Google's error object here.
    """
    message = exc.body.get("message") if isinstance(exc.body, dict) else None
    return message if isinstance(message, str) and message else exc.message
