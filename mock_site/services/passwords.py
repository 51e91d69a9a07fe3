"""Password hashing (scrypt, a salt of its own per hash) and checking."""

import hashlib
import hmac
import secrets


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**12, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    _, salt, digest = stored.split("$")
    expected = hash_password(password, bytes.fromhex(salt)).split("$")[2]
    return hmac.compare_digest(expected, digest)
