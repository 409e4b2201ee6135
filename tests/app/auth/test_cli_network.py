"""`auth test` (in process, as `python -m app` runs it) against hostile real servers: a token endpoint
redirecting to another host is reported (exit 3: the endpoint answered), not "ok" with that host's
token; a hanging one ends at --timeout."""
from __future__ import annotations

from tests.app.auth.test_cli import cli  # noqa: F401  (the fixture)
from tests.app.auth.test_curl import seed_command
from tests.helpers.servers import Server, answer, hang, redirect


def _stored(cli) -> None:  # noqa: F811
    command = seed_command().replace("https://ims-na1.adobelogin.com", "{{baseUrl}}")
    assert cli("auth", "from-curl", command, "--into", "imsToken").returncode == 0


def test_auth_test_does_not_follow_a_token_redirect_to_another_host(cli) -> None:  # noqa: F811
    _stored(cli)
    with Server(answer(200, {"access_token": "evil-token"})) as elsewhere, \
            Server(redirect(elsewhere.url)) as first:
        out = cli("auth", "test", "imsToken", "--var", f"baseUrl={first.url}")
    assert out.returncode == 3 and "FAILED" in out.stdout
    assert f"redirected (307) to {elsewhere.url}, another host" in out.stderr
    assert elsewhere.requests == [] and "evil" not in out.stdout + out.stderr
    assert "5678" not in out.stdout + out.stderr


def test_auth_test_ends_at_its_timeout(cli) -> None:  # noqa: F811
    _stored(cli)
    with Server(hang) as token:
        out = cli("auth", "test", "imsToken", "--var", f"baseUrl={token.url}", "--timeout", "1")
    assert out.returncode == 3 and "timed out after 1 s" in out.stderr
