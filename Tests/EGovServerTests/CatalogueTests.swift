import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

@Suite("The procedure catalogue")
struct CatalogueTests {
    struct Item: Decodable { let code: String; let name: String; let field: String; let level: String; let processingDays: Int; let unitCodes: [String] }
    struct Page: Decodable { let items: [Item]; let total: Int }

    @Test("an accent-free search finds the Vietnamese name, without signing in", arguments: TestDatabase.enabled)
    func accentFreeSearch(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            for query in ["khai%20sinh", "dang%20ky%20khai%20sinh", "KHAI%20SINH", "%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh"] {
                let response = try await egov.send(.GET, "/api/v1/procedures?q=\(query)")
                #expect(response.status == .ok)
                let page = try response.content.decode(Page.self)
                #expect(page.items.contains { $0.name == "Đăng ký khai sinh" }, "query \(query)")
                #expect(page.items.allSatisfy { SearchText.fold($0.name).contains("khai sinh") })
            }
            let none = try await egov.send(.GET, "/api/v1/procedures?q=xyzzy").content.decode(Page.self)
            #expect(none.total == 0 && none.items.isEmpty)
        }
    }

    @Test("filters by unit, field and online level; pages hold the total", arguments: TestDatabase.enabled)
    func filters(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let all = try await egov.send(.GET, "/api/v1/procedures?limit=200").content.decode(Page.self)
            #expect(all.total >= 40)
            let ward = try await egov.send(.GET, "/api/v1/procedures?unit=000.00.31.H99&limit=200").content.decode(Page.self)
            #expect(ward.total >= 20 && ward.total < all.total)
            #expect(ward.items.allSatisfy { $0.unitCodes.contains("000.00.31.H99") })
            let birth = try #require(ward.items.first { $0.name == "Đăng ký khai sinh" })
            #expect(birth.unitCodes.count >= 30)
            let full = try await egov.send(.GET, "/api/v1/procedures?level=full&limit=200").content.decode(Page.self)
            #expect(full.total > 0 && full.items.allSatisfy { $0.level == "full" })
            let field = try await egov.send(.GET, "/api/v1/procedures?field=\(birth.field)").content.decode(Page.self)
            #expect(field.items.allSatisfy { $0.field == birth.field })
            let second = try await egov.send(.GET, "/api/v1/procedures?limit=10&offset=10").content.decode(Page.self)
            #expect(second.items.map(\.code) == Array(all.items.dropFirst(10).prefix(10)).map(\.code))
            let bad = try await egov.send(.GET, "/api/v1/procedures?level=4")
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("“level” phải là full, partial hoặc none."))
        }
    }

    @Test("a procedure's detail lists its components and fees; an unknown code is a Vietnamese 404", arguments: TestDatabase.enabled)
    func detail(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let response = try await egov.send(.GET, "/api/v1/procedures/1.001193")
            #expect(response.status == .ok)
            let body = response.body.string
            #expect(body.contains(#""name":"Đăng ký khai sinh""#))
            #expect(body.contains(#""components":[{"#))
            #expect(body.contains(#""fileTypes":["#))
            #expect(body.contains(#""fees":["#))
            let missing = try await egov.send(.GET, "/api/v1/procedures/9.999999")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("Không có thủ tục hành chính mã “9.999999”."))
        }
    }

    @Test("the demo processes are valid and use the standard action names")
    func demoProcesses() throws {
        let catalogue = try #require(try CatalogueReader.read(TestInstallation.demoPack.appendingPathComponent("modules/public-services")))
        #expect(Set(catalogue.processes.map(\.id)).isSuperset(of: ["commune-only", "province-via-centre", "inter-level"]))
        for process in catalogue.processes {
            #expect(process.problems().isEmpty, "\(process.id): \(process.problems())")
            #expect(Set(process.actions.map(\.id)).isSubset(of: CatalogueReader.actionIDs))
            #expect(Set(process.steps.map(\.status)).isSubset(of: Set(DossierStatus.allCases.map(\.rawValue))))
        }
        let interLevel = try #require(catalogue.processes.first { $0.id == "inter-level" })
        #expect(interLevel.steps.contains { $0.holder?.unit == .receiving } && interLevel.steps.contains { $0.holder?.unit == .competent })
        #expect(catalogue.procedures.count >= 40)
        #expect(catalogue.procedures.contains { $0.0.level == .commune } && catalogue.procedures.contains { $0.0.level == .province })
    }

    @Test("a process with a step that does not exist is refused with its file and line")
    func brokenProcess() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ps-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: TestInstallation.demoPack.appendingPathComponent("modules/public-services"), to: directory)
        let file = directory.appendingPathComponent("processes.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let broken = text.replacingOccurrences(of: "to: processing", with: "to: nowhere")
        #expect(broken != text)
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: PackError.self) { try CatalogueReader.read(directory) }
        #expect(error?.location.file == "processes.yaml")
        #expect((error?.location.line ?? 0) > 0)
        #expect(error?.message.en.contains("nowhere") == true)
    }
}
