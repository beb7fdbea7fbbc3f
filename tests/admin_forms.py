"""Submit Django admin change forms from tests as a browser would."""

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """The values a browser would submit from an admin change form."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value", "on")))
                return
            self.values.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values.pop()
            self.values.append((name, text + data))


def admin_form(client, url):
    """The change form at ``url`` as a browser would submit it unchanged."""
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.values:
        if name not in ("csrfmiddlewaretoken", "_save") and "__prefix__" not in name:
            data.setdefault(name, []).append(value)
    for name, values in data.items():
        if not name.endswith("sources") and len(values) == 1:
            data[name] = values[0]
    return data
