"""The page benchmark of issue 16 (run.py); its bench-only settings, URLs and middleware."""
