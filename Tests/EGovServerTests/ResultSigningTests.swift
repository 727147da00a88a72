import Crypto
import EGovCore
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue 13 §7: an approval that signs. The demo's `approve` carries `sign: [officer, seal]`: the leader's signature,
/// then the ward's seal, go on the result PDF; the signed file replaces the unsigned one; the audit log records both;
/// the citizen's download verifies with pdfsig and here.
@Suite("Signing in the one-stop approval")
struct ResultSigningTests {
    static let leader = "chutich.benthuy", ward = "000.00.31.H99"

    /// A guardianship dossier at Bến Thủy, received and processed: waiting for the leader's approval.
    static func dossierAwaitingApproval(_ egov: TestInstallation) async throws -> (citizen: String, code: String) {
        try egov.setVietnamTime(2026, 10, 5, hour: 9)
        let citizen = try await egov.citizen()
        let code = try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: DossierLifecycleTests.benThuy,
                                         attachments: DossierLifecycleTests.guardianshipFiles).content.decode(DossierJSON.self).code
        try await egov.act("motcua.benthuy", code, "receive")
        try await egov.act("chuyenvien.benthuy", code, "process")
        return (citizen, code)
    }

    @Test("the leader's approval signs the result with their key and the ward's seal; the citizen's download passes pdfsig",
          arguments: TestDatabase.enabled)
    func approvalSigns(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            #expect(DossierLifecycleTests.benThuy == Self.ward)
            let (citizen, code) = try await Self.dossierAwaitingApproval(egov)
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db),
                                                 nss: SignatureTests.pdfsigAvailable)
            defer { tools.remove() }

            // The action says what it signs, so a client knows which PINs to ask for.
            let offered = try await egov.get("/api/v1/dossiers/\(code)/actions", as: Self.leader).body.string
            #expect(offered.contains(#""id":"approve""#) && offered.contains(#""sign":["officer","seal"]"#), "\(offered)")

            let unsigned = TestPDF.make(pages: ["Quyet dinh cong nhan viec giam ho"])
            let result: [(String?, String, Data)] = [(nil, "quyet-dinh.pdf", Data(unsigned))]
            let pin = try egov.signingPIN(Self.leader), sealPIN = try egov.signingPIN("seal.\(Self.ward)")
            let wrongSeal = sealPIN == "000000" ? "111111" : "000000"

            // Refused before anything is stored: no PINs, no result, a result that is not a PDF, a wrong seal PIN.
            let noPins = try await egov.act(Self.leader, code, "approve", attachments: result, expect: .badRequest)
            #expect(noPins.body.string.contains("signingPin") && noPins.body.string.contains("sealPin"), "\(noPins.body.string)")
            let noFile = try await egov.act(Self.leader, code, "approve", pins: (pin, sealPIN), expect: .badRequest)
            #expect(noFile.body.string.contains("PDF"), "\(noFile.body.string)")
            try await egov.act(Self.leader, code, "approve", attachments: [(nil, "anh.png", SampleFiles.png)], pins: (pin, sealPIN),
                               expect: .badRequest)
            let wrong = try await egov.act(Self.leader, code, "approve", attachments: result, pins: (pin, wrongSeal), expect: .badRequest)
            #expect(wrong.body.string.contains("PIN"), "\(wrong.body.string)")
            var still = try await egov.dossier(Self.leader, code)
            #expect(still.currentStep.id == "approval" && still.files.allSatisfy { $0.kind != "result" })
            // The unsigned upload is not left in the file store by the refused attempt.
            let unsignedPath = egov.app.egov.files.path(for: SHA256.hash(data: unsigned).hexEncoded)
            #expect(!FileManager.default.fileExists(atPath: unsignedPath.path))

            // Only a leader or a deputy approves: a specialist of the ward is refused before any PIN is tried.
            try await egov.act("chuyenvien.benthuy", code, "approve", attachments: result, pins: (pin, sealPIN), expect: .forbidden)

            let approved = try await egov.act(Self.leader, code, "approve", note: "Đồng ý", attachments: result, pins: (pin, sealPIN))
                .content.decode(DossierJSON.self)
            #expect(approved.status == "result-ready")
            still = approved
            let file = try #require(still.files.first { $0.kind == "result" })
            #expect(file.name == "quyet-dinh.pdf")
            #expect(!FileManager.default.fileExists(atPath: unsignedPath.path), "the unsigned result was kept")

            // The citizen downloads the result: the unsigned bytes, then the leader's and the seal's signatures.
            let download = try await egov.get(file.url, as: citizen)
            #expect(download.status == .ok)
            let bytes = Array(download.body.readableBytesView)
            #expect(bytes.starts(with: unsigned) && bytes.count > unsigned.count)
            if SignatureTests.pdfsigAvailable {
                let report = try tools.pdfsig(try tools.write(bytes, "ket-qua.pdf"))
                #expect(report.components(separatedBy: "Signature is Valid").count - 1 == 2, "\(report)")
                #expect(report.components(separatedBy: "Certificate is Trusted").count - 1 == 2, "\(report)")
                #expect(report.contains("Hồ Sĩ Long") && report.contains("Common Name: Ủy ban nhân dân phường Bến Thủy"), "\(report)")
                #expect(report.contains("Total document signed"), "\(report)")
                // A byte changed in the signed part after signing: pdfsig reports it.
                var flipped = bytes
                flipped[unsigned.count / 2] ^= 0x01
                let broken = try tools.pdfsig(try tools.write(flipped, "flipped.pdf"))
                #expect(!broken.contains("Signature is Valid") || broken.contains("Signature is Invalid")
                        || broken.contains("Digest Mismatch"), "\(broken)")
            }
            let verified = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: bytes, contentType: .pdf)
            let verdict = try verified.content.decode(SignatureService.Report.self)
            #expect(verdict.valid && verdict.signatures.count == 2)
            #expect(verdict.signatures.first?.signer == "Hồ Sĩ Long")
            #expect(verdict.signatures.last?.signer == "Ủy ban nhân dân phường Bến Thủy")

            // The result carries a verification code, in its signatures' reason and on the dossier; the public page
            // finds the issued result by it (typed in small letters, without the dash) and shows its verdict.
            let verification = try #require(file.verificationCode)
            // Both signatures show their stamp on the result's last page: the signer, the code, and the QR code of
            // the check page's address, which zbarimg reads from the page as pdftoppm draws it.
            if SignatureTests.pdfsigAvailable, SignatureStampTests.zbarAvailable {
                let pdf = try tools.write(bytes, "stamped.pdf")
                let text = try Backup.capture("pdftotext", [pdf.path, "-"]).output
                #expect(text.contains("Ký bởi: Hồ Sĩ Long") && text.contains("Ký bởi: Ủy ban nhân dân phường Bến Thủy"), "\(text)")
                #expect(text.components(separatedBy: "Mã kiểm tra: \(verification)").count - 1 == 2, "\(text)")
                let codes = try SignatureStampTests.qrCodes(onPageOf: pdf)
                #expect(codes.filter { $0 == "/kiem-tra-chu-ky?ma=\(verification)" }.count == 2, "\(codes)")
            }
            let reasons = try PDFSignatures(bytes).found.compactMap(\.reason)
            #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("Mã kiểm tra \(verification): /kiem-tra-chu-ky?ma=\(verification)") }, "\(reasons)")
            let typed = verification.lowercased().replacingOccurrences(of: "-", with: " ")
            let page = try await egov.send(.GET, "/kiem-tra-chu-ky?ma=\(typed.replacingOccurrences(of: " ", with: "%20"))")
            #expect(page.status == .ok && page.body.string.contains("Văn bản còn nguyên vẹn và mọi chữ ký số đều hợp lệ."), "\(page.body.string)")
            #expect(page.body.string.contains("quyet-dinh.pdf") && page.body.string.contains("Hồ Sĩ Long"))
            let browser = egov.browser()
            _ = try await browser.signIn(Self.leader)
            let dossierPage = try await browser.get("/ho-so/\(code)")
            #expect(dossierPage.body.string.contains("/kiem-tra-chu-ky?ma=\(verification)"), "\(dossierPage.status)")
            let unknown = try await egov.send(.GET, "/kiem-tra-chu-ky?ma=ABCD-2345")
            #expect(unknown.status == .notFound && unknown.body.string.contains("Không có kết quả nào mang mã kiểm tra này"))
            #expect(try await egov.send(.GET, "/kiem-tra-chu-ky?ma=%3Cscript%3E").status == .notFound)

            // The audit log records both signatures, with the dossier and the digest of what was signed.
            let events = try await AuditEventModel.query(on: egov.app.db).filter(\.$action ~~ ["signature.pdf", "signature.pdf.seal"])
                .filter(\.$summary ~~ "dossier:\(code)").all()
            #expect(Set(events.map(\.action)) == ["signature.pdf", "signature.pdf.seal"], "\(events.map(\.summary))")
            #expect(events.contains { $0.action == "signature.pdf.seal" && $0.summary.hasSuffix(SHA256.hash(data: bytes).hexEncoded) })
            #expect(events.allSatisfy { $0.actorName == Self.leader })
        }
    }

    @Test("a process that signs must produce a result and be taken by an officer; stored definitions without `sign` still load")
    func definitionRules() throws {
        func action(by actor: ProcessDefinition.Action.Actor, produces: [String]) -> ProcessDefinition.Action {
            .init(id: "approve", name: "Phê duyệt", from: ["a"], to: "b", by: actor, produces: produces, sign: [.officer, .seal])
        }
        func definition(_ action: ProcessDefinition.Action) -> ProcessDefinition {
            ProcessDefinition(id: "p", name: "p", steps: [
                .init(id: "a", name: "a", status: "processing", holder: .init(position: .leader, unit: .competent), share: 1, isFinal: false),
                .init(id: "b", name: "b", status: "done", holder: nil, share: 0, isFinal: true),
            ], actions: [action])
        }
        #expect(definition(action(by: .holder, produces: ["result"])).problems().isEmpty)
        #expect(definition(action(by: .holder, produces: [])).problems().contains { $0.contains("produces no result") })
        #expect(definition(action(by: .applicant, produces: ["result"])).problems().contains { $0.contains("not taken by an officer") })
        let stored = #"{"id":"approve","name":"x","from":["a"],"to":"b","by":{"holder":{}},"requires":[],"produces":[],"notify":[],"needsNote":false}"#
        let decoded = try JSONDecoder().decode(ProcessDefinition.Action.self, from: Data(stored.utf8))
        #expect(decoded.sign.isEmpty)
    }
}
