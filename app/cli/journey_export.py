"""`action-studio journey export RUN --format jsonl|csv|platform-log|curl`: a stored run written out.

Standard output by default; `--output FILE` is written as it goes and put in place when complete
(with --json the command then prints what it wrote: `{"written": N, "format": ..., "output": ...}`).
`--profile ID` (or `#N`) exports one profile's entries; the cURL format needs it, `--node N` keeps
one node's calls. Exit codes: 0 done, 1 no such run, profile or node (or an unwritable file), 2 usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import emit, home_of
from app.cli.journey_cmd import _fail


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.cli.main import add_parser
    from app.journeys.exportformats import FORMATS

    p = add_parser(verbs, "export", help="a run as JSON lines, CSV, the platform's test-mode log, or a call as cURL")
    p.add_argument("run", metavar="RUN", help="run id, a unique start of it, its file, or 'last'")
    p.add_argument("--format", required=True, choices=FORMATS,
                   help="jsonl: every step of every profile; csv: a row a profile; platform-log: shaped like "
                        "the platform's \"Show log\"; curl: a profile's calls (needs --profile)")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--profile", metavar="ID", help="only this profile (its id, or #N for input row N)")
    p.add_argument("--node", metavar="N", help="with --format curl: only the calls of this node")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from app.journeys.exports import ExportError, export_file, export_run
    from app.journeys.tracereader import TraceReader, find_run
    from app.journeys.traces import TraceError

    try:
        if args.output is not None:
            written = export_file(find_run(home_of(args), args.run), args.format, Path(args.output), args.profile,
                                  args.node)
        else:
            with TraceReader.open(home_of(args), args.run) as reader:
                export_run(reader, args.format, sys.stdout, args.profile, args.node)
                return 0
    except (ExportError, TraceError) as exc:
        return _fail(args, str(exc))
    except BrokenPipeError:
        raise  # standard output closed early (| head): the command's usual quiet end
    except OSError as exc:
        return _fail(args, f"{args.output}: cannot write the export ({exc.strerror or exc})")
    noun = ("call", "calls") if args.format == "curl" else ("entry", "entries")
    if getattr(args, "json", False):
        emit(args, {"written": written, "format": args.format, "output": args.output})
    else:
        print(f"{written} {noun[written != 1]} written to {args.output}", file=sys.stderr)
    return 0
