"""The messages on the pipe between the game (parent) and the model process (child).

Small frozen dataclasses of plain values, so they pickle across the `spawn`
boundary. Every message carries the protocol version; docs/LLM_PROTOCOL.md is
the one description of the exchange.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROTOCOL_VERSION = 2  # 2: Ping/Pong (the parent checks a child that misses a deadline)

# Request kinds served by the real engine. Test engines may add their own.
TRANSLATE = "translate"  # payload {"text": str}
ADVISE = "advise"  # payload {"summary": str, "lang": "en" | "fr"}
KINDS = (TRANSLATE, ADVISE)


class Cancelled(Exception):
    """Raised by an engine when should_stop() asks it to abandon the current request."""


# --- parent -> child ------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    id: int
    kind: str
    payload: dict[str, Any]
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Cancel:
    id: int
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Shutdown:
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Ping:
    """Is the child still reading its pipe? Sent when a request misses its deadline."""

    id: int
    version: int = PROTOCOL_VERSION


# --- child -> parent ------------------------------------------------------------


@dataclass(frozen=True)
class LoadStatus:
    """Loading progress: what the child is doing and how far along (0..1)."""

    stage: str
    fraction: float
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Ready:
    model_name: str
    profile_name: str
    load_seconds: float  # spawn of the child -> prefixes warm
    n_threads: int
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Started:
    """The child began working on a request (it left the child's queue)."""

    id: int
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Reply:
    id: int
    result: dict[str, Any]
    # queue_wait_ms (in the child), prompt_ms, gen_ms, prompt_tokens, gen_tokens
    timings: dict[str, float] = field(default_factory=dict)
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class CancelledReply:
    """Terminal message for a request cancelled while queued or generating."""

    id: int
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Error:
    """A failed request (id set), or a fatal failure of the child (id None: it exits)."""

    id: int | None
    reason: str
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Pong:
    """The answer to Ping(id), sent as soon as the child reads it (between tokens at worst)."""

    id: int
    version: int = PROTOCOL_VERSION


ParentMessage = Request | Cancel | Shutdown | Ping
ChildMessage = LoadStatus | Ready | Started | Reply | CancelledReply | Error | Pong
CHILD_MESSAGES = (LoadStatus, Ready, Started, Reply, CancelledReply, Error, Pong)
TERMINAL = (Reply, CancelledReply, Error)
