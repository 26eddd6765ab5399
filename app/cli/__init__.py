"""The command-line interface: a stable contract that scripts and tests rely on."""
