"""Everything a running sandbox holds, shared by its routes and its Python API."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.sandbox.accounts import Accounts
from app.sandbox.config import SandboxConfig
from app.sandbox.faults import FaultTable
from app.sandbox.requestlog import RequestLog
from app.sandbox.tokens import TokenRegistry


@dataclass
class SandboxState:
    """Registries, log, faults and the shutdown flag of one sandbox."""

    config: SandboxConfig
    accounts: Accounts = field(default_factory=Accounts.with_defaults)
    tokens: TokenRegistry = field(default_factory=TokenRegistry)
    log: RequestLog = field(init=False)
    faults: FaultTable = field(init=False)
    # Set when the server is stopping, so hung and delayed requests let go at once.
    closing: bool = False

    def __post_init__(self) -> None:
        self.log = RequestLog(size=self.config.log_size)
        self.faults = FaultTable(seed=self.config.seed)
