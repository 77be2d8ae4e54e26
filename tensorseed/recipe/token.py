"""Recipe tokens: the canonical recipe, compressed and base64url-encoded, carried in a URL.

A token is self-contained so that any replica can serve ``/v1/recipes/{token}/...`` with no
shared store. It starts with the stream spec's major version (``1.``): a server that generates
another version refuses the token instead of serving different bytes under an immutable URL.

Format: ``<major> "." base64url(zlib(canonical recipe, UTF-8))`` without padding. zlib (not raw
deflate) is used for its Adler-32 check, so a mangled token is named as such. Decoding is
bounded: a token of a few KiB cannot inflate to more than ``max_bytes`` (no decompression bomb).
The token's bytes may differ between zlib builds; the recipe it carries does not.
"""

from __future__ import annotations

import base64
import re
import zlib

from tensorseed.stream import SPEC_VERSION

#: The spec major version that prefixes every token this build issues ("1" for tensorseed-stream/1).
SPEC_MAJOR = SPEC_VERSION.rsplit("/", 1)[1]

_PAYLOAD = re.compile(r"[A-Za-z0-9_-]+")
_PREFIX = re.compile(r"([0-9]{1,4})\.")


class TokenError(ValueError):
    """A token that cannot be turned back into recipe text; the message says why."""


class TokenTooLarge(TokenError):
    """A token (or the recipe it inflates to) over the configured size limits."""


class TokenSpecMismatch(TokenError):
    """A token issued for another spec version: this server would generate different bytes."""


def encode_token(canonical_recipe: str) -> str:
    """The token for a canonical recipe (deterministic for a given zlib build)."""
    packed = zlib.compress(canonical_recipe.encode("utf-8"), level=9)
    return f"{SPEC_MAJOR}." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_token(token: str, max_chars: int, max_bytes: int) -> str:
    """The recipe text a token carries; raises TokenError naming what is wrong.

    ``max_chars`` bounds the token, ``max_bytes`` the inflated text: inflation stops one byte
    past the limit, so memory stays bounded whatever the compressed stream claims.
    """
    if len(token) > max_chars:
        raise TokenTooLarge(f"token is {len(token)} characters, over the limit of {max_chars}")
    prefix = _PREFIX.match(token)
    if prefix is None:
        raise TokenError("token must start with the spec version, like '1.'")
    if prefix.group(1) != SPEC_MAJOR:
        raise TokenSpecMismatch(
            f"token is for tensorseed-stream/{prefix.group(1)}; this server generates {SPEC_VERSION}"
            " (POST the recipe to /v1/recipes for a current token)"
        )
    payload = token[prefix.end() :]
    if not _PAYLOAD.fullmatch(payload) or len(payload) % 4 == 1:
        raise TokenError("token payload is not base64url (A-Z a-z 0-9 - _, no padding)")
    packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(packed, max_bytes + 1)
    except zlib.error as exc:
        raise TokenError(f"token payload is not zlib data ({exc})") from None
    if len(text) > max_bytes or inflater.unconsumed_tail:
        raise TokenTooLarge(f"token inflates to more than {max_bytes} bytes")
    if not inflater.eof:
        raise TokenError("token payload is truncated (incomplete zlib stream)")
    if inflater.unused_data:
        raise TokenError("token payload has bytes after the end of the zlib stream")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise TokenError("token inflates to text that is not UTF-8") from None
