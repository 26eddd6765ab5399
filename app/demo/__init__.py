"""Demo data: a busy Moscow brasserie with a floor plan, guests, four weeks of bookings and chats.

``python main.py demo`` calls ``create_demo``; the accounts it prints are ``DEMO_ACCOUNTS``.
"""

from app.demo.accounts import DEMO_ACCOUNTS, DemoAccount
from app.demo.build import create_demo, demo_restaurant_ids

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "create_demo", "demo_restaurant_ids"]
