"""Chat-channel integrations in the desktop app: the sync worker's thread, the settings dialog."""
