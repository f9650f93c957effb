"""Pick one part out of a rendered page, so that a test checks the text where the page
shows it rather than anywhere in the HTML.

    page = parse(response.content.decode())
    page.one("h2", text="Location").next_element().text
    [li.text for li in page.one("ul", cls="history-list").all("li")]
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}
        self.parent = parent
        self.children = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def text(self):
        """The text inside, with runs of white space made single spaces."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def matches(self, tag=None, *, testid=None, cls=None, text=None, **attrs):
        return (
            (tag is None or self.tag == tag)
            and (testid is None or self.attrs.get("data-testid") == testid)
            and (cls is None or cls in self.attrs.get("class", "").split())
            and (text is None or self.text == text)
            and all(self.attrs.get(name.replace("_", "-")) == v for name, v in attrs.items())
        )

    def all(self, tag=None, **criteria):
        """Every element below this one that matches, in page order."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.matches(tag, **criteria):
                    found.append(child)
                found.extend(child.all(tag, **criteria))
        return found

    def one(self, tag=None, **criteria):
        """The only element below this one that matches; the test fails if there are none
        or several."""
        found = self.all(tag, **criteria)
        assert len(found) == 1, f"expected one {tag or 'element'} {criteria}, found {found}"
        return found[0]

    def next_element(self):
        """The element that follows this one inside the same parent."""
        siblings = [c for c in self.parent.children if isinstance(c, Element)]
        index = siblings.index(self)
        assert index + 1 < len(siblings), f"nothing follows {self}"
        return siblings[index + 1]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", [])

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # a stray end tag is ignored
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
