#!/usr/bin/env python3
"""Browser journey through the one-stop-shop of Open eGov, in headless Chromium.

    python3 journey_public_services.py BASE_URL DATA_DIR

BASE_URL is a running server started on a fresh DATA_DIR with the demo pack (see run.sh); it may
already have run journey_platform.py. A citizen registers, finds a procedure by an accent-free
search, applies online with an attachment and pays in the sandbox gateway; the Service Centre's
one-stop officer receives the dossier, the department's leader assigns it, the specialist asks for a
supplement; the citizen supplements; the specialist processes, the leader approves with the result
file, the counter returns it; the citizen sees the result and rates it; public tracking shows "done";
the department's statistics count the dossier once, on time.

Prints one line per check ("ok - ..." or "FAIL - ...: reason") and then "N passed, M failed"; exits 1
if any check failed. Screenshots go to $EGOV_BROWSER_ARTIFACTS (default: current dir) as NN-name.png.
"""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey_platform import CheckFailed, Journey, expect  # noqa: E402  (shared browser helpers)

# Not the platform journey's citizen: both journeys may run against the same server.
CITIZEN = {
    "fullName": "Trần Minh Khoa",
    "idNumber": "079088001234",  # Hồ Chí Minh City, man born in 1988
    "phone": "0987654321",
    "email": "minhkhoa.tran@example.com",
    "password": "MatKhau2025",
}
SEARCH = "giay phep kinh doanh van tai"
PROCEDURE_NAME = "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô, bằng xe bốn bánh có gắn động cơ"
PROCEDURE_CODE = "1.000703"
DEPARTMENT = "000.00.04.H99"
FEE = "200.000 đ"
COUNTER, LEADER, SPECIALIST = "motcua.quay1", "lanhdao.sxd", "chuyenvien.sxd"
SPECIALIST_NAME = "Lương Văn Dũng"
SUPPLEMENT_NOTE = "Đề nghị bổ sung quyết định thành lập bộ phận an toàn giao thông."


class OneStopJourney(Journey):
    def __init__(self, base_url, data_dir, artifacts):
        super().__init__(base_url, data_dir, artifacts)
        self.code = None
        self.files = Path(tempfile.mkdtemp(prefix="egov-journey-files-"))

    # -- helpers -------------------------------------------------------------------------------

    def pdf(self, name, text):
        """A small real PDF to upload."""
        path = self.files / name
        path.write_bytes(b"%PDF-1.4\n% " + text.encode("utf-8") + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        return str(path)

    def officer(self, username, shot_name):
        self.sign_in(username, self.demo_password(username), shot_name)

    def citizen(self, shot_name):
        self.sign_in(CITIZEN["idNumber"], CITIZEN["password"], shot_name)

    def dossier_status(self):
        elements = self.driver.find_elements(By.ID, "dossier-status")
        return elements[0].get_attribute("data-status") if elements else None

    def open_dossier(self):
        expect(self.code, "no dossier code from an earlier step")
        status = self.open(f"/ho-so/{self.code}")
        expect(status == 200, f"GET /ho-so/{self.code} answered {status}, page says {self.text('h1')!r}")

    def take(self, action, shot_name, note=None, assignee=None, upload=None, component=None):
        """Takes an action through its form on the dossier page; returns the new status."""
        self.open_dossier()
        forms = self.driver.find_elements(By.ID, f"action-{action}")
        offered = [b.get_attribute("id") for b in self.driver.find_elements(By.CSS_SELECTOR, "button[id^='do-']")]
        expect(forms, f"no form for '{action}' on the dossier page (actions offered: {offered})")
        form = forms[0]
        details = form.find_element(By.XPATH, "./ancestor::details")
        if details.get_attribute("open") is None:
            details.find_element(By.TAG_NAME, "summary").click()
        if note is not None:
            form.find_element(By.NAME, "note").send_keys(note)
        if assignee is not None:
            Select(form.find_element(By.NAME, "assignee")).select_by_value(assignee)
        if upload is not None:
            form.find_element(By.NAME, "file").send_keys(upload)
        if component is not None:
            Select(form.find_element(By.NAME, "component")).select_by_value(component)
        status = self.click_and_wait(form.find_element(By.ID, f"do-{action}"))
        self.shot(shot_name)
        problem = self.text(".error-summary")
        expect(status == 200 and problem is None, f"'{action}' answered {status}: {problem or self.text('h1')!r}")
        return self.dossier_status()

    # -- steps ---------------------------------------------------------------------------------

    def step_register(self):
        self.driver.delete_all_cookies()
        self.open("/register")
        for field, value in CITIZEN.items():
            self.fill(field, value)
        status = self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        expect(self.path() == "/login?registered=1", f"registration landed on {self.path()} ({status}): {self.text('.error-summary')!r}")
        self.citizen("os-citizen-signed-in")

    def step_search(self):
        status = self.click_and_wait(self.nav_link("Thủ tục hành chính"))
        expect(status == 200 and urlparse(self.driver.current_url).path == "/thu-tuc", f"menu led to {self.path()} ({status})")
        self.fill("q", SEARCH)
        self.click_and_wait(self.driver.find_element(By.XPATH, "//main//form//button[normalize-space()='Tìm kiếm']"))
        self.shot("os-search")
        links = [a for a in self.driver.find_elements(By.CSS_SELECTOR, "ul.cards li a") if a.text.strip() == PROCEDURE_NAME]
        found = [a.text.strip() for a in self.driver.find_elements(By.CSS_SELECTOR, "ul.cards li a")]
        expect(links, f"'{SEARCH}' did not find the procedure (found {found[:5]})")
        self.click_and_wait(links[0])
        expect(urlparse(self.driver.current_url).path == f"/thu-tuc/{PROCEDURE_CODE}", f"the result led to {self.path()}")
        expect(FEE in self.text("main"), f"the procedure page does not show the fee {FEE}")
        return f"{len(found)} result(s)"

    def step_submit(self):
        self.click_and_wait(self.driver.find_element(By.ID, "apply"))
        expect(urlparse(self.driver.current_url).path == f"/thu-tuc/{PROCEDURE_CODE}/nop-ho-so", f"'apply' led to {self.path()}")
        prefilled = self.driver.find_element(By.ID, "fullName").get_attribute("value")
        expect(prefilled == CITIZEN["fullName"], f"the name is not pre-filled from the account: {prefilled!r}")
        self.driver.find_element(By.ID, "noiDung").send_keys("Đề nghị cấp giấy phép kinh doanh vận tải hành khách bằng xe ô tô.")
        self.driver.find_element(By.ID, "file-van-bang-nguoi-dieu-hanh").send_keys(self.pdf("van-bang.pdf", "văn bằng"))
        self.shot("os-form")
        status = self.click_and_wait(self.driver.find_element(By.ID, "submit-dossier"))
        self.shot("os-submitted")
        expect(self.path().startswith("/ho-so/") and self.path().endswith("?submitted=1"),
               f"submission landed on {self.path()} ({status}): {self.text('.error-summary')!r}")
        self.code = self.text("#dossier-code")
        expect(self.code and self.code.startswith("000.00.20.H99-"), f"dossier code {self.code!r}")
        expect(self.dossier_status() == "waiting-payment", f"status {self.dossier_status()!r}, expected waiting-payment")
        return self.code

    def step_pay(self):
        self.open_dossier()
        self.click_and_wait(self.driver.find_element(By.ID, "pay-online"))
        self.shot("os-gateway")
        expect("/payment-sandbox/paymentv2/vpcpay.html" in self.driver.current_url, f"'pay' led to {self.path()}")
        amount = self.text("#amount")
        expect(amount == FEE, f"the gateway asks {amount!r}, expected {FEE}")
        self.click_and_wait(self.driver.find_element(By.ID, "pay"))
        self.shot("os-paid")
        result = self.driver.find_elements(By.ID, "payment-result")
        expect(result and result[0].get_attribute("data-paid") == "true",
               f"the return page says {self.text('main')!r} at {self.path()}")
        self.click_and_wait(self.driver.find_element(By.CSS_SELECTOR, "main a.button"))
        expect(self.dossier_status() == "submitted", f"status after paying: {self.dossier_status()!r}")

    def step_receive(self):
        self.officer(COUNTER, "os-counter-signed-in")
        self.click_and_wait(self.nav_link("Xử lý hồ sơ"))
        self.shot("os-counter-queue")
        expect(self.code in self.text("main"), f"the counter's queue does not list {self.code}")
        status = self.take("receive", "os-received")
        expect(status == "received", f"status after 'receive': {status!r}")

    def step_assign(self):
        self.officer(LEADER, "os-leader-signed-in")
        status = self.take("assign", "os-assigned", assignee=SPECIALIST)
        expect(status == "processing", f"status after 'assign': {status!r}")
        handler = self.text("main") or ""
        expect(SPECIALIST_NAME in handler, f"the page does not show the handler {SPECIALIST_NAME}")

    def step_request_supplement(self):
        self.officer(SPECIALIST, "os-specialist-signed-in")
        status = self.take("request-supplement", "os-supplement-requested", note=SUPPLEMENT_NOTE)
        expect(status == "waiting-supplement", f"status after 'request-supplement': {status!r}")

    def step_supplement(self):
        self.citizen("os-citizen-again")
        self.click_and_wait(self.nav_link("Hồ sơ của tôi"))
        self.shot("os-my-dossiers")
        links = self.driver.find_elements(By.LINK_TEXT, self.code)
        expect(links, f"'Hồ sơ của tôi' does not list {self.code}")
        self.click_and_wait(links[0])
        history = self.text("#history") or ""
        expect(SUPPLEMENT_NOTE in history, "the supplement request's note is not in the history")
        status = self.take("supplement", "os-supplemented", upload=self.pdf("quyet-dinh.pdf", "quyết định"),
                           component="quyet-dinh-bo-phan-attgt")
        expect(status == "processing", f"status after 'supplement': {status!r}")

    def step_decide(self):
        self.officer(SPECIALIST, "os-specialist-again")
        status = self.take("process", "os-processed")
        expect(status == "processing", f"status after 'process': {status!r}")
        self.officer(LEADER, "os-leader-again")
        status = self.take("approve", "os-approved", upload=self.pdf("giay-phep.pdf", "giấy phép kinh doanh vận tải"))
        expect(status == "result-ready", f"status after 'approve': {status!r}")
        self.officer(COUNTER, "os-counter-again")
        status = self.take("return-result", "os-returned")
        expect(status == "done", f"status after 'return-result': {status!r}")

    def step_result_and_rating(self):
        self.citizen("os-citizen-result")
        self.open_dossier()
        expect(self.dossier_status() == "done", f"the citizen sees status {self.dossier_status()!r}")
        results = [li.text.strip() for li in self.driver.find_elements(By.CSS_SELECTOR, "ul.files li[data-kind='result']")]
        expect(any("giay-phep.pdf" in r for r in results), f"the result file is not listed (results: {results})")
        for criterion in ("transparency", "guidance", "timeliness", "online", "overall"):
            self.driver.find_element(By.ID, f"score-{criterion}-5").click()
        self.driver.find_element(By.NAME, "comment").send_keys("Thủ tục nhanh gọn, cán bộ hướng dẫn tận tình.")
        self.click_and_wait(self.driver.find_element(By.ID, "send-rating"))
        self.shot("os-rated")
        expect(self.driver.find_elements(By.ID, "send-rating") == [], "the rating form is still offered after rating")
        rating = self.text("#rating") or ""
        expect("5.0 / 5" in rating, f"the page shows the rating as {rating!r}")

    def step_public_tracking(self):
        self.driver.delete_all_cookies()
        self.open("/tra-cuu")
        self.fill("code", self.code)
        status = self.click_and_wait(self.driver.find_element(By.XPATH, "//main//form//button[normalize-space()='Tra cứu']"))
        self.shot("os-tracking")
        tracked = self.driver.find_elements(By.ID, "tracking-status")
        expect(status == 200 and tracked, f"tracking answered {status}: {self.text('main')!r}")
        expect(tracked[0].get_attribute("data-status") == "done", f"tracking shows {tracked[0].text!r}")
        expect(CITIZEN["fullName"] not in self.text("main"), "the public tracking page shows the applicant's name")

    def step_statistics(self):
        self.officer(LEADER, "os-leader-statistics")
        status = self.open(f"/thong-ke?unit={DEPARTMENT}")
        self.shot("os-statistics")
        expect(status == 200, f"the statistics page answered {status}: {self.text('h1')!r}")

        def figure(column):
            cells = self.driver.find_elements(By.CSS_SELECTOR, f"#statistics-total td[data-column='{column}']")
            return cells[0].text.strip() if cells else None

        received, on_time, late = figure("received"), figure("finishedOnTime"), figure("finishedLate")
        expect(received == "1", f"received {received!r}, expected 1")
        expect(on_time == "1" and late == "0", f"finished on time {on_time!r}, late {late!r}")
        csv = self.driver.find_elements(By.CSS_SELECTOR, "main a[href^='/thong-ke.csv']")
        expect(csv, "no CSV download link")
        return "received 1, finished on time 1"

    def run(self):
        steps = [
            ("1 a citizen registers and signs in", self.step_register),
            ("2 finds the procedure by an accent-free search", self.step_search),
            ("3 applies online with an attachment, details pre-filled", self.step_submit),
            ("4 pays the fee in the sandbox gateway", self.step_pay),
            ("5 the Service Centre's counter receives the dossier", self.step_receive),
            ("6 the department's leader assigns it to a specialist", self.step_assign),
            ("7 the specialist asks for a supplement", self.step_request_supplement),
            ("8 the citizen reads the request and supplements", self.step_supplement),
            ("9 processed, approved with the result, returned", self.step_decide),
            ("10 the citizen sees the result and rates the service", self.step_result_and_rating),
            ("11 public tracking shows done, without personal data", self.step_public_tracking),
            ("12 the department's statistics count it once, on time", self.step_statistics),
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
