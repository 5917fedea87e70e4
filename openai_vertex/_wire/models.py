"""Model ids as Vertex's OpenAI endpoint takes them: `publisher/model` (docs/vertex-wire.md §3, §12.7).

Only Google's own families may get `google/`: a bare partner id sent as `google/deepseek-v3.2-maas` gets
a 404 naming a Google model that does not exist. A bare id whose publisher Google's pages name is given
it; any other bare id is sent as it is, and if Vertex rejects it the error says what ids look like.
`publishers/P/models/M` (the resource name, also with `projects/.../locations/.../` before it) becomes
`P/M`.
"""

from __future__ import annotations

import re

GOOGLE_FAMILIES = ("gemini-", "gemma-", "imagen-", "veo-", "text-embedding-", "text-multilingual-embedding-",
                   "multimodalembedding", "chirp")
# Partner families and the publisher Google's own pages use for them (docs/vertex-wire.md §3, §S7c, §12.7).
PARTNER_PUBLISHERS = (
    ("deepseek-", "deepseek-ai"),  # deepseek-ai/deepseek-r1-0528-maas, deepseek-ai/deepseek-v3.2-maas
    ("llama-", "meta"),  # meta/llama-3.3-70b-instruct-maas, meta/llama-4-maverick-17b-128e-instruct-maas
    ("llama3", "meta"),  # meta/llama3-405b-instruct-maas (§S7a)
    ("gpt-oss-", "openai"),  # openai/gpt-oss-120b-maas
    ("qwen", "qwen"),  # qwen/qwen3-coder-480b-a35b-instruct-maas
    ("grok-", "xai"),  # xai/grok-4.1-fast-reasoning (§S7c)
)
_RESOURCE = re.compile(r"(?:projects/[^/]+/locations/[^/]+/)?publishers/([^/]+)/models/([^/]+)")


def publisher_model(model: str) -> str:
    """The id to send for `model` (the same string when it needs nothing)."""
    resource = _RESOURCE.fullmatch(model)
    if resource is not None:
        return f"{resource.group(1)}/{resource.group(2)}"
    if "/" in model or not model:
        return model
    lowered = model.lower()
    if lowered.startswith(GOOGLE_FAMILIES):
        return f"google/{model}"
    for family, publisher in PARTNER_PUBLISHERS:
        if lowered.startswith(family):
            return f"{publisher}/{model}"
    return model

