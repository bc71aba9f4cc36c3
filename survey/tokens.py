"""Link tokens: random, at least 128 bits, stored only as a SHA-256 hash (SPEC §5)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 192 bits, URL-safe base64 → 32 characters


def new_token() -> str:
    """A fresh URL-safe token with 192 bits from `secrets`."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def tokens_match(token: str, stored_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database work (length and URL-safe alphabet)."""
    return 16 <= len(token) <= 128 and all(c.isalnum() or c in "-_" for c in token)
