"""Accessibility in the browser, for psys's tours (issue 27, point 18).

Mix `A11yTourCase` into an `HttpCase`: every page its tours open gets
axe-core (from the npm registry, installed by `setup/psys` outside the
checkout) and `window.psysA11y` (a11y.js beside this file) before the page's
own scripts. A tour step then calls `psysA11y.check(label)`, which fails the
tour on any serious or critical violation, or `psysA11y.press(keys)`, which
types real keys: trusted key events sent through the DevTools protocol, so
Tab moves the focus, Enter follows a link or submits a form and Space ticks a
box as on a real keyboard (hoot's `press` only simulates events, and a
simulated Enter never submits a form).

Without axe-core the test fails: it never skips (CI never skips).
"""

import json
import os
from pathlib import Path

A11Y_JS = Path(__file__).with_name("a11y.js")

# Keys as the DevTools protocol wants them: Enter and Space carry their text,
# which is what makes Chrome activate a link, a button or a checkbox.
KEYS = {
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "Space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
    "ArrowDown": {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "ArrowUp": {"key": "ArrowUp", "code": "ArrowUp", "windowsVirtualKeyCode": 38},
    "Escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27},
}
SHIFT = 8


def axe_core_path():
    """Where setup/psys installs axe-core: $PSYS_HOME/node (PSYS_AXE_JS wins)."""
    if os.environ.get("PSYS_AXE_JS"):
        return Path(os.environ["PSYS_AXE_JS"])
    home = os.environ.get("PSYS_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share", "psys")
    return Path(home, "node", "node_modules", "axe-core", "axe.min.js")


class A11yTourCase:
    """Inject axe-core and the psysA11y helpers into the tours' browser."""

    def authenticate(self, login, password, browser=None):
        session = super().authenticate(login, password, browser=browser)
        if browser is not None:
            self._psys_a11y_prepare(browser)
        return session

    def _psys_a11y_prepare(self, browser):
        path = axe_core_path()
        if not path.is_file():
            self.fail(
                f"axe-core is not installed ({path} is missing): run `setup/psys install`, "
                "which installs it from the npm registry"
            )
        source = path.read_text(encoding="utf-8") + "\n" + A11Y_JS.read_text(encoding="utf-8")
        # PSYS_A11Y_SURVEY=<file>: a developer's survey, every problem of every
        # page written to that file instead of failing at the first page.
        survey = os.environ.get("PSYS_A11Y_SURVEY")
        if survey:
            source = "window.psysA11ySurvey = true;\n" + source
        browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={"source": source})
        handle_console = browser._handlers["Runtime.consoleAPICalled"]

        def handle_keys(**event):
            args = event.get("args")
            message = args[0].get("value") if args and event.get("type") == "info" else None
            if isinstance(message, str) and message.startswith("psys-keys:"):
                for key in json.loads(message[len("psys-keys:") :]):
                    self._psys_a11y_send_key(browser, key)
                return None
            if survey and isinstance(message, str) and message.startswith("psys-a11y-survey:"):
                with open(survey, "a", encoding="utf-8") as file:
                    file.write(message + "\n")
                return None
            return handle_console(**event)

        browser._handlers["Runtime.consoleAPICalled"] = handle_keys

    @staticmethod
    def _psys_a11y_send_key(browser, key):
        """One key, as a keyboard sends it. Called from the browser's event
        thread: it sends and does not wait (the protocol keeps the order)."""
        modifiers = 0
        if key.startswith("Shift+"):
            key, modifiers = key[len("Shift+") :], SHIFT
        if key in KEYS:
            params = dict(KEYS[key], modifiers=modifiers)
        elif len(key) == 1:
            params = {"key": key, "text": key, "unmodifiedText": key, "modifiers": modifiers}
        else:
            raise ValueError(f"Unknown key {key!r}")
        browser._websocket_send("Input.dispatchKeyEvent", params=dict(params, type="keyDown"))
        up = {name: value for name, value in params.items() if name not in ("text", "unmodifiedText")}
        browser._websocket_send("Input.dispatchKeyEvent", params=dict(up, type="keyUp"))
