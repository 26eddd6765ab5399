"""Secrets at rest: Fernet encryption with the key in the OS keyring or a private key file."""
