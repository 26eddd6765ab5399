"""The managers' analytics: the Dashboard tab, its charts and the PDF report."""

from ui.analytics.dashboard_panel import DashboardPanel

__all__ = ["DashboardPanel"]
