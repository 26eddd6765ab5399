"""The floor plan: tables on a canvas, live status in service mode, layout edits for managers."""

from ui.floor_plan.panel import FloorPlanPanel
from ui.floor_plan.view import FloorPlanView

__all__ = ["FloorPlanPanel", "FloorPlanView"]
