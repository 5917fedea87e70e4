"""The `openai-vertex` command: `demo` (offline tour), `doctor` (checks a setup) and `chat` (one prompt)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from .._vertex import THINKING_LEVELS

from .errors import EXIT_FAILED, EXIT_USAGE, api_error_message

# The parser imports neither openai nor google-auth, so `--help` and `--version` answer at once: each
# command loads what it needs when it runs.

DEFAULT_MODEL = "google/gemini-2.5-flash"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 a check or call failed, 2 bad usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):  # no command: say what there is
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    import openai

    from .._errors import OpenAIVertexError, VertexConfigError

    try:
        return int(args.run(args))
    except OpenAIVertexError as exc:
        print(f"openai-vertex: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, VertexConfigError) else EXIT_FAILED
    except openai.APIStatusError as exc:
        print(f"openai-vertex: Vertex AI answered {exc.status_code}: {api_error_message(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except openai.APIConnectionError as exc:
        if isinstance(exc.__cause__, OpenAIVertexError):
            # openai < 2.31 wraps a failed token refresh as a connection error; the refresh error says what to do.
            print(f"openai-vertex: {exc.__cause__}", file=sys.stderr)
            return EXIT_FAILED
        print(f"openai-vertex: could not reach Vertex AI: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except openai.APIError as exc:  # an error event inside a stream, after a 200
        print(f"openai-vertex: Vertex AI broke off the answer with an error: {exc.message}", file=sys.stderr)
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
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    demo = commands.add_parser("demo", help="tour the library against a local FakeVertex (no account needed)")
    demo.add_argument("--out", metavar="FILE", type=Path,
                      help="where to save the generated image (default: a new temporary folder, named in the output)")
    demo.set_defaults(run=_demo)

    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--project", help="Google Cloud project (default: GOOGLE_CLOUD_PROJECT, else the credentials')")
    where.add_argument("--location", help="location (default: GOOGLE_CLOUD_LOCATION, else global)")
    where.add_argument("--base-url", help="endpoint base URL replacing the one built from project and location")
    where.add_argument("--model", default=DEFAULT_MODEL, help=f"publisher/model (default: {DEFAULT_MODEL})")

    doctor = commands.add_parser("doctor", parents=[where], help="check credentials, project and a test call")
    doctor.set_defaults(run=_doctor)

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


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo  # loads the testing kit, which no other command needs

    return run_demo(sys.stdout, args.out)


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor

    return run_doctor(args, sys.stdout)


def _chat(args: argparse.Namespace) -> int:
    from .chat import run_chat

    return run_chat(args)
