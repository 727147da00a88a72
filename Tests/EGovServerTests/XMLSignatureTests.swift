@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Enveloped XML-DSig signatures on edXML messages (issue 13 §3), made with libxmlsec1 and checked with
/// the independent `xmlsec1` command (Debian `xmlsec1`) trusting the locality root.
@Suite("Signatures: XML-DSig on edXML")
struct XMLSignatureTests {
    static let leader = SignatureTests.leader

    /// An edXML message as agencies exchange them (header and a document body), in Vietnamese.
    static let message = """
        <?xml version="1.0" encoding="UTF-8"?>
        <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
          <edXML:edXMLHeader>
            <edXML:MessageHeader>
              <edXML:From><edXML:OrganId>000.00.31.H99</edXML:OrganId><edXML:OrganName>UBND phường Bến Thủy</edXML:OrganName></edXML:From>
              <edXML:Subject>Về việc báo cáo kết quả giải quyết thủ tục hành chính</edXML:Subject>
            </edXML:MessageHeader>
          </edXML:edXMLHeader>
          <edXML:edXMLBody><edXML:Content>Kính gửi: Sở Tư pháp.</edXML:Content></edXML:edXMLBody>
        </edXML:edXMLEnvelope>
        """

    /// Whether the `xmlsec1` command is here (`.ci/run` installs it and requires it).
    static var xmlsecAvailable: Bool { SignatureTests.toolsAvailable(["xmlsec1"], from: "xmlsec1", for: "its checks") }

    static func xmlsecVerify(_ tools: SignatureTests.Tools, _ bytes: [UInt8], _ name: String) throws -> (Int32, String) {
        let file = try tools.write(bytes, name)
        let result = try Backup.capture("xmlsec1", ["--verify", "--trusted-pem", tools.root.path, "--untrusted-pem", tools.issuing.path, file.path])
        return (result.status, result.output)
    }

    static func report(_ response: TestingHTTPResponse) throws -> SignatureService.Report {
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.content.decode(SignatureService.Report.self)
    }

    @Test("a leader signs an edXML message; xmlsec1 and the platform accept it, a changed subject fails both", arguments: TestDatabase.enabled)
    func signAndVerify(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
            defer { tools.remove() }
            let token = try await egov.token(Self.leader)
            let pin = SignatureTests.pdfHeaders(pin: try egov.signingPIN(Self.leader))
            let signed = try await egov.send(.POST, "/api/v1/signatures/xml", token: token, bytes: Array(Self.message.utf8),
                                             contentType: .xml, headers: pin)
            #expect(signed.status == .ok, "\(signed.body.string)")
            #expect(signed.headers.contentType == .xml)
            let bytes = Array(signed.body.readableBytesView)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">") && text.contains("URI=\"\""), "\(text)")
            #expect(text.contains("xml-c14n-20010315") && text.contains("rsa-sha256") && text.contains("enveloped-signature"))
            #expect(text.components(separatedBy: "<X509Certificate>").count - 1 == 3, "the signer's certificate and its chain")
            #expect(text.contains("Về việc báo cáo kết quả giải quyết thủ tục hành chính"))

            // The independent checker, trusting only the locality root.
            var subjectChanged = text
            subjectChanged = subjectChanged.replacingOccurrences(of: "Về việc báo cáo", with: "Về việc hủy bỏ")
            if Self.xmlsecAvailable {
                let (status, output) = try Self.xmlsecVerify(tools, bytes, "signed.xml")
                #expect(status == 0 && output.contains("OK"), "\(output)")
                let (brokenStatus, brokenOutput) = try Self.xmlsecVerify(tools, Array(subjectChanged.utf8), "changed.xml")
                #expect(brokenStatus != 0 && brokenOutput.contains("FAIL"), "\(brokenOutput)")
            }

            // The platform's verification: who signed, intact, certificate valid now.
            let checked = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: bytes, contentType: .xml))
            let only = try #require(checked.signatures.first)
            #expect(checked.valid && checked.signatures.count == 1, "\(checked)")
            #expect(only.signer == "Hồ Sĩ Long" && only.unit != nil && only.intact && only.coversWholeDocument)
            #expect(only.certificateStatus == "valid" && only.signedAt == nil && only.subFilter == nil)
            let changed = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(subjectChanged.utf8),
                                                               contentType: .xml))
            #expect(!changed.valid && changed.signatures.first?.intact == false && changed.signatures.first?.signer == "Hồ Sĩ Long")

            // The public page takes an XML file too.
            let browser = egov.browser()
            #expect(try await browser.get("/kiem-tra-chu-ky").status == .ok)
            let shown = try await browser.post("/kiem-tra-chu-ky", file: ("file", "goi-tin.xml", "application/xml", bytes))
            #expect(shown.status == .ok && shown.body.string.contains("Văn bản còn nguyên vẹn và mọi chữ ký số đều hợp lệ."),
                    "\(shown.body.string.prefix(2000))")

            // A second signature would break the first: refused before the PIN is tried.
            let again = try await egov.send(.POST, "/api/v1/signatures/xml", token: token, bytes: bytes, contentType: .xml,
                                            headers: SignatureTests.pdfHeaders(pin: "000000"))
            #expect(again.status == .conflict && again.body.string.contains("đã có chữ ký"), "\(again.body.string)")

            // The ward's seal signs a message too (by its leader, with the seal's PIN); the audit log names both.
            let ward = "000.00.31.H99"
            let sealed = try await egov.send(.POST, "/api/v1/signatures/xml?seal=\(ward)", token: token, bytes: Array(Self.message.utf8),
                                             contentType: .xml, headers: SignatureTests.pdfHeaders(pin: try egov.signingPIN("seal.\(ward)")))
            let sealReport = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(sealed.body.readableBytesView),
                                                                  contentType: .xml))
            #expect(sealReport.valid && sealReport.signatures.first?.signer?.contains("Bến Thủy") == true, "\(sealReport)")
            #expect(try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "signature.xml").count() == 1)
            #expect(try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "signature.xml.seal").count() == 1)

            // Once the leader's certificate is revoked, the message no longer verifies as valid.
            let leaderUser = try #require(try await UserModel.query(on: egov.app.db).filter(\.$username == Self.leader).first())
            let serial = try #require(try await SigningCertificateModel.query(on: egov.app.db).filter(\.$userID == leaderUser.requireID())
                .first()).serial
            egov.clock.date += 60
            try await CertificateAuthority.revoke(serial: serial, reason: .keyCompromise, caPassphrase: try egov.caPassphrase(),
                                                  at: egov.clock.date, on: egov.app.db)
            egov.clock.date += 60
            let afterRevocation = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: bytes, contentType: .xml))
            #expect(!afterRevocation.valid && afterRevocation.signatures.first?.certificateStatus == "revoked", "\(afterRevocation)")
        }
    }

    @Test("hostile XML: a DOCTYPE (entity expansion), a bare KeyValue key, a fragment reference and garbage are refused or reported invalid",
          arguments: TestDatabase.enabled)
    func hostileXML(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token(Self.leader)
            let pin = SignatureTests.pdfHeaders(pin: try egov.signingPIN(Self.leader))
            let laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                <lolz>&lol3;</lolz>
                """
            let external = """
                <?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>
                """
            for (name, body) in [("laughs", laughs), ("external entity", external), ("not XML", "<a><b></a>"), ("empty root", "  ")] {
                let signed = try await egov.send(.POST, "/api/v1/signatures/xml", token: token, bytes: Array(body.utf8), contentType: .xml, headers: pin)
                #expect(signed.status == .badRequest, "\(name): \(signed.status) \(signed.body.string)")
                let verified = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(body.utf8), contentType: .xml)
                #expect(verified.status == .badRequest, "\(name): \(verified.status)")
                #expect(!verified.body.string.contains("root:"), "\(name)")
            }
            // Not XML content: 400 without trying the PIN; signed out: 401.
            #expect(try await egov.send(.POST, "/api/v1/signatures/xml", token: token, bytes: Array(Self.message.utf8), contentType: .pdf,
                                        headers: pin).status == .badRequest)
            #expect(try await egov.send(.POST, "/api/v1/signatures/xml", bytes: Array(Self.message.utf8), contentType: .xml,
                                        headers: pin).status == .unauthorized)
            #expect(try await SigningCertificateModel.query(on: egov.app.db).filter(\.$pinFailures > 0).count() == 0)
            // Unsigned XML: no signature to confirm.
            let unsigned = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(Self.message.utf8), contentType: .xml))
            #expect(!unsigned.valid && unsigned.signatures.isEmpty)

            // Signatures made by the xmlsec1 command with a stranger's key: bare (KeyValue, no certificate) or over
            // a fragment (URI="#...") they are not accepted; with a self-signed certificate over the whole
            // document it is intact but untrusted.
            guard Self.xmlsecAvailable else { return }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-xml-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let (key, cert) = (dir.appendingPathComponent("key.pem"), dir.appendingPathComponent("cert.pem"))
            #expect(try Backup.capture("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", cert.path,
                                                   "-days", "30", "-subj", "/CN=Stranger"]).status == 0)
            func template(uri: String, keyInfo: String) -> String {
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope><Body ID="body">Nội dung</Body><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>\
                <CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>\
                <SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>\
                <Reference URI="\(uri)"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>\
                <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>\
                <SignatureValue/><KeyInfo>\(keyInfo)</KeyInfo></Signature></Envelope>
                """
            }
            let cases: [(name: String, uri: String, keyInfo: String, intact: Bool, status: String)] = [
                ("bare-key", "", "<KeyValue/>", false, "unknown"),
                // The key is found, but the fragment reference is refused.
                ("fragment", "#body", "<X509Data/>", false, "untrusted"),
                ("stranger", "", "<X509Data/>", true, "untrusted"),
            ]
            for item in cases {
                let file = dir.appendingPathComponent("\(item.name).xml")
                try template(uri: item.uri, keyInfo: item.keyInfo).write(to: file, atomically: true, encoding: .utf8)
                let out = dir.appendingPathComponent("signed-\(item.name).xml")
                let made = try Backup.capture("xmlsec1", ["--sign", "--privkey-pem", "\(key.path),\(cert.path)", "--id-attr:ID", "Body",
                                                          "--output", out.path, file.path])
                #expect(made.status == 0, "\(item.name): \(made.output)")
                let report = try Self.report(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(try Data(contentsOf: out)),
                                                                  contentType: .xml))
                #expect(!report.valid && report.signatures.count == 1, "\(item.name): \(report)")
                #expect(report.signatures.first?.intact == item.intact && report.signatures.first?.certificateStatus == item.status,
                        "\(item.name): \(report)")
            }
        }
    }
}
