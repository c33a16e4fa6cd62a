#!/usr/bin/env python3
"""make book-check: opens every page of out/book/ (the chapters, the index and the method notes
under methods/) in headless Chromium and fails on a missing image, a broken link, a console
error or anything wider than its box; saves a full-page screenshot of each page to
out/book/screenshots/<page>.png and prints each page to PDF in out/book/pdf/<page>.pdf.

Checks per page:
1. Static, on the HTML (html.parser): every src/href/data target that is a local file exists,
   every #fragment names an id in its page, and nothing is loaded from the network (a src,
   stylesheet or object pointing at http(s):// or //host fails; plain <a> links to the web
   are allowed but listed, since they are not fetched to view the page).
2. In the browser, through the Chrome DevTools Protocol over a pipe (--remote-debugging-pipe,
   Python's standard library only): the page is loaded from file://, and any uncaught
   exception, console.error/assert, error-level log entry (this is where Chromium reports a
   resource it could not load) or failed network request fails the check, as does an <img>
   that did not decode (naturalWidth 0). Then the whole page is captured as a PNG.
3. Nothing runs off the page. On a 1000-px-wide viewport no element's content may be wider
   than its box (scrollWidth > clientWidth: a code line that does not wrap, a table wider than
   the column, a figure wider than the page); on a 420-px-wide one (a phone) the same, except
   that a table may scroll inside its own box. Then, with the print style sheet applied (CSS
   media "print") at the width of an A4 page's text, nothing may be wider than its box either:
   in print, whatever overflows is cut off. Only the innermost offending elements are named.
4. A slide deck (`make slides`) also gets one screenshot per slide in a 1280 × 720 window,
   <page>-slide-N.png.
5. The page is printed to PDF (A4) by the same headless Chromium (Page.printToPDF, what
   --print-to-pdf runs), so the PDFs show what a reader who prints the page gets.

Usage: scripts/check_book.py [--self-contained] [BOOK_FOLDER] (default out/book). Chromium: $CHROMIUM
or `chromium` / `chromium-browser` on the PATH. `make slides-check` runs it on out/slides with
--self-contained: then every image, style sheet or object must be embedded (a data: URI), so that
each page is one file that can be handed out alone; links between pages stay allowed.
"""
import base64
import fcntl
import html.parser
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

WIDTH = 1000        # the checked layout and the screenshots
NARROW_WIDTH = 420  # a phone: only tables may scroll, inside their own box
# A4 with the print style sheet's margins (1.5 cm left and right): the text is 18 cm wide.
A4_INCHES = (8.27, 11.69)
PRINT_MARGINS_CM = {"top": 1.6, "bottom": 1.6, "left": 1.5, "right": 1.5}
PRINT_WIDTH = round((21.0 - PRINT_MARGINS_CM["left"] - PRINT_MARGINS_CM["right"]) / 2.54 * 96)
SLIDE_SIZE = (1280, 720)  # a projector's 16:9 window, for each slide's own screenshot
MAX_HEIGHT = 16000  # Chromium refuses larger captures; longer pages are cut here.
PAGE_TIMEOUT = 60
PRINT_TIMEOUT = 180

# The innermost elements whose content is wider than their box, described for a reader.
OVERFLOW_SCRIPT = r"""
((allowScrollingTables) => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) found.push(root);
  for (const e of document.querySelectorAll('body, body *')) {
    if (e.clientWidth === 0) continue;
    if (allowScrollingTables && e.closest('div.table')) continue;
    if (e.scrollWidth > e.clientWidth + 1) found.push(e);
  }
  const innermost = found.filter(e => !found.some(o => o !== e && e.contains(o)));
  return JSON.stringify(innermost.map(e => {
    const name = e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
    const holder = e.parentElement ? e.parentElement.closest('[id]') : null;
    const headings = [...document.querySelectorAll('h1[id], h2[id], h3[id], h4[id]')]
      .filter(h => h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
    const where = holder || headings[headings.length - 1] || null;
    const text = (e.innerText || e.getAttribute('src') || '').trim().split('\n')[0].slice(0, 70);
    return name + (where ? ` in #${where.id}` : '') + `: content ${e.scrollWidth} px wide in a ${e.clientWidth} px box`
      + (text ? ` ("${text}")` : '');
  }));
})(%s)
"""


class PageLinks(html.parser.HTMLParser):
    """The ids of a page and every (tag, attribute, value) that points somewhere."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.references = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("src", "href", "data"):
            if attributes.get(name) is not None:
                self.references.append((tag, name, attributes[name], attributes.get("rel", "")))


def parse(path):
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def static_problems(page, book, parsed_pages, self_contained=False):
    """Missing local targets, dangling fragments and network resources of one page; with
    self_contained, also any resource (not a link) that is a file of its own."""
    problems, web_links = [], []
    for tag, attribute, value, rel in parsed_pages[page].references:
        url = urllib.parse.urlsplit(value)
        if self_contained and url.scheme != "data" and not (tag == "a" and attribute == "href"):
            problems.append(f"<{tag} {attribute}=\"{value[:80]}\"> is not embedded: a self-contained page holds it as a data: URI")
            continue
        if url.scheme in ("http", "https") or value.startswith("//"):
            if tag == "a":
                web_links.append(value)
            else:
                problems.append(f"<{tag} {attribute}> loads {value} from the network")
            continue
        if url.scheme in ("mailto", "data"):
            continue
        if url.scheme not in ("", "file"):
            problems.append(f"<{tag} {attribute}> has an unexpected scheme: {value}")
            continue
        target = page if not url.path else (page.parent / urllib.parse.unquote(url.path)).resolve()
        if not target.exists():
            problems.append(f"<{tag} {attribute}=\"{value}\">: {os.path.relpath(target)} does not exist")
            continue
        if url.fragment and target.suffix == ".html":
            if target not in parsed_pages:
                parsed_pages[target] = parse(target)
            if urllib.parse.unquote(url.fragment) not in parsed_pages[target].ids:
                problems.append(f"<{tag} {attribute}=\"{value}\">: no id \"{url.fragment}\" in {target.name}")
    return problems, web_links


class DevTools:
    """Chromium driven through the DevTools protocol on fds 3 (commands) and 4 (replies)."""

    def __init__(self, chromium, profile):
        self.log = os.path.join(profile, "chromium.log")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def wire_pipes():
            # Move both ends above the low fds first, so the dup2s below cannot clobber each other.
            commands = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            replies = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.log, "wb"),
            pass_fds=(3, 4), preexec_fn=wire_pipes)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=PAGE_TIMEOUT):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe: " + self.stderr_tail())
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, session, timeout=PAGE_TIMEOUT):
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method and e.get("sessionId") == session for e in self.events):
            self.events.append(self.receive(deadline))

    def stderr_tail(self):
        self.process.kill()
        with open(self.log, "rb") as log:
            return log.read().decode(errors="replace")[-2000:]

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def overflowing(browser, session, allow_scrolling_tables=False):
    """What is wider than its box in the page's current layout."""
    value = browser.send("Runtime.evaluate", {
        "expression": OVERFLOW_SCRIPT % ("true" if allow_scrolling_tables else "false"),
        "returnByValue": True}, session=session)["result"]["value"]
    return json.loads(value)


def set_width(browser, session, width, height=900):
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)


def slide_screenshots(browser, session, screenshot):
    """For a slide deck (section.slide elements), one screenshot per slide as a projector shows it:
    a 1280 × 720 window, saved beside the page's screenshot as <page>-slide-N.png."""
    set_width(browser, session, SLIDE_SIZE[0], SLIDE_SIZE[1])
    boxes = json.loads(browser.send("Runtime.evaluate", {
        "expression": "JSON.stringify([...document.querySelectorAll('section.slide')].map(s => {"
                      " const r = s.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }))",
        "returnByValue": True}, session=session)["result"]["value"])
    for number, (x, y, width, height) in enumerate(boxes, start=1):
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": x, "y": y, "width": width, "height": min(height, MAX_HEIGHT), "scale": 1}}, session=session)
        (screenshot.parent / f"{screenshot.stem}-slide-{number}.png").write_bytes(base64.b64decode(shot["data"]))
    if boxes:
        print(f"  {len(boxes)} slides, each captured at {SLIDE_SIZE[0]} × {SLIDE_SIZE[1]}: "
              f"{os.path.relpath(screenshot.parent / (screenshot.stem + '-slide-1.png'))} …")


def pdf_pages(data):
    """The number of pages of a PDF that Chromium wrote (its page objects are not compressed)."""
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def browser_problems(browser, page, screenshot, pdf):
    """Loads one page in a fresh tab; returns its problems and writes its screenshot and PDF."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    set_width(browser, session, WIDTH)
    browser.events = []
    browser.send("Page.navigate", {"url": page.as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired", session)

    broken_images = browser.send("Runtime.evaluate", {
        "expression": "JSON.stringify([...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                      ".map(i => i.getAttribute('src')))",
        "returnByValue": True}, session=session)["result"]["value"]
    problems = [f"image did not load: {src}" for src in json.loads(broken_images)]
    problems += [f"wider than its box at {WIDTH} px: {what}" for what in overflowing(browser, session)]

    metrics = browser.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = min(int(size["height"]) + 1, MAX_HEIGHT)
    set_width(browser, session, WIDTH, height)
    shot = browser.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}}, session=session)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    if int(size["height"]) > MAX_HEIGHT:
        print(f"  note: the page is {int(size['height'])} px tall; the screenshot shows the first {MAX_HEIGHT}")

    slide_screenshots(browser, session, screenshot)

    set_width(browser, session, NARROW_WIDTH)
    problems += [f"wider than its box at {NARROW_WIDTH} px: {what}"
                 for what in overflowing(browser, session, allow_scrolling_tables=True)]

    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    set_width(browser, session, PRINT_WIDTH)
    problems += [f"cut off in print ({PRINT_WIDTH} px of A4 text width): {what}" for what in overflowing(browser, session)]
    browser.send("Emulation.clearDeviceMetricsOverride", session=session)
    inches = {side: cm / 2.54 for side, cm in PRINT_MARGINS_CM.items()}
    printed = browser.send("Page.printToPDF", {
        "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1], "printBackground": True,
        "marginTop": inches["top"], "marginBottom": inches["bottom"],
        "marginLeft": inches["left"], "marginRight": inches["right"]}, session=session, timeout=PRINT_TIMEOUT)
    data = base64.b64decode(printed["data"])
    pdf.write_bytes(data)
    print(f"  PDF {os.path.relpath(pdf)}: {pdf_pages(data)} A4 page(s)")

    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            problems.append("uncaught exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            problems.append(f"console error: {entry['text']} {entry.get('url', '')}".strip())
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"failed to load a resource: {params.get('errorText')}")
    browser.send("Target.closeTarget", {"targetId": target})
    return problems


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    sys.exit("book-check: no Chromium found; `make book-check` installs Debian's chromium, or set CHROMIUM=/path/to/chrome")


def main():
    arguments = sys.argv[1:]
    self_contained = "--self-contained" in arguments
    arguments = [a for a in arguments if a != "--self-contained"]
    book = pathlib.Path(arguments[0] if arguments else "out/book").resolve()
    def order(p):
        return (p.name != "index.html", len(p.name), p.name)
    pages = sorted(book.glob("*.html"), key=order) + sorted((book / "methods").glob("*.html"), key=order)
    if not pages:
        sys.exit(f"book-check: no pages in {book}; run `make book` first")
    screenshots, pdfs = book / "screenshots", book / "pdf"
    screenshots.mkdir(exist_ok=True)
    pdfs.mkdir(exist_ok=True)
    parsed = {page: parse(page) for page in pages}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="tenfold-chromium-") as profile:
        browser = DevTools(find_chromium(), profile)
        try:
            for page in pages:
                problems, web_links = static_problems(page, book, parsed, self_contained)
                name = page.relative_to(book).with_suffix("").as_posix().replace("/", "-")
                screenshot, pdf = screenshots / (name + ".png"), pdfs / (name + ".pdf")
                print(f"{page.relative_to(book)}:")
                problems += browser_problems(browser, page, screenshot, pdf)
                status = "ok" if not problems else f"{len(problems)} problem(s)"
                print(f"  {status}; screenshot {os.path.relpath(screenshot)}")
                if web_links:
                    print(f"  {len(web_links)} link(s) to the web (not fetched, not checked): {', '.join(sorted(set(web_links)))}")
                for problem in problems:
                    print(f"  ✗ {problem}")
                failures += len(problems)
        finally:
            browser.close()
    if failures:
        sys.exit(f"book-check: {failures} problem(s) in {len(pages)} page(s)")
    print(f"book-check: {len(pages)} pages, no missing images, broken links, console errors or content wider than its box;"
          f" screenshots in {os.path.relpath(screenshots)}, PDFs in {os.path.relpath(pdfs)}")


if __name__ == "__main__":
    main()
