"""Lessons of an enduring (online) activity: Markdown text, attachments and video."""
