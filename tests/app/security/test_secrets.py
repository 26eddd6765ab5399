"""Secrets at rest: Fernet tokens, the key in the keyring or a private file, clear errors."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from app.errors import ToBeOutError
from app.security import secrets
from app.security.secrets import Secret, SecretUnreadable, decrypt, encrypt

VALUE = "sk-live-THIS-MUST-NOT-LEAK-42"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keychain is locked")


@pytest.fixture(autouse=True)
def _fresh_key() -> Iterator[None]:
    previous = keyring.get_keyring()
    secrets.forget_cached_key()
    yield
    keyring.set_keyring(previous)
    secrets.forget_cached_key()


def test_round_trip() -> None:
    token = encrypt(VALUE)
    assert VALUE not in token and token.isascii()
    assert decrypt(token).reveal() == VALUE
    assert decrypt(encrypt(Secret("ключ"))).reveal() == "ключ"


def test_without_a_keyring_the_key_is_a_private_file() -> None:
    token = encrypt(VALUE)  # the tests run on keyring's null backend
    assert secrets.key_location() == "file"
    path = secrets.key_file()
    assert path.exists()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secrets.forget_cached_key()  # a new process reads the same file
    assert decrypt(token).reveal() == VALUE


def test_a_loosened_key_file_is_made_private_again() -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    encrypt(VALUE)
    path = secrets.key_file()
    os.chmod(path, 0o644)
    secrets.forget_cached_key()
    encrypt(VALUE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_working_keyring_holds_the_key_and_no_file_is_written() -> None:
    store = MemoryKeyring()
    keyring.set_keyring(store)
    token = encrypt(VALUE)
    assert secrets.key_location() == "keyring"
    assert not secrets.key_file().exists()
    assert list(store.store) == [(secrets.KEYRING_SERVICE, secrets.KEYRING_USER)]
    secrets.forget_cached_key()
    assert decrypt(token).reveal() == VALUE


def test_a_broken_keyring_falls_back_to_the_file() -> None:
    keyring.set_keyring(BrokenKeyring())
    assert decrypt(encrypt(VALUE)).reveal() == VALUE
    assert secrets.key_location() == "file" and secrets.key_file().exists()


@pytest.mark.parametrize("token", ["", "not-a-token", "gAAAAABbroken==", None])
def test_a_corrupted_token_is_a_clear_error(token: str) -> None:
    with pytest.raises(SecretUnreadable) as caught:
        decrypt(token, "The stored AI API key")
    assert isinstance(caught.value, ToBeOutError)
    assert caught.value.message.startswith("The stored AI API key")
    assert "again" in caught.value.message


def test_a_token_from_another_key_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    token = encrypt(VALUE)
    secrets.key_file().unlink()
    secrets.forget_cached_key()
    with pytest.raises(SecretUnreadable, match="another computer's or user's key"):
        decrypt(token)


def test_a_damaged_key_file_is_a_clear_error() -> None:
    encrypt(VALUE)
    secrets.key_file().write_text("garbage\n")
    secrets.forget_cached_key()
    with pytest.raises(SecretUnreadable, match="damaged"):
        encrypt(VALUE)


def test_the_secret_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = decrypt(encrypt(VALUE))
    logging.getLogger("test").info("key %s %r", secret, secret)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", caplog.text]
    assert not any(VALUE in text for text in shown)
    assert secret == Secret(VALUE) and secret != Secret("other") and bool(secret)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)
    try:
        decrypt(encrypt(VALUE)[:-4] + "AAAA")
    except SecretUnreadable as exc:
        assert VALUE not in str(exc) and exc.__cause__ is None
