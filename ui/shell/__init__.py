"""The host-stand window's frame: sign-in, toolbar, status bar, and the app's start-up."""
