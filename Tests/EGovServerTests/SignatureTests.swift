@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import X509

/// PDF signatures with officers' remote keys (issue 13, slice 2), checked with independent tools: poppler's
/// `pdfsig` (trusting the locality CA through an NSS database) and `openssl cms -verify`.
@Suite("Signatures: PAdES on PDF, PIN, verification")
struct SignatureTests {
    static let leader = "chutich.benthuy", other = "chutich.vanson"

    /// Whether pdfsig and certutil are installed. `.ci/run` installs them and sets `EGOV_TEST_REQUIRE_TOOLS=1`,
    /// so there their absence fails; on a developer's machine without them, the pdfsig checks are skipped.
    static var pdfsigAvailable: Bool { toolsAvailable(["pdfsig", "certutil"], from: "poppler-utils, libnss3-tools", for: "the pdfsig checks") }

    /// Whether the checking tools are installed; without them the checks `purpose` names are skipped with a
    /// note, unless `EGOV_TEST_REQUIRE_TOOLS=1` (as `.ci/run`, which installs them, sets it): then they fail.
    static func toolsAvailable(_ tools: [String], from packages: String, for purpose: String) -> Bool {
        let present = tools.allSatisfy { (try? Backup.capture("sh", ["-c", "command -v \($0)"]).status) == 0 }
        if !present { print("note: \(tools.joined(separator: " or ")) missing (Debian \(packages)): skipping \(purpose)") }
        return present || ProcessInfo.processInfo.environment["EGOV_TEST_REQUIRE_TOOLS"] == "1"
    }

    /// A scratch folder with the CA chain as files and an NSS database trusting the root, for pdfsig.
    struct Tools {
        let dir: URL
        let root: URL
        let issuing: URL
        let nss: String

        init(chainPEM: String, nss withNSS: Bool) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-sig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let pems = chainPEM.components(separatedBy: "-----END CERTIFICATE-----").filter { $0.contains("BEGIN") }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + "\n-----END CERTIFICATE-----\n" }
            guard pems.count == 2 else { throw TestSetupError("chain of \(pems.count)") }
            (issuing, root) = (dir.appendingPathComponent("issuing.pem"), dir.appendingPathComponent("root.pem"))
            try pems[0].write(to: issuing, atomically: true, encoding: .utf8)
            try pems[1].write(to: root, atomically: true, encoding: .utf8)
            let nssDir = dir.appendingPathComponent("nss")
            try FileManager.default.createDirectory(at: nssDir, withIntermediateDirectories: true)
            nss = "sql:" + nssDir.path
            for arguments in [["-N", "-d", nss, "--empty-password"], ["-A", "-d", nss, "-n", "root", "-t", "CT,C,C", "-i", root.path],
                              ["-A", "-d", nss, "-n", "issuing", "-t", ",,", "-i", issuing.path]] where withNSS {
                let result = try Backup.capture("certutil", arguments)
                guard result.status == 0 else { throw TestSetupError("certutil: \(result.output)") }
            }
        }

        func write(_ bytes: [UInt8], _ name: String) throws -> URL {
            let file = dir.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            return file
        }

        func pdfsig(_ file: URL) throws -> String {
            try Backup.capture("pdfsig", ["-nssdir", nss, file.path]).output
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    static func pdfHeaders(pin: String) -> HTTPHeaders { ["X-Signing-Pin": pin] }

    static let ward = "000.00.31.H99"

    /// A signature's `/Contents` in `pdf`, decoded: the DER SignedData, then the placeholder's zero padding.
    static func contents(of found: PDFSignatures.Found, in pdf: [UInt8]) throws -> [UInt8] {
        guard found.chunks.count == 2, let hex = String(bytes: pdf[(found.chunks[0].count + 1)..<(found.chunks[1].startIndex - 1)], encoding: .ascii),
              let decoded = [UInt8](hexDigits: hex.utf8), decoded.count > 4 else { throw TestSetupError("no /Contents") }
        return decoded
    }

    /// `pdf` signed through the API by the ward's leader, then with the ward's seal, each request with `query`
    /// added (e.g. `visible=true`): the file after each, both requests having succeeded.
    static func leaderThenSeal(_ pdf: [UInt8], query: String = "", in egov: TestInstallation) async throws -> (once: [UInt8], twice: [UInt8]) {
        let token = try await egov.token(leader)
        let first = try await egov.send(.POST, "/api/v1/signatures/pdf?\(query)", token: token, bytes: pdf, contentType: .pdf,
                                        headers: pdfHeaders(pin: try egov.signingPIN(leader)))
        #expect(first.status == .ok, "\(first.body.string)")
        let once = Array(first.body.readableBytesView)
        let second = try await egov.send(.POST, "/api/v1/signatures/pdf?seal=\(ward)&\(query)", token: token, bytes: once, contentType: .pdf,
                                         headers: pdfHeaders(pin: try egov.signingPIN("seal.\(ward)")))
        #expect(second.status == .ok, "\(second.body.string)")
        return (once, Array(second.body.readableBytesView))
    }

    @Test("a leader signs, then the ward seal, then another officer; pdfsig and openssl accept all three, a flipped byte fails", arguments: TestDatabase.enabled)
    func signAndVerify(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let tools = try Tools(chainPEM: try await CertificateAuthority.chainPEM(on: egov.app.db), nss: Self.pdfsigAvailable)
            defer { tools.remove() }
            let original = TestPDF.make(pages: ["Trang 1", "Trang 2"], padding: 2000)
            let token = try await egov.token(Self.leader)
            let first = try await egov.send(.POST, "/api/v1/signatures/pdf?reason=Ph%C3%AA%20duy%E1%BB%87t&location=B%E1%BA%BFn%20Th%E1%BB%A7y",
                                            token: token, bytes: original, contentType: .pdf, headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.leader)))
            #expect(first.status == .ok, "\(first.body.string)")
            #expect(first.headers.contentType == .pdf)
            let once = Array(first.body.readableBytesView)
            // An incremental update: the original bytes are untouched at the start.
            #expect(once.starts(with: original) && once.count > original.count)

            // Then the ward's seal (con dấu số), by its leader with the seal's own PIN.
            let ward = "000.00.31.H99"
            let sealPath = "/api/v1/signatures/pdf?seal=\(ward)"
            let sealPIN = try egov.signingPIN("seal.\(ward)")
            let sealed = try await egov.send(.POST, sealPath, token: token, bytes: once, contentType: .pdf,
                                             headers: Self.pdfHeaders(pin: sealPIN))
            #expect(sealed.status == .ok, "\(sealed.body.string)")
            let withSeal = Array(sealed.body.readableBytesView)
            // Another ward's leader and the administrator may not use that seal; the leader's own PIN does not open it.
            let otherToken = try await egov.token(Self.other)
            #expect(try await egov.send(.POST, sealPath, token: otherToken, bytes: once, contentType: .pdf,
                                        headers: Self.pdfHeaders(pin: sealPIN)).status == .forbidden)
            #expect(try await egov.send(.POST, sealPath, token: try await egov.token("admin"), bytes: once, contentType: .pdf,
                                        headers: Self.pdfHeaders(pin: sealPIN)).status == .forbidden)
            let ownPIN = try await egov.send(.POST, sealPath, token: token, bytes: once, contentType: .pdf,
                                             headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.leader) == sealPIN ? "x" : try egov.signingPIN(Self.leader)))
            #expect(ownPIN.status == .badRequest, "\(ownPIN.body.string)")
            #expect(try await egov.send(.POST, "/api/v1/signatures/pdf?seal=000.00.00.X00", token: token, bytes: once, contentType: .pdf,
                                        headers: Self.pdfHeaders(pin: sealPIN)).status == .notFound)

            let second = try await egov.send(.POST, "/api/v1/signatures/pdf", token: otherToken, bytes: withSeal,
                                             contentType: .pdf, headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.other)))
            #expect(second.status == .ok, "\(second.body.string)")
            let twice = Array(second.body.readableBytesView)
            #expect(twice.starts(with: withSeal))

            // pdfsig, trusting the locality root: both signatures valid, the certificates trusted.
            let withPdfsig = Self.pdfsigAvailable
            if withPdfsig {
                let report = try tools.pdfsig(try tools.write(twice, "twice.pdf"))
                #expect(report.components(separatedBy: "Signature is Valid").count - 1 == 3, "\(report)")
                #expect(report.components(separatedBy: "Certificate is Trusted").count - 1 == 3, "\(report)")
                #expect(report.contains("Common Name: Ủy ban nhân dân phường Bến Thủy"), "\(report)")
                #expect(report.contains("ETSI.CAdES.detached") && report.contains("Hồ Sĩ Long"), "\(report)")
                #expect(report.contains("Total document signed"), "\(report)")
            }

            // openssl cms, on the second signature's bytes: SignedData with signing-certificate-v2, chain to the root.
            let signatures = try PDFSignatures(twice)
            #expect(signatures.found.count == 3)
            let last = try #require(signatures.found.last)
            let content = try tools.write(Array(last.chunks.joined()), "content.bin")
            let padded = try Self.contents(of: last, in: twice)
            #expect(padded.count == PDFSigningUpdate.contentsCapacity && padded[0] == 0x30 && padded[1] == 0x82)
            let cms = try tools.write(Array(padded.prefix(4 + (Int(padded[2]) << 8 | Int(padded[3])))), "sig.der")
            let verified = try Backup.capture("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", cms.path, "-content", content.path,
                                                          "-CAfile", tools.root.path, "-purpose", "any", "-out", "/dev/null"])
            #expect(verified.status == 0 && verified.output.contains("Verification successful"), "\(verified.output)")
            let printed = try Backup.capture("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", cms.path]).output
            #expect(printed.contains("signingCertificateV2") && printed.contains("messageDigest") && !printed.contains("signingTime"), "\(printed)")

            // The platform's own verification agrees.
            let checked = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: twice, contentType: .pdf)
            #expect(checked.status == .ok, "\(checked.body.string)")
            let result = try checked.content.decode(SignatureService.Report.self)
            #expect(result.valid && result.signatures.count == 3)
            #expect(result.signatures[1].signer == result.signatures[1].unit && result.signatures[1].unit?.contains("Bến Thủy") == true)
            #expect(result.signatures.allSatisfy { $0.intact && $0.certificateStatus == "valid" })
            #expect(result.signatures.first?.signer == "Hồ Sĩ Long" && result.signatures.first?.unit != nil)
            #expect(result.signatures.first?.coversWholeDocument == false && result.signatures.last?.coversWholeDocument == true)
            #expect(result.signatures.first?.signedAt != nil)

            // One byte of the page text changed after signing: pdfsig and the platform both say so.
            var flipped = twice
            let at = try #require(PDFFile.firstIndex(of: Array("Trang 1".utf8), in: flipped, from: 0))
            flipped[at] = UInt8(ascii: "X")
            if withPdfsig {
                let broken = try tools.pdfsig(try tools.write(flipped, "flipped.pdf"))
                #expect(!broken.contains("Signature is Valid") && broken.contains("Digest Mismatch"), "\(broken)")
            }
            let refused = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: flipped, contentType: .pdf).content
                .decode(SignatureService.Report.self)
            #expect(!refused.valid && refused.signatures.allSatisfy { !$0.intact })

            // The public page shows the same verdict to a person, in Vietnamese.
            let browser = egov.browser()
            let pageForm = try await browser.get("/kiem-tra-chu-ky")
            #expect(pageForm.status == .ok && pageForm.body.string.contains("multipart/form-data"))
            let shown = try await browser.post("/kiem-tra-chu-ky", file: ("file", "ket-qua.pdf", "application/pdf", twice))
            #expect(shown.status == .ok && shown.body.string.contains("Văn bản còn nguyên vẹn và mọi chữ ký số đều hợp lệ."), "\(shown.status) \(shown.body.string.prefix(3000))")
            #expect(shown.body.string.contains("Hồ Sĩ Long") && shown.body.string.contains("Hợp lệ tại thời điểm ký"))
            let shownBroken = try await browser.post("/kiem-tra-chu-ky", file: ("file", "sua.pdf", "application/pdf", flipped))
            #expect(shownBroken.status == .ok && shownBroken.body.string.contains("Đã bị thay đổi"))
            let notPDFPage = try await browser.post("/kiem-tra-chu-ky", file: ("file", "a.txt", "text/plain", Array("xin chào".utf8)))
            #expect(notPDFPage.status == .badRequest && notPDFPage.body.string.contains("Vui lòng gửi tệp PDF hoặc tài liệu XML"))
            #expect(try await browser.post("/kiem-tra-chu-ky", file: ("file", "a.pdf", "application/pdf", twice), csrf: false).status == .forbidden)

            // Serials have their high bit clear (NSS does not find a signer whose serial needs a leading zero byte).
            let serials = try await SigningCertificateModel.query(on: egov.app.db).all().map(\.serial)
            #expect(!serials.isEmpty && serials.allSatisfy { ($0.first?.hexDigitValue ?? 8) < 8 }, "\(serials)")

            // The audit log names each signature.
            let audited = try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "signature.pdf").count()
            #expect(audited == 2)
            #expect(try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "signature.pdf.seal").filter(\.$unitCode == ward).count() == 1)
        }
    }

    @Test("five wrong PINs lock the key, even sent at once; a right PIN then signs nothing", arguments: TestDatabase.enabled)
    func pinLockout(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token(Self.leader)
            let pin = try egov.signingPIN(Self.leader)
            let wrong = pin == "000000" ? "111111" : "000000"
            let pdf = TestPDF.make()
            func sign(_ pin: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/signatures/pdf", token: token, bytes: pdf, contentType: .pdf, headers: Self.pdfHeaders(pin: pin))
            }
            let firstMiss = try await sign(wrong)
            #expect(firstMiss.status == .badRequest && firstMiss.body.string.contains("còn 4 lần thử"), "\(firstMiss.body.string)")
            // A right PIN clears the count.
            #expect(try await sign(pin).status == .ok)
            // Eight wrong guesses at once: exactly five are counted, then the key is locked.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await sign(wrong).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .badRequest }.count == 5 && statuses.filter { $0 == .forbidden }.count == 3, "\(statuses)")
            let locked = try await sign(pin)
            #expect(locked.status == .forbidden && locked.body.string.contains("đã bị khóa"), "\(locked.body.string)")
            // Without a PIN, or with a body that is no PDF: refused before any attempt is counted.
            #expect(try await egov.send(.POST, "/api/v1/signatures/pdf", token: token, bytes: pdf, contentType: .pdf).status == .badRequest)
            let other = try await egov.token(Self.other)
            let notPDF = try await egov.send(.POST, "/api/v1/signatures/pdf", token: other, bytes: Array("hello".utf8), contentType: .pdf,
                                             headers: Self.pdfHeaders(pin: wrong))
            #expect(notPDF.status == .badRequest && notPDF.body.string.contains("PDF"))
            let stored = try await SigningCertificateModel.query(on: egov.app.db).all()
            #expect(stored.filter { $0.pinFailures > 0 }.count == 1)
            // Signed out: 401.
            #expect(try await egov.send(.POST, "/api/v1/signatures/pdf", bytes: pdf, contentType: .pdf, headers: Self.pdfHeaders(pin: pin))
                .status == .unauthorized)
        }
    }

    @Test("a revoked certificate cannot sign, nor an expired one; each says why", arguments: TestDatabase.enabled)
    func revokedAndExpired(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let pdf = TestPDF.make()
            let leader = try #require(try await UserModel.query(on: egov.app.db).filter(\.$username == Self.leader).first())
            let certificate = try #require(try await SigningCertificateModel.query(on: egov.app.db).filter(\.$userID == leader.requireID()).first())
            // Signed before the revocation: still valid at its signing time.
            let before = try await egov.send(.POST, "/api/v1/signatures/pdf", token: try await egov.token(Self.leader), bytes: pdf,
                                             contentType: .pdf, headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.leader)))
            #expect(before.status == .ok)
            egov.clock.date += 3600
            try await CertificateAuthority.revoke(serial: certificate.serial, reason: .keyCompromise, caPassphrase: try egov.caPassphrase(),
                                                  at: egov.clock.date, on: egov.app.db)
            let revoked = try await egov.send(.POST, "/api/v1/signatures/pdf", token: try await egov.token(Self.leader), bytes: pdf,
                                              contentType: .pdf, headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.leader)))
            #expect(revoked.status == .forbidden && revoked.body.string.contains("thu hồi"), "\(revoked.body.string)")
            let earlier = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(before.body.readableBytesView), contentType: .pdf)
                .content.decode(SignatureService.Report.self)
            #expect(earlier.valid && earlier.signatures.first?.certificateStatus == "valid")

            // Three years on, the other officer's two-year certificate has expired.
            egov.clock.date += 3 * 365 * 86_400
            let expired = try await egov.send(.POST, "/api/v1/signatures/pdf", token: try await egov.token(Self.other), bytes: pdf,
                                              contentType: .pdf, headers: Self.pdfHeaders(pin: try egov.signingPIN(Self.other)))
            #expect(expired.status == .forbidden && expired.body.string.contains("hết hạn"), "\(expired.body.string)")
        }
    }

    @Test("an adbe.pkcs7.detached signature made with openssl cms -sign verifies as intact, names its signer, and is valid once its CA is trusted", arguments: TestDatabase.enabled)
    func foreignSignature(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-adbe-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            // Another province's CA and a signer under it, made with openssl.
            func file(_ name: String) -> String { dir.appendingPathComponent(name).path }
            let steps: [[String]] = [
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "3650", "-utf8",
                 "-subj", "/C=VN/O=Tỉnh Khác/CN=Tỉnh Khác – CA", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("key.pem"), "-out", file("leaf.csr"), "-utf8",
                 "-subj", "/C=VN/O=Sở Tư pháp tỉnh Khác/CN=Nguyễn Văn Ký"],
                ["x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "3650",
                 "-out", file("cert.pem"), "-extfile", file("leaf.ext")],
            ]
            try "keyUsage=critical,digitalSignature,nonRepudiation\n".write(toFile: file("leaf.ext"), atomically: true, encoding: .utf8)
            for step in steps {
                let made = try Backup.capture("openssl", step)
                #expect(made.status == 0, "\(made.output)")
            }
            let (key, cert) = (dir.appendingPathComponent("key.pem"), dir.appendingPathComponent("cert.pem"))
            // As iText-based tools do: an incremental update with a placeholder, then a PKCS #7 over the byte ranges.
            func signedElsewhere(at time: Date) throws -> [UInt8] {
                let options = PDFSigningUpdate.Options(subFilter: "adbe.pkcs7.detached", signingTime: time)
                let update = try PDFSigningUpdate(TestPDF.make(), options: options)
                let data = dir.appendingPathComponent("data.bin")
                try Data(update.signedChunks.joined()).write(to: data)
                let signature = dir.appendingPathComponent("sig.der")
                let signed = try Backup.capture("openssl", ["cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-signer", cert.path,
                                                            "-inkey", key.path, "-in", data.path, "-out", signature.path])
                #expect(signed.status == 0, "\(signed.output)")
                return try update.filled(with: Array(try Data(contentsOf: signature)))
            }
            let pdf = try signedElsewhere(at: egov.clock.date)

            let report = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: pdf, contentType: .pdf).content
                .decode(SignatureService.Report.self)
            let only = try #require(report.signatures.first)
            #expect(report.signatures.count == 1 && only.intact && only.subFilter == "adbe.pkcs7.detached")
            #expect(only.signer == "Nguyễn Văn Ký" && only.unit == "Sở Tư pháp tỉnh Khác" && only.signedAt != nil)
            // Its CA is not one this installation trusts yet.
            #expect(only.certificateStatus == "untrusted" && !report.valid)

            // An administrator trusts that CA (not its leaf, which is no CA; nobody else may): then it is valid.
            let admin = try await egov.token("admin")
            let caPEM = try String(contentsOfFile: file("ca.pem"), encoding: .utf8)
            func trust(_ pem: String, token: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/pki/trusted", token: token, bytes: Array(pem.utf8), contentType: HTTPMediaType(type: "application", subType: "x-pem-file"))
            }
            let notCA = try await trust(try String(contentsOfFile: file("cert.pem"), encoding: .utf8), token: admin)
            #expect(notCA.status == .badRequest && notCA.body.string.contains("không phải của một tổ chức chứng thực"), "\(notCA.body.string)")
            #expect(try await trust(caPEM, token: try await egov.token(Self.leader)).status == .forbidden)
            #expect(try await trust("không phải PEM", token: admin).status == .badRequest)
            let trusted = try await trust(caPEM, token: admin)
            #expect(trusted.status == .created, "\(trusted.body.string)")
            #expect(try await trust(caPEM, token: admin).status == .created) // kept once
            let listed = try await egov.send(.GET, "/api/v1/pki/trusted")
            #expect(listed.status == .ok && listed.body.string.components(separatedBy: "fingerprint").count == 2, "\(listed.body.string)")
            let nowTrusted = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: pdf, contentType: .pdf).content
                .decode(SignatureService.Report.self)
            #expect(nowTrusted.valid && nowTrusted.signatures.first?.certificateStatus == "valid", "\(nowTrusted)")

            // The outside CA revokes the leaf (openssl ca) and its CRL is added here: a signature claimed after the
            // revocation is "revoked".
            try "[ca]\ndefault_ca = outside\n[outside]\ndatabase = \(file("index.txt"))\ncrlnumber = \(file("crlnumber"))\ndefault_md = sha256\ndefault_crl_days = 30\n"
                .write(toFile: file("ca.cnf"), atomically: true, encoding: .utf8)
            try "".write(toFile: file("index.txt"), atomically: true, encoding: .utf8)
            try "01\n".write(toFile: file("crlnumber"), atomically: true, encoding: .utf8)
            for step in [["ca", "-config", file("ca.cnf"), "-keyfile", file("ca.key"), "-cert", file("ca.pem"), "-revoke", file("cert.pem"), "-crl_reason", "keyCompromise"],
                         ["ca", "-config", file("ca.cnf"), "-keyfile", file("ca.key"), "-cert", file("ca.pem"), "-gencrl", "-out", file("crl.pem")],
                         ["crl", "-in", file("crl.pem"), "-outform", "DER", "-out", file("crl.der")]] {
                let made = try Backup.capture("openssl", step)
                #expect(made.status == 0, "\(made.output)")
            }
            let later = try signedElsewhere(at: Date() + 3600)
            let crlType = HTTPMediaType(type: "application", subType: "pkix-crl")
            func addCRL(_ bytes: [UInt8], token: String) async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/pki/trusted/crl", token: token, bytes: bytes, contentType: crlType)
            }
            let der = Array(try Data(contentsOf: dir.appendingPathComponent("crl.der")))
            #expect(try await addCRL(der, token: try await egov.token(Self.leader)).status == .forbidden)
            var flipped = der
            flipped[flipped.count - 5] ^= 0x01 // in the signature: no trusted CA signed this
            for bad in [Array("không phải CRL".utf8), Array(der.prefix(der.count / 2)), flipped] {
                #expect(try await addCRL(bad, token: admin).status == .badRequest)
            }
            // The locality's own CRL is not an outside CA's.
            let own = try await addCRL(Array(try await egov.send(.GET, "/api/v1/pki/crl.pem").body.string.utf8), token: admin)
            #expect(own.status == .badRequest && own.body.string.contains("được tin cậy"), "\(own.body.string)")
            let added = try await addCRL(der, token: admin)
            #expect(added.status == .created && added.body.string.contains(#""revoked":1"#), "\(added.body.string)")
            #expect(try await addCRL(Array(try Data(contentsOf: dir.appendingPathComponent("crl.pem"))), token: admin).status == .conflict)
            let revoked = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: later, contentType: .pdf).content
                .decode(SignatureService.Report.self)
            #expect(!revoked.valid && revoked.signatures.first?.certificateStatus == "revoked", "\(revoked)")
            // The revocation's own time is what counts (a signature before it stays valid): it is read from the CRL.
            let leaf = try Certificate(pemEncoded: try String(contentsOfFile: file("cert.pem"), encoding: .utf8))
            let revokedAt = try #require(try await OutsideRevocation.revocationDate(of: leaf, on: egov.app.db))
            #expect(abs(revokedAt.timeIntervalSinceNow) < 600)
            #expect(try await SignatureService.status(of: leaf, bundled: [], at: revokedAt - 1, anchors: try await TrustedAuthorities.anchors(on: egov.app.db),
                                                      on: egov.app.db) != "revoked")

            // A changed byte in what was signed: not intact.
            var changed = pdf
            let at = try #require(PDFFile.firstIndex(of: Array("Quyet dinh".utf8), in: changed, from: 0))
            changed[at] = UInt8(ascii: "K")
            let broken = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: changed, contentType: .pdf).content
                .decode(SignatureService.Report.self)
            #expect(broken.signatures.first?.intact == false)
            // Not a PDF, or a PDF without signatures.
            #expect(try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array("xin chào".utf8), contentType: .plainText).status == .badRequest)
            let unsigned = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: TestPDF.make(), contentType: .pdf).content
                .decode(SignatureService.Report.self)
            #expect(!unsigned.valid && unsigned.signatures.isEmpty)
        }
    }

    @Test("hostile PDFs: deep nesting, huge numbers, broken ranges and truncation are refused or reported, never a crash",
          arguments: TestDatabase.enabled)
    func hostilePDFs(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let good = TestPDF.make()
            let trailerAt = try #require(PDFFile.lastIndex(of: Array("trailer".utf8), in: good))
            func sig(_ byteRange: String, _ contents: String = "<3000>") -> [UInt8] {
                good + Array("99 0 obj\n<< /Type /Sig /ByteRange [\(byteRange)] /Contents \(contents) >>\nendobj\n".utf8)
            }
            var wrongTable = good
            let firstEntry = try #require(PDFFile.firstIndex(of: Array("65535 f\r\n".utf8), in: good, from: 0)) + 9
            wrongTable.replaceSubrange(firstEntry..<(firstEntry + 10), with: Array("0000000001".utf8))
            let cases: [(String, [UInt8])] = [
                ("deep nesting", Array("%PDF-1.7\n1 0 obj\n".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)
                    + Array("\nendobj\nstartxref\n9\n%%EOF\n".utf8)),
                ("huge /Size", Array(good[..<trailerAt]) + Array("trailer\n<< /Size 9223372036854775807 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n".utf8)),
                ("overflowing ByteRange", sig("0 9223372036854775807 9223372036854775807 9223372036854775807")),
                ("negative ByteRange", sig("0 -5 10 -3")),
                ("ByteRange past the end", sig("0 10 20 99999999")),
                ("truncated", Array(good.prefix(good.count / 2))),
                ("garbage CMS", sig("0 1 2 3", "<30FFFFFFFF>")),
                ("no startxref", Array("%PDF-1.4\n1 0 obj << >> endobj".utf8)),
                ("unterminated string", Array("%PDF-1.4\n1 0 obj\n(abc\nstartxref\n9\n%%EOF".utf8)),
                ("a cross-reference table that points elsewhere (read by a scan instead)", wrongTable),
            ]
            let token = try await egov.token(Self.leader)
            let pin = try egov.signingPIN(Self.leader)
            for (name, bytes) in cases {
                let verified = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: bytes, contentType: .pdf)
                #expect(verified.status == .ok || verified.status == .badRequest, "\(name): \(verified.status)")
                if verified.status == .ok {
                    #expect(try verified.content.decode(SignatureService.Report.self).valid == false, "\(name)")
                }
                let signed = try await egov.send(.POST, "/api/v1/signatures/pdf", token: token, bytes: bytes, contentType: .pdf,
                                                 headers: Self.pdfHeaders(pin: pin))
                #expect(signed.status == .ok || signed.status == .badRequest, "\(name): \(signed.status) \(signed.body.string)")
                if bytes == wrongTable {
                    #expect(signed.status == .ok, "\(signed.body.string)")
                    let checked = try await egov.send(.POST, "/api/v1/signatures/verify", bytes: Array(signed.body.readableBytesView), contentType: .pdf)
                    #expect(try checked.content.decode(SignatureService.Report.self).valid)
                }
            }
            #expect(try await SigningCertificateModel.query(on: egov.app.db).filter(\.$pinFailures > 0).count() == 0)
        }
    }
}
