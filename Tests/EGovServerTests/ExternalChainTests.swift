@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import X509

/// The locality's issuing CA made subordinate to an outside CA, played here by openssl: the platform's signing
/// request, the outside CA's answer checked before anything changes, and certificates issued before and after
/// the import verifying to the outside root with `openssl verify`.
@Suite("PKI: an outside CA chain")
struct ExternalChainTests {
    @Test("egov pki csr and import-chain: the outside CA signs the request; old and new certificates chain to its root", arguments: TestDatabase.enabled)
    func importChain(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let (db, now, passphrase) = (egov.app.db, egov.clock.date, "mat-khau-CA-tinh-thu")
            try await CertificateAuthority.create(name: "Tỉnh Thử", passphrase: passphrase, at: now, on: db)
            let before = UserModel(username: "truoc.khi", fullName: "Người Cấp Trước", kind: .officer, email: nil, phone: nil, passwordHash: "x")
            let after = UserModel(username: "sau.khi", fullName: "Người Cấp Sau", kind: .officer, email: nil, phone: nil, passwordHash: "x")
            try await before.create(on: db)
            try await after.create(on: db)
            let early = try await CertificateAuthority.issue(for: .officer(before), unitName: "Sở Thử", pin: "123456", caPassphrase: passphrase,
                                                             at: now, on: db).certificate

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-chain-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
            func openssl(_ arguments: [String]) throws -> String {
                let result = try PKITests.openssl(arguments)
                #expect(result.status == 0, "openssl \(arguments.first ?? ""): \(result.output)")
                return result.output
            }

            // The request, signed with the issuing CA's key under its name.
            await #expect(throws: EGovError.self) { try await CertificateAuthority.signingRequest(caPassphrase: "sai", on: db) }
            try await CertificateAuthority.signingRequest(caPassphrase: passphrase, on: db).write(toFile: file("issuing.csr"), atomically: true, encoding: .utf8)
            let request = try openssl(["req", "-in", file("issuing.csr"), "-noout", "-verify", "-subject", "-nameopt", "utf8"])
            #expect(request.contains("verify OK") && request.contains("Tỉnh Thử – CA cấp chứng thư ký số"), "\(request)")

            // The outside CA: its root, and its answer as a CA certificate under the same name.
            try "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
                .write(toFile: file("ca.ext"), atomically: true, encoding: .utf8)
            _ = try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("root.key"), "-out", file("root.pem"), "-days", "3650",
                             "-utf8", "-subj", "/C=VN/O=Ban Cơ yếu Chính phủ (thử)/CN=CA gốc chuyên dùng (thử)",
                             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            _ = try openssl(["x509", "-req", "-in", file("issuing.csr"), "-CA", file("root.pem"), "-CAkey", file("root.key"), "-CAcreateserial",
                             "-days", "1825", "-extfile", file("ca.ext"), "-out", file("issuing.pem")])
            // The same name for a key that is not the platform's.
            let subject = try await CertificateAuthority.chain(on: db)[0].subject
            _ = try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", file("other.key"), "-out", file("other.csr"), "-utf8",
                             "-subj", "/C=VN/O=Tỉnh Thử/CN=Tỉnh Thử – CA cấp chứng thư ký số"])
            _ = try openssl(["x509", "-req", "-in", file("other.csr"), "-CA", file("root.pem"), "-CAkey", file("root.key"), "-CAcreateserial",
                             "-days", "1825", "-extfile", file("ca.ext"), "-out", file("other.pem")])
            let (issuingPEM, rootPEM, otherPEM) = try (String(contentsOfFile: file("issuing.pem"), encoding: .utf8),
                                                       String(contentsOfFile: file("root.pem"), encoding: .utf8),
                                                       String(contentsOfFile: file("other.pem"), encoding: .utf8))
            #expect(try Certificate(pemEncoded: otherPEM).subject == subject)

            // openssl's certificates start today, after the test clock's date: the import checks them at the real time.
            let today = Date()

            // Refused, with the chain unchanged: a wrong passphrase, the root missing, the order swapped, another key.
            let original = try await CertificateAuthority.chainPEM(on: db)
            for (pem, secret, why) in [(issuingPEM + rootPEM, "sai", "không đúng"), (issuingPEM, passphrase, "hai chứng thư"),
                                       (rootPEM + issuingPEM, passphrase, "không cấp cho khóa"), (otherPEM + rootPEM, passphrase, "không cấp cho khóa"),
                                       ("không phải PEM", passphrase, "PEM")] {
                do {
                    try await CertificateAuthority.importChain(pem: pem, caPassphrase: secret, at: today, on: db)
                    Issue.record("imported: \(why)")
                } catch let error as EGovError {
                    #expect("\(error)".contains(why), "\(error)")
                }
            }
            await #expect(throws: EGovError.self) {
                try await CertificateAuthority.importChain(pem: issuingPEM + rootPEM, caPassphrase: passphrase, at: today + 20 * 365 * 86_400, on: db)
            }
            #expect(try await CertificateAuthority.chainPEM(on: db) == original)

            try await CertificateAuthority.importChain(pem: issuingPEM + rootPEM, caPassphrase: passphrase, at: today, on: db)
            let chain = try await CertificateAuthority.chain(on: db)
            let (root, issuing) = (try Certificate(pemEncoded: rootPEM), try Certificate(pemEncoded: issuingPEM))
            #expect(chain.count == 2 && chain.last == root && chain.first == issuing)

            // Certificates issued before and after the import verify to the outside root, through the new issuing certificate.
            let late = try await CertificateAuthority.issue(for: .officer(after), unitName: "Sở Thử", pin: "654321", caPassphrase: passphrase,
                                                            at: now, on: db).certificate
            try early.certificatePEM.write(toFile: file("early.pem"), atomically: true, encoding: .utf8)
            try late.certificatePEM.write(toFile: file("late.pem"), atomically: true, encoding: .utf8)
            let verified = try openssl(["verify", "-CAfile", file("root.pem"), "-untrusted", file("issuing.pem"), file("early.pem"), file("late.pem")])
            #expect(verified.contains("early.pem: OK") && verified.contains("late.pem: OK"), "\(verified)")
            // The CRL the issuing CA signed before the import verifies under its new certificate.
            try await CertificateAuthority.crlPEM(on: db).write(toFile: file("crl.pem"), atomically: true, encoding: .utf8)
            #expect(try openssl(["crl", "-in", file("crl.pem"), "-noout", "-CAfile", file("issuing.pem")]).contains("verify OK"))
        }
    }
}
