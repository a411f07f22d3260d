"""Script-injection strings that participants and facilitators might type, shared by
tests/test_xss.py (server-rendered pages, exports) and tests/e2e/test_browser_xss.py (pages
drawn by scripts). Each one, if it ever became markup, would set `window.__xss`."""

# every string fits the shortest field it is used in (60 characters)
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
IFRAME = "'><iframe srcdoc='<script>parent.__xss=1</script>'>"
CLOSER = "</script><script>window.__xss=1</script>"
TEMPLATE = "{{ 7*7 }} {% print(7*7) %}"
CORPUS = [SCRIPT, IMG, SVG, IFRAME, CLOSER, TEMPLATE]

# what a spreadsheet would run if a cell began with it
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+SUM(1;2)", "-2+3", "@SUM(1)"]

# a participant whose name, organisation and country are all markup
NAME = {"display_name": IMG, "organisation": SVG, "country": SCRIPT}

# a valid web address (kept) that carries markup in its query
LINK = 'https://example.org/?q="><script>window.__xss=1</script>'

# links that are not web addresses: refused
BAD_LINKS = [
    "javascript:window.__xss=1",
    "JavaScript:window.__xss=1",
    "  javascript:window.__xss=1",
    "java\tscript:window.__xss=1",
    "java\nscript:window.__xss=1",
    "\x01javascript:window.__xss=1",
    "jav&#x09;ascript:window.__xss=1",
    "javascript://example.org/%0Awindow.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:evil.example",
    "http://",
]
