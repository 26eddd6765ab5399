"""Encrypting secrets at rest (AI API keys, channel tokens) with Fernet.

The key lives in the OS keyring (``keyring``). When there is no usable keyring (a headless Linux
box, the null backend the tests select) it lives in a key file readable by this user only (mode
0600) in the platformdirs data folder. An existing key is always reused: the keyring first, then
the file; a new key goes to the keyring and is read back before it is trusted, else to the file.

Decrypted values are ``Secret`` objects whose ``repr``/``str`` never show the value; an
unreadable token or key raises ``SecretUnreadable`` (a ``ToBeOutError``) with a message a
manager can act on, never a traceback from ``cryptography``.

Threading: every function may be called from any thread; the key is read once per process and
cached under a lock.
"""

from __future__ import annotations

import logging
import os
import secrets as _random
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app import paths
from app.errors import ToBeOutError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "ToBeOut Host Stand"
KEYRING_USER = "secrets-key"
KEY_FILE_NAME = "secrets.key"

_lock = threading.Lock()
# Key file path -> (where the key came from, the key): one lookup per data folder and process.
_cached: dict[str, tuple[str, bytes]] = {}


class SecretUnreadable(ToBeOutError):
    """A stored secret or the key that protects it cannot be read."""

    exit_code = 1


class Secret:
    """A secret value that does not leak through ``repr``, ``str``, f-strings or logging."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret is text")
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the one call that needs it (an HTTP header)."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return _random.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> object:  # no pickling a secret into a queue or a file by accident
        raise TypeError("a Secret cannot be pickled")


def key_file() -> Path:
    return paths.data_dir() / KEY_FILE_NAME


def encrypt(value: str | Secret) -> str:
    """The Fernet token (ASCII text, safe in JSON) of ``value``."""
    plain = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(plain, str):
        raise TypeError("only text secrets can be encrypted")
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str, what: str = "the stored secret") -> Secret:
    """The secret in ``token``; ``SecretUnreadable`` when it is damaged or from another key."""
    if not isinstance(token, str) or not token.strip():
        raise SecretUnreadable(f"{what} is missing or empty; enter it again.")
    try:
        plain = _fernet().decrypt(token.strip().encode("ascii"))
        return Secret(plain.decode("utf-8"))
    except (InvalidToken, UnicodeError, ValueError, TypeError):
        raise SecretUnreadable(
            f"{what} cannot be decrypted: it is damaged, or it was saved with another "
            "computer's or user's key. Enter it again."
        ) from None


def key_location() -> str:
    """Where the key is kept: ``"keyring"`` or ``"file"`` (creating the key if needed)."""
    return _load()[0]


def forget_cached_key() -> None:
    """Drop the in-memory key (tests; after the key file or keyring entry changed)."""
    with _lock:
        _cached.clear()


def _fernet() -> Fernet:
    return Fernet(_load()[1])


def _load() -> tuple[str, bytes]:
    path = key_file()
    with _lock:
        found = _cached.get(str(path))
        if found is None:
            found = _cached[str(path)] = _find_or_create(path)
        return found


def _find_or_create(path: Path) -> tuple[str, bytes]:
    stored = _keyring_get()
    if stored:
        return "keyring", _checked(stored.encode("ascii", "replace"), "the keyring entry")
    if path.exists():
        return "file", _read_key_file(path)
    fresh = Fernet.generate_key()
    if _keyring_set(fresh.decode("ascii")):
        return "keyring", fresh
    return "file", _write_key_file(path, fresh)


def _keyring_get() -> str | None:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception as exc:  # no backend, a locked or broken keychain: use the file
        log.info("OS keyring unavailable (%s); using the key file", type(exc).__name__)
        return None
    return value or None


def _keyring_set(value: str) -> bool:
    """Store the key in the keyring and read it back; False when the keyring does not keep it."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER) == value
    except Exception as exc:
        log.info("OS keyring cannot store the key (%s); using the key file", type(exc).__name__)
        return False


def _checked(raw: bytes, where: str) -> bytes:
    key = raw.strip()
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise SecretUnreadable(
            f"The encryption key in {where} is damaged. Restore it from a backup, or remove it "
            "and enter the stored API keys and tokens again."
        ) from None
    return key


def _read_key_file(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SecretUnreadable(
            f"The encryption key file {path} cannot be read ({exc.strerror})."
        ) from None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # someone loosened it: make it private again
    return _checked(raw, str(path))


def _write_key_file(path: Path, key: bytes) -> bytes:
    """Create the key file (0600) atomically; if another process won the race, use theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{_random.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # fails if the file appeared meanwhile: never overwrite a key
        except FileExistsError:
            return _read_key_file(path)
        except OSError:
            if path.exists():
                return _read_key_file(path)
            os.replace(temp, path)
            return key
    finally:
        temp.unlink(missing_ok=True)
    return key
