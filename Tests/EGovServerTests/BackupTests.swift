import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Backup and restore")
struct BackupTests {
    @Test("a backup restored into an empty data directory gives back the same installation", arguments: TestDatabase.enabled)
    func backupRestore(database: TestDatabase) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("egov-backup-\(UUID().uuidString).tar.gz")
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("egov-restored-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: target)
        }
        try await TestInstallation.with(database) { egov in
            // setup: a citizen with encrypted personal data, and the emblem in the file store.
            #expect(try await egov.send(.POST, "/api/v1/citizens", json: RegistrationTests.validCitizen).status == .created)
            let units = try await UnitModel.query(on: egov.app.db).count()
            // MUT
            try await Backup.create(app: egov.app, to: file) { _ in }
            // validate
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            var restoreDatabase: String?
            var configuration = TestInstallation.baseConfiguration(target)
            configuration.secretKeyBase64 = nil
            if database == .postgres {
                let name = "egov_r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                try await PostgresAdmin.execute("CREATE DATABASE \(name)")
                restoreDatabase = name
                configuration.databaseURL = try PostgresAdmin.url(of: name)
            }
            let manifest = try Backup.restore(file, configuration: configuration, force: false) { _ in }
            #expect(manifest.database == database.rawValue)
            // Restoring again over the restored data is refused without --force.
            #expect(throws: Backup.BackupError.self) { try Backup.restore(file, configuration: configuration, force: false) { _ in } }

            let restored = try await Application.make(.testing)
            do {
                try await configure(restored, configuration: configuration, modules: TestInstallation.modules, options: RuntimeOptions(clock: egov.clock.clock))
                #expect(try await UnitModel.query(on: restored.db).count() == units)
                let citizen = try #require(try await UserModel.query(on: restored.db).filter(\.$kind == "applicant").first())
                #expect(try restored.egov.personalData.open(try #require(citizen.idNumberSealed)) == "001090012345")
                let branding = try #require(try await SettingsStore.get(Branding.self, for: .branding, on: restored.db))
                let emblem = try restored.egov.files.read(sha256: try #require(branding.emblemSHA256))
                #expect(String(decoding: emblem, as: UTF8.self).contains("<svg"))
                let response = try await restored.testing().sendRequest(
                    .POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                    body: ByteBuffer(string: #"{"username":"001090012345","password":"matkhau123"}"#))
                #expect(response.status == .ok)
                #expect(try await AuditLog.verify(on: restored.db).isIntact)
            } catch {
                try? await restored.asyncShutdown()
                if let restoreDatabase { try? await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(restoreDatabase) WITH (FORCE)") }
                throw error
            }
            try await restored.asyncShutdown()
            if let restoreDatabase { try await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(restoreDatabase) WITH (FORCE)") }
        }
    }

    @Test("a file that is not a backup is refused")
    func notABackup() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-backup-\(UUID().uuidString).tar.gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Backup.run("tar", ["-czf", file.path, "-C", TestInstallation.fixturePack("three-tier").path, "."])
        let configuration = TestInstallation.baseConfiguration(FileManager.default.temporaryDirectory.appendingPathComponent("x-\(UUID().uuidString)"))
        #expect(throws: Backup.BackupError.self) { try Backup.restore(file, configuration: configuration, force: false) { _ in } }
    }
}
