"""The `openai-vertex` command. `demo` loads the testing kit when it runs; `chat` and `doctor` never do."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
