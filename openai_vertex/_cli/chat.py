"""`openai-vertex chat`: one prompt, its answer on stdout, thoughts and progress on stderr."""

from __future__ import annotations

import argparse
import mimetypes
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from .._client import vertex_client
from .._gemini import (
    AnswerDelta,
    ThoughtDelta,
    ToolCallEvent,
    extra_body,
    generated_images,
    image_part,
    split_thoughts,
    stream_events,
)
from .._errors import VertexConfigError
from .errors import EXIT_FAILED, EXIT_USAGE

THOUGHT_MARKER = "think"
_DIM, _RESET, _CLEAR_LINE = "\x1b[2m", "\x1b[0m", "\r\x1b[K"
_FRAMES = "|/-\\"
# Spinner frame period: fast enough to look alive, slow enough to cost nothing.
_FRAME_SECONDS = 0.1


def run_chat(args: argparse.Namespace) -> int:
    if not args.prompt and sys.stdin.isatty():
        print("Type the prompt, then Ctrl-D (Ctrl-Z Enter on Windows):", file=sys.stderr)
    # A piped prompt ends with the newline of `echo`; it is not part of the question.
    prompt = " ".join(args.prompt) if args.prompt else sys.stdin.read().rstrip("\r\n")
    if not prompt.strip():
        print("openai-vertex: no prompt: pass it as an argument or on stdin", file=sys.stderr)
        return EXIT_USAGE
    content: Any = prompt
    if args.image:
        content = [{"type": "text", "text": prompt}, *(_image(path) for path in args.image)]
    messages = [{"role": "system", "content": args.system}] if args.system else []
    messages.append({"role": "user", "content": content})
    if args.thinking_budget is not None and args.thinking_level is not None:
        raise VertexConfigError("pass --thinking-budget (Gemini 2.5) or --thinking-level (Gemini 3), not both")
    google = extra_body(
        thinking_budget=args.thinking_budget,
        thinking_level=args.thinking_level,
        include_thoughts=True if args.show_thoughts else None,
        thought_tag_marker=THOUGHT_MARKER if args.show_thoughts else None,
    )
    request: dict[str, Any] = {"model": args.model, "messages": messages}
    if google["extra_body"]["google"]:
        request["extra_body"] = google
    if args.save_images:
        request["modalities"] = ["text", "image"]
    # Images come whole, in a final response; streaming would only delay them.
    stream = not args.save_images and (sys.stdout.isatty() if args.stream is None else args.stream)
    out = _Output(sys.stdout, sys.stderr)
    with vertex_client(project=args.project, location=args.location, base_url=args.base_url) as client, \
            _Progress(sys.stderr) as progress:
        if stream:
            try:
                with client.chat.completions.create(**request, stream=True) as chunks:
                    for kind, text in _streamed(chunks, args, progress):
                        out.write(kind, text)
            finally:
                out.end()  # a stream Vertex breaks off still leaves a finished line before the error
            return 0
        completion = client.chat.completions.create(**request)
    if args.json:
        print(completion.model_dump_json(indent=2, exclude_unset=True))
    else:
        _print_completion(completion, args.show_thoughts, out)
    if args.save_images:
        return _save_images(completion, Path(args.save_images))
    return 0


def _image(name: str) -> Any:
    """`--image FILE` as a content part; what is wrong with a file is told in terms of the flag."""
    path = Path(name)
    if not path.is_file():
        raise VertexConfigError(f"--image {name}: no such file")
    kind = mimetypes.guess_type(path.name)[0]
    if not kind or not kind.startswith("image/"):
        raise VertexConfigError(f"--image {name}: not an image ({kind or 'unknown type'}); pass a PNG, JPEG or WebP file")
    return image_part(path)


def _streamed(chunks: Any, args: argparse.Namespace, progress: _Progress) -> Iterator[tuple[str, str]]:
    """("thought" | "answer", text) pieces of a stream, or ("json", line) per chunk with --json."""
    if args.json or not args.show_thoughts:
        # index -> (name, arguments so far): the wire layer keeps each call's index stable.
        calls: dict[int, tuple[str, str]] = {}
        for chunk in chunks:
            progress.stop()
            if args.json:
                yield "json", chunk.model_dump_json(exclude_unset=True) + "\n"
            elif chunk.choices:
                delta = chunk.choices[0].delta
                if delta.content:
                    yield "answer", delta.content
                for call in delta.tool_calls or ():
                    name, arguments = calls.get(call.index, ("", ""))
                    function = call.function
                    calls[call.index] = (name or (function.name if function else "") or "",
                                         arguments + ((function.arguments if function else "") or ""))
        for name, arguments in calls.values():
            yield "answer", _tool_call_line(name, arguments)
        return
    for event in stream_events(chunks, THOUGHT_MARKER):
        progress.stop()
        if isinstance(event, (ThoughtDelta, AnswerDelta)) and event.choice == 0:
            yield ("thought" if isinstance(event, ThoughtDelta) else "answer"), event.text
        elif isinstance(event, ToolCallEvent) and event.choice == 0:
            yield "answer", _tool_call_line(event.tool_call.function.name, event.tool_call.function.arguments)


def _tool_call_line(name: str, arguments: str) -> str:
    """An answer that is a tool call is shown, not swallowed: `chat` runs no tools, so it ends there."""
    return f"[tool call] {name}({arguments})\n"


def _print_completion(completion: Any, show_thoughts: bool, out: _Output) -> None:
    message = completion.choices[0].message if completion.choices else None
    content = message.content if message else None
    for call in (message.tool_calls if message else None) or ():
        if call.type == "function":
            out.write("answer", _tool_call_line(call.function.name, call.function.arguments))
    if show_thoughts:
        parts = split_thoughts(content, THOUGHT_MARKER)
        out.write("thought", parts.thoughts)
        out.write("answer", parts.answer)
    else:
        out.write("answer", content or "")
    out.end()


def _save_images(completion: Any, folder: Path) -> int:
    images = generated_images(completion)
    if not images:
        print("openai-vertex: the response holds no image (is the model an image model?)", file=sys.stderr)
        return EXIT_FAILED
    folder.mkdir(parents=True, exist_ok=True)
    for image in images:
        print(f"saved {image.save(folder)} ({image.mime_type}, {len(image.data)} bytes)", file=sys.stderr)
    return 0


class _Output:
    """Answer on stdout; thoughts on stderr (dimmed on a terminal), so a pipe receives only the answer."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out, self._err = out, err
        self._dim = err.isatty()
        self._last: tuple[str, str] = ("", "")

    def write(self, kind: str, text: str) -> None:
        if not text:
            return
        if kind == "thought":
            self._err.write(f"{_DIM}{text}{_RESET}" if self._dim else text)
            self._err.flush()
        else:
            if self._last[0] == "thought" and not self._last[1].endswith("\n"):
                self._err.write("\n")
            self._out.write(text)
            self._out.flush()
        self._last = (kind, text)

    def end(self) -> None:
        """Finish the last line, wherever it went."""
        kind, text = self._last
        if text and not text.endswith("\n"):
            (self._err if kind == "thought" else self._out).write("\n")


class _Progress:
    """A spinner on stderr while waiting for the first token; drawn only when stderr is a terminal."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Progress:
        if self._err.isatty():
            self._draw(0)  # at once: a fast answer still shows that something happened
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self._thread is None or self._done.is_set():
            return
        self._done.set()
        self._thread.join()
        self._err.write(_CLEAR_LINE)
        self._err.flush()

    def _spin(self) -> None:
        frame = 1
        while not self._done.wait(_FRAME_SECONDS):
            self._draw(frame)
            frame += 1

    def _draw(self, frame: int) -> None:
        self._err.write(f"\r{_FRAMES[frame % len(_FRAMES)]} waiting for the model")
        self._err.flush()

