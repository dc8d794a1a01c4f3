#!/usr/bin/env python3
"""Uses a kstack HTML report the way a person does, in headless Chromium.

  html_interact.py PAGE.html [CHROMIUM ARGUMENT...]

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
commands on descriptor 3, answers on 4, each a JSON text ending in a NUL),
with real input events: it types into the search box (on the firmware
example's page, a file only the second entry's path goes through), clears
it, clicks the first entry row, presses the arrow keys and clicks the last
icicle box. After each action it prints
what the page then shows (the rows, the entry whose path is shown, the
address), for FileCheck.
"""
import json
import os
import subprocess
import sys
import time


class Browser:
    def __init__(self, extra):
        commands_read, self.commands = os.pipe()
        self.answers, answers_write = os.pipe()
        # The child reads commands on 3 and writes answers on 4: dup2 makes
        # them inheritable there, and close_fds=False keeps them open (the
        # pipe's own ends are close-on-exec).
        # (Through fresh copies: an end that is already 3 or 4 would stay
        # close-on-exec, as dup2 onto itself does nothing.)
        def descriptors():
            commands, answers = os.dup(commands_read), os.dup(answers_write)
            os.dup2(commands, 3)
            os.dup2(answers, 4)
        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--hide-scrollbars", "--remote-debugging-pipe", "--window-size=1280,800"] + extra +
            ["about:blank"], preexec_fn=descriptors, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(answers_write)
        self.next_id = 0
        self.buffer = b""
        self.session = None

    def send(self, method, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self.read()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    sys.exit("html_interact.py: %s: %s" % (method, answer["error"]))
                return answer["result"]

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.answers, 1 << 16)
            if not chunk:
                sys.exit("html_interact.py: chromium closed the pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def open(self, url):
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Page.navigate", url=url)
        self.wait_for("document.body && document.body.dataset.renderMs !== undefined")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            sys.exit("html_interact.py: %s: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_for(self, condition, seconds=20):
        deadline = time.monotonic() + seconds
        while not self.evaluate("!!(%s)" % condition):
            if time.monotonic() > deadline:
                sys.exit("html_interact.py: timed out waiting for %s" % condition)
            time.sleep(0.05)

    def click(self, selector):
        box = self.evaluate(
            "(() => { const e = document.querySelector(%s); e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect();"
            " return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2]; })()"
            % json.dumps(selector))
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left",
                      clickCount=1)

    def key(self, name, code):
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=name, code=name,
                      windowsVirtualKeyCode=code)

    def close(self):
        try:
            self.send("Browser.close")
        except SystemExit:
            pass
        self.process.wait(timeout=30)


STATE = """(() => {
  const rows = [...document.querySelectorAll('#entries tr.entry')].map((r) => r.dataset.function);
  const picked = document.querySelector('#entries tr.picked');
  const focus = document.querySelector('#path tr.focus');
  return {rows: rows.join(' '), matches: document.getElementById('matches').textContent,
          picked: picked ? picked.dataset.function : '-',
          shown: document.getElementById('detail').dataset.entry || '-',
          focus: focus ? focus.dataset.function : '-',
          address: decodeURIComponent(location.hash)};
})()"""


def show(browser, what):
    state = browser.evaluate(STATE)
    print("%s: rows [%s] (%s); picked %s; path of %s; step %s; address %s" % (
        what, state["rows"], state["matches"], state["picked"], state["shown"], state["focus"],
        state["address"] or "-"))


def main():
    page = os.path.abspath(sys.argv[1])
    browser = Browser(sys.argv[2:])
    try:
        browser.open("file://" + page)
        show(browser, "opened")

        browser.click("#search")
        browser.send("Input.insertText", text="uart.c")
        # The search runs once typing pauses.
        browser.wait_for("location.hash.includes('search=')")
        show(browser, "typed 'uart.c'")

        browser.evaluate("document.getElementById('search').select()")
        browser.key("Backspace", 8)
        browser.wait_for("!location.hash.includes('search=')")
        show(browser, "cleared the search")

        browser.click("#entries tr.entry:nth-child(1) td:first-child")
        show(browser, "clicked the first row")

        browser.evaluate("document.activeElement.blur()")
        browser.key("ArrowDown", 40)
        show(browser, "pressed the down arrow")
        browser.key("ArrowUp", 38)
        show(browser, "pressed the up arrow")

        browser.click("#icicle .ice-row:last-child .ice")
        show(browser, "clicked the last icicle box")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
