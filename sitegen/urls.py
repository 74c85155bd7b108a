"""The site's base URL, parsed and checked once, so no page can point at another host.

Every internal link is the base URL's path plus a site path, so the path is
held to ordinary segments: a `//` or `\\` in it would make a browser read
the next segment as a host (`https://example.org//evil.example/` loads
`//evil.example/static/style.css`).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SEGMENT = re.compile(r"^(?!\.+$)[A-Za-z0-9._~-]+$")


def base_url(value: str) -> str:
    """`value` in its normal form (lower-case scheme and host), or ValueError naming the rule.

    Accepted: http or https, a host name or IP address (with a port if
    wanted), no user name or password, no query or fragment, and a path of
    ordinary segments (letters, digits, `-`, `.`, `_`, `~`) ending in `/`.
    The error's text is a code that `messages.yaml` explains (`base_url_*`).
    """
    if not isinstance(value, str) or re.search(r"[\s\\\x00-\x1f\x7f]", value):
        raise ValueError("base_url_chars")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValueError("base_url_host") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("base_url_scheme")
    if "@" in parts.netloc:
        raise ValueError("base_url_credentials")
    if "?" in value or "#" in value:
        raise ValueError("base_url_query")
    host = parts.hostname or ""
    if not _host(host):
        raise ValueError("base_url_host")
    if not parts.path.startswith("/") or not parts.path.endswith("/"):
        raise ValueError("base_url_slash")
    if not all(_SEGMENT.match(s) for s in parts.path[1:-1].split("/") if parts.path != "/"):
        raise ValueError("base_url_path")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, "", ""))


def _host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return bool(host) and len(host) <= 253 and all(_LABEL.match(label) for label in labels)
