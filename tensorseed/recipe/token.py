"""Recipe tokens: the canonical recipe, compressed and base64url-encoded, carried in a URL.

A token is self-contained so that any replica can serve ``/v1/recipes/{token}/...`` with no
shared store. It starts with the stream spec's major version (``2.`` for tensorseed-stream/2,
``1.`` for tensorseed-stream/1): the version is part of the URL, so an immutable URL never
changes its bytes, a ``1.`` token keeps meaning its v1 recipe after v2 became the default (v1
canonical recipes carry no ``spec`` member: the prefix says which version they are), and a
server that does not generate a token's version refuses it instead of serving other bytes.

Format: ``<major> "." base64url(zlib(canonical recipe, UTF-8))`` without padding. zlib (not raw
deflate) is used for its Adler-32 check, so a mangled token is named as such. Decoding is
bounded: a token of a few KiB cannot inflate to more than ``max_bytes`` (no decompression bomb).
The token's bytes may differ between zlib builds; the recipe it carries does not.
"""

from __future__ import annotations

import base64
import re
import zlib

from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS, spec_major

#: The prefix of tokens for the default version ("2" for tensorseed-stream/2).
SPEC_MAJOR = spec_major(SPEC_VERSION)
#: Token prefix -> the version it names, for every version this build generates.
SPEC_OF_MAJOR = {spec_major(spec): spec for spec in SPEC_VERSIONS}

_PAYLOAD = re.compile(r"[A-Za-z0-9_-]+")
_PREFIX = re.compile(r"([0-9]{1,4})\.")


class TokenError(ValueError):
    """A token that cannot be turned back into recipe text; the message says why."""


class TokenTooLarge(TokenError):
    """A token (or the recipe it inflates to) over the configured size limits."""


class TokenSpecMismatch(TokenError):
    """A token issued for another spec version: this server would generate different bytes."""


def encode_token(canonical_recipe: str, spec: str = SPEC_VERSION) -> str:
    """The token for a canonical recipe of version ``spec`` (deterministic for a zlib build)."""
    if spec not in SPEC_VERSIONS:
        raise ValueError(f"unknown spec version {spec!r}")
    packed = zlib.compress(canonical_recipe.encode("utf-8"), level=9)
    return f"{spec_major(spec)}." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_token(token: str, max_chars: int, max_bytes: int) -> tuple[str, str]:
    """The recipe text a token carries and the spec version it names; raises TokenError naming
    what is wrong.

    ``max_chars`` bounds the token, ``max_bytes`` the inflated text: inflation stops one byte
    past the limit, so memory stays bounded whatever the compressed stream claims.
    """
    if len(token) > max_chars:
        raise TokenTooLarge(f"token is {len(token)} characters, over the limit of {max_chars}")
    prefix = _PREFIX.match(token)
    if prefix is None:
        raise TokenError(f"token must start with the spec version, like '{SPEC_MAJOR}.'")
    spec = SPEC_OF_MAJOR.get(prefix.group(1))
    if spec is None:
        raise TokenSpecMismatch(
            f"token is for tensorseed-stream/{prefix.group(1)}; this server generates "
            f"{', '.join(SPEC_VERSIONS)} (POST the recipe to /v1/recipes for a token it serves)"
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
        return text.decode("utf-8"), spec
    except UnicodeDecodeError:
        raise TokenError("token inflates to text that is not UTF-8") from None
