@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §4, §10: status messages back from an organ elsewhere. A document issued here to an organ outside waits
/// for the bus (`queued`); the organ's status messages (01–06, 15, 16), brought in by the issuing body's clerk,
/// become that recipient's latest status on the sender's document. What is not such a message is refused.
@Suite("Documents: status messages from elsewhere")
struct DocumentStatusReportTests {
    typealias Document = DocumentsTests.Document
    static let government = DocumentRecallTests.government

    @Test("an organ elsewhere reports 03 then 06 on a document sent to it: the sender's document shows each as it comes, an older message changes nothing; other clerks, other organs, unknown documents and codes are refused",
          arguments: TestDatabase.enabled)
    func statuses(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let sent = try await DocumentRecallTests.issue(egov, recipients: [DocumentsTests.justice, Self.government])
            let model = try #require(try await DocumentModel.find(sent, on: egov.app.db))
            let documentID = try DocumentDelivery.edXMLDocumentID(of: model)
            try egov.setVietnamTime(2026, 10, 5, hour: 11)

            func report(_ code: String, at minute: Int, from organ: String = Self.government, about id: String? = nil) throws -> String {
                let at = try #require(TestInstallation.vietnamTime(2026, 10, 5, hour: 10, minute: minute))
                return EdXMLWriter.write(EdXMLWriter.StatusMessage(
                    to: DocumentsTests.interior, documentID: id ?? documentID, notation: model.notation,
                    from: .init(code: organ, name: "Văn phòng Chính phủ"), statusCode: code, description: "Trạng thái \(code)",
                    staff: "Nguyễn Văn An"), at: at)
            }
            func post(_ xml: String, as user: String = "vanthu.snv") async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: try await egov.login(user), bytes: Array(xml.utf8),
                                    contentType: HTTPMediaType(type: "application", subType: "xml"))
            }
            func recipients() async throws -> [String: String] {
                let document = try await egov.send(.GET, "/api/v1/documents/\(sent)", token: try await egov.login("vanthu.snv"))
                    .content.decode(Document.self)
                return Dictionary(uniqueKeysWithValues: document.recipients.map { ($0.code, $0.statusCode) })
            }
            let documents = try await DocumentModel.query(on: egov.app.db).count()
            #expect(try await recipients()[Self.government] == "queued")

            let registered = try await post(try report("03", at: 0))
            #expect(registered.status == .ok, "\(registered.body.string)")
            #expect(try registered.content.decode(Document.self).id == sent)
            #expect(try await recipients()[Self.government] == "03")
            #expect(try await post(try report("6", at: 30)).status == .ok)
            #expect(try await recipients()[Self.government] == "06")
            // Sent before the 06, arrived after it: the latest status stays.
            #expect(try await post(try report("05", at: 15)).status == .ok)
            #expect(try await recipients() == [DocumentsTests.justice: "01", Self.government: "06"])

            // Only the issuing body's clerk; only an organ it was sent to, and not a unit here (which reports itself);
            // only codes a recipient sends; only documents issued here.
            #expect(try await post(try report("02", at: 40), as: "vanthu.stp").status == .forbidden)
            let stranger = try await post(try report("02", at: 40, from: "000.00.00.G01"))
            #expect(stranger.status == .badRequest)
            #expect(stranger.body.string.contains("000.00.00.G01"))
            #expect(try await post(try report("02", at: 40, from: DocumentsTests.justice)).status == .badRequest)
            for code in ["07", "13", "x", "123456"] {
                let refused = try await post(try report(code, at: 40))
                #expect(refused.status == .badRequest, "\(code)")
                #expect(refused.body.string.contains("StatusCode"), "\(code)")
            }
            #expect(try await post(try report("02", at: 40, about: "\(DocumentsTests.interior),2026/10/05,999/QĐ-SNV")).status == .badRequest)
            #expect(try await post(try report("02", at: 40, about: "not a document id")).status == .badRequest)
            #expect(try await recipients()[Self.government] == "06")
            #expect(try await DocumentModel.query(on: egov.app.db).count() == documents)
        }
    }

    @Test("a status message's timestamp is read in Vietnam's time, and one that names no instant is none")
    func timestamps() throws {
        let at = try #require(EdXMLWriter.instant(timestamp: "2026/10/05 10:30:15"))
        #expect(EdXMLWriter.timestamp(at) == "2026/10/05 10:30:15")
        #expect(at == TestInstallation.vietnamTime(2026, 10, 5, hour: 10, minute: 30)?.addingTimeInterval(15))
        for raw in ["2026/02/30 10:00:00", "2026/10/05 24:00:00", "1999/10/05 10:00:00", "2026-10-05 10:00:00", "2026/10/05", "", "2026/10/05 10:00:00 x"] {
            #expect(EdXMLWriter.instant(timestamp: raw) == nil, "\(raw)")
        }
    }
}
