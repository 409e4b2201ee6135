"""What every command that calls out shares (`auth test`, `send`): --sandbox, --env, --var and
the resolver they make, so each behaves the same with or without a keyring."""
from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING, Iterator, Optional

from app.cli.common import CliError
from app.resolve import Resolver

if TYPE_CHECKING:
    from app.secrets import SecretStore
    from app.services import Services


def add_call_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sandbox", action="store_true",
                        help="start the embedded sandbox for this command and point the environment at it "
                             "(works without a keyring: its demo secrets are kept in memory)")
    parser.add_argument("--env", metavar="NAME", help="environment to use (default: the active one)")
    parser.add_argument("--var", metavar="KEY=VALUE", action="append", default=[],
                        help="override a variable (repeatable)")


def parse_vars(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--var {pair!r}: expected KEY=VALUE")
        out[key] = value
    return out


@contextlib.contextmanager
def call_resolver(args: argparse.Namespace, services: Services) -> Iterator[Resolver]:
    """The resolver for --env/--var. With --sandbox: a sandbox for this command, {{sandbox.url}}
    and every vendor host variable ({{imsUrl}}, {{baseUrl}}...) pointed at it (--var wins), and
    the sample's demo secrets seeded; without a keyring they are kept in memory for the run."""
    overrides = parse_vars(args.var)
    if not args.sandbox:
        yield resolver_of(services, args.env, overrides)
        return
    resolver_of(services, args.env, overrides)  # a wrong environment is said before a sandbox starts
    from app.auth.vendors import VARIABLES
    from app.sandbox import Sandbox, SandboxConfig
    from app.services import SANDBOX_URL_VAR

    seed_demo_secrets(services.secrets)
    with Sandbox(SandboxConfig(port=0)) as sandbox:
        services.share_secrets_with(sandbox)  # its request log masks every secret this command reveals
        for name in (SANDBOX_URL_VAR, *VARIABLES):
            overrides.setdefault(name, sandbox.base_url)
        yield resolver_of(services, args.env, overrides)


def resolver_of(services: Services, env: Optional[str], overrides: dict[str, str]) -> Resolver:
    envs = services.environments()
    if env is None and envs.active and envs.current() is None:
        known = ", ".join(e.name for e in envs.environments) or "none"
        raise CliError(f"the active environment {envs.active!r} does not exist in environments.json "
                       f"(known: {known}); choose one with --env NAME")
    try:
        return services.resolver(env, overrides)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def seed_demo_secrets(secrets: SecretStore) -> None:
    from app.sample import seed_sample_secrets

    if not secrets.available:  # the sandbox takes demo credentials only: memory is enough
        secrets.use_session_only()
        print("note: no OS keyring: secrets are kept in memory for this command only "
              "(the sandbox's demo secrets are put there)", file=sys.stderr)
    for problem in seed_sample_secrets(secrets):
        print(f"warning: {problem}", file=sys.stderr)
