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


def other_tool_named(text: str, tool_slug: str) -> str | None:
    """The tool a text names when it is not `tool_slug`: a sheet whose tool was replaced (a
    caution rule rules the point's own tool out) says so next to the text."""
    text = text.lower()
    if any(word in text for word in TOOL_WORDS.get(tool_slug, ())):
        return None
    first_named = {
        min(text.index(word) for word in words if word in text): slug
        for slug, words in TOOL_WORDS.items()
        if any(word in text for word in words)
    }
    return first_named[min(first_named)].replace("-", " ") if first_named else None


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
