"""Sofia, the AI hostess: assistant engines (openai-backed and built-in offline) and their tools."""
