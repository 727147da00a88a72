@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §10: an update (cập nhật, edXML BussinessDocType 2) of a document received from elsewhere. The copy
/// goes to the clerk, who agrees (15: it takes the message's subject, content, urgency and files, the earlier files
/// kept as versions) or refuses (16); either way it goes back where it was and the sender hears the answer.
@Suite("Documents: updates from elsewhere")
struct DocumentUpdateTests {
    struct Copy: Decodable {
        let id: UUID
        let step, subject, urgency: String
        struct File: Decodable { let name: String; let current: Bool }
        let files: [File]
        struct Event: Decodable { let action: String; let note: String? }
        let history: [Event]
    }

    static func message(_ number: Int, subject: String, urgency: DocumentUrgency = .normal, attachment: String?,
                        business: EdXMLWriter.Business = .init()) throws -> String {
        let notation = try DocumentNotation(number: number, typeAbbreviation: nil, issuer: "VPCP", draftingUnit: "TTĐT")
        var message = EdXMLWriter.Message(
            from: .init(code: DocumentRecallTests.government, name: "Văn phòng Chính phủ"), to: [.init(code: DocumentsTests.justice, name: "Sở Tư pháp")],
            notation: notation, promulgatedAt: TestInstallation.start, place: "Hà Nội", typeCode: 1, typeName: "Công văn",
            subject: subject, content: "Nội dung \(subject)", signerName: nil, dueDate: nil, urgency: urgency,
            attachments: attachment.map { [EdXMLWriter.Attachment(name: $0, contentType: "application/pdf", data: Data(TestPDF.make()))] } ?? [])
        message.business = business
        return EdXMLWriter.write(message, sentAt: TestInstallation.start)
    }

    @Test("an update goes to the clerk with its reason and registers nothing; agreed, the copy takes its subject, urgency and files (the earlier kept) and the sender hears 15; a second update refused with a reason, 16, nothing changes; an update while one waits, or of a recalled copy, is refused",
          arguments: TestDatabase.enabled)
    func update(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let clerk = try await egov.login("vanthu.stp")
            func post(_ xml: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: clerk, bytes: Array(xml.utf8),
                                    contentType: HTTPMediaType(type: "application", subType: "xml"))
            }
            func read(_ id: UUID) async throws -> Copy {
                try await egov.send(.GET, "/api/v1/documents/\(id)", token: clerk).content.decode(Copy.self)
            }
            func act(_ id: UUID, _ action: String, _ json: String = "{}") async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/\(id)/actions/\(action)", token: clerk, json: json)
            }
            let registered = try await post(try Self.message(40, subject: "Công văn về việc tổ chức hội nghị", attachment: "cong-van.pdf"))
            #expect(registered.status == .created, "\(registered.body.string)")
            let id = try registered.content.decode(Copy.self).id
            let count = try await DocumentModel.query(on: egov.app.db).count()
            let update = { (subject: String, attachment: String?, reason: String) in
                try Self.message(40, subject: subject, urgency: .urgent, attachment: attachment, business: .init(kind: .update, reason: reason))
            }

            let asked = try await post(try update("Công văn về việc tổ chức hội nghị tổng kết năm 2026", "cong-van-sua-doi.pdf", "Bổ sung thời gian"))
            #expect(asked.status == .ok, "\(asked.body.string)")
            var copy = try asked.content.decode(Copy.self)
            #expect(copy.id == id && copy.step == "update-review" && copy.subject == "Công văn về việc tổ chức hội nghị")
            #expect(copy.history.last?.action == "update" && copy.history.last?.note == "Bổ sung thời gian")
            #expect(try await DocumentModel.query(on: egov.app.db).count() == count)
            // While it waits, another update (or a recall) is refused; the clerk answers with the actions offered.
            #expect(try await post(try update("Khác", nil, "Lần hai")).status == .conflict)
            let offered = try await egov.send(.GET, "/api/v1/documents/\(id)/actions", token: clerk).content.decode(DocumentsTests.Items<DocumentsTests.Action>.self)
            #expect(offered.items.map(\.id) == ["accept-update", "refuse-update"])

            #expect(try await act(id, "accept-update").status == .ok)
            copy = try await read(id)
            #expect(copy.step == "assignment" && copy.subject == "Công văn về việc tổ chức hội nghị tổng kết năm 2026" && copy.urgency == "khan")
            #expect(Set(copy.files.filter(\.current).map(\.name)) == ["cong-van-sua-doi.pdf", "edxml-40.xml"])
            #expect(copy.files.contains { $0.name == "cong-van.pdf" && !$0.current })
            let accepted = try #require(try await StatusMessageRow.query(on: egov.app.db).filter(\.$statusCode == "15").first())
            #expect(accepted.recipientCode == DocumentRecallTests.government && accepted.edXML.contains("Đồng ý cập nhật"))
            // Found by its new words.
            let found = try await egov.send(.GET, "/api/v1/documents?box=incoming&q=tong+ket+nam+2026", token: clerk)
                .content.decode(DocumentSearchTests.Page.self)
            #expect(found.items.map(\.id) == [id])

            // A second update, refused with a reason: back where it was, nothing of it taken.
            #expect(try await post(try update("Nội dung sai", nil, "Sửa lần hai")).status == .ok)
            #expect(try await act(id, "refuse-update").status == .badRequest)
            #expect(try await act(id, "refuse-update", #"{"note":"Nội dung cập nhật không đúng thẩm quyền."}"#).status == .ok)
            copy = try await read(id)
            #expect(copy.step == "assignment" && copy.subject == "Công văn về việc tổ chức hội nghị tổng kết năm 2026")
            #expect(try await StatusMessageRow.query(on: egov.app.db).filter(\.$statusCode == "16").first()?.edXML.contains("Từ chối cập nhật") == true)

            // A recalled copy takes no update.
            #expect(try await post(try Self.message(40, subject: "x", attachment: nil, business: .init(kind: .recall, reason: "Thu hồi"))).status == .ok)
            #expect(try await act(id, "accept-recall").status == .ok)
            #expect(try await post(try update("Sau thu hồi", nil, "Muộn")).status == .conflict)
            // A bad attachment in an update is refused before anything changes.
            let other = try await post(try Self.message(41, subject: "Công văn khác", attachment: nil))
            let otherID = try other.content.decode(Copy.self).id
            let badName = try update("Khác", "tep.exe", "x").replacingOccurrences(of: "<edXML:DocumentId>000.00.00.G22,2026/09/21,40/", with: "<edXML:DocumentId>000.00.00.G22,2026/09/21,41/")
            #expect(try await post(badName).status == .badRequest)
            #expect(try await read(otherID).step == "assignment")
        }
    }

    @Test("the issuing body updates an issued document's subject with a reason: its copy here goes to the clerk, who agrees (the copy takes the new subject, its files stay; the sender sees 15); an organ elsewhere gets the update message; the drafter may not, and an update says what it changes",
          arguments: TestDatabase.enabled)
    func send(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await DocumentRecallTests.call(egov, method, path, as: user, json: json)
            }
            let sent = try await DocumentRecallTests.issue(egov, recipients: [DocumentsTests.justice, DocumentRecallTests.government])
            let copyID = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == sent).first()?.requireID())
            #expect(try await call(.POST, "/\(copyID)/actions/register", as: "vanthu.stp", json: "{}").status == .ok)
            let filesBefore = try await call(.GET, "/\(copyID)", as: "vanthu.stp").content.decode(Copy.self).files.filter(\.current).map(\.name)

            let subject = "Quyết định nâng bậc lương năm 2026 (đính chính đối tượng)"
            for (user, json, status) in [("chuyenvien.snv", #"{"note":"Đính chính.","changes":{"subject":"x"}}"#, HTTPResponseStatus.forbidden),
                                         ("lanhdao.snv", #"{"changes":{"subject":"x"}}"#, .badRequest),
                                         ("lanhdao.snv", #"{"note":"Đính chính."}"#, .badRequest),
                                         ("lanhdao.snv", #"{"note":"Đính chính.","changes":{"subject":"  "}}"#, .badRequest)] {
                let refused = try await call(.POST, "/\(sent)/actions/update", as: user, json: json)
                #expect(refused.status == status, "\(user) \(json): \(refused.body.string)")
            }
            #expect(try await call(.POST, "/\(sent)/actions/recall", as: "lanhdao.snv",
                                   json: #"{"note":"x","changes":{"subject":"x"}}"#).status == .badRequest)
            let updated = try await call(.POST, "/\(sent)/actions/update", as: "lanhdao.snv",
                                         json: #"{"note":"Đính chính đối tượng áp dụng.","changes":{"subject":"\#(subject)"}}"#)
            #expect(updated.status == .ok, "\(updated.body.string)")
            let document = try await call(.GET, "/\(sent)", as: "chuyenvien.snv").content.decode(DocumentsTests.Document.self)
            #expect(document.subject == subject && document.status == "issued")
            #expect(Dictionary(uniqueKeysWithValues: document.recipients.map { ($0.code, $0.statusCode) })
                    == [DocumentsTests.justice: "13", DocumentRecallTests.government: "13"])
            let outbox = try #require(try await StatusMessageRow.query(on: egov.app.db).filter(\.$statusCode == "13").first())
            #expect(outbox.recipientCode == DocumentRecallTests.government)
            #expect(outbox.edXML.contains("<edXML:BussinessDocType>2</edXML:BussinessDocType>") && outbox.edXML.contains("đính chính đối tượng"))

            var copy = try await call(.GET, "/\(copyID)", as: "vanthu.stp").content.decode(Copy.self)
            #expect(copy.step == "update-review" && copy.history.last?.note == "Đính chính đối tượng áp dụng.")
            #expect(try await call(.POST, "/\(copyID)/actions/accept-update", as: "vanthu.stp", json: "{}").status == .ok)
            copy = try await call(.GET, "/\(copyID)", as: "vanthu.stp").content.decode(Copy.self)
            #expect(copy.step == "assignment" && copy.subject == subject)
            #expect(Set(copy.files.filter(\.current).map(\.name)).isSuperset(of: filesBefore.filter { !$0.hasPrefix("edxml-") }))
            #expect(copy.files.filter { $0.current && $0.name.hasPrefix("edxml-") }.count == 1)
            let after = try await call(.GET, "/\(sent)", as: "chuyenvien.snv").content.decode(DocumentsTests.Document.self)
            #expect(after.recipients.first { $0.code == DocumentsTests.justice }?.statusCode == "15")

            // The page's form, filled with the present subject and content.
            let browser = egov.browser()
            #expect(try await browser.signIn("lanhdao.snv").status == .seeOther)
            let page = try await browser.get("/van-ban/\(sent)").body.string
            #expect(page.contains(#"id="action-update-subject""#) && page.contains(subject))
            let posted = try await browser.post("/van-ban/\(sent)/thao-tac/update", form: [
                "note": "Đính chính lần hai.", "newSubject": "Quyết định nâng bậc lương năm 2026 (lần hai)", "newBody": "",
            ])
            #expect(posted.status == .seeOther, "\(posted.body.string.prefix(500))")
            #expect(try await DocumentModel.find(sent, on: egov.app.db)?.subject == "Quyết định nâng bậc lương năm 2026 (lần hai)")
        }
    }
}
