import EGovPlatform
import Fluent
@testable import EGovServer
import Foundation
import NIOCore
import NIOPosix
@testable import PublicServices
import Testing
import Vapor
import VaporTesting

/// Issue 11: a browser's attachments are streamed to disk while they arrive, never held whole in
/// memory, and the CSRF token is checked before the first file part is written.
@Suite("Streamed uploads")
struct StreamedUploadTests {
    static let boundary = "----egovTestBoundary7MA4YWxkTrZu0gW"

    static func part(_ name: String, _ value: String) -> String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }

    static func filePart(_ name: String, fileName: String, _ content: String) -> String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\n"
            + "Content-Type: application/pdf\r\n\r\n\(content)\r\n"
    }

    /// Sends a POST over a real socket in two pieces (head + start, then the rest) and returns the status line.
    static func post(_ egov: TestInstallation, _ path: String, cookie: String, body: String) async throws -> String {
        if egov.app.http.server.shared.localAddress == nil {
            try await egov.app.server.start(address: .hostname("127.0.0.1", port: 0))
        }
        let port = try #require(egov.app.http.server.shared.localAddress?.port)
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let split = body.index(body.startIndex, offsetBy: body.count / 2)
            try await outbound.write(ByteBuffer(string: head + body[..<split]))
            try await Task.sleep(for: .milliseconds(200))
            // A refusal may come (and the server close) before the rest is sent.
            try? await outbound.write(ByteBuffer(string: String(body[split...])))
            var text = ""
            for try await chunk in inbound {
                text += String(buffer: chunk)
                if text.contains("\r\n\r\n") { break }
            }
            return text.split(separator: "\r\n").first.map(String.init) ?? ""
        }
    }

    /// A signed-in citizen on the application form: the form's CSRF token and the browser's cookies.
    static func citizenAtTheForm(_ egov: TestInstallation) async throws -> (token: String, cookie: String) {
        let citizen = try await egov.citizen()
        let browser = egov.browser()
        _ = try await browser.signIn(citizen, password: TestInstallation.citizenPassword)
        try await browser.get("/thu-tuc/1.004837/nop-ho-so")
        let token = try #require(browser.csrfToken)
        return (token, browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
    }

    static func incoming(_ egov: TestInstallation) -> [String] {
        let directory = egov.app.egov.files.root.appendingPathComponent(".incoming")
        return (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    }

    @Test("an application's attachment is spooled to disk, stored under its hash, and nothing stays behind")
    func applicationStreamed() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let (token, cookie) = try await Self.citizenAtTheForm(egov)
            let content = "%PDF-1.4\n% streamed \(UUID().uuidString)\n" + String(repeating: "x", count: 300_000) + "\n%%EOF\n"
            let body = Self.part("_csrf", token) + Self.part("unitCode", "000.00.31.H99") + Self.part("noiDung", "Nộp qua luồng")
                + Self.filePart("files[van-ban-cu-giam-ho]", fileName: "cu-giam-ho.pdf", content) + "--\(Self.boundary)--\r\n"
            let status = try await Self.post(egov, "/thu-tuc/1.004837/nop-ho-so", cookie: cookie, body: body)
            #expect(status.hasPrefix("HTTP/1.1 303"), "\(status)")
            let sha = Digests.sha256Hex(Data(content.utf8))
            #expect(try egov.app.egov.files.read(sha256: sha) == Data(content.utf8))
            #expect(try await DossierFileModel.query(on: egov.app.db).filter(\.$sha256 == sha).count() == 1)
            #expect(Self.incoming(egov).isEmpty)
            await egov.app.server.shutdown()
        }
    }

    @Test("a file part sent before the CSRF field is refused and nothing is kept")
    func fileBeforeToken() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let (token, cookie) = try await Self.citizenAtTheForm(egov)
            let content = "%PDF-1.4\n% early \(UUID().uuidString)\n%%EOF\n"
            let early = Self.filePart("files[van-ban-cu-giam-ho]", fileName: "a.pdf", content) + Self.part("_csrf", token)
                + "--\(Self.boundary)--\r\n"
            #expect(try await Self.post(egov, "/thu-tuc/1.004837/nop-ho-so", cookie: cookie, body: early).hasPrefix("HTTP/1.1 403"))
            let forged = Self.part("_csrf", String(repeating: "A", count: 43)) + Self.filePart("files[van-ban-cu-giam-ho]", fileName: "a.pdf", content)
                + "--\(Self.boundary)--\r\n"
            #expect(try await Self.post(egov, "/thu-tuc/1.004837/nop-ho-so", cookie: cookie, body: forged).hasPrefix("HTTP/1.1 403"))
            #expect(!FileManager.default.fileExists(atPath: egov.app.egov.files.path(for: Digests.sha256Hex(Data(content.utf8))).path))
            #expect(Self.incoming(egov).isEmpty)
            #expect(try await DossierModel.query(on: egov.app.db).count() == 0)
            await egov.app.server.shutdown()
        }
    }
}

@Suite("Large files through the API")
struct APIUploadTests {
    @Test("an applicant streams a file into the e-data store and files it by storedFileId; too large, wrong type and officers are refused",
          arguments: TestDatabase.enabled)
    func uploadThenFile(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.maxUploadBytes = 1024 * 1024 }) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let token = try await egov.login(citizen)
            let pdf = SampleFiles.pdf("upload-\(UUID().uuidString)") + Data(repeating: 0x20, count: 500_000)
            let uploaded = try await egov.app.testing().sendRequest(.POST, "/api/v1/me/files?fileName=cu-giam-ho.pdf&component=van-ban-cu-giam-ho",
                                                                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/pdf"],
                                                                    body: ByteBuffer(data: pdf))
            #expect(uploaded.status == .created, "\(uploaded.body.string)")
            let id = try uploaded.content.decode(DossiersAPI.PersonalFileDTO.self).id
            #expect(try egov.app.egov.files.read(sha256: Digests.sha256Hex(pdf)) == pdf)
            let filed = try await egov.send(.POST, "/api/v1/dossiers", token: token, json: #"""
                {"procedureCode":"1.004837","unitCode":"000.00.31.H99","form":{"noiDung":"x"},
                 "attachments":[{"componentId":"van-ban-cu-giam-ho","storedFileId":"\#(id.uuidString)"}]}
                """#)
            #expect(filed.status == .created, "\(filed.body.string)")
            // Past EGOV_MAX_UPLOAD_MB: 413, nothing kept.
            let big = SampleFiles.pdf("big") + Data(repeating: 0x20, count: 1_100_000)
            let tooLarge = try await egov.app.testing().sendRequest(.POST, "/api/v1/me/files?fileName=big.pdf",
                                                                    headers: ["Authorization": "Bearer \(token)"], body: ByteBuffer(data: big))
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(!FileManager.default.fileExists(atPath: egov.app.egov.files.path(for: Digests.sha256Hex(big)).path))
            // A program renamed to .pdf: 400, nothing kept.
            let disguised = Data("MZ not a pdf \(UUID().uuidString)".utf8)
            let refused = try await egov.app.testing().sendRequest(.POST, "/api/v1/me/files?fileName=a.pdf",
                                                                   headers: ["Authorization": "Bearer \(token)"], body: ByteBuffer(data: disguised))
            #expect(refused.status == .badRequest)
            #expect(!FileManager.default.fileExists(atPath: egov.app.egov.files.path(for: Digests.sha256Hex(disguised)).path))
            #expect(try await egov.send(.POST, "/api/v1/me/files?fileName=a.pdf").status == .unauthorized)
            let officer = try await egov.login("motcua.benthuy")
            let byOfficer = try await egov.app.testing().sendRequest(.POST, "/api/v1/me/files?fileName=a.pdf",
                                                                     headers: ["Authorization": "Bearer \(officer)"], body: ByteBuffer(data: pdf))
            #expect(byOfficer.status == .forbidden)
            #expect(StreamedUploadTests.incoming(egov).isEmpty)
        }
    }
}
