"""Issue 11: the permission matrix rows for roles; routes.py adds ROWS
to MATRIX. Build rows with support.Row(name, "page" or "api", calls) and support.get/post."""

ROWS = []
