import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// The seam: a module outside the source tree, `PetitionModule`, runs on the platform's case runtime with
/// queues, deadlines, history, notifications and scoping, and code of its own only for its table and routes.
@Suite("A test-only module on the platform case runtime")
struct PetitionModuleTests {
    static let benThuy = "000.00.31.H99"
    static let folder = TestInstallation.repositoryRoot.appendingPathComponent("Tests/EGovServerTests/Fixtures/modules/test-petitions")

    struct Petition: Decodable { let code, status, step, deadline: String; let history: Int }

    @Test("a petition is queued, registered, late, answered, told and kept from strangers", arguments: TestDatabase.enabled)
    func journey(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // The process the module ships came with the demo pack's import; a pack folder of its own replaces it alike.
            #expect(try await ProcessStore.process("petition", module: PetitionModule.moduleID, on: egov.app.db) != nil)
            try await PetitionModule().importPack(from: Self.folder, on: egov.app.db)
            // The module's own position, given to the commune's clerk as an administrator would.
            #expect(Position(rawValue: "petitionOfficer") == PetitionModule.officer)
            #expect(Position.allCases.contains(PetitionModule.officer))
            try await egov.grant("vanthu.benthuy", PetitionModule.officer, at: Self.benThuy)
            try egov.setVietnamTime(2026, 10, 5, hour: 9) // a Monday
            let citizen = try await egov.citizen()
            let stranger = try await egov.citizen(idNumber: "079088001234", email: "khac@example.com")
            func call(_ method: HTTPMethod, _ path: String, as user: String, json: String? = nil) async throws -> TestingHTTPResponse {
                try await egov.send(method, "/api/v1/test-petitions" + path, token: try await egov.login(user), json: json)
            }
            func queue(_ user: String, _ query: String = "") async throws -> [String] {
                try await call(.GET, query, as: user).content.decode([String].self)
            }
            let created = try await call(.POST, "", as: citizen, json: #"{"unit":"\#(Self.benThuy)","title":"Đèn đường hỏng"}"#)
            #expect(created.status == .ok, "\(created.body.string)")
            let petition = try created.content.decode(Petition.self)
            #expect(petition.step == "reception" && petition.history == 1 && petition.deadline == "not-started")

            // Queues: the commune's petition officer holds the first step; its specialist does not.
            #expect(try await queue("vanthu.benthuy") == [petition.code])
            #expect(try await queue("chuyenvien.benthuy").isEmpty)
            // Scoping: one answer, 404, for reading and for acting on a petition the caller may not see.
            for (method, path) in [(HTTPMethod.GET, "/\(petition.code)"), (.POST, "/\(petition.code)/actions/register")] {
                #expect(try await call(method, path, as: stranger, json: "{}").status == .notFound)
                #expect(try await call(method, path, as: "chutich.vanson", json: "{}").status == .notFound)
            }
            // Someone who may see it but does not hold its step: 403.
            #expect(try await call(.POST, "/\(petition.code)/actions/register", as: "chutich.benthuy", json: "{}").status == .forbidden)

            // The clerk registers it: the clock starts, the history grows, the petitioner is told.
            let registered = try await call(.POST, "/\(petition.code)/actions/register", as: "vanthu.benthuy", json: "{}")
                .content.decode(Petition.self)
            #expect(registered.status == "handling" && registered.history == 2 && registered.deadline == "on-time")
            #expect(try await queue("chuyenvien.benthuy") == [petition.code])
            #expect(try await queue("vanthu.benthuy").isEmpty)
            let mail = try await OutboxMessageModel.query(on: egov.app.db).filter(\.$reference == "petition:\(petition.code)").all()
            #expect(mail.map(\.recipient) == ["thuhuong@example.com"] && mail.first?.subject.contains("Vào sổ kiến nghị") == true)

            // Two working days later it is late, in its own status and in the leader's late list alike.
            try egov.setVietnamTime(2026, 10, 8, hour: 9)
            #expect(try await call(.GET, "/\(petition.code)", as: citizen).content.decode(Petition.self).deadline == "late")
            #expect(try await queue("chutich.benthuy", "?deadline=late") == [petition.code])
            #expect(try await queue("chutich.benthuy", "?deadline=on-time").isEmpty)
            #expect(try await queue("chutich.vanson", "?deadline=late").isEmpty)

            // The answer needs its text; then the petition is done, late, and out of every queue.
            #expect(try await call(.POST, "/\(petition.code)/actions/answer", as: "chuyenvien.benthuy", json: "{}").status == .badRequest)
            let answered = try await call(.POST, "/\(petition.code)/actions/answer", as: "chuyenvien.benthuy",
                                          json: #"{"note":"Đã thay bóng đèn."}"#).content.decode(Petition.self)
            #expect(answered.status == "answered" && answered.history == 3 && answered.deadline == "finished-late")
            #expect(try await queue("chuyenvien.benthuy").isEmpty)
            #expect(try await OutboxMessageModel.query(on: egov.app.db).filter(\.$reference == "petition:\(petition.code)").count() == 2)
            let audit = try await AuditEventModel.query(on: egov.app.db).filter(\.$target == "petition:\(petition.code)").all().map(\.action)
            #expect(audit == ["petition.submit", "petition.register", "petition.answer"])

            // Its one page, for the petitioner only.
            let browser = egov.browser()
            _ = try await browser.signIn(citizen, password: TestInstallation.citizenPassword)
            #expect(try await browser.get("/kien-nghi/\(petition.code)").body.string.contains("\(petition.code): answered"))
            let other = egov.browser()
            _ = try await other.signIn(stranger, password: TestInstallation.citizenPassword)
            #expect(try await other.get("/kien-nghi/\(petition.code)").status == .notFound)
        }
    }

    @Test("a pack naming one process id twice is refused with its place; the store keeps the pack's order",
          arguments: TestDatabase.enabled)
    func duplicateProcessIDs(database: TestDatabase) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("egov-dup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Self.folder.appendingPathComponent("processes.yaml"), encoding: .utf8)
        let start = try #require(text.range(of: "  - id: petition")).lowerBound
        let process = String(text[start...])
        try (text + process).write(to: folder.appendingPathComponent("processes.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: PackError.self) { try PetitionModule.processes(in: folder) }
        try await TestInstallation.with(database, .empty) { egov in
            let definition = try #require(try PetitionModule.processes(in: Self.folder).first)
            var second = definition
            second.id = "a-second"
            try await ProcessStore.replace(module: "order-test", with: [second, definition, second], on: egov.app.db)
            #expect(try await ProcessStore.list(module: "order-test", on: egov.app.db).map(\.id) == ["a-second", "petition"])
        }
    }
}
