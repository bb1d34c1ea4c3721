"""Dates as readers read them: '23 October 2024', 'October 2024', 'date not shown'."""

from __future__ import annotations

import calendar


def human(value: str | None) -> str:
    if not value or value == "unknown":
        return "date not shown"
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return value
