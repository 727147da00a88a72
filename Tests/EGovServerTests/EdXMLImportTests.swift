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

/// Issue 14 §4, §10: edXML messages from other agencies registered in one click, in every shape a sender
/// writes, and every hostile message refused with its reason, nothing registered.
@Suite("Documents: edXML messages registered as incoming documents")
struct EdXMLImportTests {
    static let justice = "000.00.03.H99"

    /// A message the Government Office might send to Sở Tư pháp, as this installation writes one.
    static func message(to: String = justice, number: Int = 15, attachment: (String, Data)? = ("cong-van.pdf", Data(TestPDF.make()))) throws -> String {
        let notation = try DocumentNotation(number: number, typeAbbreviation: nil, issuer: "VPCP", draftingUnit: "TTĐT")
        return EdXMLWriter.write(EdXMLWriter.Message(
            from: .init(code: "000.00.00.G22", name: "Văn phòng Chính phủ"), to: [.init(code: to, name: "Sở Tư pháp")], notation: notation,
            promulgatedAt: TestInstallation.start, place: "Hà Nội", typeCode: 1, typeName: "Công văn",
            subject: "V/v triển khai chữ ký số chuyên dùng & <dịch vụ> công", content: "Nội dung", signerName: "Nguyễn Văn A", dueDate: nil,
            urgency: .veryUrgent, attachments: attachment.map { [EdXMLWriter.Attachment(name: $0.0, contentType: "application/pdf", data: $0.1)] } ?? []),
            sentAt: TestInstallation.start)
    }

    struct Document: Decodable {
        let id: UUID
        let direction, type, subject, urgency, step: String
        let senderCode, senderNotation: String?
        let arrivalNumber: Int?
        struct File: Decodable { let name: String }
        let files: [File]
    }

    @Test("a message is registered with its arrival number and nothing retyped; the same DocumentId again registers nothing; other shapes are read too",
          arguments: TestDatabase.enabled)
    func registers(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let clerk = try await egov.login("vanthu.stp")
            func post(_ xml: String, token: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: token ?? clerk, bytes: Array(xml.utf8),
                                    contentType: HTTPMediaType(type: "application", subType: "xml"))
            }
            let created = try await post(try Self.message())
            #expect(created.status == .created, "\(created.body.string)")
            let document = try created.content.decode(Document.self)
            #expect(document.direction == "incoming" && document.arrivalNumber == 1 && document.step == "assignment")
            #expect(document.senderCode == "000.00.00.G22" && document.senderNotation == "15/VPCP-TTĐT" && document.type == "cong-van")
            #expect(document.subject == "V/v triển khai chữ ký số chuyên dùng & <dịch vụ> công" && document.urgency == "thuong-khan")
            #expect(document.files.map(\.name) == ["cong-van.pdf", "edxml-15.xml"])

            // The sender, elsewhere, is told by edXML status messages waiting for the bus: arrived (01), registered (03).
            let statuses = try await StatusMessageRow.query(on: egov.app.db).sort(\.$statusCode).all()
            #expect(statuses.map(\.statusCode) == ["01", "03"] && statuses.allSatisfy { $0.recipientCode == "000.00.00.G22" })
            let status = try #require(statuses.last?.edXML)
            #expect(status.contains("<edXML:StatusCode>03</edXML:StatusCode>") && status.contains("<edXML:OrganId>\(Self.justice)</edXML:OrganId>"))
            #expect(status.contains("<edXML:DocumentId>000.00.00.G22,2026/09/21,15/VPCP-TTĐT</edXML:DocumentId>") && status.contains("Đinh Thị Mai"))
            #expect(XMLParser(data: Data(status.utf8)).parse())

            // The same message again, by whatever route: refused, nothing new.
            let again = try await post(try Self.message())
            #expect(again.status == .conflict && again.body.string.contains("đã nhận"), "\(again.body.string)")
            #expect(try await DocumentModel.query(on: egov.app.db).count() == 1)

            // Another vendor: no outer root, no prefix, the type by its name, no attachment.
            let bare = """
                <?xml version="1.0" encoding="UTF-8"?>
                <edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLHeader><MessageHeader>
                <From><OrganId>000.00.00.G01</OrganId><OrganName>Bộ Nội vụ</OrganName></From>
                <To><OrganId>000.00.03.H99</OrganId></To><To><OrganId>000.00.01.H99</OrganId></To>
                <DocumentId>000.00.00.G01,2026/09/18,07/BC-BNV</DocumentId>
                <Code><CodeNumber>07</CodeNumber><CodeNotation>BC-BNV</CodeNotation></Code>
                <DocumentType><Type>0</Type><TypeName>Báo cáo</TypeName></DocumentType>
                <Subject>Báo cáo tổng kết công tác cải cách hành chính</Subject>
                <OtherInfo><Priority>0</Priority></OtherInfo>
                </MessageHeader></edXMLHeader><edXMLBody><edXMLManifest version="1.0"/></edXMLBody></edXMLEnvelope>
                """
            let second = try await post(bare)
            #expect(second.status == .created, "\(second.body.string)")
            let report = try second.content.decode(Document.self)
            #expect(report.type == "bao-cao" && report.arrivalNumber == 2 && report.senderNotation == "07/BC-BNV")
            // Sở Nội vụ, also addressed, registers it in its own register, from 1.
            let interior = try await post(bare, token: try await egov.login("vanthu.snv"))
            #expect(try interior.content.decode(Document.self).arrivalNumber == 1)
        }
    }

    @Test("hostile messages are refused with their reason and register nothing: entity tricks, truncated, malformed, misaddressed, bad attachments, oversized")
    func hostile() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let clerk = try await egov.login("vanthu.stp")
            func post(_ body: [UInt8], token: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: token ?? clerk, bytes: body,
                                    contentType: HTTPMediaType(type: "application", subType: "xml"))
            }
            let valid = try Self.message()
            let cases: [(String, String, HTTPStatus, String)] = [
                ("billion laughs", #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;">]><edXML>&lol3;</edXML>"#, .badRequest, "DOCTYPE"),
                ("external entity", #"<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><edXML><Subject>&xxe;</Subject></edXML>"#, .badRequest, "DOCTYPE"),
                ("lower-case doctype", "<!doctype edXML><edXML/>", .badRequest, "DOCTYPE"),
                ("truncated", String(valid.prefix(valid.count / 2)), .badRequest, "XML"),
                ("not edXML", "<html><body>xin chào</body></html>", .badRequest, "edXML"),
                ("no DocumentId", valid.replacingOccurrences(of: "<edXML:DocumentId>000.00.00.G22,", with: "<edXML:Other>").replacingOccurrences(of: "TTĐT</edXML:DocumentId>", with: "TTĐT</edXML:Other>"), .badRequest, "DocumentId"),
                ("bad notation", valid.replacingOccurrences(of: "<edXML:CodeNumber>15</edXML:CodeNumber>", with: "<edXML:CodeNumber>mười lăm</edXML:CodeNumber>"), .badRequest, "CodeNumber"),
                ("addressed elsewhere", try Self.message(to: "000.00.99.H98"), .badRequest, "To/OrganId"),
                ("another unit's mail", try Self.message(to: "000.00.01.H99"), .forbidden, "văn thư"),
                ("an executable", try Self.message(attachment: ("setup.exe", Data("MZ\u{90}".utf8))), .badRequest, "setup.exe"),
                ("not a PDF", try Self.message(attachment: ("cong-van.pdf", Data("<script>".utf8))), .badRequest, "cong-van.pdf"),
                ("empty", "", .badRequest, "edXML"),
            ]
            for (name, body, status, reason) in cases {
                let response = try await post(Array(body.utf8))
                #expect(response.status == status && response.body.string.contains(reason), "\(name): \(response.status) \(response.body.string)")
            }
            // Larger than any message: refused before it is read.
            let oversized = try await post([UInt8](repeating: 0x41, count: 100 * 1024 * 1024 + 1))
            #expect(oversized.status == .payloadTooLarge)
            // A citizen is no clerk.
            let citizen = try await egov.login(try await egov.citizen())
            #expect(try await post(Array(valid.utf8), token: citizen).status == .forbidden)
            #expect(try await DocumentModel.query(on: egov.app.db).count() == 0)
        }
    }

    @Test("a paper document is registered by hand in the same register; its electronic original then registers nothing; an overdue one is listed as late",
          arguments: TestDatabase.enabled)
    func paper(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let clerk = try await egov.login("vanthu.stp")
            let scan = Data(TestPDF.make()).base64EncodedString()
            let json = #"{"type":"quyet-dinh","subject":"Quyết định phê duyệt kế hoạch","senderName":"Văn phòng Chính phủ","senderCode":"000.00.00.G22","senderNotation":"5/QĐ-VPCP","documentDate":"2026-09-21","urgency":"hoa-toc","attachments":[{"fileName":"ban-quet.pdf","contentBase64":"\#(scan)"}]}"#
            let created = try await egov.send(.POST, "/api/v1/documents/incoming", token: clerk, json: json)
            #expect(created.status == .created, "\(created.body.string)")
            let document = try created.content.decode(Document.self)
            // The notation as the clerk typed it; the number without its leading zero is the same document's.
            #expect(document.arrivalNumber == 1 && document.senderNotation == "5/QĐ-VPCP" && document.urgency == "hoa-toc")
            #expect(document.files.map(\.name) == ["ban-quet.pdf"] && document.step == "assignment")

            // The electronic original of the same document: already registered on paper.
            let notation = try DocumentNotation(number: 5, typeAbbreviation: "QĐ", issuer: "VPCP", draftingUnit: nil)
            let original = EdXMLWriter.write(EdXMLWriter.Message(
                from: .init(code: "000.00.00.G22", name: "Văn phòng Chính phủ"), to: [.init(code: Self.justice, name: "Sở Tư pháp")],
                notation: notation, promulgatedAt: TestInstallation.start, place: "Hà Nội", typeCode: 0, typeName: "Quyết định",
                subject: "Quyết định phê duyệt kế hoạch", content: nil, signerName: nil, dueDate: nil, urgency: .flash, attachments: []),
                sentAt: TestInstallation.start)
            let again = try await egov.send(.POST, "/api/v1/documents/incoming/edxml", token: clerk, bytes: Array(original.utf8),
                                            contentType: HTTPMediaType(type: "application", subType: "xml"))
            #expect(again.status == .conflict, "\(again.body.string)")

            for (bad, status) in [(#"{"type":"quyet-dinh","subject":"A","senderName":"B","senderNotation":"năm"}"#, HTTPStatus.badRequest),
                                  (#"{"type":"quyet-dinh","subject":"A","senderName":"B","senderNotation":"5/QĐ","documentDate":"2026-02-30"}"#, .badRequest),
                                  (#"{"type":"quyet-dinh","subject":"A","senderName":"B","senderNotation":"5/QĐ","unit":"000.00.01.H99"}"#, .badRequest)] {
                #expect(try await egov.send(.POST, "/api/v1/documents/incoming", token: clerk, json: bad).status == status, "\(bad)")
            }
            let specialist = try await egov.login("chuyenvien.stp")
            #expect(try await egov.send(.POST, "/api/v1/documents/incoming", token: specialist, json: json).status == .forbidden)

            // Assigned with a two-day deadline, then three days go by: the leader's list shows it late.
            let leader = try await egov.login("lanhdao.stp")
            let due = ISO8601DateFormatter().string(from: egov.clock.date.addingTimeInterval(2 * 86_400))
            // Nobody named: the unit's default handler (issuers.yaml) takes it.
            let assigned = try await egov.send(.POST, "/api/v1/documents/\(document.id)/actions/assign", token: leader,
                                               json: #"{"dueAt":"\#(due)"}"#)
            #expect(assigned.status == .ok, "\(assigned.body.string)")
            struct Actions: Decodable { struct Item: Decodable { let id: String }; let items: [Item] }
            let handler = try await egov.send(.GET, "/api/v1/documents/\(document.id)/actions", token: try await egov.login("chuyenvien.stp"))
            #expect(try handler.content.decode(Actions.self).items.map(\.id) == ["report", "forward", "complete"])
            struct Page: Decodable { struct Item: Decodable { let id: UUID; let deadline: String }; let items: [Item] }
            #expect(try await egov.send(.GET, "/api/v1/documents?deadline=late", token: leader).content.decode(Page.self).items.isEmpty)
            #expect(try await DocumentReminders.run(services: egov.app.egov, on: egov.app.db) == 0)
            egov.clock.date += 3 * 86_400
            // Its handler is reminded once a day while it is late, by e-mail through the outbox.
            #expect(try await DocumentReminders.run(services: egov.app.egov, on: egov.app.db) == 1)
            #expect(try await DocumentReminders.run(services: egov.app.egov, on: egov.app.db) == 0)
            let reminders = try await OutboxMessageModel.query(on: egov.app.db)
                .filter(\.$reference == "document:\(document.id.uuidString.lowercased())").all()
            #expect(reminders.count == 1 && reminders.first?.subject.hasPrefix("Văn bản quá hạn xử lý: 5/QĐ-VPCP") == true)
            #expect(reminders.first?.recipient == (try await UserModel.query(on: egov.app.db).filter(\.$username == "chuyenvien.stp").first()?.email))
            let late = try await egov.send(.GET, "/api/v1/documents?deadline=late", token: try await egov.login("lanhdao.stp")).content.decode(Page.self)
            #expect(late.items.map(\.id) == [document.id] && late.items.first?.deadline == "late")
            #expect(try await egov.send(.GET, "/api/v1/documents?deadline=soon", token: try await egov.login("lanhdao.stp")).status == .badRequest)

            // The leader's dashboard: one paper document, overdue; the electronic share of what was exchanged.
            struct Dashboard: Decodable {
                struct Unit: Decodable { let code: String; let incoming, incomingElectronic, issued, open, overdue: Int; let electronicShare: Double? }
                let waiting: Int
                let units: [Unit]
            }
            let board = try await egov.send(.GET, "/api/v1/documents/dashboard", token: try await egov.login("lanhdao.stp")).content.decode(Dashboard.self)
            let unit = try #require(board.units.first { $0.code == Self.justice })
            #expect(unit.incoming == 1 && unit.incomingElectronic == 0 && unit.overdue == 1 && unit.open == 1 && unit.electronicShare == 0)
            #expect(try await egov.send(.GET, "/api/v1/documents/dashboard?from=2026-13-01", token: try await egov.login("lanhdao.stp")).status == .badRequest)
            egov.clock.date += 86_400
            #expect(try await DocumentReminders.run(services: egov.app.egov, on: egov.app.db) == 1)
        }
    }
}
