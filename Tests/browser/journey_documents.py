#!/usr/bin/env python3
"""Browser journey through official documents (issue 14) of Open eGov, in headless Chromium.

    python3 journey_documents.py BASE_URL DATA_DIR

BASE_URL is a running server started on a fresh DATA_DIR with the demo pack (see run.sh). Department A is
Sở Nội vụ, department B Sở Tư pháp. A's specialist drafts a decision with its PDF, addressed to B; A's head of
division approves; A's leader approves and signs with their PIN; A's clerk issues it, which gives it its number
and notation (01/QĐ-SNV) and the department's seal; it arrives in B's incoming box with its edXML message; B's
clerk finds it by an accent-free search and registers it in one click (arrival number 1); B's leader assigns it
to a specialist with a due day; the specialist closes it with a result; A sees B's status "done" (06) on its
document. Then B's clerk digitises a paper letter (a scan uploaded through the page), which the server's OCR job
reads so that an accent-free search finds it by words of its text. Every user changes by signing out and signing in, as people sharing a browser would.

Prints one line per check ("ok - ..." or "FAIL - ...: reason") and then "N passed, M failed"; exits 1 if any
check failed. Screenshots go to $EGOV_BROWSER_ARTIFACTS (default: current dir) as NN-name.png.
"""

import datetime
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey_platform import expect  # noqa: E402
from journey_public_services import ATTEMPTS, OneStopJourney, squash  # noqa: E402

A, B = "000.00.01.H99", "000.00.03.H99"  # Sở Nội vụ, Sở Tư pháp
DRAFTER, HEAD, LEADER, CLERK = "chuyenvien.snv", "truongphong.snv", "lanhdao.snv", "vanthu.snv"
B_CLERK, B_LEADER, B_HANDLER = "vanthu.stp", "lanhdao.stp", "chuyenvien.stp"
SUBJECT = "Quyết định nâng bậc lương thường xuyên năm 2026 cho công chức Sở Nội vụ"
SEARCH = "nang bac luong thuong xuyen"
NOTATION = "01/QĐ-SNV"
RESULT_NOTE = "Đã rà soát, Sở Tư pháp không có ý kiến khác."
SCAN_TEXT = "Cong van ve viec to chuc hoi nghi tong ket"  # printed on the paper that is scanned
SCAN_SEARCH = "to chuc hoi nghi tong ket"
OCR_WAIT_SECONDS = 120  # the server's OCR job runs every 5 s


class DocumentsJourney(OneStopJourney):
    def __init__(self, base_url, data_dir, artifacts):
        super().__init__(base_url, data_dir, artifacts)
        self.document = None  # A's outgoing document: /van-ban/<uuid>
        self.incoming = None  # its copy in B's incoming box

    # -- helpers -------------------------------------------------------------------------------

    def status(self):
        elements = self.driver.find_elements(By.ID, "document-status")
        return elements[0].get_attribute("data-status") if elements else None

    def open_document(self, path):
        expect(path, "no document from an earlier step")
        status = self.open(path)
        expect(status == 200, f"GET {path} answered {status}, page says {self.text('h1')!r}")

    def take(self, path, action, shot_name, note=None, lead=None, due=None, pins=None):
        """Takes an action through its form on the document's page: fills what is given (pins: {"pin": the
        officer's signing PIN, "seal-pin": the seal's}), clicks #do-<action>; returns the new status."""
        for attempt in range(1, ATTEMPTS + 1):
            self.open_document(path)
            forms = self.driver.find_elements(By.ID, f"action-{action}")
            offered = [b.get_attribute("id") for b in self.driver.find_elements(By.CSS_SELECTOR, "main button[id^='do-']")]
            expect(forms, f"no form#action-{action} on {path} (status {self.status()!r}; buttons offered: {offered})")
            form = forms[0]
            details = form.find_element(By.XPATH, "./ancestor::details[1]")
            if details.get_attribute("open") is None:
                details.find_element(By.TAG_NAME, "summary").click()
            if note is not None:
                form.find_element(By.ID, f"action-{action}-note").send_keys(note)
            if lead is not None:
                select = Select(form.find_element(By.ID, f"action-{action}-lead"))
                values = [o.get_attribute("value") for o in select.options]
                expect(lead in values, f"{lead!r} is not among the handlers offered: {values}")
                select.select_by_value(lead)
            if due is not None:
                # A date input takes the day as typed in the browser's locale; set its value directly.
                field = form.find_element(By.ID, f"action-{action}-due")
                self.driver.execute_script("arguments[0].value = arguments[1]", field, due)
            for suffix, pin in (pins or {}).items():
                fields = form.find_elements(By.ID, f"action-{action}-{suffix}")
                expect(fields and fields[0].get_attribute("type") == "password",
                       f"no input#action-{action}-{suffix} type=password: {self.snippet(f'#action-{action}', 800)!r}")
                fields[0].send_keys(pin)
            status = self.click_and_wait(form.find_element(By.ID, f"do-{action}"))
            if attempt == ATTEMPTS or not self.refused_form(status, f"'{action}' (attempt {attempt})"):
                break
        self.shot(shot_name)
        problem = self.text(".error-summary")
        expect(status == 200 and problem is None, f"'{action}' answered {status} at {self.path()}: {problem or self.text('h1')!r}")
        expect(urlparse(self.driver.current_url).path == path, f"'{action}' led to {self.path()}, not back to {path}")
        return self.status()

    def scan_pdf(self, name, text):
        """A paper letter as a scanner's PDF carries it."""
        path = self.files / name
        path.write_bytes(self.small_pdf(text, printed=True))
        return str(path)

    def field(self, label):
        cells = self.driver.find_elements(By.XPATH, f"//main//dl/dt[normalize-space()='{label}']/following-sibling::dd[1]")
        return squash(cells[0].text) if cells else None

    # -- steps ---------------------------------------------------------------------------------

    def step_draft(self):
        self.officer(DRAFTER, "drafter-signed-in")
        status = self.click_and_wait(self.nav_link("Văn bản"))
        expect(status == 200 and self.path() == "/van-ban", f"the menu led to {self.path()} ({status})")
        status = self.click_and_wait(self.driver.find_element(By.ID, "new-draft"))
        expect(status == 200 and self.path() == "/van-ban/soan-thao", f"'Soạn văn bản đi' led to {self.path()} ({status})")
        Select(self.driver.find_element(By.ID, "type")).select_by_value("quyet-dinh")
        self.driver.find_element(By.ID, "subject").send_keys(SUBJECT)
        Select(self.driver.find_element(By.ID, "urgency")).select_by_value("khan")
        self.driver.find_element(By.ID, f"recipient-{B}").click()
        self.driver.find_element(By.ID, "files").send_keys(self.pdf("quyet-dinh-nang-bac-luong.pdf", "quyet dinh nang bac luong"))
        self.shot("draft-form", "#draft")
        status = self.click_and_wait(self.driver.find_element(By.ID, "create-draft"))
        self.shot("drafted")
        expect(status == 200 and re.fullmatch(r"/van-ban/[0-9a-f-]{36}\?notice=drafted", self.path() or ""),
               f"the draft form led to {self.path()} ({status}): {self.text('.error-summary')!r}")
        self.document = urlparse(self.driver.current_url).path
        expect(self.status() == "drafting", f"status {self.status()!r}, expected 'drafting'")
        expect(self.text("#document-subject") == SUBJECT, f"subject {self.text('#document-subject')!r}")
        status = self.take(self.document, "submit", "submitted")
        expect(status == "reviewing", f"after submit: {status!r}")
        return self.document

    def step_head_approves(self):
        self.officer(HEAD, "head-signed-in")
        status = self.take(self.document, "approve", "head-approved", note="Đồng ý, trình lãnh đạo Sở.")
        expect(status == "approving", f"after the head's approval: {status!r}")

    def step_leader_signs(self):
        self.officer(LEADER, "leader-signed-in")
        status = self.take(self.document, "approve", "leader-signed", pins={"pin": self.demo_pin(LEADER)})
        expect(status == "issuing", f"after the leader's approval: {status!r}")
        signed = self.driver.find_elements(By.CSS_SELECTOR, "ul.files li[data-signed='true'][data-current='true']")
        expect(signed, f"no current signed file after the leader's approval: {self.snippet('ul.files', 600)!r}")

    def step_clerk_issues(self):
        self.officer(CLERK, "clerk-signed-in")
        status = self.take(self.document, "issue", "issued", pins={"seal-pin": self.demo_pin(f"seal.{A}")})
        expect(status == "issued", f"after issuance: {status!r}")
        notation = self.text("#document-notation")
        expect(notation == NOTATION, f"notation {notation!r}, expected {NOTATION!r}")
        rows = self.driver.find_elements(By.CSS_SELECTOR, f"table#recipients tr[data-code='{B}']")
        expect(rows and rows[0].get_attribute("data-status-code") == "01",
               f"B's row in the recipients: {self.snippet('table#recipients', 600)!r}")
        # The outgoing register book lists it under its number.
        self.open("/van-ban")
        status = self.click_and_wait(self.driver.find_element(By.ID, "registers"))
        self.shot("register-book", "table#register")
        first = [c.text.strip() for c in self.driver.find_elements(By.CSS_SELECTOR, "table#register tbody tr:first-child td")]
        expect(status == 200 and first[:1] == [NOTATION] and SUBJECT in first[2], f"the register book's first line: {first} ({status})")
        return notation

    def step_b_registers(self):
        self.officer(B_CLERK, "b-clerk-signed-in")
        status = self.click_and_wait(self.nav_link("Văn bản"))
        expect(status == 200, f"the menu answered {status}")
        tabs = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "nav.tabs a") if a.text.strip() == "Văn bản đến"]
        expect(tabs, "no 'Văn bản đến' tab on /van-ban")
        self.click_and_wait(tabs[0])
        box = self.driver.find_element(By.ID, "q")
        box.send_keys(SEARCH)
        status = self.click_and_wait(box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
        self.shot("b-incoming-box", "table.documents")
        expect(status == 200 and "box=incoming" in (self.path() or ""), f"the search led to {self.path()} ({status})")
        links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "table.documents a") if a.text.strip() == SUBJECT]
        expect(len(links) == 1, f"{SEARCH!r} found {len(links)} documents in B's incoming box: {self.snippet('main', 800)!r}")
        self.click_and_wait(links[0])
        self.incoming = urlparse(self.driver.current_url).path
        expect(self.incoming != self.document and self.status() == "registering",
               f"B's copy at {self.incoming}, status {self.status()!r}")
        expect(self.field("Số, ký hiệu văn bản đến") == NOTATION, f"sender's notation {self.field('Số, ký hiệu văn bản đến')!r}")
        files = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "ul.files a")]
        expect(any(name.endswith(".xml") for name in files) and any(name.endswith(".pdf") for name in files),
               f"B's copy has the files {files}: expected the signed PDF and the edXML message")
        # One click: nothing to type.
        status = self.take(self.incoming, "register", "b-registered")
        expect(status == "assigning", f"after registration: {status!r}")
        number = self.text("#arrival-number")
        expect(number == "1", f"arrival number {number!r}, expected '1'")
        return f"arrival number {number}; files {files}"

    def step_b_assigns(self):
        self.officer(B_LEADER, "b-leader-signed-in")
        due = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
        status = self.take(self.incoming, "assign", "b-assigned", note="Đề nghị phòng nghiên cứu, có ý kiến.", lead=B_HANDLER, due=due)
        expect(status == "handling", f"after assignment: {status!r}")
        handler = self.field("Người đang xử lý")
        expect(handler == "Đặng Thị Mai Phương", f"handled by {handler!r}")
        # The leader's dashboard counts it: one incoming document of Sở Tư pháp, electronic, still open.
        status = self.click_and_wait(self.nav_link("Văn bản"))
        status = self.click_and_wait(self.driver.find_element(By.ID, "dashboard"))
        self.shot("b-dashboard", "table#units")
        cells = [c.text.strip() for c in self.driver.find_elements(By.CSS_SELECTOR, f"table#units tr[data-code='{B}'] td")]
        expect(status == 200 and cells[1:3] == ["1", "1"], f"the dashboard's row for {B}: {cells} ({status})")
        return f"dashboard: {cells}"

    def step_b_completes(self):
        self.officer(B_HANDLER, "b-handler-signed-in")
        status = self.take(self.incoming, "complete", "b-completed", note=RESULT_NOTE)
        expect(status == "done", f"after completion: {status!r}")

    def step_a_sees_done(self):
        self.officer(DRAFTER, "drafter-again")
        self.open_document(self.document)
        self.shot("a-sees-done", "table#recipients")
        rows = self.driver.find_elements(By.CSS_SELECTOR, f"table#recipients tr[data-code='{B}']")
        expect(rows and rows[0].get_attribute("data-status-code") == "06" and "Đã xử lý xong" in rows[0].text,
               f"B's row on A's document: {self.snippet('table#recipients', 600)!r}")
        return squash(rows[0].text)

    def step_b_digitises(self):
        self.officer(B_CLERK, "b-clerk-again")
        self.open("/van-ban?box=incoming")
        status = self.click_and_wait(self.driver.find_element(By.ID, "digitise"))
        expect(status == 200 and self.path() == "/van-ban/so-hoa", f"'Số hóa văn bản giấy' led to {self.path()} ({status})")
        self.driver.find_element(By.ID, "scan").send_keys(self.scan_pdf("cong-van-hoi-nghi.pdf", SCAN_TEXT))
        status = self.click_and_wait(self.driver.find_element(By.ID, "upload-scans"))
        self.shot("scan-uploaded")
        expect(status == 200 and self.path() == "/van-ban?box=incoming&notice=1" and "Đã tiếp nhận 1 bản quét." in (self.text(".notice") or ""),
               f"the upload led to {self.path()} ({status}): {self.text('.error-summary') or self.text('.notice')!r}")
        # The server's OCR job reads it in the background: the search finds it by words of its text once it has.
        deadline = time.monotonic() + OCR_WAIT_SECONDS
        while True:
            self.open(f"/van-ban?box=incoming&q={SCAN_SEARCH.replace(' ', '+')}")
            links = self.driver.find_elements(By.CSS_SELECTOR, "table.documents a")
            if links or time.monotonic() > deadline:
                break
            time.sleep(3)
        self.shot("scan-found", "table.documents")
        expect(len(links) == 1, f"{SCAN_SEARCH!r} found {len(links)} documents after {OCR_WAIT_SECONDS} s")
        self.click_and_wait(links[0])
        ocr = self.driver.find_elements(By.ID, "ocr-status")
        expect(ocr and ocr[0].get_attribute("data-status") == "done" and self.status() == "registering",
               f"the scan's page: OCR {ocr[0].text if ocr else None!r}, status {self.status()!r}")
        return squash(ocr[0].text)

    def run(self):
        steps = [
            ("1 A's specialist drafts a decision with its PDF for B, and submits it", self.step_draft),
            ("2 A's head of division approves", self.step_head_approves),
            ("3 A's leader approves and signs with the PIN", self.step_leader_signs),
            ("4 A's clerk issues it: number and notation, seal, sent", self.step_clerk_issues),
            ("5 B's clerk finds it by an accent-free search, with its edXML, and registers it in one click", self.step_b_registers),
            ("6 B's leader assigns a handler with a due day", self.step_b_assigns),
            ("7 B's handler closes it with the result", self.step_b_completes),
            ("8 A sees B's status: done", self.step_a_sees_done),
            ("9 B's clerk digitises a paper letter; OCR makes it findable by its words", self.step_b_digitises),
            ("10 no critical or serious axe-core violation on the pages visited", self.step_accessibility),
        ]
        for title, step in steps:
            self.check(title, step)
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return self.failed == 0


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    journey = DocumentsJourney(sys.argv[1], sys.argv[2], os.environ.get("EGOV_BROWSER_ARTIFACTS", "."))
    try:
        return 0 if journey.run() else 1
    finally:
        journey.quit()


if __name__ == "__main__":
    sys.exit(main())
