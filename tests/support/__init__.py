"""Helpers the test suite shares: a throwaway PostgreSQL server, local HTTP peers."""
