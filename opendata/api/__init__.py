"""The open data API (issue 7): read-only JSON under /api/v1/, its OpenAPI schema and docs."""
