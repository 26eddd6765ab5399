"""PySide6 desktop client: widgets, scenes and models over the app/ services."""
