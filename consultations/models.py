"""Consultation rounds, comments and the programme draft arrive with their own issues.

The app exists from the start so that its place in the dependency graph is fixed:
consultations may import teams, swot and actions; none of them imports consultations.
"""
