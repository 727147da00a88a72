@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaporTesting

/// Issue 14 §10: recall (thu hồi) and replacement of an issued document, in edXML's codes: the recipients hear 13
/// and answer 15 (agree) or 16 (refuse), here and by edXML messages from elsewhere.
@Suite("Documents: recall and replacement")
struct DocumentRecallTests {
    typealias Document = DocumentsTests.Document
    typealias Items = DocumentsTests.Items
    typealias Action = DocumentsTests.Action
    static let interior = DocumentsTests.interior
    static let justice = DocumentsTests.justice
    static let government = "000.00.00.G22"

    struct Recall: Decodable {
        struct State: Decodable { let status: String; let reason: String? }
        let id: UUID
        let step, status: String
        let replaces: UUID?
        let recall: State?
        struct Event: Decodable { let action: String; let note: String? }
        let history: [Event]
    }

    /// `method` on `/api/v1/documents` + `path` as `user`.
    static func call(_ egov: TestInstallation, _ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws
        -> TestingHTTPResponse {
        try await egov.send(method, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
    }

    /// Drafts, approves and issues a document of Sở Nội vụ to `recipients`; its id.
    static func issue(_ egov: TestInstallation, subject: String = "Quyết định nâng bậc lương năm 2026", recipients: [String] = [justice],
                      replaces: UUID? = nil) async throws -> UUID {
        func call(_ path: String, as user: String, json: String) async throws -> TestingHTTPResponse {
            try await Self.call(egov, .POST, path, as: user, json: json)
        }
        var draft = DocumentsTests.draftJSON(subject: subject, recipients: recipients)
        if let replaces { draft = String(draft.dropLast()) + #","replaces":"\#(replaces)"}"# }
        let created = try await call("", as: "chuyenvien.snv", json: draft)
        try #require(created.status == .created, "\(created.body.string)")
        let id = try created.content.decode(Document.self).id
        for (action, user, json) in [("submit", "chuyenvien.snv", "{}"), ("approve", "truongphong.snv", "{}"),
                                     ("approve", "lanhdao.snv", try DocumentsTests.pins(egov, leader: "lanhdao.snv")),
                                     ("issue", "vanthu.snv", try DocumentsTests.pins(egov, seal: interior))] {
            let response = try await call("/\(id)/actions/\(action)", as: user, json: json)
            try #require(response.status == .ok, "\(action): \(response.body.string)")
        }
        return id
    }

    @Test("the issuing body recalls an issued document with its reason: each recipient hears 13; here the clerk refuses (16, back where it was) or agrees (15, withdrawn); elsewhere a recall message waits in the outbox",
          arguments: TestDatabase.enabled)
    func recall(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await Self.call(egov, method, path, as: user, json: json)
            }
            func actions(_ id: UUID, _ user: String) async throws -> [String] {
                try await call(.GET, "/\(id)/actions", as: user).content.decode(Items<Action>.self).items.map(\.id)
            }
            func recipients(_ id: UUID) async throws -> [String: String] {
                let document = try await call(.GET, "/\(id)", as: "chuyenvien.snv").content.decode(Document.self)
                return Dictionary(uniqueKeysWithValues: document.recipients.map { ($0.code, $0.statusCode) })
            }
            func copy(of id: UUID) async throws -> UUID {
                try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == id).first()?.requireID())
            }

            let sent = try await Self.issue(egov, recipients: [Self.justice, Self.government])
            let incoming = try await copy(of: sent)
            #expect(try await call(.POST, "/\(incoming)/actions/register", as: "vanthu.stp", json: "{}").status == .ok)
            // The leader and the clerk of the issuing body may recall it; the drafter may not; a reason is needed.
            #expect(try await actions(sent, "lanhdao.snv") == ["recall", "update"])
            #expect(try await actions(sent, "vanthu.snv") == ["recall", "update"])
            #expect(try await actions(sent, "chuyenvien.snv").isEmpty)
            #expect(try await call(.POST, "/\(sent)/actions/recall", as: "chuyenvien.snv", json: #"{"note":"x"}"#).status == .forbidden)
            #expect(try await call(.POST, "/\(sent)/actions/recall", as: "lanhdao.snv", json: "{}").status == .badRequest)
            #expect(try await recipients(sent) == [Self.justice: "03", Self.government: "queued"])

            let reason = "Sai đối tượng áp dụng tại Điều 2."
            let recalled = try await call(.POST, "/\(sent)/actions/recall", as: "lanhdao.snv", json: #"{"note":"\#(reason)"}"#)
            #expect(recalled.status == .ok, "\(recalled.body.string)")
            #expect(try recalled.content.decode(Recall.self).status == "recalled")
            #expect(try await recipients(sent) == [Self.justice: "13", Self.government: "13"])
            #expect(try await actions(sent, "lanhdao.snv").isEmpty)
            // Elsewhere: a recall message (status 13, BussinessDocType 1, the reason, no files) beside the document's own.
            #expect(try await OutboxMessageRow.query(on: egov.app.db).count() == 1)
            let recallRow = try #require(try await StatusMessageRow.query(on: egov.app.db).filter(\.$statusCode == "13").first())
            #expect(recallRow.recipientCode == Self.government && recallRow.documentID == sent)
            let message = recallRow.edXML
            #expect(message.contains("<edXML:BussinessDocType>1</edXML:BussinessDocType>"))
            #expect(message.contains(reason) && !message.contains("<ContentTransferEncoded>") && XMLParser(data: Data(message.utf8)).parse())
            #expect(message.contains("<edXML:DocumentId>000.00.01.H99,2026/10/05,01/QĐ-SNV</edXML:DocumentId>"))

            // Here: the copy is with the clerk, the reason in its history; the leader no longer has it.
            let asked = try await call(.GET, "/\(incoming)", as: "vanthu.stp").content.decode(Recall.self)
            #expect(asked.step == "recall-review" && asked.recall?.status == "requested" && asked.recall?.reason == reason)
            #expect(asked.history.last?.action == "recall" && asked.history.last?.note == reason)
            #expect(try await actions(incoming, "vanthu.stp") == ["accept-recall", "refuse-recall"])
            #expect(try await actions(incoming, "lanhdao.stp").isEmpty)
            // A refusal needs its reason; then the copy goes back to the leader, and the sender sees 16.
            #expect(try await call(.POST, "/\(incoming)/actions/refuse-recall", as: "vanthu.stp", json: "{}").status == .badRequest)
            let kept = try await call(.POST, "/\(incoming)/actions/refuse-recall", as: "vanthu.stp",
                                      json: #"{"note":"Văn bản đã được giao xử lý, đề nghị ban hành văn bản thay thế."}"#).content.decode(Recall.self)
            #expect(kept.step == "assignment" && kept.recall?.status == "refused")
            #expect(try await recipients(sent)[Self.justice] == "16")
            #expect(try await actions(incoming, "lanhdao.stp") == ["assign", "send-on"])

            // A second document, recalled before it is registered: the clerk agrees, the copy is withdrawn, the sender sees 15.
            let second = try await Self.issue(egov, subject: "Quyết định thứ hai")
            let secondCopy = try await copy(of: second)
            #expect(try await call(.POST, "/\(second)/actions/recall", as: "vanthu.snv", json: #"{"note":"Ban hành nhầm."}"#).status == .ok)
            let accepted = try await call(.POST, "/\(secondCopy)/actions/accept-recall", as: "vanthu.stp", json: "{}")
            #expect(accepted.status == .ok, "\(accepted.body.string)")
            let withdrawn = try accepted.content.decode(Recall.self)
            #expect(withdrawn.status == "recalled" && withdrawn.recall?.status == "accepted")
            #expect(try await actions(secondCopy, "vanthu.stp").isEmpty)
            #expect(try await recipients(second) == [Self.justice: "15"])
            // A recalled copy is not numbered in the incoming register.
            #expect(try await DocumentModel.find(secondCopy, on: egov.app.db)?.arrivalNumber == nil)
        }
    }

    @Test("a replacement names an issued document of the same body; issued, it recalls that document, its recipients' copies go to their clerks, and its edXML says replacement with the DocumentId replaced",
          arguments: TestDatabase.enabled)
    func replacement(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await Self.call(egov, method, path, as: user, json: json)
            }
            let first = try await Self.issue(egov)
            let firstCopy = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == first).first()?.requireID())
            #expect(try await call(.POST, "/\(firstCopy)/actions/register", as: "vanthu.stp", json: "{}").status == .ok)

            // Only an issued document of the same issuing body can be replaced.
            let draft = try await call(.POST, "", as: "chuyenvien.snv", json: DocumentsTests.draftJSON()).content.decode(Document.self)
            let notIssued = String(DocumentsTests.draftJSON().dropLast()) + #","replaces":"\#(draft.id)"}"#
            let refused = try await call(.POST, "", as: "chuyenvien.snv", json: notIssued)
            #expect(refused.status == .badRequest && refused.body.string.contains("replaces"), "\(refused.body.string)")
            let otherBody = String(DocumentsTests.draftJSON(recipients: [Self.interior]).dropLast()) + #","replaces":"\#(first)"}"#
            #expect(try await call(.POST, "", as: "chuyenvien.stp", json: otherBody).status == .badRequest)

            let second = try await Self.issue(egov, subject: "Quyết định thay thế Quyết định số 01/QĐ-SNV", replaces: first)
            let replaced = try await call(.GET, "/\(first)", as: "chuyenvien.snv").content.decode(Recall.self)
            #expect(replaced.status == "recalled" && replaced.history.last?.note == "Thay thế bằng văn bản 02/QĐ-SNV")
            let replacing = try await call(.GET, "/\(second)", as: "chuyenvien.snv").content.decode(Recall.self)
            #expect(replacing.replaces == first && replacing.status == "issued")
            // At Sở Tư pháp: the earlier copy waits for the clerk's answer; the new one arrived, naming it.
            let old = try await call(.GET, "/\(firstCopy)", as: "vanthu.stp").content.decode(Recall.self)
            #expect(old.step == "recall-review" && old.recall?.reason == "Thay thế bằng văn bản 02/QĐ-SNV")
            let newCopy = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == second).first()?.requireID())
            let arrived = try await call(.GET, "/\(newCopy)", as: "vanthu.stp").content.decode(Recall.self)
            #expect(arrived.step == "registration" && arrived.replaces == firstCopy)
            let sender = try await call(.GET, "/\(first)", as: "chuyenvien.snv").content.decode(Document.self)
            #expect(sender.recipients.map(\.statusCode) == ["13"])

            let xml = try await call(.GET, "/\(second)/edxml", as: "vanthu.snv").body.string
            #expect(xml.contains("<edXML:BussinessDocType>3</edXML:BussinessDocType>"), "\(xml.prefix(3000))")
            #expect(xml.contains("<edXML:ReplacementInfo><edXML:DocumentId>000.00.01.H99,2026/10/05,01/QĐ-SNV</edXML:DocumentId>"))
            #expect(XMLParser(data: Data(xml.utf8)).parse())
            // A recalled document cannot be replaced again.
            let again = String(DocumentsTests.draftJSON().dropLast()) + #","replaces":"\#(first)"}"#
            #expect(try await call(.POST, "", as: "chuyenvien.snv", json: again).status == .badRequest)
        }
    }

    @Test("edXML from elsewhere: a recall message (type 1) sends the unit's copy to its clerk and registers nothing, the answer goes back as a status message; a replacement (type 3) registers the new document and asks the old one's recall; a recall of a document never received is refused",
          arguments: TestDatabase.enabled)
    func edXML(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let clerk = try await egov.login("vanthu.stp")
            func post(_ xml: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: clerk, bytes: Array(xml.utf8),
                                    contentType: HTTPMediaType(type: "application", subType: "xml"))
            }
            func message(_ number: Int, _ business: EdXMLWriter.Business) throws -> String {
                let notation = try DocumentNotation(number: number, typeAbbreviation: nil, issuer: "VPCP", draftingUnit: "TTĐT")
                var message = EdXMLWriter.Message(
                    from: .init(code: Self.government, name: "Văn phòng Chính phủ"), to: [.init(code: Self.justice, name: "Sở Tư pháp")],
                    notation: notation, promulgatedAt: TestInstallation.start, place: "Hà Nội", typeCode: 1, typeName: "Công văn",
                    subject: "Công văn số \(number)", content: nil, signerName: nil, dueDate: nil, urgency: .normal, attachments: [])
                message.business = business
                return EdXMLWriter.write(message, sentAt: TestInstallation.start)
            }
            let registered = try await post(try EdXMLImportTests.message())
            #expect(registered.status == .created, "\(registered.body.string)")
            let id = try registered.content.decode(Recall.self).id
            let count = try await DocumentModel.query(on: egov.app.db).count()

            // Never received: refused, nothing changes.
            let unknown = try await post(try message(99, .init(kind: .recall, reason: "Nhầm")))
            #expect(unknown.status == .badRequest && unknown.body.string.contains("chưa nhận"), "\(unknown.body.string)")
            // An update of a document never received: refused, nothing changes (DocumentUpdateTests takes the rest).
            #expect(try await post(try message(98, .init(kind: .update))).status == .badRequest)

            let asked = try await post(try message(15, .init(kind: .recall, reason: "Văn bản ban hành chưa đúng thẩm quyền")))
            #expect(asked.status == .ok, "\(asked.body.string)")
            let recall = try asked.content.decode(Recall.self)
            #expect(recall.id == id && recall.step == "recall-review" && recall.recall?.reason == "Văn bản ban hành chưa đúng thẩm quyền")
            #expect(try await DocumentModel.query(on: egov.app.db).count() == count)
            // Asked again while waiting: nothing changes.
            #expect(try await post(try message(15, .init(kind: .recall))).status == .conflict)

            let accepted = try await egov.send(.POST, "/api/v1/documents/\(id)/actions/accept-recall", token: clerk, json: "{}")
            #expect(accepted.status == .ok, "\(accepted.body.string)")
            let answer = try #require(try await StatusMessageRow.query(on: egov.app.db).filter(\.$statusCode == "15").first())
            #expect(answer.recipientCode == Self.government && answer.edXML.contains("<edXML:StatusCode>15</edXML:StatusCode>"))
            #expect(answer.edXML.contains("<edXML:DocumentId>000.00.00.G22,2026/09/21,15/VPCP-TTĐT</edXML:DocumentId>"))

            // A replacement: the new document registered, the one it replaces asked to be recalled.
            let earlier = try await post(try message(20, .init()))
            let earlierID = try earlier.content.decode(Recall.self).id
            let replaces = "000.00.00.G22,2026/09/21,20/VPCP-TTĐT"
            let replacement = try await post(try message(21, .init(kind: .replacement, reason: "Thay thế", replaces: [replaces])))
            #expect(replacement.status == .created, "\(replacement.body.string)")
            #expect(try replacement.content.decode(Recall.self).replaces == earlierID)
            let old = try await egov.send(.GET, "/api/v1/documents/\(earlierID)", token: clerk).content.decode(Recall.self)
            #expect(old.step == "recall-review" && old.recall?.reason == "Thay thế bằng văn bản 21/VPCP-TTĐT")
            // A business type outside 0…3 is refused with its reason.
            let odd = try message(30, .init()).replacingOccurrences(of: "<edXML:BussinessDocType>0<", with: "<edXML:BussinessDocType>7<")
            let oddResponse = try await post(odd)
            #expect(oddResponse.status == .badRequest && oddResponse.body.string.contains("BussinessDocType"))
        }
    }
}
