"""The `openai-vertex` command: `demo` (offline tour), `doctor` (checks a setup) and `chat` (one prompt)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import openai

from ._cli_demo import run_demo
from ._cli_doctor import api_error_message, run_doctor
from ._client import vertex_client
from ._errors import OpenAIVertexError, VertexConfigError
from ._events import AnswerDelta, ThoughtDelta, stream_events
from ._extra_body import THINKING_LEVELS, extra_body
from ._images import generated_images
from ._inputs import image_part
from ._thoughts import split_thoughts

DEFAULT_MODEL = "google/gemini-2.5-flash"
THOUGHT_MARKER = "think"
EXIT_FAILED, EXIT_USAGE = 1, 2
_DIM, _RESET, _CLEAR_LINE = "\x1b[2m", "\x1b[0m", "\r\x1b[K"
_FRAMES = "|/-\\"
# Spinner frame period: fast enough to look alive, slow enough to cost nothing.
_FRAME_SECONDS = 0.1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 a check or call failed, 2 bad usage)."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except OpenAIVertexError as exc:
        print(f"openai-vertex: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, VertexConfigError) else EXIT_FAILED
    except openai.APIStatusError as exc:
        print(f"openai-vertex: Vertex AI answered {exc.status_code}: {api_error_message(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except openai.APIConnectionError as exc:
        print(f"openai-vertex: could not reach Vertex AI: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) left; point stdout at nothing so the exit flush raises no second error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openai-vertex", description="The openai SDK on Google Vertex AI: try it, check a setup, chat."
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="tour the library against a local FakeVertex (no account needed)")
    demo.set_defaults(run=lambda args: run_demo(sys.stdout))

    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--project", help="Google Cloud project (default: GOOGLE_CLOUD_PROJECT, else the credentials')")
    where.add_argument("--location", help="location (default: GOOGLE_CLOUD_LOCATION, else global)")
    where.add_argument("--base-url", help="endpoint base URL replacing the one built from project and location")
    where.add_argument("--model", default=DEFAULT_MODEL, help=f"publisher/model (default: {DEFAULT_MODEL})")

    doctor = commands.add_parser("doctor", parents=[where], help="check credentials, project and a test call")
    doctor.set_defaults(run=lambda args: run_doctor(args, sys.stdout))

    chat = commands.add_parser("chat", parents=[where], help="send one prompt and print the answer")
    chat.add_argument("prompt", nargs="*", help="the prompt (default: read from stdin)")
    chat.add_argument("--system", help="a system instruction")
    chat.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                      help="stream the answer (default: when stdout is a terminal)")
    chat.add_argument("--thinking-budget", type=int, help="thinking tokens: 0 off, -1 dynamic (Gemini 2.5)")
    chat.add_argument("--thinking-level", choices=THINKING_LEVELS, help="Gemini 3")
    chat.add_argument("--show-thoughts", action="store_true", help="print the model's thoughts (on stderr)")
    chat.add_argument("--image", action="append", default=[], metavar="FILE", help="attach an image (repeatable)")
    chat.add_argument("--save-images", metavar="DIR", help="ask for images and save those generated into DIR")
    chat.add_argument("--json", action="store_true", help="print the response (or each chunk) as JSON")
    chat.set_defaults(run=_chat)
    return parser


def _chat(args: argparse.Namespace) -> int:
    if not args.prompt and sys.stdin.isatty():
        print("Type the prompt, then Ctrl-D (Ctrl-Z Enter on Windows):", file=sys.stderr)
    # A piped prompt ends with the newline of `echo`; it is not part of the question.
    prompt = " ".join(args.prompt) if args.prompt else sys.stdin.read().rstrip("\r\n")
    if not prompt.strip():
        print("openai-vertex: no prompt: pass it as an argument or on stdin", file=sys.stderr)
        return EXIT_USAGE
    content: Any = prompt
    if args.image:
        content = [{"type": "text", "text": prompt}, *(image_part(Path(path)) for path in args.image)]
    messages = [{"role": "system", "content": args.system}] if args.system else []
    messages.append({"role": "user", "content": content})
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
            with client.chat.completions.create(**request, stream=True) as chunks:
                for kind, text in _streamed(chunks, args, progress):
                    out.write(kind, text)
            out.end()
            return 0
        completion = client.chat.completions.create(**request)
    if args.json:
        print(completion.model_dump_json(indent=2, exclude_unset=True))
    else:
        _print_completion(completion, args.show_thoughts, out)
    if args.save_images:
        return _save_images(completion, Path(args.save_images))
    return 0


def _streamed(chunks: Any, args: argparse.Namespace, progress: _Progress) -> Iterator[tuple[str, str]]:
    """("thought" | "answer", text) pieces of a stream, or ("json", line) per chunk with --json."""
    if args.json or not args.show_thoughts:
        for chunk in chunks:
            progress.stop()
            if args.json:
                yield "json", chunk.model_dump_json(exclude_unset=True) + "\n"
            elif chunk.choices and chunk.choices[0].delta.content:
                yield "answer", chunk.choices[0].delta.content
        return
    for event in stream_events(chunks, THOUGHT_MARKER):
        progress.stop()
        if isinstance(event, (ThoughtDelta, AnswerDelta)) and event.choice == 0:
            yield ("thought" if isinstance(event, ThoughtDelta) else "answer"), event.text


def _print_completion(completion: Any, show_thoughts: bool, out: _Output) -> None:
    content = completion.choices[0].message.content if completion.choices else None
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

