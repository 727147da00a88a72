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

/// Issue 14, first slice: the document types, and an outgoing document drafted, reviewed, approved and issued
/// with its number and notation, on the platform's case runtime.
@Suite("Documents: types, drafting, approval and issuance")
struct DocumentsTests {
    static let interior = "000.00.01.H99" // Sở Nội vụ
    static let justice = "000.00.03.H99" // Sở Tư pháp

    struct Document: Decodable {
        let id: UUID
        let type, subject, status, step, draftingUnit, issuer: String
        let number: Int?
        let notation: String?
        let recipientCodes: [String]
        let issuedAt: Date?
        struct Event: Decodable { let seq: Int; let action, actor, status: String; let note: String? }
        let history: [Event]
        struct File: Decodable { let id: UUID; let name: String; let signed, current: Bool; let verificationCode: String? }
        let files: [File]
        let direction: String
        let senderCode, senderNotation: String?
        let arrivalNumber: Int?
        struct Recipient: Decodable { let code, statusCode, status: String }
        let recipients: [Recipient]
    }

    struct Items<Item: Decodable>: Decodable { let items: [Item] }
    struct Action: Decodable { let id, name: String }

    /// A draft with the document's PDF.
    static func draftJSON(type: String = "quyet-dinh", subject: String = "Quyết định nâng bậc lương năm 2026",
                          recipients: [String] = [justice]) -> String {
        let pdf = Data(TestPDF.make()).base64EncodedString()
        return #"{"type":"\#(type)","subject":"\#(subject)","recipientCodes":[\#(recipients.map { "\"\($0)\"" }.joined(separator: ","))],"urgency":"khan","attachments":[{"fileName":"du-thao.pdf","contentType":"application/pdf","contentBase64":"\#(pdf)"}]}"#
    }

    /// The leader's signing PIN, or the issuing body's seal PIN, as an action's JSON.
    static func pins(_ egov: TestInstallation, leader: String? = nil, seal: String? = nil) throws -> String {
        if let leader { return #"{"signingPin":"\#(try egov.signingPIN(leader))"}"# }
        if let seal {
            let pin = try egov.signingPIN("seal." + seal)
            return #"{"sealPin":"\#(pin)"}"#
        }
        return "{}"
    }

    @Test("the document types are Decree 30's, with their abbreviations, and null for công văn and thư công")
    func types() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let response = try await egov.send(.GET, "/api/v1/document-types")
            #expect(response.status == .ok)
            // The key is there, as null, for the two types without an abbreviation.
            #expect(response.body.string.components(separatedBy: #""abbreviation":null"#).count == 3, "\(response.body.string)")
            struct DocumentType: Decodable { let id, name: String; let abbreviation: String? }
            let types = try response.content.decode(Items<DocumentType>.self).items
            #expect(types.count == 29)
            #expect(types.first { $0.id == "quyet-dinh" }?.abbreviation == "QĐ")
            #expect(types.first { $0.id == "quy-dinh" }?.abbreviation == "QyĐ")
            #expect(types.filter { $0.abbreviation == nil }.map(\.id) == ["cong-van", "thu-cong"])
        }
    }

    @Test("specialist drafts → head of division approves → leader approves → clerk issues with number and notation; each sees only their actions; strangers see nothing",
          arguments: TestDatabase.enabled)
    func outgoing(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
            }
            func actions(_ id: UUID, _ user: String) async throws -> [String] {
                try await call(.GET, "/\(id)/actions", as: user).content.decode(Items<Action>.self).items.map(\.id)
            }
            let created = try await call(.POST, "", as: "chuyenvien.snv", json: Self.draftJSON())
            #expect(created.status == .created, "\(created.body.string)")
            let draft = try created.content.decode(Document.self)
            #expect(draft.step == "drafting" && draft.status == "drafting" && draft.number == nil && draft.notation == nil)
            #expect(draft.draftingUnit == Self.interior && draft.issuer == Self.interior && draft.recipientCodes == [Self.justice])
            #expect(created.headers.first(name: .location) == "/api/v1/documents/\(draft.id.uuidString.lowercased())")
            #expect(created.body.string.contains(#""notation":null"#))

            // Who may do what, now: the drafter submits; the head of division and the leader have nothing yet.
            #expect(try await actions(draft.id, "chuyenvien.snv") == ["submit"])
            #expect(try await actions(draft.id, "lanhdao.snv").isEmpty)
            // Another department's leader, and a citizen-facing counter officer, do not see it at all.
            for user in ["lanhdao.stp", "motcua.quay1"] {
                #expect(try await call(.GET, "/\(draft.id)", as: user).status == .notFound)
                #expect(try await call(.POST, "/\(draft.id)/actions/submit", as: user, json: "{}").status == .notFound)
            }
            // The leader sees it but does not hold its step: 403; issuing now is out of turn for the clerk: 409.
            #expect(try await call(.POST, "/\(draft.id)/actions/submit", as: "lanhdao.snv", json: "{}").status == .forbidden)
            #expect(try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.snv", json: "{}").status == .conflict)

            #expect(try await call(.POST, "/\(draft.id)/actions/submit", as: "chuyenvien.snv", json: "{}").status == .ok)
            #expect(try await actions(draft.id, "truongphong.snv") == ["approve", "return"])
            // Returning needs a reason; with one, the draft goes back to its drafter, who submits again.
            #expect(try await call(.POST, "/\(draft.id)/actions/return", as: "truongphong.snv", json: "{}").status == .badRequest)
            let returned = try await call(.POST, "/\(draft.id)/actions/return", as: "truongphong.snv",
                                          json: #"{"note":"Bổ sung căn cứ pháp lý."}"#).content.decode(Document.self)
            #expect(returned.step == "drafting" && returned.history.last?.note == "Bổ sung căn cứ pháp lý.")
            #expect(try await call(.POST, "/\(draft.id)/actions/submit", as: "chuyenvien.snv", json: "{}").status == .ok)
            let reviewed = try await call(.POST, "/\(draft.id)/actions/approve", as: "truongphong.snv", json: "{}").content.decode(Document.self)
            #expect(reviewed.step == "approval")
            #expect(try await actions(draft.id, "lanhdao.snv") == ["approve", "return"])
            // The leader's approval signs the document with their key: without the PIN it is refused and nothing moves.
            let noPIN = try await call(.POST, "/\(draft.id)/actions/approve", as: "lanhdao.snv", json: "{}")
            #expect(noPIN.status == .badRequest && noPIN.body.string.contains("signingPin"), "\(noPIN.body.string)")
            let approved = try await call(.POST, "/\(draft.id)/actions/approve", as: "lanhdao.snv", json: try Self.pins(egov, leader: "lanhdao.snv"))
            #expect(approved.status == .ok, "\(approved.body.string)")
            #expect(try approved.content.decode(Document.self).step == "issuance")
            // Only assign takes assignees.
            #expect(try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.snv", json: #"{"assignees":["x"]}"#).status == .badRequest)
            // Issuance applies the issuing body's seal: its PIN is asked for.
            #expect(try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.snv", json: "{}").status == .badRequest)

            // A wrong seal PIN is refused and counted towards the seal's lock, though issuance seals inside its transaction.
            let wrongPIN = try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.snv", json: #"{"sealPin":"000000"}"#)
            #expect(wrongPIN.status == .badRequest, "\(wrongPIN.body.string)")
            let sealUnit = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == Self.interior).first()?.id)
            let sealKey = try await SigningCertificateModel.query(on: egov.app.db).filter(\.$unitID == sealUnit).all()
            #expect(sealKey.map(\.pinFailures).max() == 1)
            #expect(try await DocumentModel.find(draft.id, on: egov.app.db)?.number == nil)
            let issued = try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.snv", json: try Self.pins(egov, seal: Self.interior))
            #expect(issued.status == .ok, "\(issued.body.string)")
            let document = try issued.content.decode(Document.self)
            #expect(document.status == "issued" && document.number == 1 && document.notation == "01/QĐ-SNV" && document.issuedAt != nil)
            // Every version is kept: the draft, the leader's signed one, the sealed one, which alone is current.
            #expect(document.files.map(\.signed) == [false, true, true] && document.files.map(\.current) == [false, false, true])
            let current = try #require(document.files.last)
            #expect(current.verificationCode != nil)
            let download = try await call(.GET, "/\(draft.id)/files/\(current.id)", as: "vanthu.snv")
            #expect(download.status == .ok && download.headers.contentType == .pdf)
            let signedPDF = Array(download.body.readableBytesView)
            let report = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: signedPDF, contentType: .pdf)
                .content.decode(SignatureService.Report.self)
            #expect(report.valid && report.signatures.count == 2 && report.signatures.allSatisfy(\.intact), "\(report)")
            #expect(report.signatures.last?.unit == "Sở Nội vụ", "\(report)")
            if SignatureTests.pdfsigAvailable {
                let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: true)
                defer { tools.remove() }
                let output = try tools.pdfsig(try tools.write(signedPDF, "issued.pdf"))
                #expect(output.components(separatedBy: "Signature is Valid.").count == 3, "\(output)")
                #expect(output.components(separatedBy: "Certificate is Trusted").count == 3, "\(output)")
                // The seal, applied once the number is taken, prints the number and notation on the issued PDF.
                let text = try Backup.capture("pdftotext", [try tools.write(signedPDF, "issued-text.pdf").path, "-"]).output
                #expect(text.contains("Số, ký hiệu: 01/QĐ-SNV"), "\(text)")
            }
            // The edXML message went under the issuing body's seal, in its header; the independent checker accepts it.
            let sealedMessage = try await call(.GET, "/\(draft.id)/edxml", as: "vanthu.snv").body.string
            let header = try #require(sealedMessage.range(of: "<edXML:edXMLHeader>"))
            let signature = try #require(sealedMessage.range(of: #"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">"#))
            let headerEnd = try #require(sealedMessage.range(of: "</edXML:edXMLHeader>"))
            #expect(header.upperBound <= signature.lowerBound && signature.upperBound <= headerEnd.lowerBound, "\(sealedMessage.prefix(3000))")
            #expect(sealedMessage.contains("<edXML:CodeNumber>01</edXML:CodeNumber>"))
            if XMLSignatureTests.xmlsecAvailable {
                let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
                defer { tools.remove() }
                let (status, output) = try XMLSignatureTests.xmlsecVerify(tools, Array(sealedMessage.utf8), "issued.xml")
                #expect(status == 0 && output.contains("OK"), "\(output)")
                let forged = sealedMessage.replacingOccurrences(of: "Quyết định nâng bậc lương", with: "Quyết định hạ bậc lương")
                #expect(try XMLSignatureTests.xmlsecVerify(tools, Array(forged.utf8), "forged.xml").0 != 0)
            }
            let signatures = try await AuditEventModel.query(on: egov.app.db).filter(\.$action ~~ ["signature.pdf", "signature.pdf.seal"]).all()
            #expect(signatures.map(\.action).sorted() == ["signature.pdf", "signature.pdf.seal"])
            #expect(document.history.map(\.action) == ["draft", "submit", "return", "submit", "approve", "approve", "issue"])
            // Issued, it can only be recalled (by its issuing body's clerk or leader).
            #expect(try await actions(draft.id, "vanthu.snv") == ["recall", "update"])
            // The drafter follows it to the end; the audit log names it by its notation from issuance on.
            #expect(try await call(.GET, "/\(draft.id)", as: "chuyenvien.snv").content.decode(Document.self).notation == "01/QĐ-SNV")
            let audit = try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "document.issue").first()
            #expect(audit?.unitCode == Self.interior)

            // A công văn drafted at the department itself: issuing body – its office, the next number of the register.
            let letter = try await call(.POST, "", as: "chuyenvien.snv", json: Self.draftJSON(type: "cong-van", subject: "V/v cử cán bộ dự tập huấn"))
                .content.decode(Document.self)
            for (action, user, json) in [("submit", "chuyenvien.snv", "{}"), ("approve", "truongphong.snv", "{}"),
                                         ("approve", "lanhdao.snv", try Self.pins(egov, leader: "lanhdao.snv")),
                                         ("issue", "vanthu.snv", try Self.pins(egov, seal: Self.interior))] {
                let response = try await call(.POST, "/\(letter.id)/actions/\(action)", as: user, json: json)
                #expect(response.status == .ok, "\(action): \(response.body.string)")
            }
            #expect(try await call(.GET, "/\(letter.id)", as: "vanthu.snv").content.decode(Document.self).notation == "02/SNV-VP")
        }
    }

    @Test("numbers per register and year: concurrent issuances get distinct numbers with no gap; another department's register and a new year start at 1",
          arguments: TestDatabase.enabled)
    func numbering(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 12, 30, hour: 9)
            let tokens = [
                "chuyenvien.snv": try await egov.login("chuyenvien.snv"), "truongphong.snv": try await egov.login("truongphong.snv"),
                "lanhdao.snv": try await egov.login("lanhdao.snv"), "vanthu.snv": try await egov.login("vanthu.snv"),
                "chuyenvien.stp": try await egov.login("chuyenvien.stp"), "truongphong.stp": try await egov.login("truongphong.stp"),
                "lanhdao.stp": try await egov.login("lanhdao.stp"), "vanthu.stp": try await egov.login("vanthu.stp"),
            ]
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/documents" + path, token: tokens[user], json: json)
            }
            /// A draft of `department`'s specialist, taken as far as its clerk's issuance.
            func readyToIssue(_ department: String) async throws -> UUID {
                let draft = try await call(.POST, "", as: "chuyenvien.\(department)", json: Self.draftJSON(type: "thong-bao", subject: "Thông báo lịch họp"))
                    .content.decode(Document.self)
                for (action, user) in [("submit", "chuyenvien"), ("approve", "truongphong"), ("approve", "lanhdao")] {
                    let json = user == "lanhdao" ? try Self.pins(egov, leader: "lanhdao.\(department)") : "{}"
                    let response = try await call(.POST, "/\(draft.id)/actions/\(action)", as: "\(user).\(department)", json: json)
                    guard response.status == .ok else { throw TestSetupError("\(action): \(response.body.string)") }
                }
                return draft.id
            }
            let seal = try Self.pins(egov, seal: Self.interior)
            var ready: [UUID] = []
            for _ in 0..<6 { ready.append(try await readyToIssue("snv")) }
            let issued = try await withThrowingTaskGroup(of: Document.self) { group in
                for id in ready {
                    group.addTask {
                        let response = try await call(.POST, "/\(id)/actions/issue", as: "vanthu.snv", json: seal)
                        guard response.status == .ok else { throw TestSetupError("issue: \(response.body.string)") }
                        return try response.content.decode(Document.self)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(issued.compactMap(\.number).sorted() == Array(1...6))
            #expect(Set(issued.compactMap(\.notation)).count == 6 && issued.allSatisfy { $0.notation?.hasSuffix("/TB-SNV") == true })

            // Sở Tư pháp's register is its own.
            let justice = try await readyToIssue("stp")
            #expect(try await call(.POST, "/\(justice)/actions/issue", as: "vanthu.stp", json: try Self.pins(egov, seal: Self.justice))
                .content.decode(Document.self).notation == "01/TB-STP")

            // On 1 January the register starts again at 1; the past year's numbers stay as they were.
            let nextYear = try await readyToIssue("snv")
            try egov.setVietnamTime(2027, 1, 4, hour: 8)
            let first = try await egov.send(.POST, "/api/v1/documents/\(nextYear)/actions/issue", token: try await egov.login("vanthu.snv"), json: seal)
                .content.decode(Document.self)
            #expect(first.number == 1 && first.notation == "01/TB-SNV")
            #expect(try await Counters.current(DocumentIssuance.registerScope(issuer: Self.interior, year: 2026), on: egov.app.db) == 6)
            #expect(try await Counters.current(DocumentIssuance.registerScope(issuer: Self.interior, year: 2027), on: egov.app.db) == 1)
        }
    }

    @Test("a body whose pack says leadingZero: false numbers 1/QĐ-SNV, not 01/QĐ-SNV; the others keep the leading zero",
          arguments: TestDatabase.enabled)
    func withoutLeadingZero(database: TestDatabase) async throws {
        // The pack says so…
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("documents-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: TestInstallation.demoPack.appendingPathComponent("modules/documents"), to: directory)
        let issuers = directory.appendingPathComponent("issuers.yaml")
        let yaml = try String(contentsOf: issuers, encoding: .utf8)
        try yaml.replacingOccurrences(of: "{unit: \(Self.interior), abbreviation: SNV, issues: true, office: VP}",
                                      with: "{unit: \(Self.interior), abbreviation: SNV, issues: true, office: VP, leadingZero: false}")
            .write(to: issuers, atomically: true, encoding: .utf8)
        try await TestInstallation.with(database) { egov in
            // (Read once the installation's modules are there: the processes name their positions.)
            let pack = try #require(try DocumentsPack.read(directory))
            #expect(pack.issuers.first { $0.id == Self.interior }?.leadingZero == false)
            #expect(pack.issuers.first { $0.id == Self.justice }?.leadingZero == nil)
            // …and issuance writes it.
            let issuer = try #require(try await IssuerModel.find(Self.interior, on: egov.app.db))
            issuer.leadingZero = false
            try await issuer.save(on: egov.app.db)
            let id = try await DocumentRecallTests.issue(egov)
            let issued = try await DocumentRecallTests.call(egov, .GET, "/\(id)", as: "chuyenvien.snv").content.decode(Document.self)
            #expect(issued.number == 1 && issued.notation == "1/QĐ-SNV")
        }
    }

    @Test("a draft is refused with its reason, and nothing is stored, for each bad field")
    func refusals() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let token = try await egov.login("chuyenvien.snv")
            let cases: [(String, String)] = [
                (#"{"type":"quyet-dinh","subject":"  ","recipientCodes":["000.00.03.H99"]}"#, "subject"),
                (#"{"type":"khong-co","subject":"A","recipientCodes":["000.00.03.H99"]}"#, "type"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":[]}"#, "recipientCodes"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["UBND"]}"#, "recipientCodes"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99","000.00.03.H99"]}"#, "recipientCodes"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99"],"urgency":"rat-khan"}"#, "urgency"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99"],"attachments":[{"fileName":"a.pdf","contentBase64":"aGVsbG8="}]}"#, "attachments"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99"],"attachments":[{"fileName":"a.pdf","contentBase64":"%%%"}]}"#, "attachments"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99"],"attachments":[{"fileName":"../a.pdf","contentBase64":"JVBERg=="}]}"#, "attachments"),
                (#"{"type":"quyet-dinh","subject":"A","recipientCodes":["000.00.03.H99"],"unit":"000.00.03.H99"}"#, "unit"),
            ]
            for (json, field) in cases {
                let response = try await egov.send(.POST, "/api/v1/documents", token: token, json: json)
                #expect(response.status == .badRequest && response.body.string.contains(field), "\(json): \(response.body.string)")
            }
            // Someone who drafts nowhere (a one-stop officer) may not draft.
            let counter = try await egov.send(.POST, "/api/v1/documents", token: try await egov.login("motcua.quay1"), json: Self.draftJSON())
            #expect(counter.status == .forbidden)
            #expect(try await egov.send(.GET, "/api/v1/documents/not-an-id", token: token).status == .notFound)
            #expect(try await DocumentModel.query(on: egov.app.db).count() == 0)
        }
    }

    @Test("an issued document reaches a unit here as an incoming document with its edXML, and waits in the outbox for an organ elsewhere; registered, assigned and done, its sender sees each status",
          arguments: TestDatabase.enabled)
    func delivery(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
            }
            let government = "000.00.00.G22"
            let sent = try await call(.POST, "", as: "chuyenvien.snv", json: Self.draftJSON(recipients: [Self.justice, government]))
                .content.decode(Document.self)
            for (action, user, json) in [("submit", "chuyenvien.snv", "{}"), ("approve", "truongphong.snv", "{}"),
                                         ("approve", "lanhdao.snv", try Self.pins(egov, leader: "lanhdao.snv")),
                                         ("issue", "vanthu.snv", try Self.pins(egov, seal: Self.interior))] {
                let response = try await call(.POST, "/\(sent.id)/actions/\(action)", as: user, json: json)
                #expect(response.status == .ok, "\(action): \(response.body.string)")
            }
            func recipients() async throws -> [String: String] {
                let document = try await call(.GET, "/\(sent.id)", as: "chuyenvien.snv").content.decode(Document.self)
                return Dictionary(uniqueKeysWithValues: document.recipients.map { ($0.code, $0.statusCode) })
            }
            #expect(try await recipients() == [Self.justice: "01", government: "queued"])

            // The edXML message: well-formed, the standard's namespace, the document's identity, urgency and file.
            let message = try await call(.GET, "/\(sent.id)/edxml", as: "vanthu.snv")
            #expect(message.status == .ok && message.headers.contentType?.subType == "xml")
            let xml = message.body.string
            #expect(XMLParser(data: Data(xml.utf8)).parse(), "not well-formed")
            #expect(xml.contains(#"<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">"#))
            #expect(xml.contains("<edXML:DocumentId>000.00.01.H99,2026/10/05,01/QĐ-SNV</edXML:DocumentId>"), "\(xml.prefix(2000))")
            #expect(xml.contains("<edXML:CodeNumber>01</edXML:CodeNumber><edXML:CodeNotation>QĐ-SNV</edXML:CodeNotation>"))
            #expect(xml.contains("<edXML:Priority>1</edXML:Priority>") && xml.contains("<edXML:OrganId>\(government)</edXML:OrganId>"))
            #expect(xml.contains("<ContentType>application/pdf</ContentType><ContentTransferEncoded>JVBER"))
            // A draft has no message yet.
            let draft = try await call(.POST, "", as: "chuyenvien.snv", json: Self.draftJSON()).content.decode(Document.self)
            #expect(try await call(.GET, "/\(draft.id)/edxml", as: "chuyenvien.snv").status == .conflict)
            // The organ elsewhere: its message waits in the outbox for the bus.
            let outbox = try await OutboxMessageRow.query(on: egov.app.db).all()
            #expect(outbox.map(\.recipientCode) == [government] && outbox.first?.edXML.contains("01/QĐ-SNV") == true && outbox.first?.sentAt == nil)

            // Sở Tư pháp: an incoming document waiting for its clerk, with the sender's signed PDF and the edXML message.
            let incomingID = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == sent.id).first()?.requireID())
            #expect(try await call(.GET, "/\(incomingID)", as: "vanthu.snv").status == .notFound)
            let arrived = try await call(.GET, "/\(incomingID)", as: "vanthu.stp").content.decode(Document.self)
            #expect(arrived.direction == "incoming" && arrived.step == "registration" && arrived.senderCode == Self.interior)
            #expect(arrived.senderNotation == "01/QĐ-SNV" && arrived.arrivalNumber == nil && arrived.subject == sent.subject)
            #expect(arrived.files.map(\.name) == ["du-thao.pdf", "edxml-1.xml"] && arrived.files.first?.signed == true)
            #expect(try await call(.GET, "/\(incomingID)/actions", as: "vanthu.stp").content.decode(Items<Action>.self).items.map(\.id) == ["register", "refuse"])

            let registered = try await call(.POST, "/\(incomingID)/actions/register", as: "vanthu.stp", json: "{}").content.decode(Document.self)
            #expect(registered.arrivalNumber == 1 && registered.step == "assignment")
            #expect(try await recipients()[Self.justice] == "03")

            // The leader assigns the lead handler and a co-handler, with a deadline; a stranger as handler is refused.
            #expect(try await call(.POST, "/\(incomingID)/actions/assign", as: "lanhdao.stp",
                                   json: #"{"assignees":["chuyenvien.snv"]}"#).status == .badRequest)
            let due = ISO8601DateFormatter().string(from: egov.clock.date.addingTimeInterval(5 * 86_400))
            let assigned = try await call(.POST, "/\(incomingID)/actions/assign", as: "lanhdao.stp",
                                          json: #"{"note":"Đề nghị tham mưu.","assignees":["chuyenvien.stp","truongphong.stp"],"dueAt":"\#(due)"}"#)
            #expect(assigned.status == .ok, "\(assigned.body.string)")
            #expect(try assigned.content.decode(Document.self).step == "handling")
            #expect(try await recipients()[Self.justice] == "04")
            // The co-handler follows it; the lead handler closes it, with the result.
            #expect(try await call(.GET, "/\(incomingID)", as: "truongphong.stp").status == .ok)
            // A progress report stays in the step, with its handler and deadline: the sender sees 05.
            let before = try await DocumentModel.query(on: egov.app.db).filter(\.$id == incomingID).first()
            let reported = try await call(.POST, "/\(incomingID)/actions/report", as: "chuyenvien.stp", json: #"{"note":"Đang lấy ý kiến các phòng."}"#)
            #expect(reported.status == .ok, "\(reported.body.string)")
            #expect(try await recipients()[Self.justice] == "05")
            let after = try await DocumentModel.query(on: egov.app.db).filter(\.$id == incomingID).first()
            #expect(after?.stepID == "handling" && after?.assigneeName == before?.assigneeName && after?.dueAt == before?.dueAt && after?.dueAt != nil)
            #expect(try await call(.POST, "/\(incomingID)/actions/complete", as: "chuyenvien.stp", json: "{}").status == .badRequest)
            let done = try await call(.POST, "/\(incomingID)/actions/complete", as: "chuyenvien.stp", json: #"{"note":"Đã thực hiện."}"#)
            #expect(done.status == .ok, "\(done.body.string)")
            #expect(try done.content.decode(Document.self).status == "done")
            #expect(try await recipients() == [Self.justice: "06", government: "queued"])

            // Lists and search, accent-insensitive over subjects and notations, each caller seeing their own.
            struct Page: Decodable { struct Item: Decodable { let id: UUID; let direction: String; let arrivalNumber: Int? }; let items: [Item]; let total: Int }
            func list(_ query: String, as user: String) async throws -> Page {
                try await egov.send(.GET, "/api/v1/documents?\(query)", token: try await egov.login(user)).content.decode(Page.self)
            }
            #expect(try await list("box=outgoing&q=nang%20bac%20LUONG", as: "chuyenvien.snv").items.map(\.id).contains(sent.id))
            #expect(try await list("q=qd-snv%2001", as: "lanhdao.snv").items.map(\.id) == [sent.id])
            let incomingBox = try await list("box=incoming", as: "vanthu.stp")
            #expect(incomingBox.items.map(\.id) == [incomingID] && incomingBox.items.first?.arrivalNumber == 1 && incomingBox.total == 1)
            #expect(try await list("box=incoming", as: "vanthu.snv").total == 0)
            #expect(try await list("box=outgoing&from=2026-10-06", as: "chuyenvien.snv").total == 0)
            #expect(try await list("box=outgoing&from=2026-10-05&to=2026-10-05&limit=1", as: "chuyenvien.snv").items.count == 1)
            // The dashboards: Sở Nội vụ issued one (and has a draft open); Sở Tư pháp received one, electronically.
            struct Dashboard: Decodable {
                struct Unit: Decodable { let code: String; let incoming, incomingElectronic, issued, open: Int; let electronicShare: Double? }
                let units: [Unit]
            }
            let interiorBoard = try await egov.send(.GET, "/api/v1/documents/dashboard", token: try await egov.login("lanhdao.snv"))
                .content.decode(Dashboard.self)
            let interior = try #require(interiorBoard.units.first { $0.code == Self.interior })
            #expect(interior.issued == 1 && interior.open == 1 && interior.electronicShare == 1)
            let justiceBoard = try await egov.send(.GET, "/api/v1/documents/dashboard", token: try await egov.login("lanhdao.stp"))
                .content.decode(Dashboard.self)
            #expect(justiceBoard.units.map(\.code) == [Self.justice] && justiceBoard.units.first?.incomingElectronic == 1)
            // The register books, as CSV: Sở Nội vụ's outgoing one, Sở Tư pháp's incoming one; nobody else's.
            let outgoingBook = try await egov.send(.GET, "/api/v1/documents/registers/\(Self.interior)/outgoing.csv?year=2026",
                                                   token: try await egov.login("vanthu.snv"))
            #expect(outgoingBook.status == .ok && outgoingBook.headers.contentType?.subType == "csv")
            let rows = outgoingBook.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.count == 2 && rows[0].hasPrefix("\u{FEFF}\"Số, ký hiệu\""))
            #expect(rows[1].hasPrefix("\"01/QĐ-SNV\",\"2026/10/05\",\"Quyết định: Quyết định nâng bậc lương năm 2026\",\"Trần Văn Minh\""), "\(rows[1])")
            let incomingBook = try await egov.send(.GET, "/api/v1/documents/registers/\(Self.justice)/incoming.csv", token: try await egov.login("vanthu.stp"))
            #expect(incomingBook.body.string.contains("\"1\",\"Sở Nội vụ\",\"01/QĐ-SNV\""), "\(incomingBook.body.string)")
            #expect(try await egov.send(.GET, "/api/v1/documents/registers/\(Self.justice)/incoming.csv", token: try await egov.login("vanthu.snv")).status == .notFound)
            for bad in ["registers/\(Self.interior)/other.csv", "registers/\(Self.interior)/outgoing.csv?year=1999",
                        "registers/\(Self.interior)/outgoing.csv?year=99999999999999999999"] {
                let status = try await egov.send(.GET, "/api/v1/documents/\(bad)", token: try await egov.login("vanthu.snv")).status
                #expect(status == .badRequest || status == .notFound, "\(bad): \(status)")
            }
            let token = try await egov.login("vanthu.stp")
            for bad in ["box=all", "from=2026-13-01", "from=99999-01-01", "limit=0", "offset=-1", "limit=99999999999999999999",
                        "from=2026-10-06&to=2026-10-05"] {
                #expect(try await egov.send(.GET, "/api/v1/documents?\(bad)", token: token).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("a commune's own process: its specialist drafts, its chairman approves and signs, its clerk issues; no head of division",
          arguments: TestDatabase.enabled)
    func commune(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let ward = "000.00.31.H99" // Phường Bến Thủy
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
            }
            let created = try await call(.POST, "", as: "chuyenvien.benthuy", json: Self.draftJSON(type: "cong-van", subject: "Công văn về việc tổ chức tiếp dân"))
            #expect(created.status == .created, "\(created.body.string)")
            let draft = try created.content.decode(Document.self)
            #expect(draft.issuer == ward && draft.draftingUnit == ward)
            #expect(try await call(.POST, "/\(draft.id)/actions/submit", as: "chuyenvien.benthuy", json: "{}").content.decode(Document.self).step == "approval")
            let approved = try await call(.POST, "/\(draft.id)/actions/approve", as: "chutich.benthuy", json: try Self.pins(egov, leader: "chutich.benthuy"))
            #expect(approved.status == .ok, "\(approved.body.string)")
            let issued = try await call(.POST, "/\(draft.id)/actions/issue", as: "vanthu.benthuy", json: try Self.pins(egov, seal: ward))
            #expect(issued.status == .ok, "\(issued.body.string)")
            let document = try issued.content.decode(Document.self)
            #expect(document.status == "issued" && document.notation == "01/UBND-VP", "\(document.notation ?? "")")
            #expect(document.history.map(\.action) == ["draft", "submit", "approve", "issue"])
        }
    }

    @Test("the receiving clerk refuses a document not meant for the unit, with the reason: nothing more can be done with it, and its sender sees 02",
          arguments: TestDatabase.enabled)
    func refusal(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/documents" + path, token: try await egov.login(user), json: json)
            }
            let sent = try await call(.POST, "", as: "chuyenvien.snv", json: Self.draftJSON()).content.decode(Document.self)
            for (action, user, json) in [("submit", "chuyenvien.snv", "{}"), ("approve", "truongphong.snv", "{}"),
                                         ("approve", "lanhdao.snv", try Self.pins(egov, leader: "lanhdao.snv")),
                                         ("issue", "vanthu.snv", try Self.pins(egov, seal: Self.interior))] {
                #expect(try await call(.POST, "/\(sent.id)/actions/\(action)", as: user, json: json).status == .ok, "\(action)")
            }
            let incoming = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == sent.id).first()?.requireID())
            let offered = try await call(.GET, "/\(incoming)/actions", as: "vanthu.stp").content.decode(Items<Action>.self).items.map(\.id)
            #expect(offered == ["register", "refuse"])
            // A refusal needs its reason.
            #expect(try await call(.POST, "/\(incoming)/actions/refuse", as: "vanthu.stp", json: "{}").status == .badRequest)
            let refused = try await call(.POST, "/\(incoming)/actions/refuse", as: "vanthu.stp",
                                         json: #"{"note":"Văn bản không thuộc thẩm quyền của Sở Tư pháp."}"#).content.decode(Document.self)
            #expect(refused.status == "refused" && refused.arrivalNumber == nil)
            #expect(try await call(.GET, "/\(incoming)/actions", as: "vanthu.stp").content.decode(Items<Action>.self).items.isEmpty)
            let sender = try await call(.GET, "/\(sent.id)", as: "chuyenvien.snv").content.decode(Document.self)
            #expect(sender.recipients.map(\.statusCode) == ["02"] && sender.recipients.first?.status == "Bị từ chối tiếp nhận")
        }
    }
}
