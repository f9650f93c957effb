"""A point's self-care text and its default tool must say the same thing: the sheet prints
both ("Press with: Tennis ball" under a text that says to lie on one)."""

# The words a self-care text uses for each tool.
TOOL_WORDS = {
    "thumb": ("thumb",),
    "fingertip": ("fingertip", "finger tip", "fingers"),
    "knuckle": ("knuckle",),
    "palm": ("palm", "heel of your hand"),
    "pencil-eraser": ("eraser",),
    "massage-stick": ("stick",),
    "tennis-ball": ("tennis ball",),
}


def tool_disagreement(text: str, tool_slug: str, way: str) -> str | None:
    """Why the text and the tool (and the way of self-care) disagree, or None."""
    text = text.lower()
    words = TOOL_WORDS.get(tool_slug)
    if words and not any(word in text for word in words):
        return f"The self-care text never says to press with the {tool_slug.replace('-', ' ')}."
    if ("tennis ball" in text) != (tool_slug == "tennis-ball"):
        return "A text that says to use a tennis ball needs the tennis ball as its tool."
    if way == "tennis_ball" and tool_slug != "tennis-ball":
        return "A point pressed on a tennis ball needs the tennis ball as its tool."
    if (way == "partner") != ("helper" in text):
        return "A point a helper presses says so in its text (the word “helper”), and only then."
    return None
