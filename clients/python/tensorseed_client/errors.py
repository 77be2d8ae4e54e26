"""Contains shared errors types that can be raised from API functions"""

from typing import Any

from .types import Response


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class ErrorStatus(Exception):
    """Raised by ``stream_detailed`` functions when the server answers with an error status
    instead of a body to stream. ``response`` is the whole (small) error response, parsed the
    way ``sync_detailed`` parses it: ``response.parsed`` is the typed error body."""

    def __init__(self, response: Response[Any]):
        self.response = response
        self.status_code = int(response.status_code)
        super().__init__(f"HTTP {self.status_code}: {response.content.decode(errors='ignore')[:500]}")


__all__ = ["ErrorStatus", "UnexpectedStatus"]
