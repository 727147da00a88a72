import Crypto
@testable import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Issue 13 §3b: the locality's RFC 3161 time-stamping authority, checked with `openssl ts`, and the
/// signature time-stamp on PDF signatures (PAdES B-T).
@Suite("Time-stamping authority (RFC 3161) and PAdES B-T")
struct TimeStampTests {
    static let query = HTTPMediaType(type: "application", subType: "timestamp-query")

    @Test("openssl ts makes a request, the TSA answers, openssl ts -verify accepts the token; bad requests are rejected with a reason",
          arguments: TestDatabase.enabled)
    func openSSLAcceptsTokens(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
            defer { tools.remove() }
            func path(_ name: String) -> String { tools.dir.appendingPathComponent(name).path }
            func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
                let result = try Backup.capture("openssl", arguments)
                return (result.status, result.output)
            }
            func ask(_ request: [UInt8], type: HTTPMediaType = Self.query) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/pki/tsa", bytes: request, contentType: type)
            }
            _ = try tools.write(Array("Biên bản kiểm tra công vụ".utf8), "data.txt")

            // With -cert: the token carries the TSA's certificate; the chain is the locality CA's.
            #expect(try openssl(["ts", "-query", "-data", path("data.txt"), "-sha256", "-cert", "-out", path("q.tsq")]).status == 0)
            let query = try Array(Data(contentsOf: URL(fileURLWithPath: path("q.tsq"))))
            let answer = try await ask(query)
            #expect(answer.status == .ok && answer.headers.contentType?.subType == "timestamp-reply")
            _ = try tools.write(Array(answer.body.readableBytesView), "r.tsr")
            let text = try openssl(["ts", "-reply", "-in", path("r.tsr"), "-text"]).output
            #expect(text.contains("Status: Granted") && text.contains(TimeStampAuthority.policy), "\(text)")
            #expect(text.contains("Nonce: 0x") && !text.contains("Nonce: unspecified"), "the nonce is not echoed: \(text)")
            let verified = try openssl(["ts", "-verify", "-in", path("r.tsr"), "-queryfile", path("q.tsq"), "-CAfile", tools.root.path,
                                        "-untrusted", tools.issuing.path])
            #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")
            // Against other data, the same token fails.
            _ = try tools.write(Array("Biên bản đã sửa".utf8), "other.txt")
            let other = try openssl(["ts", "-verify", "-in", path("r.tsr"), "-data", path("other.txt"), "-CAfile", tools.root.path,
                                     "-untrusted", tools.issuing.path])
            #expect(other.status != 0 && !other.output.contains("Verification: OK"), "\(other.output)")

            // Without -cert, the certificate is left out; it is published at /api/v1/pki/tsa.pem.
            #expect(try openssl(["ts", "-query", "-data", path("data.txt"), "-sha256", "-out", path("q2.tsq")]).status == 0)
            let bare = try await ask(try Array(Data(contentsOf: URL(fileURLWithPath: path("q2.tsq")))))
            _ = try tools.write(Array(bare.body.readableBytesView), "r2.tsr")
            let tsaPEM = try await egov.send(.GET, "/api/v1/pki/tsa.pem")
            #expect(tsaPEM.status == .ok && tsaPEM.body.string.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let tsaText = tsaPEM.body.string.hasSuffix("\n") ? tsaPEM.body.string : tsaPEM.body.string + "\n"
            _ = try tools.write(Array((tsaText + (try String(contentsOf: tools.issuing, encoding: .utf8))).utf8), "untrusted.pem")
            let verifiedBare = try openssl(["ts", "-verify", "-in", path("r2.tsr"), "-queryfile", path("q2.tsq"), "-CAfile", tools.root.path,
                                            "-untrusted", path("untrusted.pem")])
            #expect(verifiedBare.status == 0 && verifiedBare.output.contains("Verification: OK"), "\(verifiedBare.output)")
            let certificateText = try openssl(["x509", "-in", path("untrusted.pem"), "-noout", "-text"]).output
            #expect(certificateText.contains("Time Stamping") && certificateText.contains("critical"), "\(certificateText)")

            // SHA-1 is refused (bad algorithm), as is garbage (bad data format): a TimeStampResp with status rejection.
            #expect(try openssl(["ts", "-query", "-data", path("data.txt"), "-sha1", "-out", path("q3.tsq")]).status == 0)
            _ = try tools.write(Array(try await ask(try Array(Data(contentsOf: URL(fileURLWithPath: path("q3.tsq")))))
                .body.readableBytesView), "r3.tsr")
            let sha1 = try openssl(["ts", "-reply", "-in", path("r3.tsr"), "-text"]).output
            #expect(sha1.contains("Status: Rejected") && sha1.contains("unrecognized or unsupported algorithm"), "\(sha1)")
            _ = try tools.write(Array(try await ask(Array("not a request".utf8)).body.readableBytesView), "r4.tsr")
            let garbage = try openssl(["ts", "-reply", "-in", path("r4.tsr"), "-text"]).output
            #expect(garbage.contains("Status: Rejected") && garbage.contains("has the wrong format"), "\(garbage)")
            // Another content type is not a time-stamp request.
            #expect(try await ask(query, type: .json).status == .badRequest)
        }
    }

    @Test("a PDF signature carries a signature time-stamp over its value that openssl ts -verify accepts (PAdES B-T)",
          arguments: TestDatabase.enabled)
    func pdfSignatureIsTimeStamped(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
            defer { tools.remove() }
            let signed = try await egov.send(.POST, "/api/v1/signatures/pdf", token: try await egov.token(SignatureTests.leader),
                                             bytes: TestPDF.make(), contentType: .pdf,
                                             headers: SignatureTests.pdfHeaders(pin: try egov.signingPIN(SignatureTests.leader)))
            #expect(signed.status == .ok, "\(signed.body.string)")
            let found = try #require(try PDFSignatures(Array(signed.body.readableBytesView)).found.first)
            let cms = try #require(found.cms)
            let token = try #require(cms.timeStampToken, "no signature-time-stamp attribute")
            _ = try tools.write(cms.signature, "signature.bin")
            _ = try tools.write(token, "token.der")
            let verified = try Backup.capture("openssl", ["ts", "-verify", "-in", tools.dir.appendingPathComponent("token.der").path, "-token_in",
                                                          "-data", tools.dir.appendingPathComponent("signature.bin").path,
                                                          "-CAfile", tools.root.path, "-untrusted", tools.issuing.path])
            #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")

            // The platform's verification takes the signing time from the token, and says so.
            let parsed = try TimeStampToken(token)
            let report = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(signed.body.readableBytesView), contentType: .pdf)
                .content.decode(SignatureService.Report.self)
            #expect(report.valid && report.signatures.first?.timeStamped == true)
            #expect(report.signatures.first?.signedAt.map { abs($0.timeIntervalSince(parsed.genTime)) < 0.001 } == true)
            #expect(report.signatures.first?.signedAt.map { abs($0.timeIntervalSince(egov.app.egov.clock.now())) < 2 } == true)
            // A token is only as good as its imprint: over another signature value, it does not hold.
            let anchors = try await TrustedAuthorities.anchors(on: egov.app.db)
            #expect(parsed.holds(for: cms.signature, anchors: anchors))
            #expect(!parsed.holds(for: cms.signature.reversed(), anchors: anchors))
            // Nor when no CA trusted here leads to its TSA.
            #expect(!parsed.holds(for: cms.signature, anchors: []))

            // Three years on, the officer's two-year certificate has expired: it signs no more, but the time-stamped
            // signature still verifies as made while it was valid.
            try egov.setVietnamTime(2029, 12, 1, hour: 9)
            let later = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(signed.body.readableBytesView), contentType: .pdf)
                .content.decode(SignatureService.Report.self)
            #expect(later.valid && later.signatures.first?.certificateStatus == "valid" && later.signatures.first?.timeStamped == true)
            let refused = try await egov.send(.POST, "/api/v1/signatures/pdf", token: try await egov.token(SignatureTests.leader),
                                              bytes: TestPDF.make(), contentType: .pdf,
                                              headers: SignatureTests.pdfHeaders(pin: try egov.signingPIN(SignatureTests.leader)))
            #expect(refused.status == .forbidden, "\(refused.body.string)")
        }
    }

    @Test("each audit seal carries the TSA's token over its hash; openssl ts -verify -digest accepts it; a changed token is named",
          arguments: TestDatabase.enabled)
    func auditSealsAreTimeStamped(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try SignatureTests.Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: false)
            defer { tools.remove() }
            try await AuditLog.record(AuditEntry(actorID: nil, actorName: "test", unitCode: nil, action: "test.action", target: "t",
                                                 clientAddress: nil, summary: "x"), at: egov.clock.date, on: egov.app.db)
            let stamper = try #require(try await TimeStampAuthority.stamper(secrets: egov.app.egov.secrets, on: egov.app.db))
            egov.clock.date += 5
            while try await AuditLog.seal(on: egov.app.db, now: egov.clock.date) > 0 {}
            #expect(try await AuditSealModel.query(on: egov.app.db).sort(\.$sequence, .descending).first()?.timeStampToken == nil)
            let signatures = egov.app.egov.signatures, db = egov.app.db
            #expect(try await AuditLog.timeStampSeals(on: db) { try await signatures.timeStampToken(sha256: $0, on: db) } >= 1)
            let seal = try #require(try await AuditSealModel.query(on: egov.app.db).sort(\.$sequence, .descending).first())
            let token = try #require(seal.timeStampToken.flatMap { Data(base64Encoded: $0) })
            _ = try tools.write(Array(token), "seal.tst")
            let tsa = try #require(try await TimeStampAuthority.certificatePEM(on: egov.app.db))
            _ = try tools.write(Array((tsa + "\n" + (try String(contentsOf: tools.issuing, encoding: .utf8))).utf8), "untrusted.pem")
            let verified = try Backup.capture("openssl", ["ts", "-verify", "-digest", seal.hash, "-in", tools.dir.appendingPathComponent("seal.tst").path,
                                                          "-token_in", "-CAfile", tools.root.path,
                                                          "-untrusted", tools.dir.appendingPathComponent("untrusted.pem").path])
            #expect(verified.status == 0 && verified.output.contains("Verification: OK"), "\(verified.output)")
            var result = try await AuditLog.verify(on: egov.app.db)
            #expect(result.isIntact && result.timeStampedSeals >= 1, "\(result.problems)")

            // A token for another hash, put in place of the seal's own, is named.
            seal.timeStampToken = Data(try stamper.token(sha256: Array(SHA256.hash(data: Data("another seal".utf8))), at: egov.clock.date))
                .base64EncodedString()
            try await seal.save(on: egov.app.db)
            result = try await AuditLog.verify(on: egov.app.db)
            #expect(result.problems == [.badTimeStamp(seal.sequence)], "\(result.problems)")
        }
    }

    @Test("egov pki init's set-up: the CA and the TSA once each; an installation from before the TSA gets one; a wrong passphrase opens nothing",
          arguments: TestDatabase.enabled)
    func setUp(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let secrets = egov.app.egov.secrets, db = egov.app.db
            let passphrase = "mật khẩu CA của tỉnh thử nghiệm"
            let first = try await CertificateAuthority.setUp(passphrase: passphrase, secrets: secrets, at: egov.clock.date, on: db)
            #expect(first.createdAuthority && first.createdTimeStampAuthority)
            #expect(try await TimeStampAuthority.stamper(secrets: secrets, on: db) != nil)
            await #expect(throws: EGovError.self) {
                try await CertificateAuthority.setUp(passphrase: "not the passphrase", secrets: secrets, at: egov.clock.date, on: db)
            }
            // An installation whose CA predates the TSA.
            for model in try await AuthorityModel.query(on: db).all() where model.kind == AuthorityModel.Kind.tsa.rawValue {
                try await model.delete(on: db)
            }
            let again = try await CertificateAuthority.setUp(passphrase: passphrase, secrets: secrets, at: egov.clock.date, on: db)
            #expect(!again.createdAuthority && again.createdTimeStampAuthority)
            #expect(try await AuthorityModel.query(on: db).count() == 3)
        }
    }
}
