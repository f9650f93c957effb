"""Sessions API. (Stub: filled in by the API work.)"""
