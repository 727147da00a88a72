#!/usr/bin/env python3
"""Browser journey through the platform pages of Open eGov, in headless Chromium.

    python3 journey_platform.py BASE_URL DATA_DIR

BASE_URL is a running server started on a fresh DATA_DIR with the demo pack (see run.sh).
Prints one line per check ("ok - ..." or "FAIL - ...: reason") and then "N passed, M failed";
exits 1 if any check failed. Screenshots go to $EGOV_BROWSER_ARTIFACTS (default: current dir)
as NN-name.png. Set EGOV_BROWSER_DEBUG=1 for the Python traceback of each failed check.
"""

import json
import os
import sys
import tempfile
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
from a11y import AccessibilityAudit  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE_WIDTH, PHONE_HEIGHT = 412, 915
WAIT_SECONDS = 20

PORTAL_NAME = "Cổng dịch vụ công tỉnh Vân An"

# The citizen who registers during the journey (fresh data directory, so fixed values are fine).
CITIZEN = {
    "fullName": "Nguyễn Thị Thu Hương",
    "idNumber": "001190012345",  # Hà Nội, woman born in 1990
    "phone": "0912345678",
    "email": "thuhuong.nguyen@example.com",
    "password": "MatKhau2024",
}
BAD_ID_NUMBER = "12345"
BAD_ID_MESSAGE = "Số định danh cá nhân phải gồm đúng 12 chữ số."


class CheckFailed(Exception):
    """A check's expectation was not met; the message says what was seen instead."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


class Journey:
    def __init__(self, base_url, data_dir, artifacts):
        self.base_url = base_url.rstrip("/")
        self.data_dir = Path(data_dir)
        self.artifacts = Path(artifacts)
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.shot_number = 0
        self.passed = 0
        self.failed = 0
        self.driver = self._start_browser()
        self.wait = WebDriverWait(self.driver, WAIT_SECONDS)
        self.a11y = AccessibilityAudit(self.driver)  # axe-core on every page open() and click_and_wait() load

    # -- browser -------------------------------------------------------------------------------

    @staticmethod
    def _start_browser():
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         f"--window-size={PHONE_WIDTH},{PHONE_HEIGHT}", "--lang=vi-VN"):
            options.add_argument(argument)
        # Many Vietnamese citizens' browsers ask for English: the pages must still be Vietnamese until
        # the visitor picks English with the language switch.
        options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
        # Headless Chromium will not make a window narrower than 500 px, so the phone-sized
        # viewport comes from device emulation (the user agent stays the desktop one).
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 1.0}})
        # Performance log: lets the journey read the HTTP status of each page it loads.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        # An explicit driver path: Selenium does not run selenium-manager (no download attempts).
        return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    # -- helpers -------------------------------------------------------------------------------

    def url(self, path):
        return self.base_url + path

    def path(self):
        """Path and query of the current page, e.g. "/login?registered=1"."""
        parsed = urlparse(self.driver.current_url)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")

    def document_statuses(self):
        """(url, status) of every page (document) response since the previous call."""
        statuses = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                response = message["params"]["response"]
                statuses.append((response["url"], response["status"]))
        return statuses

    def last_status(self):
        statuses = self.document_statuses()
        return statuses[-1][1] if statuses else None

    def wait_loaded(self):
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def open(self, path):
        """Loads a page, checks it with axe-core and returns its HTTP status (None if it could not be read)."""
        self.document_statuses()  # forget older responses
        self.driver.get(self.url(path))
        self.wait_loaded()
        status = self.last_status()
        self.a11y.check_page()
        return status

    def click_and_wait(self, element):
        """Clicks a link or submit button, waits for the next page and checks it with axe-core;
        returns its HTTP status."""
        self.document_statuses()
        # Mark the current document; the next page is there once the mark is gone.
        self.driver.execute_script("window.__journeyOldPage = true")
        element.click()
        self.wait.until(self._new_page_loaded)
        status = self.last_status()
        self.a11y.check_page()
        return status

    @staticmethod
    def _new_page_loaded(driver):
        try:
            return driver.execute_script(
                "return window.__journeyOldPage === undefined && document.readyState === 'complete'")
        except WebDriverException:  # the document went away while the script ran: keep waiting
            return False

    def fill(self, field_id, value):
        field = self.driver.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(value)

    def text(self, css):
        elements = self.driver.find_elements(By.CSS_SELECTOR, css)
        return elements[0].text.strip() if elements else None

    def html_lang(self):
        return self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")

    def nav_links(self):
        """Visible text of the header menu's links."""
        return [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "header nav a")]

    def nav_link(self, text):
        for link in self.driver.find_elements(By.CSS_SELECTOR, "header nav a"):
            if link.text.strip() == text:
                return link
        raise CheckFailed(f"no menu link {text!r} on {self.path()} (menu: {self.nav_links()})")

    def sign_out_button(self):
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "header form button[type=submit]")
        return buttons[0] if buttons else None

    def signed_in_name(self):
        return self.text("header .who")

    def shot(self, name):
        self.shot_number += 1
        self.driver.save_screenshot(str(self.artifacts / f"{self.shot_number:02d}-{name}.png"))

    def credentials_file(self, name):
        path = self.data_dir / name
        expect(path.is_file(), f"{path} does not exist")
        return path.read_text(encoding="utf-8")

    def demo_password(self, username):
        for line in self.credentials_file("demo-users.txt").splitlines():
            fields = line.split()
            # username unit position password [signing-pin]
            if len(fields) >= 4 and fields[0] == username:
                return fields[3]
        raise CheckFailed(f"{username} not listed in demo-users.txt")

    def demo_pin(self, username):
        for line in self.credentials_file("demo-users.txt").splitlines():
            fields = line.split()
            if len(fields) >= 5 and fields[0] == username:
                return fields[4]
        raise CheckFailed(f"{username} has no signing PIN in demo-users.txt")

    def api(self, method, path, body, headers):
        request = urllib.request.Request(self.url(path), data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def admin_credentials(self):
        values = {}
        for line in self.credentials_file("initial-admin.txt").splitlines():
            key, _, value = line.partition(":")
            values[key.strip()] = value.strip()
        expect("username" in values and "password" in values, "initial-admin.txt lacks username/password lines")
        return values["username"], values["password"]

    def sign_in(self, username, password, shot_name):
        """Signs in from a clean browser session (no cookies) and checks it worked."""
        self.driver.delete_all_cookies()
        self.open("/login")
        self.fill("username", username)
        self.fill("password", password)
        status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.shot(shot_name)
        expect(self.signed_in_name(), f"{username} not signed in: {self.path()} answered {status}, "
                                      f"page says {self.text('.error-summary') or self.text('h1')!r}")

    # -- checks --------------------------------------------------------------------------------

    def check(self, title, step):
        try:
            detail = step()
        except CheckFailed as failure:
            self.failed += 1
            print(f"FAIL - {title}: {failure}", flush=True)
        except Exception as error:  # a Selenium timeout, a missing element: still a failed check
            self.failed += 1
            reason = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            print(f"FAIL - {title}: {reason} (at {self.safe_path()})", flush=True)
            if os.environ.get("EGOV_BROWSER_DEBUG"):
                traceback.print_exc(file=sys.stderr)
        else:
            self.passed += 1
            print(f"ok - {title}" + (f" ({detail})" if detail else ""), flush=True)

    def safe_path(self):
        try:
            return self.path()
        except WebDriverException:
            return "?"

    def step_accessibility(self):
        """The journey's last check: no critical or serious axe-core violation on any page it loaded."""
        self.a11y.write(self.artifacts / "axe-violations.json")
        failures = self.a11y.failures()
        expect(failures is None, f"{failures}\n  (all of them: {self.artifacts / 'axe-violations.json'})")
        return self.a11y.checked()

    def step_home(self):
        status = self.open("/")
        self.shot("home")
        expect(status == 200, f"GET / answered {status}")
        expect(self.html_lang() == "vi", f'<html lang="{self.html_lang()}">, expected "vi"')
        expect(PORTAL_NAME in self.driver.title, f"title is {self.driver.title!r}")

    def step_register_bad_id(self):
        self.open("/")
        link = self.driver.find_element(By.CSS_SELECTOR, "main a[href='/register']")
        self.click_and_wait(link)
        expect(self.path() == "/register", f"the home page's register link led to {self.path()}")
        self.shot("register-form")
        for field in ("fullName", "phone", "email", "password"):
            self.fill(field, CITIZEN[field])
        self.fill("idNumber", BAD_ID_NUMBER)
        status = self.click_and_wait(self.driver.find_element(By.XPATH, "//main//button[normalize-space()='Đăng ký tài khoản']"))
        self.shot("register-bad-id")
        expect(status == 400, f"POST /register with ID {BAD_ID_NUMBER} answered {status}, expected 400")
        field_error = self.text("#idNumber-error")
        expect(field_error == BAD_ID_MESSAGE, f"error next to the ID field is {field_error!r}")
        summary = self.text(".error-summary") or ""
        expect(BAD_ID_MESSAGE in summary, f"error summary is {summary!r}")
        kept = self.driver.find_element(By.ID, "fullName").get_attribute("value")
        expect(kept == CITIZEN["fullName"], f"typed name not kept: {kept!r}")

    def step_register_fixed(self):
        if self.path() != "/register":
            self.open("/register")
            for field in ("fullName", "phone", "email"):
                self.fill(field, CITIZEN[field])
        self.fill("idNumber", CITIZEN["idNumber"])
        self.fill("password", CITIZEN["password"])  # the server does not echo the password back
        status = self.click_and_wait(self.driver.find_element(By.XPATH, "//main//button[normalize-space()='Đăng ký tài khoản']"))
        self.shot("register-done")
        expect(self.path() == "/login?registered=1",
               f"landed on {self.path()} ({status}), page says {self.text('.error-summary') or self.text('h1')!r}")
        notice = self.text(".notice")
        expect(notice == "Đăng ký thành công. Vui lòng đăng nhập.", f"notice is {notice!r}")

    def step_citizen_sign_in(self):
        self.sign_in(CITIZEN["idNumber"], CITIZEN["password"], "citizen-home")
        expect(urlparse(self.driver.current_url).path == "/", f"landed on {self.path()}, expected /")
        name = self.signed_in_name()
        expect(name == CITIZEN["fullName"], f"header shows {name!r}")
        expect(CITIZEN["fullName"] in self.text("main"), "full name not on the home page")
        expect("Quản trị" not in self.nav_links(), f"a citizen sees the administration link: {self.nav_links()}")

    def step_citizen_sign_out(self):
        button = self.sign_out_button()
        expect(button is not None and button.text.strip() == "Đăng xuất",
               f"no 'Đăng xuất' button (signed in as {self.signed_in_name()!r})")
        self.click_and_wait(button)
        self.shot("signed-out")
        expect("Đăng nhập" in self.nav_links(), f"menu after signing out: {self.nav_links()}")
        expect(self.signed_in_name() is None, f"still shows {self.signed_in_name()!r}")

    def step_ward_leader(self):
        username = "chutich.benthuy"
        self.sign_in(username, self.demo_password(username), "leader-home")
        status = self.click_and_wait(self.nav_link("Quản trị"))
        self.shot("leader-units")
        expect(urlparse(self.driver.current_url).path == "/admin/units", f"'Quản trị' led to {self.path()} ({status})")
        table = self.text("main table") or ""
        rows = len(self.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"))
        expect("Bến Thủy" in table, "units list lacks Bến Thủy")
        expect("Vân Sơn" not in table, "units list shows Vân Sơn, outside the leader's ward")
        status = self.open("/admin/units/000.00.31.H99")
        self.shot("leader-own-unit")
        expect(status == 200, f"GET /admin/units/000.00.31.H99 answered {status}, page says {self.text('h1')!r}")
        status = self.open("/admin/units/000.00.32.H99")
        self.shot("leader-other-unit")
        heading = self.text("h1")
        expect(heading == "Không có quyền", f"GET /admin/units/000.00.32.H99 answered {status} with heading {heading!r}")
        expect(status == 403, f"GET /admin/units/000.00.32.H99 answered {status}, expected 403")
        return f"{rows} units listed, 403 on Vân Sơn"

    def step_admin_audit(self):
        username, password = self.admin_credentials()
        self.sign_in(username, password, "admin-home")
        self.click_and_wait(self.nav_link("Quản trị"))
        audit_link = self.driver.find_element(By.XPATH, "//nav[contains(@class,'admin-menu')]//a[normalize-space()='Nhật ký hệ thống']")
        status = self.click_and_wait(audit_link)
        expect(urlparse(self.driver.current_url).path == "/admin/audit", f"audit link led to {self.path()} ({status})")
        self.fill("action", "account.register")
        status = self.click_and_wait(self.driver.find_element(By.XPATH, "//main//button[normalize-space()='Lọc']"))
        self.shot("admin-audit")
        expect(status == 200, f"filtered audit page answered {status}")
        expect("action=account.register" in self.path(), f"filter not applied: {self.path()}")
        actions = [code.text.strip() for code in self.driver.find_elements(By.CSS_SELECTOR, "main table tbody td code")]
        expect("account.register" in actions, f"no account.register row (actions shown: {actions[:10]}, "
                                               f"page says {self.text('main')[:200]!r})")
        return f"{actions.count('account.register')} account.register row(s)"

    def step_language(self):
        if self.signed_in_name() is None:
            self.open("/")
        back_to = self.path()
        self.click_and_wait(self.nav_link("English"))
        self.shot("english")
        expect(self.html_lang() == "en", f'<html lang="{self.html_lang()}"> after choosing English')
        button = self.sign_out_button()
        english = "Sign in" in self.nav_links() or (button is not None and button.text.strip() == "Sign out")
        expect(english, f"no 'Sign in'/'Sign out' in the menu: {self.nav_links()}")
        expect(self.path() == back_to, f"the switch went to {self.path()} instead of back to {back_to}")
        self.click_and_wait(self.nav_link("Tiếng Việt"))
        self.shot("vietnamese-again")
        expect(self.html_lang() == "vi", f'<html lang="{self.html_lang()}"> after choosing Tiếng Việt')

    def step_login_phone_width(self):
        self.driver.delete_all_cookies()
        self.open("/login")
        self.shot("login-phone")
        viewport, page = self.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]")
        expect(viewport == PHONE_WIDTH, f"the browser viewport is {viewport}px wide, not {PHONE_WIDTH}px: check not meaningful")
        button = self.driver.find_element(By.XPATH, "//main//form//button[normalize-space()='Đăng nhập']")
        expect(button.is_displayed(), "the sign-in button is not displayed")
        right = button.rect["x"] + button.rect["width"]
        expect(right <= PHONE_WIDTH, f"the sign-in button ends at x={right}, beyond {PHONE_WIDTH}")
        return f"button ends at x={right:.0f}; viewport {viewport}px, page {page}px wide"

    @staticmethod
    def small_pdf(text, printed=False):
        """A one-page PDF with a classic cross-reference table. printed: the text large, in a font the page declares
        (Helvetica, which poppler renders with a system font), as on a scanned paper letter."""
        resources = b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>" if printed else b""
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R" + resources + b" >>"]
        font = b"/F1 22" if printed else b"/Helvetica 14"
        content = b"BT " + font + b" Tf 72 760 Td (" + text.encode("ascii") + b") Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        out, offsets = bytearray(b"%PDF-1.7\n"), []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)

    def step_signature_check(self):
        # A ward leader signs a result through the API with the signing PIN; anyone checks it on the public page.
        username = "chutich.benthuy"
        status, body = self.api("POST", "/api/v1/auth/token",
                                json.dumps({"username": username, "password": self.demo_password(username)}).encode(),
                                {"Content-Type": "application/json"})
        expect(status == 200, f"token: {status} {body[:200]!r}")
        token = json.loads(body)["access_token"]
        status, signed = self.api("POST", "/api/v1/signatures/pdf?reason=Ph%C3%AA%20duy%E1%BB%87t", self.small_pdf("Giay xac nhan"),
                                  {"Content-Type": "application/pdf", "Authorization": f"Bearer {token}",
                                   "X-Signing-Pin": self.demo_pin(username)})
        expect(status == 200 and signed.startswith(b"%PDF-"), f"signing answered {status}: {signed[:200]!r}")
        folder = Path(tempfile.mkdtemp(prefix="egov-journey-"))
        good, changed = folder / "giay-xac-nhan.pdf", folder / "giay-xac-nhan-da-sua.pdf"
        good.write_bytes(signed)
        changed.write_bytes(signed.replace(b"Giay xac nhan", b"Giay xac nhaN", 1))

        self.driver.delete_all_cookies()
        self.open("/")
        status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main a[href='/kiem-tra-chu-ky']"))
        expect(status == 200 and self.text("h1") == "Kiểm tra chữ ký số trên văn bản", f"check page: {status} {self.text('h1')!r}")
        verdicts = []
        for path in (good, changed):
            self.driver.find_element(By.ID, "file").send_keys(str(path))
            status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
            self.shot("signature-" + path.stem)
            expect(status == 200, f"uploading {path.name} answered {status}")
            verdicts.append((self.text("#ket-qua h2") or "", self.text("#ket-qua dl") or ""))
        expect(verdicts[0][0] == "Văn bản còn nguyên vẹn và mọi chữ ký số đều hợp lệ.", f"signed file: {verdicts[0][0]!r}")
        expect("Hồ Sĩ Long" in verdicts[0][1] and "Hợp lệ tại thời điểm ký" in verdicts[0][1], f"signed file details: {verdicts[0][1]!r}")
        expect(verdicts[1][0].startswith("Không xác nhận được") and "Đã bị thay đổi" in verdicts[1][1], f"changed file: {verdicts[1]!r}")
        return "valid, then changed"

    def run(self):
        self.check("1 home page in Vietnamese", self.step_home)
        self.check("2 registration rejects a bad ID number", self.step_register_bad_id)
        self.check("3 registration succeeds", self.step_register_fixed)
        self.check("4 citizen signs in with the ID number", self.step_citizen_sign_in)
        self.check("5 citizen signs out", self.step_citizen_sign_out)
        self.check("6 ward leader sees only the ward", self.step_ward_leader)
        self.check("7 province admin finds the registration in the audit log", self.step_admin_audit)
        self.check("8 language switch to English and back", self.step_language)
        self.check("9 login page fits a phone screen", self.step_login_phone_width)
        self.check("10 a signed PDF checks as valid on the public page, a changed copy does not", self.step_signature_check)
        self.check("11 no critical or serious axe-core violation on the pages visited", self.step_accessibility)
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return self.failed == 0


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base_url, data_dir = sys.argv[1], sys.argv[2]
    journey = Journey(base_url, data_dir, os.environ.get("EGOV_BROWSER_ARTIFACTS", "."))
    try:
        return 0 if journey.run() else 1
    finally:
        journey.quit()


if __name__ == "__main__":
    sys.exit(main())
