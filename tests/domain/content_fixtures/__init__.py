"""Helpers to write broken copies of the shipped questionnaire content for tests."""
