"""axe-core accessibility check of every page a browser journey visits.

Journey.open and Journey.click_and_wait (journey_platform.py) call AccessibilityAudit.check_page
once the new page has loaded; each journey's last check (Journey.step_accessibility) fails with
AccessibilityAudit.failures: one line per page and rule for every critical or serious violation.

axe-core is the copy shipped inside the PyPI package axe-selenium-python (its axe.min.js is
injected into the page; nothing is fetched from npm or anywhere else).
"""

import json
from urllib.parse import urlparse

from axe_selenium_python import Axe
from selenium.common.exceptions import WebDriverException

FAILING_IMPACTS = ("critical", "serious")
TARGETS_SHOWN = 3  # target selectors listed per page and rule

# Options for axe.run. The axe-core that axe-selenium-python ships (3.1.1) refuses
# autocomplete="street-address" on a one-line text input, which axe-core itself allows from 3.2 on
# (dequelabs/axe-core#1161: the HTML standard's own examples use it so, and browsers fill it in);
# this adds back what the later axe-core allows, and nothing else.
RUN_OPTIONS = {"checks": {"autocomplete-appropriate": {"options": {"street-address": ["text"]}}}}


def page_address(url):
    """Path and query of a URL, e.g. "/login?registered=1"."""
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


class AccessibilityAudit:
    def __init__(self, driver):
        self.driver = driver
        self.axe = Axe(driver)
        self.pages = 0  # page loads axe ran on
        self.visits = {}  # page -> how many of those loads were of it
        self.findings = {}  # (page, rule id) -> {"impact", "help", "targets", "times"}
        self.errors = []  # pages axe could not run on

    def check_page(self):
        """Runs axe on the page now shown and keeps its critical and serious violations."""
        try:
            page = page_address(self.driver.current_url)
            self.axe.inject()
            results = self.axe.run(options=json.dumps(RUN_OPTIONS))
        except WebDriverException as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.errors.append(f"axe did not run on {self.safe_page()}: {message}")
            return
        self.pages += 1
        self.visits[page] = self.visits.get(page, 0) + 1
        for violation in results.get("violations", []):
            if violation.get("impact") not in FAILING_IMPACTS:
                continue
            finding = self.findings.setdefault((page, violation["id"]), {
                "impact": violation["impact"], "help": violation.get("help", ""), "targets": [], "times": 0})
            finding["times"] += 1
            for node in violation.get("nodes", []):
                target = " ".join(str(part) for part in node.get("target", []))
                if target and target not in finding["targets"]:
                    finding["targets"].append(target)

    def safe_page(self):
        try:
            return page_address(self.driver.current_url)
        except WebDriverException:
            return "?"

    def report(self):
        """One line per page and rule (pages in the order first visited)."""
        lines = []
        for (page, rule), finding in self.findings.items():
            targets = finding["targets"]
            shown = ", ".join(targets[:TARGETS_SHOWN]) + (f" (+{len(targets) - TARGETS_SHOWN} more)"
                                                          if len(targets) > TARGETS_SHOWN else "")
            visits = self.visits[page]
            times = f", on {finding['times']} of {visits} visits" if visits > 1 else ""
            lines.append(f"  {page}  {rule} ({finding['impact']}{times}): {finding['help']} -- "
                         f"{len(targets)} element(s): {shown}")
        return lines

    def write(self, path):
        """The findings as JSON, for whoever fixes them."""
        rows = [dict(page=page, rule=rule, **finding) for (page, rule), finding in self.findings.items()]
        path.write_text(json.dumps({"pages": self.pages, "violations": rows, "errors": self.errors},
                                   ensure_ascii=False, indent=2), encoding="utf-8")

    def checked(self):
        return f"{self.pages} page loads checked ({len(self.visits)} distinct addresses)"

    def failures(self):
        """None if no page had a critical or serious violation (and axe ran on every page); else
        the list: a heading line, then one line per page and rule."""
        if not self.findings and not self.errors:
            return None
        pages = len({page for page, _ in self.findings})
        lines = [f"{len(self.findings)} critical/serious axe-core violation(s) (page, rule) on {pages} page(s); "
                 f"{self.checked()}:"]
        return "\n".join(lines + self.report() + [f"  {error}" for error in self.errors])
