"""Consultation rounds: announce, comment, moderate, settle every comment, publish the report.

The lifecycle is declared once in ``phases.py``; ``permissions.py`` reads it; ``services.py``
writes (and checks the phase again); ``selectors.py`` reads; ``views.py`` glues them.
consultations may import teams, swot and actions; none of them imports consultations.
"""
