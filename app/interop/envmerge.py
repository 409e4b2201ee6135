"""A Postman collection's own variables, kept: added to an environment named after the collection
(made if missing), never replacing a value already there; a secret-named value goes to the keyring."""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.masking import is_secret_key
from app.model.base import only_placeholder
from app.model.environment import Environment

if TYPE_CHECKING:
    from app.services import Services


def add_variables(services: Services, env_name: str, variables: dict[str, str],
                  secret_names: frozenset[str] = frozenset()) -> list[str]:
    """The names added to environment `env_name` (those it lacked and can hold); the file is written
    only when something was added. `secret_names` (a Postman environment's `secret` values) and
    secret-named values go to the keyring."""
    name = env_name.replace("/", "-").replace("\\", "-").strip() or "imported"
    envs = services.environments()
    env = envs.by_name(name)
    if env is None:
        env = Environment(name=name)
        envs.environments = [*envs.environments, env]
    added = []
    for key, value in variables.items():
        if env.get(key) is not None:
            continue
        secret = (key in secret_names or is_secret_key(key)) and value and not only_placeholder(value)
        try:
            env.set(key, services.secrets.put(value, f"env/{name}/{key}") if secret else value)
        except ValueError:  # a name our environments cannot hold ({{$guid}}-like): left to the report
            continue
        added.append(key)
    if added:
        services.save_environments(envs)
    return added
