@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14's pages: the draft form, the document's page and its action forms go through the same rules as the
/// API; whoever acted on a document follows it; bad input is answered on the page and stores nothing.
@Suite("Documents: browser pages")
struct DocumentPagesTests {
    static let justice = DocumentsTests.justice

    /// `/van-ban/<uuid>` from a redirect's Location.
    static func documentPath(_ response: TestingHTTPResponse) throws -> String {
        let location = try #require(response.headers.first(name: .location))
        return String(try #require(location.split(separator: "?").first))
    }

    @Test("a draft from the form, submitted and reviewed through the page's forms; the reviewer still reads it afterwards",
          arguments: TestDatabase.enabled)
    func draftAndReview(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let drafter = egov.browser()
            #expect(try await drafter.signIn("chuyenvien.snv").status == .seeOther)
            let form = try await drafter.get("/van-ban/soan-thao")
            #expect(form.status == .ok && form.body.string.contains(#"id="recipient-\#(Self.justice)""#))
            let pdf = (field: "files", name: "du-thao.pdf", type: "application/pdf", bytes: TestPDF.make())

            // A wrong code among the other recipients: the form again, with the reason, and nothing stored.
            let before = try await DocumentModel.query(on: egov.app.db).count()
            let refused = try await drafter.post("/van-ban/soan-thao", form: [
                "type": "quyet-dinh", "subject": "Quyết định thử", "recipients[]": Self.justice, "others": "khong-phai-ma",
            ], file: pdf)
            #expect(refused.status == .badRequest && refused.body.string.contains("error-summary"), "\(refused.status)")
            #expect(refused.body.string.contains("Quyết định thử"), "the subject typed is kept")
            #expect(try await DocumentModel.query(on: egov.app.db).count() == before)

            let created = try await drafter.post("/van-ban/soan-thao", form: [
                "type": "quyet-dinh", "subject": "Quyết định nâng bậc lương", "recipients[]": Self.justice, "urgency": "khan",
            ], file: pdf)
            #expect(created.status == .seeOther, "\(created.body.string.prefix(400))")
            let path = try Self.documentPath(created)
            let page = try await drafter.get(path)
            #expect(page.status == .ok && page.body.string.contains(#"data-status="drafting""#))
            #expect(page.body.string.contains(#"id="action-submit""#) && page.body.string.contains("du-thao.pdf"))
            #expect(try await drafter.post(path + "/thao-tac/submit", form: [:]).status == .seeOther)

            let head = egov.browser()
            #expect(try await head.signIn("truongphong.snv").status == .seeOther)
            #expect(try await head.get(path).body.string.contains(#"id="action-approve""#))
            // Out of turn: the page again, with the reason; nothing moves.
            let early = try await head.post(path + "/thao-tac/issue", form: [:])
            #expect(early.status == .conflict && early.body.string.contains("error-summary"))
            #expect(try await head.post(path + "/thao-tac/approve", form: ["note": "Đồng ý."]).status == .seeOther)
            // The head of division no longer holds it, reads no documents at Sở Nội vụ itself, and still follows it.
            let after = try await head.get(path)
            #expect(after.status == .ok && after.body.string.contains(#"data-status="approving""#), "\(after.status)")
            #expect(!after.body.string.contains(#"id="action-"#))
            let list = try await head.get("/van-ban?box=outgoing&q=nang+bac")
            #expect(list.body.string.contains("Quyết định nâng bậc lương"))
            let api = try await egov.send(.GET, "/api/v1/documents/\(path.split(separator: "/").last ?? "")", token: try await egov.login("truongphong.snv"))
            #expect(api.status == .ok)

            // Another department's officer: not found, on the page as in the API.
            let stranger = egov.browser()
            #expect(try await stranger.signIn("lanhdao.stp").status == .seeOther)
            #expect(try await stranger.get(path).status == .notFound)
            #expect(try await stranger.post(path + "/thao-tac/approve", form: [:]).status == .notFound)
            // An officer who drafts nowhere gets no draft form.
            let counter = egov.browser()
            #expect(try await counter.signIn("motcua.quay1").status == .seeOther)
            #expect(try await counter.get("/van-ban/soan-thao").status == .forbidden)
        }
    }

    @Test("an assignment's form: the lead handler first, then the co-handlers; the due day ends at its last second; a wrong day is refused")
    func assignmentForm() throws {
        let form = DocumentPage.ActionForm(note: "", lead: "a", coHandlers: ["b", "a", ""], dueDate: "2026-10-20")
        let input = try form.input(for: "assign")
        #expect(input.assignees == ["a", "b"] && input.note == nil)
        let day = try #require(CivilDate(year: 2026, month: 10, day: 20))
        #expect(input.dueAt == WorkingDayCalendar().startOfDay(day).addingTimeInterval(86_399))
        // Nobody named: the unit's default handler (no assignees at all).
        #expect(try DocumentPage.ActionForm(lead: "").input(for: "assign").assignees == nil)
        // Other actions take no assignees or due day, whatever the form sends.
        let approve = try form.input(for: "approve")
        #expect(approve.assignees == nil && approve.dueAt == nil)
        for day in ["2026-13-45", "99999-01-01", "x"] {
            #expect(throws: EGovError.self) { try DocumentPage.ActionForm(dueDate: day).input(for: "assign") }
        }
    }

    @Test("the register book as a page to print and as a CSV download, for those who read the unit's documents",
          arguments: TestDatabase.enabled)
    func registerBook(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            func call(_ path: String, as user: String, json: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
            }
            let sent = try await call("", as: "chuyenvien.snv", json: DocumentsTests.draftJSON()).content.decode(DocumentsTests.Document.self)
            for (action, user, json) in [("submit", "chuyenvien.snv", "{}"), ("approve", "truongphong.snv", "{}"),
                                         ("approve", "lanhdao.snv", try DocumentsTests.pins(egov, leader: "lanhdao.snv")),
                                         ("issue", "vanthu.snv", try DocumentsTests.pins(egov, seal: DocumentsTests.interior))] {
                #expect(try await call("/\(sent.id)/actions/\(action)", as: user, json: json).status == .ok, "\(action)")
            }
            let clerk = egov.browser()
            #expect(try await clerk.signIn("vanthu.snv").status == .seeOther)
            let page = try await clerk.get("/van-ban/so-van-ban")
            #expect(page.status == .ok && page.body.string.contains("01/QĐ-SNV") && page.body.string.contains("Quyết định nâng bậc lương năm 2026"))
            #expect(page.body.string.contains(#"href="/van-ban/so-van-ban.csv?book=outgoing&amp;unit=000.00.01.H99"#))
            let csv = try await clerk.get("/van-ban/so-van-ban.csv?book=outgoing&unit=000.00.01.H99")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv" && csv.body.string.contains("\"01/QĐ-SNV\""))
            // Its incoming book at Sở Tư pháp is empty until registered; another body's book is not theirs.
            #expect(try await clerk.get("/van-ban/so-van-ban?unit=000.00.03.H99&book=incoming").status == .notFound)
            #expect(try await clerk.get("/van-ban/so-van-ban?book=nothing").status == .notFound)
            #expect(try await clerk.get("/van-ban/so-van-ban?year=99999").status == .badRequest)
        }
    }
}
