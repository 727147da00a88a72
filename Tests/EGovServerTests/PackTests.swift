import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Documents
import Foundation
import Testing
import Vapor

@Suite("Locality packs")
struct PackTests {
    @Test("the demo pack is a realistic two-tier province", arguments: [TestDatabase.sqlite])
    func demoPackShape(database: TestDatabase) throws {
        // The modules' own positions (the documents module's divisionHead) are known once the modules are: as at
        // the server's start, whatever test ran before.
        _ = PermissionCatalog(modules: TestInstallation.modules)
        let pack = try PackReader.read(TestInstallation.demoPack)
        let byType = Dictionary(grouping: pack.units, by: \.type).mapValues(\.count)
        #expect(byType[.province] == 1)
        #expect((byType[.department] ?? 0) >= 10)
        #expect((byType[.commune] ?? 0) >= 30)
        #expect(byType[.serviceCentre] == 1)
        #expect((byType[.counter] ?? 0) >= 1)
        #expect(byType[.district] == nil)
        // Every platform position, and the documents module's head of division.
        #expect(Set(pack.users.flatMap { $0.positions.map(\.position) }) == Set(Position.platform + [DocumentsModule.divisionHead]))
        #expect(pack.calendar.fixedHolidays.contains { $0.month == 11 && $0.day == 24 && $0.fromYear == 2026 })
    }

    @Test("import → export → import is a fixed point, and importing twice changes nothing", arguments: TestDatabase.enabled)
    func roundTrip(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let importer = PackImporter(services: egov.app.egov)
            let exporter = PackExporter(services: egov.app.egov)
            let first = FileManager.default.temporaryDirectory.appendingPathComponent("pack-a-\(UUID().uuidString)")
            let second = FileManager.default.temporaryDirectory.appendingPathComponent("pack-b-\(UUID().uuidString)")
            defer {
                try? FileManager.default.removeItem(at: first)
                try? FileManager.default.removeItem(at: second)
            }
            // setup
            let created = try await importer.importPack(try PackReader.read(TestInstallation.demoPack), on: egov.app.db)
            #expect(created.unitsCreated >= 80)
            // MUT
            try await exporter.export(to: first, on: egov.app.db)
            let again = try await importer.importPack(try PackReader.read(first), on: egov.app.db)
            try await exporter.export(to: second, on: egov.app.db)
            // validate
            #expect(again.unitsCreated == 0 && again.unitsUpdated == 0 && again.usersCreated == 0 && again.usersUpdated == 0)
            for file in ["pack.yaml", "units.yaml", "users.yaml", "calendar.yaml", "emblem.svg",
                         "modules/public-services/procedures.yaml", "modules/public-services/processes.yaml"] {
                let a = try String(contentsOf: first.appendingPathComponent(file), encoding: .utf8)
                let b = try String(contentsOf: second.appendingPathComponent(file), encoding: .utf8)
                #expect(a == b, "\(file) differs after a round trip")
            }
            let original = try PackReader.read(TestInstallation.demoPack)
            let exported = try PackReader.read(first)
            #expect(exported.units.map(\.code) == original.units.map(\.code))
            #expect(exported.units.map(\.name) == original.units.map(\.name))
            #expect(exported.calendar == original.calendar)
            #expect(exported.branding.portalName == original.branding.portalName)
            #expect(Set(exported.users.map(\.username)) == Set(original.users.map(\.username)))
        }
    }

    @Test("a three-tier pack (with districts) loads", arguments: TestDatabase.enabled)
    func threeTier(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let result = try await PackImporter(services: egov.app.egov)
                .importPack(try PackReader.read(TestInstallation.fixturePack("three-tier")), on: egov.app.db)
            #expect(result.unitsCreated == 9)
            let commune = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == "000.01.31.H98").first())
            #expect(commune.depth == 2)
            let district = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == "000.00.31.H98").first())
            #expect(commune.isInSubtree(ofPath: district.path))
        }
    }

    @Test("a broken pack is refused with file and line, and nothing is written",
          arguments: TestDatabase.enabled, ["broken-code", "broken-yaml", "broken-parent"])
    func brokenPack(database: TestDatabase, name: String) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let directory = TestInstallation.fixturePack(name)
            let expected = try String(contentsOf: directory.appendingPathComponent("EXPECTED.txt"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // MUT
            let error = #expect(throws: PackError.self) { try PackReader.read(directory) }
            // validate
            #expect(error?.location.description == expected)
            #expect(error?.message.vi.isEmpty == false)
            #expect(try await UnitModel.query(on: egov.app.db).count() == 0)
            #expect(try await UserModel.query(on: egov.app.db).count() == 0)
        }
    }

    /// A module whose own pack data is broken, found only once the import transaction is under way.
    struct FailingModule: EGovModule {
        struct Broken: Error {}
        var id: String { "failing" }
        var name: LocalizedText { LocalizedText(vi: "Hỏng", en: "Broken") }
        func boot(_ app: Application, routes: ModuleRoutes) async throws {}
        func importPack(from directory: URL, on database: any Database) async throws { throw Broken() }
    }

    @Test("a pack failing inside the transaction leaves the database as it was", arguments: TestDatabase.enabled)
    func transactional(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let base = egov.app.egov
            let services = PlatformServices(configuration: base.configuration, secrets: base.secrets, clock: base.clock,
                                            modules: [FailingModule()], threadPool: egov.app.threadPool)
            // MUT
            await #expect(throws: FailingModule.Broken.self) {
                try await PackImporter(services: services).importPack(try PackReader.read(TestInstallation.demoPack), on: egov.app.db)
            }
            // validate: units and users were written before the module failed, and all of it was rolled back.
            let units = try await UnitModel.query(on: egov.app.db).count()
            let users = try await UserModel.query(on: egov.app.db).count()
            let settings = try await SettingModel.query(on: egov.app.db).count()
            let events = try await AuditEventModel.query(on: egov.app.db).count()
            #expect(units == 0 && users == 0 && settings == 0 && events == 0)
        }
    }

    @Test("unknown keys are refused, not ignored")
    func unknownKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pack-typo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: TestInstallation.fixturePack("three-tier"), to: directory)
        let units = directory.appendingPathComponent("units.yaml")
        let text = try String(contentsOf: units, encoding: .utf8)
        try text.replacingOccurrences(of: "shortName:", with: "shortname:").write(to: units, atomically: true, encoding: .utf8)
        let error = #expect(throws: PackError.self) { try PackReader.read(directory) }
        #expect(error?.message.en.contains("shortname") == true)
        #expect(error?.location.file == "units.yaml")
        #expect((error?.location.line ?? 0) > 0)
    }
}
