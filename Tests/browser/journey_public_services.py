#!/usr/bin/env python3
"""Browser journey through the one-stop-shop of Open eGov, in headless Chromium.

    python3 journey_public_services.py BASE_URL DATA_DIR

BASE_URL is a running server started on a fresh DATA_DIR with the demo pack (see run.sh); it may
already have run journey_platform.py (whose citizen is the one used here: if the ID number is
already registered, step 1 only signs in). A citizen finds a procedure by an accent-free search,
applies online with an attachment and pays in the sandbox gateway; the Service Centre's one-stop
officer receives the dossier, the department's leader assigns it, the specialist asks for a
supplement; the citizen supplements; the specialist processes, the leader approves with the result
file, which the approval signs with the leader's PIN and the department's seal PIN; the counter
returns it; the citizen sees the result, whose download pdfsig finds signed twice and valid against
the locality CA, and rates it; public tracking shows
"done"; the department's statistics count the dossier once, on time. Every user changes by signing
out with the header's button and signing in on /login, as people sharing a browser would.

Prints one line per check ("ok - ..." or "FAIL - ...: reason") and then "N passed, M failed"; exits 1
if any check failed. Screenshots go to $EGOV_BROWSER_ARTIFACTS (default: current dir) as NN-name.png;
a failed check also leaves the page's HTML there (NN-failed-....html). Set EGOV_BROWSER_DEBUG=1 for
the Python traceback of each failed check.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Shared browser helpers, and the citizen the platform journey registers (ID 001190012345).
from journey_platform import CITIZEN, WAIT_SECONDS, CheckFailed, Journey, expect  # noqa: E402

ALREADY_REGISTERED = "Số định danh này đã được đăng ký tài khoản."
CSRF_REFUSAL = "Phiên biểu mẫu không hợp lệ"  # heading of the 403 page for a form without its token
ATTEMPTS = 3  # tries of a form refused with CSRF_REFUSAL (each refusal is reported as a failure)
SEARCH = "giay phep kinh doanh van tai"
PROCEDURE_NAME = "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô, bằng xe bốn bánh có gắn động cơ"
PROCEDURE_CODE = "1.000703"
DEPARTMENT, DEPARTMENT_NAME = "000.00.04.H99", "Sở Xây dựng"
SERVICE_CENTRE = "000.00.20.H99"  # receives the dossier: its code prefixes the dossier's code
FEE = "200.000 đ"
COUNTER, LEADER, SPECIALIST = "motcua.quay1", "lanhdao.sxd", "chuyenvien.sxd"
SPECIALIST_NAME = "Lương Văn Dũng"  # chuyenvien.sxd in the demo pack
REQUEST = "Đề nghị cấp giấy phép kinh doanh vận tải hành khách theo hợp đồng bằng xe ô tô."
SUPPLEMENT_NOTE = "Đề nghị bổ sung quyết định thành lập bộ phận an toàn giao thông."
SUPPLEMENT_COMPONENT = "quyet-dinh-bo-phan-attgt"
RESULT_FILE = "giay-phep-kinh-doanh-van-tai.pdf"
CRITERIA = ("transparency", "guidance", "timeliness", "online", "overall")


def squash(text):
    """Text with runs of white space (non-breaking ones too) made single spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


class OneStopJourney(Journey):
    def __init__(self, base_url, data_dir, artifacts):
        super().__init__(base_url, data_dir, artifacts)
        self.code = None
        self.files = Path(tempfile.mkdtemp(prefix="egov-journey-files-"))
        self.problems = []  # server faults the current check went past; they fail it at its end
        self.server_gone = False  # set when /healthz stops answering: the remaining checks are not run

    def quit(self):
        super().quit()
        shutil.rmtree(self.files, ignore_errors=True)

    def quit(self):
        super().quit()
        shutil.rmtree(self.files, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------------

    def pdf(self, name, text):
        """A small real PDF (one page; the text written without diacritics) to upload."""
        plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        path = self.files / name
        path.write_bytes(self.small_pdf("".join(c for c in plain if ord(c) < 128)))
        return str(path)

    def check_signed_result(self):
        """The citizen's download of the result, checked with pdfsig (poppler-utils) against an NSS database
        that trusts the locality CA published at /api/v1/pki/ca.pem: the leader's and the seal's signatures."""
        links = self.driver.find_elements(By.CSS_SELECTOR, "ul.files li[data-kind='result'] a")
        expect(links, "no link to the result file")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        status, body = self.api("GET", urlparse(links[0].get_attribute("href")).path, None, {"Cookie": cookies})
        expect(status == 200 and body.startswith(b"%PDF-"), f"the citizen's download answered {status}: {body[:100]!r}")
        status, chain = self.api("GET", "/api/v1/pki/ca.pem", None, {})
        expect(status == 200, f"/api/v1/pki/ca.pem answered {status}")
        folder = Path(tempfile.mkdtemp(prefix="egov-result-"))
        try:
            pems = [p + "-----END CERTIFICATE-----\n" for p in chain.decode().split("-----END CERTIFICATE-----") if "BEGIN" in p]
            expect(len(pems) == 2, f"the CA chain has {len(pems)} certificates, not 2")
            nss = "sql:" + str(folder / "nss")
            (folder / "nss").mkdir()
            subprocess.run(["certutil", "-N", "-d", nss, "--empty-password"], check=True, capture_output=True)
            for name, pem, trust in (("issuing", pems[0], ",,"), ("root", pems[1], "CT,C,C")):
                (folder / f"{name}.pem").write_text(pem.strip() + "\n")
                subprocess.run(["certutil", "-A", "-d", nss, "-n", name, "-t", trust, "-i", str(folder / f"{name}.pem")],
                               check=True, capture_output=True)
            (folder / RESULT_FILE).write_bytes(body)
            report = subprocess.run(["pdfsig", "-nssdir", nss, str(folder / RESULT_FILE)], capture_output=True, text=True).stdout
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        expect(report.count("Signature is Valid") == 2 and report.count("Certificate is Trusted") == 2,
               f"pdfsig on the citizen's result: {report!r}")
        expect(DEPARTMENT_NAME in report and "Total document signed" in report, f"pdfsig on the citizen's result: {report!r}")
        # The result's verification code leads to the public check page, which finds the issued result by it.
        codes = self.driver.find_elements(By.CSS_SELECTOR, "ul.files li[data-kind='result'] .verification-code a")
        expect(codes, f"no verification code beside the result: {self.snippet('ul.files', 600)!r}")
        code = codes[0].text.strip()
        status = self.click_and_wait(codes[0])
        self.shot("verification-code")
        expect(status == 200 and urlparse(self.driver.current_url).path == "/kiem-tra-chu-ky",
               f"the code's link answered {status} at {self.path()}")
        verdict, found = self.text("#ket-qua h2") or "", self.text("#ma-ket-qua") or ""
        expect(verdict == "Văn bản còn nguyên vẹn và mọi chữ ký số đều hợp lệ." and code in found and RESULT_FILE in found,
               f"the check page for code {code!r}: {verdict!r} / {found!r}")
        self.open_dossier()

    def shot(self, name, focus=None):
        """Screenshot; with focus (a CSS selector), that element is scrolled into view first."""
        elements = self.driver.find_elements(By.CSS_SELECTOR, focus) if focus else []
        if elements:
            # Not element.scrollIntoView(): under the phone emulation it can leave Chromium's clicks
            # landing off target (links then do nothing) for the rest of the session.
            self.driver.execute_script(
                "window.scrollTo(0, Math.max(0, arguments[0].getBoundingClientRect().top + window.scrollY"
                " - window.innerHeight / 3))", elements[0])
        super().shot(name)

    def snippet(self, css="main", limit=300):
        """The start of an element's HTML, for failure messages."""
        elements = self.driver.find_elements(By.CSS_SELECTOR, css)
        html = elements[0].get_attribute("outerHTML") if elements else self.driver.page_source
        return squash(html)[:limit]

    def check(self, title, step):
        """As Journey.check; problems noted with went_past() fail the check once the step is over."""
        def step_then_problems():
            try:
                detail = step()
            except CheckFailed as failure:
                raise CheckFailed("; ".join(self.problems + [str(failure)])) from None
            if self.problems:
                raise CheckFailed("; ".join(self.problems) + (f" (otherwise: {detail})" if detail else ""))
            return detail

        if self.server_gone:
            self.failed += 1
            print(f"FAIL - {title}: not run, the server no longer answers {self.url('/healthz')}", flush=True)
            return
        self.problems = []
        failed_before = self.failed
        super().check(title, step_then_problems)
        if self.failed > failed_before:
            # A server that hangs or crashed would make every later check wait for its timeout.
            self.server_gone = not self.server_answers()
            # Keep what the browser showed, for whoever fixes it.
            try:
                slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
                self.shot(f"failed-{slug}")
                html = self.artifacts / f"{self.shot_number:02d}-failed-{slug}.html"
                html.write_text(self.driver.page_source, encoding="utf-8")
            except WebDriverException:
                pass

    def server_answers(self):
        try:
            with urllib.request.urlopen(self.url("/healthz"), timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def went_past(self, problem):
        """Notes a server fault that the step works around to test what follows; the check fails."""
        self.problems.append(problem)

    def refused_form(self, status, what):
        """True (and noted) if the page is the 403 for a form whose CSRF token the server did not read."""
        if status != 403 or self.text("h1") != CSRF_REFUSAL:
            return False
        self.shot("csrf-refused")
        self.went_past(f"{what} answered 403 {CSRF_REFUSAL!r} at {self.path()} although the form carried the "
                       f"session's _csrf token; tried again")
        return True

    def sign_out(self):
        """Signs out with the header's button, if someone is signed in."""
        if self.signed_in_name() is None:
            return
        button = self.sign_out_button()
        expect(button is not None, f"{self.signed_in_name()!r} is signed in but the header has no sign-out button")
        self.click_and_wait(button)
        expect(self.signed_in_name() is None, f"still signed in as {self.signed_in_name()!r} after signing out")

    def become(self, username, password, shot_name):
        """The next person at the browser: signs the previous one out, then signs in."""
        self.sign_out()
        self.sign_in(username, password, shot_name)

    def officer(self, username, shot_name):
        self.become(username, self.demo_password(username), shot_name)

    def citizen(self, shot_name):
        self.become(CITIZEN["idNumber"], CITIZEN["password"], shot_name)

    def dossier_status(self):
        elements = self.driver.find_elements(By.ID, "dossier-status")
        return elements[0].get_attribute("data-status") if elements else None

    def dossier_field(self, label):
        """Text of the dossier page's <dd> after the <dt> with that label."""
        cells = self.driver.find_elements(By.XPATH, f"//main//dl/dt[normalize-space()='{label}']/following-sibling::dd[1]")
        return squash(cells[0].text) if cells else None

    def on_dossier_page(self):
        return self.code is not None and urlparse(self.driver.current_url).path == f"/ho-so/{self.code}"

    def open_dossier(self):
        expect(self.code, "no dossier code from an earlier step")
        status = self.open(f"/ho-so/{self.code}")
        expect(status == 200, f"GET /ho-so/{self.code} answered {status}, page says {self.text('h1')!r}")

    def take(self, action, shot_name, note=None, assignee=None, upload=None, component=None, pins=None):
        """Takes an action through its form on the dossier page (opened if not already shown):
        opens its <details class="action">, fills what is given, clicks #do-<action>; returns the
        new status."""
        for attempt in range(1, ATTEMPTS + 1):
            if attempt > 1 or not self.on_dossier_page():
                self.open_dossier()
            status = self._fill_and_send(action, note, assignee, upload, component, pins)
            if attempt == ATTEMPTS or not self.refused_form(status, f"'{action}' (attempt {attempt})"):
                break
        self.shot(shot_name)
        problem = self.text(".error-summary")
        expect(status == 200 and problem is None,
               f"'{action}' answered {status} at {self.path()}: {problem or self.text('h1')!r}")
        expect(self.on_dossier_page(), f"'{action}' led to {self.path()}, not back to the dossier")
        return self.dossier_status()

    def _fill_and_send(self, action, note, assignee, upload, component, pins=None):
        before = self.dossier_status()
        forms = self.driver.find_elements(By.ID, f"action-{action}")
        offered = [b.get_attribute("id") for b in self.driver.find_elements(By.CSS_SELECTOR, "main button[id^='do-']")]
        expect(forms, f"no form#action-{action} on /ho-so/{self.code} (status {before!r}; buttons offered: {offered})")
        form = forms[0]
        details = form.find_elements(By.XPATH, "./ancestor::details[contains(concat(' ', normalize-space(@class), ' '), ' action ')]")
        expect(details, f"form#action-{action} is not inside <details class=\"action\">: {self.snippet(f'#action-{action}')!r}")
        if details[0].get_attribute("open") is None:
            details[0].find_element(By.TAG_NAME, "summary").click()
        if note is not None:
            fields = form.find_elements(By.ID, f"action-{action}-note")
            expect(fields and fields[0].tag_name == "textarea" and fields[0].get_attribute("name") == "note",
                   f"no textarea#action-{action}-note name=note in the form: {self.snippet(f'#action-{action}', 600)!r}")
            fields[0].send_keys(note)
        if assignee is not None:
            selects = form.find_elements(By.CSS_SELECTOR, "select[name='assignee']")
            expect(selects, f"no select name=assignee in form#action-{action}")
            values = [o.get_attribute("value") for o in Select(selects[0]).options]
            expect(assignee in values, f"{assignee!r} is not among the assignees offered: {values}")
            Select(selects[0]).select_by_value(assignee)
        if upload is not None:
            fields = form.find_elements(By.ID, f"action-{action}-file")
            expect(fields and fields[0].get_attribute("type") == "file" and fields[0].get_attribute("name") == "file",
                   f"no input#action-{action}-file type=file name=file: {self.snippet(f'#action-{action}', 600)!r}")
            fields[0].send_keys(upload)
        if component is not None:
            selects = form.find_elements(By.CSS_SELECTOR, "select[name='component']")
            expect(selects, f"no select name=component in form#action-{action}")
            values = [o.get_attribute("value") for o in Select(selects[0]).options]
            expect(component in values, f"component {component!r} is not offered: {values}")
            Select(selects[0]).select_by_value(component)
        for suffix, pin in zip(("pin", "seal-pin"), pins or ()):
            fields = form.find_elements(By.ID, f"action-{action}-{suffix}")
            expect(fields and fields[0].get_attribute("type") == "password",
                   f"no input#action-{action}-{suffix} type=password: {self.snippet(f'#action-{action}', 800)!r}")
            fields[0].clear()
            fields[0].send_keys(pin)
        buttons = form.find_elements(By.ID, f"do-{action}")
        expect(buttons, f"form#action-{action} has no button#do-{action}: {self.snippet(f'#action-{action}', 600)!r}")
        return self.click_and_wait(buttons[0])

    # -- steps ---------------------------------------------------------------------------------

    def step_register(self):
        self.driver.delete_all_cookies()
        self.open("/register")
        for field in ("fullName", "idNumber", "phone", "email", "password"):
            self.fill(field, CITIZEN[field])
        status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.shot("register")
        field_error = self.text("#idNumber-error")
        if status == 400 and field_error == ALREADY_REGISTERED:
            detail = "already registered by the platform journey; signed in"
        else:
            expect(self.path() == "/login?registered=1",
                   f"registration landed on {self.path()} ({status}): {self.text('.error-summary')!r}")
            detail = "registered and signed in"
        self.open("/login")
        self.fill("username", CITIZEN["idNumber"])
        self.fill("password", CITIZEN["password"])
        status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.shot("citizen-signed-in")
        expect(self.signed_in_name() == CITIZEN["fullName"],
               f"after signing in: {self.path()} ({status}), header shows {self.signed_in_name()!r}, "
               f"page says {self.text('.error-summary') or self.text('h1')!r}")
        return detail

    def step_search(self):
        status = self.click_and_wait(self.nav_link("Thủ tục hành chính"))
        expect(status == 200 and urlparse(self.driver.current_url).path == "/thu-tuc", f"the menu led to {self.path()} ({status})")
        box = self.driver.find_element(By.NAME, "q")
        box.clear()
        box.send_keys(SEARCH)
        status = self.click_and_wait(box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
        self.shot("search", "ul.cards")
        expect(status == 200, f"the search answered {status}")
        found = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "ul.cards a") if a.text.strip() == PROCEDURE_NAME]
        names = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "ul.cards a")]
        expect(found, f"{SEARCH!r} did not find the procedure at {self.path()} (found {names[:5]})")
        status = self.click_and_wait(found[0])
        self.shot("procedure")
        expect(status == 200 and urlparse(self.driver.current_url).path == f"/thu-tuc/{PROCEDURE_CODE}",
               f"the result led to {self.path()} ({status})")
        main = squash(self.text("main"))
        for fact in (PROCEDURE_CODE, FEE, DEPARTMENT_NAME):
            expect(fact in main, f"the procedure page does not show {fact!r}")
        return f"{len(names)} result(s); code, fee and deciding unit shown"

    def step_submit(self):
        expect(urlparse(self.driver.current_url).path == f"/thu-tuc/{PROCEDURE_CODE}", f"not on the procedure page: {self.path()}")
        form_path = f"/thu-tuc/{PROCEDURE_CODE}/nop-ho-so"
        for attempt in range(1, ATTEMPTS + 1):
            if attempt == 1:
                status = self.click_and_wait(self.driver.find_element(By.ID, "apply"))
            else:
                status = self.open(form_path)
            expect(status == 200 and urlparse(self.driver.current_url).path == form_path,
                   f"#apply led to {self.path()} ({status})")
            prefilled = self.driver.find_element(By.ID, "fullName").get_attribute("value")
            expect(prefilled == CITIZEN["fullName"], f"input#fullName is {prefilled!r}, not the account's name")
            content = self.driver.find_element(By.CSS_SELECTOR, "main form textarea[name='noiDung']")
            content.send_keys(REQUEST)
            self.driver.find_element(By.ID, "file-van-bang-nguoi-dieu-hanh").send_keys(self.pdf("van-bang.pdf", "văn bằng"))
            if attempt == 1:
                self.shot("form", "#file-van-bang-nguoi-dieu-hanh")
            status = self.click_and_wait(self.driver.find_element(By.ID, "submit-dossier"))
            if attempt == ATTEMPTS or not self.refused_form(status, f"submitting the dossier (attempt {attempt})"):
                break
        self.shot("submitted")
        match = re.fullmatch(r"/ho-so/([^/?]+)\?submitted=1", self.path())
        expect(match, f"submission landed on {self.path()} ({status}): {self.text('.error-summary') or self.text('h1')!r}")
        self.code = self.text("#dossier-code")
        expect(self.code == match.group(1), f"#dossier-code {self.code!r}, the address says {match.group(1)!r}")
        expect(self.code.startswith(SERVICE_CENTRE + "-"), f"dossier code {self.code!r} is not the Service Centre's")
        expect(self.dossier_status() == "waiting-payment", f"data-status {self.dossier_status()!r}, expected waiting-payment")
        return self.code

    def step_pay(self):
        if not self.on_dossier_page():
            self.open_dossier()
        status = self.click_and_wait(self.driver.find_element(By.ID, "pay-online"))
        self.shot("gateway", "#amount")
        expect(urlparse(self.driver.current_url).path == "/payment-sandbox/paymentv2/vpcpay.html",
               f"#pay-online led to {self.path()} ({status})")
        amount = squash(self.text("#amount"))
        expect(amount == FEE, f"the gateway's #amount is {amount!r}, expected {FEE!r}")
        status = self.click_and_wait(self.driver.find_element(By.ID, "pay"))
        self.shot("paid", "#payment-result")
        result = self.driver.find_elements(By.CSS_SELECTOR, "p#payment-result")
        expect(result and result[0].get_attribute("data-paid") == "true",
               f"the return page {self.path()} ({status}) says {self.snippet()!r}")
        back = self.driver.find_elements(By.CSS_SELECTOR, f"main a[href^='/ho-so/{self.code}']")
        expect(back, f"the return page has no link to /ho-so/{self.code}: {self.snippet()!r}")
        self.click_and_wait(back[0])
        self.shot("paid-dossier")
        expect(self.on_dossier_page(), f"the dossier link led to {self.path()}")
        expect(self.dossier_status() == "submitted", f"data-status after paying: {self.dossier_status()!r}")

    def step_receive(self):
        self.officer(COUNTER, "counter-signed-in")
        status = self.click_and_wait(self.nav_link("Xử lý hồ sơ"))
        self.shot("counter-queue", f"main a[href='/ho-so/{self.code}']")
        expect(status == 200 and urlparse(self.driver.current_url).path == "/xu-ly", f"the menu led to {self.path()} ({status})")
        links = self.driver.find_elements(By.CSS_SELECTOR, f"main a[href='/ho-so/{self.code}']")
        expect(links, f"/xu-ly does not link {self.code}: {self.snippet(limit=500)!r}")
        self.click_and_wait(links[0])
        status = self.take("receive", "received")
        expect(status == "received", f"data-status after 'receive': {status!r}")
        return f"next step: {self.dossier_field('Bước hiện tại')!r}"

    def step_assign(self):
        self.officer(LEADER, "leader-signed-in")
        status = self.take("assign", "assigned", assignee=SPECIALIST)
        expect(status == "processing", f"data-status after 'assign': {status!r}")
        handler = self.dossier_field("Người xử lý")
        expect(handler and SPECIALIST_NAME in handler, f"'Người xử lý' shows {handler!r}, expected {SPECIALIST_NAME}")

    def step_request_supplement(self):
        self.officer(SPECIALIST, "specialist-signed-in")
        status = self.take("request-supplement", "supplement-requested", note=SUPPLEMENT_NOTE)
        expect(status == "waiting-supplement", f"data-status after 'request-supplement': {status!r}")

    def step_supplement(self):
        self.citizen("citizen-again")
        status = self.click_and_wait(self.nav_link("Hồ sơ của tôi"))
        self.shot("my-dossiers")
        expect(status == 200 and urlparse(self.driver.current_url).path == "/ho-so", f"the menu led to {self.path()} ({status})")
        links = self.driver.find_elements(By.CSS_SELECTOR, f"main a[href='/ho-so/{self.code}']")
        expect(links, f"/ho-so does not link {self.code}: {self.snippet(limit=500)!r}")
        self.click_and_wait(links[0])
        self.shot("supplement-requested-citizen", "table#history")
        expect(self.dossier_status() == "waiting-supplement", f"the citizen sees data-status {self.dossier_status()!r}")
        history = squash(self.text("table#history"))
        expect(SUPPLEMENT_NOTE in history, f"the note is not in table#history: {history[:300]!r}")
        status = self.take("supplement", "supplemented", upload=self.pdf("quyet-dinh.pdf", "quyết định"),
                           component=SUPPLEMENT_COMPONENT)
        expect(status == "processing", f"data-status after 'supplement': {status!r}")

    def step_decide(self):
        self.officer(SPECIALIST, "specialist-again")
        status = self.take("process", "processed")
        expect(status == "processing", f"data-status after 'process': {status!r}")
        self.officer(LEADER, "leader-again")
        # The approval signs the result: the leader's signing PIN, then the department's seal PIN.
        status = self.take("approve", "approved", upload=self.pdf(RESULT_FILE, "giay phep kinh doanh van tai"),
                           pins=(self.demo_pin(LEADER), self.demo_pin(f"seal.{DEPARTMENT}")))
        expect(status == "result-ready", f"data-status after 'approve': {status!r}")
        self.officer(COUNTER, "counter-again")
        status = self.take("return-result", "returned")
        expect(status == "done", f"data-status after 'return-result': {status!r}")

    def step_result_and_rating(self):
        self.citizen("citizen-result")
        self.open_dossier()
        self.shot("citizen-done", "ul.files")
        expect(self.dossier_status() == "done", f"the citizen sees data-status {self.dossier_status()!r}")
        results = [squash(li.text) for li in self.driver.find_elements(By.CSS_SELECTOR, "ul.files li[data-kind='result']")]
        expect(any(RESULT_FILE in r for r in results), f"{RESULT_FILE} is not listed as a result (results: {results})")
        self.check_signed_result()
        section = self.driver.find_elements(By.CSS_SELECTOR, "section#rating")
        expect(section, "no section#rating on the finished dossier")
        for criterion in CRITERIA:
            radios = section[0].find_elements(By.ID, f"score-{criterion}-5")
            expect(radios, f"no radio #score-{criterion}-5 in section#rating")
            radios[0].click()
            expect(radios[0].is_selected(), f"#score-{criterion}-5 is not selected after clicking it")
        comments = section[0].find_elements(By.NAME, "comment")
        if comments:
            comments[0].send_keys("Thủ tục nhanh gọn, cán bộ hướng dẫn tận tình.")
        self.shot("rating-form", "#send-rating")
        status = self.click_and_wait(self.driver.find_element(By.ID, "send-rating"))
        self.shot("rated", "section#rating")
        expect(status == 200 and self.text(".error-summary") is None,
               f"sending the rating answered {status} at {self.path()}: {self.text('.error-summary') or self.text('h1')!r}")
        expect(not self.driver.find_elements(By.ID, "send-rating"), "the rating form is still offered after rating")
        expect(not self.driver.find_elements(By.CSS_SELECTOR, "section#rating input[type=radio]"),
               "section#rating still has radio buttons after rating")
        rating = squash(self.text("section#rating"))
        expect(rating and "5" in rating, f"section#rating after rating says {rating!r}")
        return f"rating shown: {rating[:80]!r}"

    def step_public_tracking(self):
        self.sign_out()
        status = self.click_and_wait(self.nav_link("Tra cứu hồ sơ"))
        expect(status == 200 and urlparse(self.driver.current_url).path == "/tra-cuu", f"the menu led to {self.path()} ({status})")
        self.fill("code", self.code)
        form_button = self.driver.find_element(By.ID, "code").find_element(By.XPATH, "./ancestor::form//button[@type='submit']")
        status = self.click_and_wait(form_button)
        self.shot("tracking", "#tracking-status")
        tracked = self.driver.find_elements(By.ID, "tracking-status")
        expect(status == 200 and tracked, f"tracking answered {status} at {self.path()}: {self.snippet()!r}")
        expect(tracked[0].get_attribute("data-status") == "done",
               f"#tracking-status has data-status {tracked[0].get_attribute('data-status')!r} ({tracked[0].text!r})")
        expect(CITIZEN["fullName"] not in self.text("main"), "the public tracking page shows the applicant's name")

    def step_statistics(self):
        self.officer(LEADER, "leader-statistics")
        status = self.open(f"/thong-ke?unit={DEPARTMENT}")
        self.shot("statistics", "table#statistics")
        expect(status == 200, f"/thong-ke?unit={DEPARTMENT} answered {status}: {self.text('h1')!r}")

        def figure(column):
            cells = self.driver.find_elements(By.CSS_SELECTOR, f"table#statistics tr#statistics-total td[data-column='{column}']")
            return cells[0].text.strip() if cells else None

        received, on_time, late = figure("received"), figure("finishedOnTime"), figure("finishedLate")
        expect(received == "1", f"received {received!r}, expected '1': {self.snippet('table#statistics', 600)!r}")
        expect(on_time == "1", f"finishedOnTime {on_time!r}, expected '1'")
        expect(late in ("0", None), f"finishedLate {late!r}, expected '0'")
        links = self.driver.find_elements(By.CSS_SELECTOR, "main a[href^='/thong-ke.csv']")
        expect(links, "no link to /thong-ke.csv on the statistics page")
        href = links[0].get_attribute("href")
        # The download, with the browser's session cookie (Chromium would save it, not show it).
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(href, headers={"Cookie": cookies, "Accept-Language": "vi-VN,vi"})
        try:
            with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
                csv_status, kind = response.status, response.headers.get("Content-Type", "")
                body = response.read().decode("utf-8-sig")
        except urllib.error.HTTPError as error:
            raise CheckFailed(f"GET {href} answered {error.code}") from None
        expect(csv_status == 200 and kind.startswith("text/csv"), f"GET {href} answered {csv_status}, {kind!r}")
        rows = [row for row in csv.reader(io.StringIO(body)) if row and row[0] == DEPARTMENT]
        expect(rows and rows[0][2] == "1", f"the CSV's {DEPARTMENT} row is {rows[:1]} (CSV starts {body[:200]!r})")
        return f"received 1, finished on time 1; CSV {len(body)} bytes"

    def run(self):
        steps = [
            ("1 the citizen registers and signs in with the ID number", self.step_register),
            ("2 finds the procedure by an accent-free search", self.step_search),
            ("3 applies online with an attachment, name pre-filled", self.step_submit),
            ("4 pays the fee in the sandbox gateway", self.step_pay),
            ("5 the Service Centre's counter receives the dossier", self.step_receive),
            ("6 the department's leader assigns it to the specialist", self.step_assign),
            ("7 the specialist asks for a supplement", self.step_request_supplement),
            ("8 the citizen reads the request and supplements", self.step_supplement),
            ("9 processed, approved with the result, returned", self.step_decide),
            ("10 the citizen sees the result (both signatures valid for pdfsig) and rates the service", self.step_result_and_rating),
            ("11 public tracking shows done, without personal data", self.step_public_tracking),
            ("12 the department's statistics count it once, on time", self.step_statistics),
            ("13 no critical or serious axe-core violation on the pages visited", self.step_accessibility),
        ]
        for title, step in steps:
            self.check(title, step)
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return self.failed == 0



def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base_url, data_dir = sys.argv[1], sys.argv[2]
    journey = OneStopJourney(base_url, data_dir, os.environ.get("EGOV_BROWSER_ARTIFACTS", "."))
    try:
        return 0 if journey.run() else 1
    finally:
        journey.quit()


if __name__ == "__main__":
    sys.exit(main())
