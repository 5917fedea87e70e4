"""Every snippet of the README's `## Frameworks` section, run as a user runs it, against FakeVertex.

Each runs in a Python process of its own (the frameworks keep process-wide defaults: the Agents SDK's
default client and API, tracing), with one change to its text: `project="my-project"` becomes the fake's
`base_url=`. Its credentials come from Application Default Credentials, `GOOGLE_APPLICATION_CREDENTIALS`
naming the fake's key file, as a user's would. What it prints must be what the README says it prints (the
`# ...` after a `print(...)`), and what reached the fake is checked. A snippet whose framework is not
installed is skipped, saying how to install it, like the framework tests.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from openai_vertex.testing import FakeVertex, Reply

from .test_frameworks import assert_signed_by_google, framework

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_PRINTED = re.compile(r"^\s*print\((.*)\)\s+# (.*)$", re.MULTILINE)


def section(title: str = "## Frameworks") -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + len(title) + 2)
    return text[start:end if end != -1 else len(text)]


def snippets() -> dict[str, str]:
    """The section's python blocks by the heading above them; blocks under one heading run as one program."""
    found: dict[str, str] = {}
    for part in re.split(r"^### ", section(), flags=re.MULTILINE)[1:]:
        heading = part.splitlines()[0]
        blocks = _BLOCK.findall(part)
        if blocks:
            found[heading] = "\n".join(blocks)
    return found


@dataclasses.dataclass(frozen=True)
class Recipe:
    module: str  # what must be installed
    replies: tuple[Reply, ...] = ()
    requests: int = 0  # chat requests the snippet makes


WEATHER_LOOP = (Reply.tool_call("get_weather", {"city": "Paris"}), Reply.text("It is sunny in Paris."))
RECIPES = {
    "Frameworks that take an `http_client`: `vertex_http_client`": Recipe("llama_index.llms.openai_like"),
    "OpenAI Agents SDK: one client for every agent": Recipe("agents", (Reply.text("Bonjour !"),), 1),
    "instructor": Recipe("instructor", (Reply.tool_call("Person", {"name": "Ada Lovelace", "age": 36}),), 1),
    "OpenAI Agents SDK": Recipe("agents", WEATHER_LOOP, 2),
    "LangChain": Recipe("langchain_openai", (Reply.text("Bonjour."), *WEATHER_LOOP), 3),
    "pydantic-ai": Recipe("pydantic_ai", WEATHER_LOOP, 2),
}


def test_every_snippet_has_a_recipe() -> None:
    """A snippet added to the section without a recipe here would go untested."""
    assert set(snippets()) == set(RECIPES)


def expected_output(code: str) -> str:
    """What the README says a snippet prints: the comment after each `print(...)`, a line each but where
    it prints with `end=""` (pieces of a stream, whose comment says what they add up to)."""
    return "".join(said if 'end=""' in arguments else f"{said}\n" for arguments, said in _PRINTED.findall(code))


@pytest.mark.parametrize("heading", list(RECIPES))
def test_readme_snippet_runs(fake_vertex: FakeVertex, tmp_path: Path, heading: str) -> None:
    recipe = RECIPES[heading]
    framework(recipe.module)
    code = snippets()[heading]
    assert 'project="my-project"' in code
    code = code.replace('project="my-project"', f'base_url="{fake_vertex.base_url}"')
    fake_vertex.script(*recipe.replies)
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPENAI_")}
    env["GOOGLE_APPLICATION_CREDENTIALS"] = str(fake_vertex.write_service_account_file(tmp_path / "key.json"))
    env["NO_PROXY"] = ",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1", "localhost"]))

    ran = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=False)

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == expected_output(code)
    assert len(fake_vertex.chat_requests) == recipe.requests
    if recipe.requests:
        assert_signed_by_google(fake_vertex)

