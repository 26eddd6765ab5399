"""The first-run set-up wizard: database, restaurant, opening hours, first administrator."""

from ui.setup.setup_wizard import SetupWizard

__all__ = ["SetupWizard"]
