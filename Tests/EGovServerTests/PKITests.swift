@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// The locality's PKI, first slice: the CA created on the demo's first start, officers' signing
/// certificates, keys sealed under the CA passphrase and the PINs, all checked with `openssl`.
@Suite("PKI: the locality CA and officers' certificates")
struct PKITests {
    /// Runs `openssl` with `arguments`; its output and exit status.
    static func openssl(_ arguments: [String]) throws -> (output: String, status: Int32) {
        try Backup.capture("openssl", arguments)
    }

    struct Certificates: Decodable {
        struct Item: Decodable { let serial, subject, status, pem: String; let notBefore, notAfter: Date }
        let items: [Item]
    }

    @Test("the demo's first start creates the CA and a certificate per officer that openssl verifies", arguments: TestDatabase.enabled)
    func demoFirstStart(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            var configuration = egov.app.egov.configuration
            configuration.initialPack = TestInstallation.demoPack
            let services = PlatformServices(configuration: configuration, secrets: egov.app.egov.secrets, clock: egov.app.egov.clock,
                                            modules: egov.app.egov.modules, threadPool: egov.app.threadPool)
            _ = try await InstallationSetup(services: services).run(on: egov.app.db, logger: egov.app.logger)
            let folder = configuration.dataDirectory
            let passphraseFile = folder.appendingPathComponent("demo-ca-passphrase.txt")
            #expect((try FileManager.default.attributesOfItem(atPath: passphraseFile.path)[.posixPermissions] as? Int) == 0o600)
            let passphrase = try String(contentsOf: passphraseFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let lines = try String(contentsOf: folder.appendingPathComponent("demo-users.txt"), encoding: .utf8).split(separator: "\n")
            let leader = try #require(lines.map { $0.split(separator: " ").map(String.init) }.first { $0[0] == "chutich.benthuy" })

            // The chain is public; the leader reads their own certificate.
            let chain = try await egov.send(.GET, "/api/v1/pki/ca.pem")
            #expect(chain.status == .ok && chain.headers.contentType?.description == "application/x-pem-file")
            let pems = chain.body.string.components(separatedBy: "-----END CERTIFICATE-----").filter { $0.contains("BEGIN") }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + "\n-----END CERTIFICATE-----\n" }
            #expect(pems.count == 2)
            let token = try await egov.token("chutich.benthuy", password: leader[3])
            let list = try await egov.send(.GET, "/api/v1/pki/certificates?user=chutich.benthuy", token: token)
                .content.decode(Certificates.self)
            let certificate = try #require(list.items.first)
            #expect(list.items.count == 1 && certificate.status == "valid" && certificate.subject.contains("Hồ Sĩ Long"))
            #expect(certificate.notAfter > certificate.notBefore)
            // Another unit's officer may not list it; nobody signed out may.
            let other = try await egov.token("chutich.vanson", password: try #require(lines.map { $0.split(separator: " ").map(String.init) }
                .first { $0[0] == "chutich.vanson" })[3])
            #expect(try await egov.send(.GET, "/api/v1/pki/certificates?user=chutich.benthuy", token: other).status == .forbidden)
            #expect(try await egov.send(.GET, "/api/v1/pki/certificates?user=chutich.benthuy").status == .unauthorized)

            // openssl, independently: the chain holds, the leaf signs documents and is no CA.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-pki-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let (issuing, root, leaf) = (dir.appendingPathComponent("issuing.pem"), dir.appendingPathComponent("root.pem"),
                                         dir.appendingPathComponent("leaf.pem"))
            try pems[0].write(to: issuing, atomically: true, encoding: .utf8)
            try pems[1].write(to: root, atomically: true, encoding: .utf8)
            try certificate.pem.write(to: leaf, atomically: true, encoding: .utf8)
            let verified = try Self.openssl(["verify", "-CAfile", root.path, "-untrusted", issuing.path, leaf.path])
            #expect(verified.status == 0 && verified.output.contains(": OK"), "\(verified.output)")
            let text = try Self.openssl(["x509", "-in", leaf.path, "-noout", "-text"]).output
            #expect(text.contains("Digital Signature, Non Repudiation") && text.contains("CA:FALSE") && text.contains("sha256WithRSAEncryption"))
            #expect(text.contains("Public-Key: (2048 bit)"))
            // Without the issuing CA the leaf does not verify, and the leaf vouches for nothing.
            #expect(try Self.openssl(["verify", "-CAfile", root.path, leaf.path]).status != 0)
            #expect(try Self.openssl(["verify", "-CAfile", leaf.path, issuing.path]).status != 0)

            // The keys: the CA's opens only with its passphrase, the leader's only with the PIN.
            try await CertificateAuthority.checkPassphrase(passphrase, on: egov.app.db)
            await #expect(throws: EGovError.self) { try await CertificateAuthority.checkPassphrase(passphrase + "x", on: egov.app.db) }
            let stored = try #require(try await SigningCertificateModel.query(on: egov.app.db).filter(\.$serial == certificate.serial).first())
            #expect(try SealedSecret.from(json: stored.sealedKey).open(with: leader[4]).count > 1000)
            #expect(throws: SealedSecret.WrongSecret.self) { try SealedSecret.from(json: stored.sealedKey).open(with: "000000") }
            #expect(!stored.sealedKey.contains("PRIVATE"))

            // Revocation: by an account manager with the CA passphrase; the CRL says so, and openssl agrees.
            let adminPassword = try #require(try String(contentsOf: folder.appendingPathComponent("initial-admin.txt"), encoding: .utf8)
                .split(separator: "\n").last?.split(separator: " ").last.map(String.init))
            let admin = try await egov.token("admin", password: adminPassword)
            let revokePath = "/api/v1/pki/certificates/\(certificate.serial)/revoke"
            let wrong = try await egov.send(.POST, revokePath, token: admin, json: #"{"reason":"keyCompromise","caPassphrase":"sai"}"#)
            #expect(wrong.status == .badRequest && wrong.body.string.contains("không đúng"))
            #expect(try await egov.send(.POST, revokePath, token: admin, json: #"{"reason":"stolen","caPassphrase":"x"}"#).status == .badRequest)
            #expect(try await egov.send(.POST, revokePath, token: other, json: #"{"reason":"keyCompromise","caPassphrase":"x"}"#).status == .forbidden)
            #expect(try await egov.send(.POST, "/api/v1/pki/certificates/00ff/revoke", token: admin, json: "{}").status == .notFound)
            #expect(stored.status == "valid")
            let body = #"{"reason":"keyCompromise","caPassphrase":"\#(passphrase)"}"#
            let revoked = try await egov.send(.POST, revokePath, token: admin, json: body)
            #expect(revoked.status == .ok && revoked.body.string.contains(#""status":"revoked""#), "\(revoked.body.string)")
            #expect(try await egov.send(.POST, revokePath, token: admin, json: body).status == .conflict)
            let crl = try await egov.send(.GET, "/api/v1/pki/crl.pem")
            #expect(crl.status == .ok)
            let crlFile = dir.appendingPathComponent("crl.pem")
            try crl.body.string.write(to: crlFile, atomically: true, encoding: .utf8)
            let crlText = try Self.openssl(["crl", "-in", crlFile.path, "-noout", "-text"]).output
            #expect(crlText.contains(certificate.serial.uppercased()) && crlText.contains("Key Compromise") && crlText.contains("X509v3 CRL Number"),
                    "\(crlText)")
            #expect(try Self.openssl(["crl", "-in", crlFile.path, "-noout", "-CAfile", issuing.path]).output.contains("verify OK"))
            let check = ["verify", "-crl_check", "-CAfile", root.path, "-untrusted", issuing.path, "-CRLfile", crlFile.path]
            let refused = try Self.openssl(check + [leaf.path])
            #expect(refused.status != 0 && refused.output.contains("certificate revoked"), "\(refused.output)")
            let live = try await egov.send(.GET, "/api/v1/pki/certificates?user=chutich.vanson", token: other).content.decode(Certificates.self)
            let liveFile = dir.appendingPathComponent("live.pem")
            try (try #require(live.items.first)).pem.write(to: liveFile, atomically: true, encoding: .utf8)
            let accepted = try Self.openssl(check + [liveFile.path])
            #expect(accepted.status == 0 && accepted.output.contains(": OK"), "\(accepted.output)")
        }
    }

    @Test("a wrong CA passphrase issues nothing and says so clearly", arguments: TestDatabase.enabled)
    func wrongPassphrase(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let now = egov.clock.date
            try await CertificateAuthority.create(name: "Tỉnh Thử", passphrase: "dung-mat-khau-CA", at: now, on: egov.app.db)
            let user = UserModel(username: "thu.nghiem", fullName: "Người Thử", kind: .officer, email: nil, phone: nil, passwordHash: "x")
            try await user.create(on: egov.app.db)
            do {
                try await CertificateAuthority.issue(for: .officer(user), unitName: "Đơn vị", pin: "123456", caPassphrase: "sai", at: now, on: egov.app.db)
                Issue.record("issued with a wrong passphrase")
            } catch let error as EGovError {
                #expect("\(error)".contains("Mật khẩu của tổ chức chứng thực (CA) không đúng"))
            }
            #expect(try await SigningCertificateModel.query(on: egov.app.db).count() == 0)
            let issued = try await CertificateAuthority.issue(for: .officer(user), unitName: "Đơn vị", pin: "123456", caPassphrase: "dung-mat-khau-CA",
                                                              at: now, on: egov.app.db).certificate
            #expect(issued.status == "valid")
            // Two revocations at once: each CRL is published after the other, so the last lists both.
            let colleague = UserModel(username: "thu.nghiem2", fullName: "Người Thử Hai", kind: .officer, email: nil, phone: nil, passwordHash: "x")
            try await colleague.create(on: egov.app.db)
            let second = try await CertificateAuthority.issue(for: .officer(colleague), unitName: "Đơn vị", pin: "654321", caPassphrase: "dung-mat-khau-CA",
                                                              at: now, on: egov.app.db).certificate
            let db = egov.app.db
            async let first = CertificateAuthority.revoke(serial: issued.serial, reason: .superseded, caPassphrase: "dung-mat-khau-CA", at: now, on: db)
            async let other = CertificateAuthority.revoke(serial: second.serial, reason: .keyCompromise, caPassphrase: "dung-mat-khau-CA", at: now, on: db)
            _ = try await (first, other)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("egov-crl-\(UUID().uuidString).pem")
            defer { try? FileManager.default.removeItem(at: file) }
            try await CertificateAuthority.crlPEM(on: db).write(to: file, atomically: true, encoding: .utf8)
            let text = try Self.openssl(["crl", "-in", file.path, "-noout", "-text"]).output
            #expect(text.components(separatedBy: "Serial Number:").count == 3, "\(text)")
            #expect(text.contains("Superseded") && text.contains("Key Compromise"))
            #expect(text.replacingOccurrences(of: " ", with: "").contains("X509v3CRLNumber:\n3"), "\(text)")
        }
    }
}
