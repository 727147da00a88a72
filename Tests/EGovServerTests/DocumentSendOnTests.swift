@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §1: an incoming document that is not the unit's to handle is sent on by its leader to other bodies of
/// the installation (chuyển đơn vị khác xử lý): each gets its own copy to register, whose statuses come back.
@Suite("Documents: sending an incoming document on")
struct DocumentSendOnTests {
    typealias Document = DocumentsTests.Document
    typealias Items = DocumentsTests.Items
    typealias Action = DocumentsTests.Action
    static let justice = DocumentsTests.justice
    static let commune = "000.00.31.H99" // Phường Bến Thủy

    @Test("Sở Tư pháp's leader sends a registered document on to the ward, with a reason: the ward's clerk registers its copy, with the files and the sender as they came; Sở Tư pháp sees the ward's status, the sender sees 05; a recall reaches the ward's copy too; bodies outside the list, its own, and one that already has it are refused",
          arguments: TestDatabase.enabled)
    func sendOn(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await DocumentRecallTests.call(egov, method, path, as: user, json: json)
            }
            func copy(of id: UUID, at unit: String) async throws -> DocumentModel? {
                try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == id).filter(\.$draftingUnitCode == unit).first()
            }
            let sent = try await DocumentRecallTests.issue(egov)
            let incoming = try #require(try await copy(of: sent, at: Self.justice)?.requireID())
            #expect(try await call(.POST, "/\(incoming)/actions/register", as: "vanthu.stp", json: "{}").status == .ok)
            let offered = try await call(.GET, "/\(incoming)/actions", as: "lanhdao.stp").content.decode(Items<Action>.self).items.map(\.id)
            #expect(offered.contains("send-on") && offered.contains("assign"))

            // The bodies it goes to: named, 1 to 20, other receiving bodies of the installation; a reason; send-on only.
            for (json, status) in [(#"{"note":"Chuyển."}"#, HTTPResponseStatus.badRequest),
                                   (#"{"note":"Chuyển.","recipientCodes":[]}"#, .badRequest),
                                   (#"{"note":"Chuyển.","recipientCodes":["\#(Self.justice)"]}"#, .badRequest),
                                   (#"{"note":"Chuyển.","recipientCodes":["000.00.00.G22"]}"#, .badRequest),
                                   (#"{"note":"Chuyển.","recipientCodes":["\#(Self.commune)","\#(Self.commune)"]}"#, .badRequest),
                                   (#"{"recipientCodes":["\#(Self.commune)"]}"#, .badRequest)] {
                let refused = try await call(.POST, "/\(incoming)/actions/send-on", as: "lanhdao.stp", json: json)
                #expect(refused.status == status, "\(json): \(refused.body.string)")
            }
            #expect(try await call(.POST, "/\(incoming)/actions/assign", as: "lanhdao.stp",
                                   json: #"{"recipientCodes":["\#(Self.commune)"]}"#).status == .badRequest)
            #expect(try await call(.POST, "/\(incoming)/actions/send-on", as: "vanthu.stp",
                                   json: #"{"note":"Chuyển.","recipientCodes":["\#(Self.commune)"]}"#).status == .forbidden)
            #expect(try await copy(of: incoming, at: Self.commune) == nil)

            let done = try await call(.POST, "/\(incoming)/actions/send-on", as: "lanhdao.stp",
                                      json: #"{"note":"Nội dung thuộc thẩm quyền của phường.","recipientCodes":["\#(Self.commune)"]}"#)
            #expect(done.status == .ok, "\(done.body.string)")
            var forwarded = try await call(.GET, "/\(incoming)", as: "lanhdao.stp").content.decode(Document.self)
            #expect(forwarded.step == "sent-on" && forwarded.status == "sent-on")
            #expect(forwarded.recipients.map(\.code) == [Self.commune] && forwarded.recipients.map(\.statusCode) == ["01"])

            // The ward's copy: at its clerk, with the files and the sender as they came; registered, Sở Tư pháp sees 03.
            let wardCopy = try #require(try await copy(of: incoming, at: Self.commune))
            let original = try #require(try await DocumentModel.find(incoming, on: egov.app.db))
            #expect(wardCopy.stepID == "registration" && wardCopy.senderCode == original.senderCode)
            #expect(wardCopy.senderNotation == original.senderNotation && wardCopy.subject == original.subject)
            #expect(wardCopy.edXMLDocumentID == original.edXMLDocumentID)
            let wardID = try wardCopy.requireID()
            let files = try await call(.GET, "/\(wardID)", as: "vanthu.benthuy").content.decode(Document.self).files.map(\.name)
            let originalFiles = try await DocumentFileModel.query(on: egov.app.db).filter(\.$documentID == incoming).filter(\.$current == true).all()
            #expect(Set(files) == Set(originalFiles.map(\.name)))
            #expect(try await call(.GET, "/\(wardID)", as: "vanthu.stp").status == .notFound)
            #expect(try await call(.POST, "/\(wardID)/actions/register", as: "vanthu.benthuy", json: "{}").status == .ok)
            forwarded = try await call(.GET, "/\(incoming)", as: "lanhdao.stp").content.decode(Document.self)
            #expect(forwarded.recipients.map(\.statusCode) == ["03"])
            let sender = try await call(.GET, "/\(sent)", as: "chuyenvien.snv").content.decode(Document.self)
            #expect(sender.recipients.map(\.statusCode) == ["05"])
            // Nothing more to do with it at Sở Tư pháp.
            #expect(try await call(.GET, "/\(incoming)/actions", as: "lanhdao.stp").content.decode(Items<Action>.self).items.isEmpty)
            // The sender recalls it: the ward's copy is asked too, and the ward's answer comes back to Sở Tư pháp.
            #expect(try await call(.POST, "/\(sent)/actions/recall", as: "lanhdao.snv", json: #"{"note":"Ban hành nhầm đối tượng."}"#).status == .ok)
            #expect(try await DocumentModel.find(incoming, on: egov.app.db)?.stepID == "recall-review")
            #expect(try await DocumentModel.find(wardID, on: egov.app.db)?.stepID == "recall-review")
            #expect(try await call(.POST, "/\(wardID)/actions/accept-recall", as: "vanthu.benthuy", json: "{}").status == .ok)
            forwarded = try await call(.GET, "/\(incoming)", as: "lanhdao.stp").content.decode(Document.self)
            #expect(forwarded.recipients.map(\.statusCode) == ["15"] && forwarded.step == "recall-review")

            // A body that already has the document, delivered by another route, is refused, and nothing changes.
            let both = try await DocumentRecallTests.issue(egov, subject: "Công văn về việc rà soát văn bản", recipients: [Self.justice, Self.commune])
            let atJustice = try #require(try await copy(of: both, at: Self.justice)?.requireID())
            #expect(try await call(.POST, "/\(atJustice)/actions/register", as: "vanthu.stp", json: "{}").status == .ok)
            let twice = try await call(.POST, "/\(atJustice)/actions/send-on", as: "lanhdao.stp",
                                       json: #"{"note":"Chuyển.","recipientCodes":["\#(Self.commune)"]}"#)
            #expect(twice.status == .conflict, "\(twice.body.string)")
            #expect(try await copy(of: atJustice, at: Self.commune) == nil)
            #expect(try await DocumentModel.find(atJustice, on: egov.app.db)?.stepID == "assignment")

            // The page offers the bodies as checkboxes, and sends it on from the form.
            let browser = egov.browser()
            #expect(try await browser.signIn("lanhdao.stp").status == .seeOther)
            let page = try await browser.get("/van-ban/\(atJustice)").body.string
            #expect(page.contains(#"id="action-send-on-unit-000.00.04.H99""#))
            #expect(!page.contains(#"id="action-send-on-unit-\#(Self.justice)""#))
            let posted = try await browser.post("/van-ban/\(atJustice)/thao-tac/send-on", form: [
                "note": "Thuộc lĩnh vực xây dựng.", "units[]": "000.00.04.H99",
            ])
            #expect(posted.status == .seeOther, "\(posted.body.string.prefix(500))")
            #expect(try await copy(of: atJustice, at: "000.00.04.H99") != nil)
        }
    }
}
