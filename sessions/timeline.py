"""What the client page shows of a client's sessions. (Stub: filled in by the timeline work.)"""


def client_timeline(client):
    return {}
