"""The vendors' own hosts in the seeds, each with the environment variable that stands for it.

A command pasted from a vendor's console names the real host (`https://ims-na1.adobelogin.com`);
written as `{{imsUrl}}` instead, the environment chooses it: production the vendor, the sample's
`sandbox` environment (and `--sandbox`) the embedded sandbox, which emulates all three.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

# (host suffix, variable): the sample workspace's environments define these variables.
KNOWN = (
    ("adobelogin.com", "imsUrl"),        # the identity service's token endpoint
    ("adobedc.net", "baseUrl"),          # the data platform's streaming inlet
    ("urbanairship.com", "airshipUrl"),  # the custom events API
    ("airship.com", "airshipUrl"),
    ("airship.eu", "airshipUrl"),
)
VARIABLES = tuple(dict.fromkeys(variable for _, variable in KNOWN))


@dataclass(frozen=True)
class VendorHost:
    """A known vendor origin (`https://host[:port]`, as written) and its variable."""

    origin: str
    variable: str

    @property
    def placeholder(self) -> str:
        return "{{" + self.variable + "}}"


def vendor_host(url: str) -> Optional[VendorHost]:
    """The vendor origin a URL starts with, or None (also for a URL that starts with a {{variable}})."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    for suffix, variable in KNOWN:
        if host == suffix or host.endswith("." + suffix):
            return VendorHost(f"{parts.scheme}://{parts.netloc}", variable)
    return None


def dns_hint(host: str) -> str:
    """For a vendor host that does not resolve (offline, or a blocked network): how to test offline."""
    found = vendor_host(f"https://{host}")
    if found is None:
        return ""
    return (f"; {host} is the vendor's own host: to test offline, use the sandbox environment "
            f"(or --sandbox) and write the URL with {found.placeholder}")
