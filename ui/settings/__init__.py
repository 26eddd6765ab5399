"""The restaurant settings dialog (managers and administrators) and its tabs."""
