import Crypto
@testable import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting
import X509

/// Issue 13 §3b: an outside time-stamping authority (`EGOV_TSA_URL`) in place of the locality's own. The outside
/// TSA here is a second installation, with a CA of its own, serving `/api/v1/pki/tsa` on loopback.
@Suite("An outside time-stamping authority (EGOV_TSA_URL)")
struct ExternalTimeStampTests {
    @Test("signatures and audit seals are stamped by the outside TSA once its CA is trusted; openssl ts -verify accepts its tokens with its CA only; an untrusted, skewed or unreachable TSA refuses the signature with a reason",
          arguments: TestDatabase.enabled)
    func outsideAuthority(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { outside in
            _ = try await CertificateAuthority.setUp(passphrase: "CA của tỉnh bên cạnh", secrets: outside.app.egov.secrets,
                                                     at: outside.clock.date, on: outside.app.db)
            try await outside.app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(outside.app.http.server.shared.localAddress?.port)
            let outsideChain = try await CertificateAuthority.chainPEM(on: outside.app.db)
            let outsideTSA = try #require(try await TimeStampAuthority.certificatePEM(on: outside.app.db))

            try await TestInstallation.with(database, configure: { $0.timeStampAuthorityURL = "http://127.0.0.1:\(port)/api/v1/pki/tsa" }) { egov in
                let tools = try SignatureTests.Tools(chainPEM: outsideChain, nss: false)
                defer { tools.remove() }
                let own = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
                defer { own.remove() }
                let token = try await egov.token(SignatureTests.leader)
                let headers = SignatureTests.pdfHeaders(pin: try egov.signingPIN(SignatureTests.leader))
                func sign() async throws -> TestingHTTPResponse {
                    try await egov.send(.POST, "/api/v1/signatures/pdf", token: token, bytes: TestPDF.make(), contentType: .pdf, headers: headers)
                }

                // The outside CA is not trusted here yet: its token is refused, and so the signature, with the reason.
                let untrusted = try await sign()
                #expect(untrusted.status == .serviceUnavailable, "\(untrusted.body.string)")
                #expect(untrusted.body.string.contains("CA được tin cậy"), "\(untrusted.body.string)")

                _ = try await TrustedAuthorities.add(pem: outsideChain, by: "admin", at: egov.clock.date, on: egov.app.db)
                let signed = try await sign()
                #expect(signed.status == .ok, "\(signed.body.string)")
                let pdf = Array(signed.body.readableBytesView)
                let cms = try #require(try PDFSignatures(pdf).found.first?.cms)
                let der = try #require(cms.timeStampToken, "no signature-time-stamp attribute")
                let stamped = try TimeStampToken(der)
                #expect(try stamped.cms.signer == Certificate(pemEncoded: outsideTSA), "the token is not the outside TSA's")
                // openssl ts -verify: with the outside CA the token holds over the signature value; with the locality's own it does not.
                _ = try tools.write(cms.signature, "signature.bin")
                _ = try tools.write(der, "token.der")
                func verify(against ca: SignatureTests.Tools) throws -> (status: Int32, output: String) {
                    let result = try Backup.capture("openssl", ["ts", "-verify", "-in", tools.dir.appendingPathComponent("token.der").path, "-token_in",
                                                                "-data", tools.dir.appendingPathComponent("signature.bin").path,
                                                                "-CAfile", ca.root.path, "-untrusted", ca.issuing.path])
                    return (result.status, result.output)
                }
                let accepted = try verify(against: tools)
                #expect(accepted.status == 0 && accepted.output.contains("Verification: OK"), "\(accepted.output)")
                #expect(try verify(against: own).status != 0)
                // The platform's verification: valid, time-stamped, at the token's time.
                let report = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: pdf, contentType: .pdf)
                    .content.decode(SignatureService.Report.self)
                #expect(report.valid && report.signatures.first?.timeStamped == true, "\(report)")
                #expect(report.signatures.first?.signedAt.map { abs($0.timeIntervalSince(stamped.genTime)) < 0.001 } == true)

                // Audit seals: sealed in their own transaction, then stamped by the outside TSA.
                try await AuditLog.record(AuditEntry(actorName: "test", action: "test.action", target: "t", summary: "x"),
                                          at: egov.clock.date, on: egov.app.db)
                egov.clock.date += 5
                while try await AuditLog.seal(on: egov.app.db, now: egov.clock.date) > 0 {}
                let signatures = egov.app.egov.signatures, db = egov.app.db
                #expect(try await AuditLog.timeStampSeals(on: db) { try await signatures.timeStampToken(sha256: $0, on: db) } >= 1)
                let seal = try #require(try await AuditSealModel.query(on: db).sort(\.$sequence, .descending).first())
                let sealToken = try #require(seal.timeStampToken.flatMap { Data(base64Encoded: $0) })
                _ = try tools.write(Array(sealToken), "seal.tst")
                _ = try tools.write(Array((outsideTSA + "\n" + (try String(contentsOf: tools.issuing, encoding: .utf8))).utf8), "untrusted.pem")
                let sealVerified = try Backup.capture("openssl", ["ts", "-verify", "-digest", seal.hash, "-in", tools.dir.appendingPathComponent("seal.tst").path,
                                                                  "-token_in", "-CAfile", tools.root.path,
                                                                  "-untrusted", tools.dir.appendingPathComponent("untrusted.pem").path])
                #expect(sealVerified.status == 0 && sealVerified.output.contains("Verification: OK"), "\(sealVerified.output)")
                let audit = try await AuditLog.verify(on: db)
                #expect(audit.isIntact && audit.timeStampedSeals >= 1, "\(audit.problems)")

                // The TSA's clock an hour ahead of this server's: the token's time is not believed.
                outside.clock.date += 3600
                let skewed = try await sign()
                #expect(skewed.status == .serviceUnavailable && skewed.body.string.contains("15 phút"), "\(skewed.body.string)")
                outside.clock.date -= 3600

                // The TSA goes away: signing says so and nothing is signed; sealing goes on, and the seal waits for its token.
                await outside.app.server.shutdown()
                let unreachable = try await sign()
                #expect(unreachable.status == .serviceUnavailable && unreachable.body.string.contains("Không kết nối được"),
                        "\(unreachable.body.string)")
                try await AuditLog.record(AuditEntry(actorName: "test", action: "test.action", target: "t2", summary: "y"),
                                          at: egov.clock.date, on: db)
                egov.clock.date += 5
                #expect(try await AuditLog.seal(on: db, now: egov.clock.date) == 1)
                await #expect(throws: EGovError.self) {
                    try await AuditLog.timeStampSeals(on: db) { try await signatures.timeStampToken(sha256: $0, on: db) }
                }
                #expect(try await AuditSealModel.query(on: db).sort(\.$sequence, .descending).first()?.timeStampToken == nil)
            }
        }
    }

    @Test("a TSA's reply is read only when it grants a token: garbage, a rejection and a grant without a token each say why")
    func replies() throws {
        #expect(throws: ExternalTimeStampAuthority.Failure.self) { try ExternalTimeStampAuthority.token(inReply: Array("<html>".utf8)) }
        do {
            _ = try ExternalTimeStampAuthority.token(inReply: TimeStampAuthority.rejection(.badAlg))
            Issue.record("a rejection was taken")
        } catch {
            #expect(error.reason.vi.contains("từ chối") && error.reason.en.contains("status 2"))
        }
        do {
            _ = try ExternalTimeStampAuthority.token(inReply: DERBytes.wrap(0x30, [0x30, 0x03, 0x02, 0x01, 0x00]))
            Issue.record("a grant without a token was taken")
        } catch {
            #expect(error.reason.en.contains("no token"))
        }
        // The request is what openssl ts would send: version 1, a SHA-256 imprint, the nonce, certReq.
        let digest = Array(SHA256.hash(data: Data("hồ sơ".utf8)))
        let nonce = ExternalTimeStampAuthority.freshNonce()
        #expect(nonce.count == 8 && nonce[0] >= 0x01 && nonce[0] <= 0x7F)
        let request = try TimeStampAuthority.parse(try ExternalTimeStampAuthority.request(sha256: digest, nonce: nonce))
        #expect(request == TimeStampAuthority.Request(imprint: digest, nonce: nonce, certReq: true))
        #expect(ExternalTimeStampAuthority.isUsable("https://tsa.example.vn/tsa"))
        #expect(!ExternalTimeStampAuthority.isUsable("ftp://tsa.example.vn") && !ExternalTimeStampAuthority.isUsable("tsa.example.vn"))
    }
}
