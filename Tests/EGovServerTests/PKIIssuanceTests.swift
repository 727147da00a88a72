@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Giving out and keeping signing keys usable: issuing (a renewal supersedes the certificate before, in the
/// CRL), the way back from a locked PIN, and the holder changing their PIN.
@Suite("PKI: issuing, renewing, PIN change")
struct PKIIssuanceTests {
    static let leader = SignatureTests.leader, ward = SignatureTests.ward

    struct Issued: Decodable {
        let serial, status, pem: String
        let pin: String?
        let superseded: [String]
    }

    struct Certificates: Decodable {
        struct Item: Decodable { let serial, status: String }
        let items: [Item]
    }

    func sign(_ egov: TestInstallation, pin: String, seal: Bool = false) async throws -> TestingHTTPResponse {
        try await egov.send(.POST, "/api/v1/signatures/pdf" + (seal ? "?seal=\(Self.ward)" : ""), token: try await egov.token(Self.leader),
                            bytes: TestPDF.make(), contentType: .pdf, headers: SignatureTests.pdfHeaders(pin: pin))
    }

    @Test("an account manager renews an officer's key (the old one superseded in the CRL), brings a locked key back, and the officer changes the PIN",
          arguments: TestDatabase.enabled)
    func issueRenewRecover(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let admin = try await egov.token("admin")
            let passphrase = try egov.caPassphrase()
            let oldPIN = try egov.signingPIN(Self.leader)
            let before = try await egov.send(.GET, "/api/v1/pki/certificates?user=\(Self.leader)", token: admin).content.decode(Certificates.self)
            let oldSerial = try #require(before.items.first { $0.status == "valid" }?.serial)
            let count = try await SigningCertificateModel.query(on: egov.app.db).count()

            // Refused, with nothing issued: another ward's leader, a wrong passphrase, both or neither holder, a short PIN, an applicant.
            let body = #"{"user":"\#(Self.leader)","caPassphrase":"\#(passphrase)"}"#
            #expect(try await egov.send(.POST, "/api/v1/pki/certificates", token: try await egov.token("chutich.vanson"), json: body).status == .forbidden)
            let wrong = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin, json: #"{"user":"\#(Self.leader)","caPassphrase":"sai"}"#)
            #expect(wrong.status == .badRequest && wrong.body.string.contains("không đúng"), "\(wrong.body.string)")
            for bad in [#"{"user":"\#(Self.leader)","unit":"\#(Self.ward)","caPassphrase":"x"}"#, #"{"caPassphrase":"x"}"#,
                        #"{"user":"\#(Self.leader)","pin":"12345","caPassphrase":"x"}"#] {
                #expect(try await egov.send(.POST, "/api/v1/pki/certificates", token: admin, json: bad).status == .badRequest, "\(bad)")
            }
            #expect(try await egov.send(.POST, "/api/v1/pki/certificates", token: admin, json: #"{"user":"khong.co","caPassphrase":"x"}"#).status == .notFound)
            #expect(try await SigningCertificateModel.query(on: egov.app.db).count() == count)

            // A renewal: a new key with a PIN made for the holder, shown once; the old certificate superseded.
            let renewed = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin, json: body)
            #expect(renewed.status == .created, "\(renewed.body.string)")
            let issued = try renewed.content.decode(Issued.self)
            let newPIN = try #require(issued.pin)
            #expect(newPIN.count == 6 && issued.superseded == [oldSerial] && issued.status == "valid")
            let after = try await egov.send(.GET, "/api/v1/pki/certificates?user=\(Self.leader)", token: admin).content.decode(Certificates.self)
            #expect(after.items.first { $0.serial == oldSerial }?.status == "revoked")
            #expect(after.items.filter { $0.status == "valid" }.map(\.serial) == [issued.serial])
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-renew-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let crl = dir.appendingPathComponent("crl.pem")
            try (try await egov.send(.GET, "/api/v1/pki/crl.pem")).body.string.write(to: crl, atomically: true, encoding: .utf8)
            let text = try PKITests.openssl(["crl", "-in", crl.path, "-noout", "-text"]).output
            #expect(text.contains(oldSerial.uppercased()) && text.contains("Superseded") && !text.contains(issued.serial.uppercased()), "\(text)")
            #expect(try await sign(egov, pin: oldPIN).status == .badRequest)
            #expect(try await sign(egov, pin: newPIN).status == .ok)

            // Five wrong PINs lock the key; a new certificate with a PIN the manager chose brings signing back.
            for _ in 0..<SigningKeys.maxPINFailures { _ = try await sign(egov, pin: "000000" == newPIN ? "111111" : "000000") }
            let locked = try await sign(egov, pin: newPIN)
            #expect(locked.status == .forbidden && locked.body.string.contains("bị khóa"), "\(locked.body.string)")
            let chosen = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin,
                                             json: #"{"user":"\#(Self.leader)","pin":"24681357","caPassphrase":"\#(passphrase)"}"#)
            let recovered = try chosen.content.decode(Issued.self)
            #expect(chosen.status == .created && recovered.pin == nil && recovered.superseded == [issued.serial])
            #expect(try await sign(egov, pin: "24681357").status == .ok)

            // The officer changes the PIN: a wrong current PIN counts, a short new one is refused, another's certificate is not theirs.
            let leaderToken = try await egov.token(Self.leader)
            let pinPath = "/api/v1/pki/certificates/\(recovered.serial)/pin"
            let wrongPIN = try await egov.send(.POST, pinPath, token: leaderToken, json: #"{"pin":"99999999","newPin":"13572468"}"#)
            #expect(wrongPIN.status == .badRequest && wrongPIN.body.string.contains("còn 4 lần"), "\(wrongPIN.body.string)")
            #expect(try await egov.send(.POST, pinPath, token: leaderToken, json: #"{"pin":"24681357","newPin":"123"}"#).status == .badRequest)
            #expect(try await egov.send(.POST, pinPath, token: try await egov.token("chutich.vanson"),
                                        json: #"{"pin":"24681357","newPin":"13572468"}"#).status == .forbidden)
            #expect(try await egov.send(.POST, "/api/v1/pki/certificates/\(oldSerial)/pin", token: leaderToken,
                                        json: #"{"pin":"24681357","newPin":"13572468"}"#).status == .conflict)
            let changed = try await egov.send(.POST, pinPath, token: leaderToken, json: #"{"pin":"24681357","newPin":"13572468"}"#)
            #expect(changed.status == .ok, "\(changed.body.string)")
            #expect(try await sign(egov, pin: "24681357").status == .badRequest)
            #expect(try await sign(egov, pin: "13572468").status == .ok)

            // The ward's seal: renewed by the manager, then revoked (a seal's certificate can be).
            let sealIssued = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin,
                                                 json: #"{"unit":"\#(Self.ward)","pin":"86420864","caPassphrase":"\#(passphrase)"}"#)
            let seal = try sealIssued.content.decode(Issued.self)
            #expect(sealIssued.status == .created && seal.superseded.count == 1, "\(sealIssued.body.string)")
            #expect(try await sign(egov, pin: "86420864", seal: true).status == .ok)
            let revoked = try await egov.send(.POST, "/api/v1/pki/certificates/\(seal.serial)/revoke", token: admin,
                                              json: #"{"reason":"cessationOfOperation","caPassphrase":"\#(passphrase)"}"#)
            #expect(revoked.status == .ok, "\(revoked.body.string)")
            #expect(try await sign(egov, pin: "86420864", seal: true).status == .forbidden)

            let actions = try await AuditEventModel.query(on: egov.app.db).all().map(\.action)
            #expect(actions.filter { $0 == "pki.issue" }.count == 3 && actions.contains("pki.pin"))
        }
    }

    @Test("an ECDSA P-256 key on request: its PDF signature passes pdfsig and openssl cms, its edXML signature xmlsec1", arguments: TestDatabase.enabled)
    func ecdsaKey(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let admin = try await egov.token("admin")
            let passphrase = try egov.caPassphrase()
            let refused = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin,
                                              json: #"{"user":"\#(Self.leader)","keyType":"dsa","caPassphrase":"\#(passphrase)"}"#)
            #expect(refused.status == .badRequest && refused.body.string.contains("ecdsa-p256"), "\(refused.body.string)")
            let response = try await egov.send(.POST, "/api/v1/pki/certificates", token: admin,
                                               json: #"{"user":"\#(Self.leader)","keyType":"ecdsa-p256","pin":"11223344","caPassphrase":"\#(passphrase)"}"#)
            #expect(response.status == .created, "\(response.body.string)")
            let issued = try response.content.decode(Issued.self)
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: SignatureTests.pdfsigAvailable)
            defer { tools.remove() }
            let leaf = tools.dir.appendingPathComponent("leaf.pem")
            try issued.pem.write(to: leaf, atomically: true, encoding: .utf8)
            let text = try PKITests.openssl(["x509", "-in", leaf.path, "-noout", "-text"]).output
            #expect(text.contains("id-ecPublicKey") && text.contains("prime256v1") && text.contains("Digital Signature, Non Repudiation"), "\(text)")

            let token = try await egov.token(Self.leader)
            let signed = try await egov.send(.POST, "/api/v1/signatures/pdf", token: token, bytes: TestPDF.make(), contentType: .pdf,
                                             headers: SignatureTests.pdfHeaders(pin: "11223344"))
            #expect(signed.status == .ok, "\(signed.body.string)")
            let pdf = Array(signed.body.readableBytesView)
            if SignatureTests.pdfsigAvailable {
                let report = try tools.pdfsig(try tools.write(pdf, "ecdsa.pdf"))
                #expect(report.contains("Signature is Valid") && report.contains("Certificate is Trusted"), "\(report)")
            }
            // openssl cms over the signed ranges: ecdsa-with-SHA256 in the SignerInfo, and it holds.
            let found = try #require(try PDFSignatures(pdf).found.first)
            let content = try tools.write(Array(found.chunks.joined()), "content.bin")
            let padded = try SignatureTests.contents(of: found, in: pdf)
            // ECDSA SignedData is short: a one-byte-length SEQUENCE header would be 0x30 0x81 or 0x30 0x82.
            let length = padded[1] == 0x82 ? 4 + (Int(padded[2]) << 8 | Int(padded[3])) : 3 + Int(padded[2])
            let cms = try tools.write(Array(padded.prefix(length)), "sig.der")
            let verified = try Backup.capture("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", cms.path, "-content", content.path,
                                                          "-CAfile", tools.root.path, "-purpose", "any", "-out", "/dev/null"])
            #expect(verified.status == 0 && verified.output.contains("Verification successful"), "\(verified.output)")
            #expect(try Backup.capture("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", cms.path]).output.contains("ecdsa-with-SHA256"))

            let xml = try await egov.send(.POST, "/api/v1/signatures/xml", token: token, bytes: Array(XMLSignatureTests.message.utf8),
                                          contentType: .xml, headers: SignatureTests.pdfHeaders(pin: "11223344"))
            #expect(xml.status == .ok, "\(xml.body.string)")
            let signedXML = Array(xml.body.readableBytesView)
            #expect(String(decoding: signedXML, as: UTF8.self).contains("xmldsig-more#ecdsa-sha256"))
            if XMLSignatureTests.xmlsecAvailable {
                let (status, output) = try XMLSignatureTests.xmlsecVerify(tools, signedXML, "ecdsa.xml")
                #expect(status == 0 && output.contains("OK"), "\(output)")
            }
            for (bytes, type) in [(pdf, HTTPMediaType.pdf), (signedXML, HTTPMediaType.xml)] {
                let report = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: bytes, contentType: type).content.decode(SignatureService.Report.self)
                #expect(report.valid && report.signatures.first?.signer == "Hồ Sĩ Long", "\(report)")
            }
        }
    }
}
