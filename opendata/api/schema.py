"""OpenAPI post-processing: the error answers every operation may give, documented once."""

from __future__ import annotations

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
BAD_FILTER = {
    "type": "object",
    "description": "A message per query parameter that was not understood.",
    "additionalProperties": {"type": "string"},
}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """404 (no such row, or not public; or a page past the end), 429 (rate limit, with a
    Retry-After header) on every operation; 400 (bad filter) on those with query filters."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("404", _json("Not found, or not public.", DETAIL))
            too_many = _json("Too many requests: wait Retry-After seconds.", DETAIL)
            too_many["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before the next request.",
                    "schema": {"type": "integer"},
                }
            }
            responses.setdefault("429", too_many)
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault(
                    "400", _json("A query parameter was not understood.", BAD_FILTER)
                )
    return result
