"""The demo organisation, installed as the data package `survey.examples` (see pyproject)."""
