"""Issue 15: the permission matrix rows for the diary's plans routes (routes.py adds ROWS to
MATRIX). The world's `appointment` is the owner's, booked with the world's client."""

ROWS = []
