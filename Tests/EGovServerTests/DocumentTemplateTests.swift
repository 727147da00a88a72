@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §2, §12: drafting from the locality's templates (`templates.yaml`), through the API and the draft page.
@Suite("Documents: drafting templates")
struct DocumentTemplateTests {
    struct Template: Decodable { let id, name, type, subject, body: String }
    struct Draft: Decodable { let id: UUID; let type, subject: String; let body: String? }

    @Test("the demo pack's templates are listed to officers; a draft from one takes its body; a template of another type or none at all is refused; the page fills the form from one",
          arguments: TestDatabase.enabled)
    func templates(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            #expect(try await egov.send(.GET, "/api/v1/document-templates").status == .unauthorized)
            let token = try await egov.login("chuyenvien.snv")
            let listed = try await egov.send(.GET, "/api/v1/document-templates", token: token)
            #expect(listed.status == .ok)
            let templates = try listed.content.decode(DocumentsTests.Items<Template>.self).items
            #expect(templates.map(\.id) == ["quyet-dinh-nang-luong", "giay-moi-hop", "cong-van-de-nghi", "bao-cao-dinh-ky"])
            let decision = try #require(templates.first)
            #expect(decision.type == "quyet-dinh" && decision.body.contains("QUYẾT ĐỊNH:"))

            func draft(_ extra: String, type: String = "quyet-dinh") async throws -> TestingHTTPResponse {
                try await egov.send(.POST, "/api/v1/documents", token: token, json: """
                    {"type":"\(type)","subject":"Quyết định nâng bậc lương năm 2026","recipientCodes":["\(DocumentsTests.justice)"]\(extra)}
                    """)
            }
            let created = try await draft(#","template":"quyet-dinh-nang-luong""#)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try created.content.decode(Draft.self).body == decision.body)
            // The drafter's own body wins over the template's.
            let own = try await draft(#","template":"quyet-dinh-nang-luong","body":"Nội dung riêng""#)
            #expect(try own.content.decode(Draft.self).body == "Nội dung riêng")
            let count = try await DocumentModel.query(on: egov.app.db).count()
            let wrongType = try await draft(#","template":"quyet-dinh-nang-luong""#, type: "cong-van")
            #expect(wrongType.status == .badRequest && wrongType.body.string.contains("template"), "\(wrongType.body.string)")
            #expect(try await draft(#","template":"khong-co""#).status == .badRequest)
            #expect(try await DocumentModel.query(on: egov.app.db).count() == count)

            // The draft page: the template's type, subject and body in the form.
            let browser = egov.browser()
            #expect(try await browser.signIn("chuyenvien.snv").status == .seeOther)
            let page = try await browser.get("/van-ban/soan-thao?template=giay-moi-hop").body.string
            #expect(page.contains(#"id="use-template""#) && page.contains("Mời dự họp …") && page.contains("Kính mời: …"))
            #expect(page.contains(#"<option value="giay-moi" label="Giấy mời" selected"#))
        }
    }

    @Test("a template naming a type the pack does not list is refused with its file and line")
    func brokenTemplate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("egov-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            templates:
              - {id: mau-1, name: Mẫu một, type: quyet-dinh, subject: Quyết định}
              - {id: mau-2, name: Mẫu hai, type: khong-co, subject: Không có loại}
            """.write(to: directory.appendingPathComponent("templates.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: PackError.self) { try DocumentsPack.readTemplates(directory, types: ["quyet-dinh"]) }
        #expect(error?.location.description.hasSuffix("templates.yaml:3") == true, "\(String(describing: error?.location))")
        #expect(error?.message.vi.contains("khong-co") == true)
        #expect(try DocumentsPack.readTemplates(directory.appendingPathComponent("none"), types: []).isEmpty)
    }
}
