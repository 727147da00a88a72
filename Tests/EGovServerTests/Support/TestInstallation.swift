import EGovPlatform
@testable import EGovServer
import Fluent
import SQLKit
import Foundation
import Documents
import PublicServices
import Testing
import Vapor
import VaporTesting

/// A whole installation for one test: its own data directory, its own database (cloned from a
/// template that holds the demo pack), a clock the test controls, and known passwords.
struct TestInstallation: Sendable {
    let app: Application
    let clock: ManualClock
    let database: TestDatabase
    let configuration: EGovConfiguration

    /// The modules the tests run (the `egov` executable names its own, `BuiltInModules`).
    static var modules: [any EGovModule] { [PublicServicesModule(), DocumentsModule(), PetitionModule()] }

    /// Every account of the demo template has this password.
    static let password = "MatKhau-Thu-2026"
    static let start = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21, a Monday

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let demoPack = repositoryRoot.appendingPathComponent("packs/demo")
    static func fixturePack(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/EGovServerTests/Fixtures/packs/\(name)")
    }

    enum Contents { case demo, empty }

    /// Runs `body` against a fresh installation and removes it afterwards, whatever happens.
    static func with(_ database: TestDatabase, _ contents: Contents = .demo,
                     configure adjust: @Sendable (inout EGovConfiguration) -> Void = { _ in },
                     _ body: @Sendable (TestInstallation) async throws -> Void) async throws {
        try await InstallationLimiter.shared.run {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("egov-test-\(UUID().uuidString)")
            var configuration = baseConfiguration(directory)
            var postgresName: String?
            switch (database, contents) {
            case (.sqlite, .demo):
                let template = try await Templates.shared.sqlite()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: template.appendingPathComponent("egov.sqlite"), to: configuration.sqliteFile)
                try FileManager.default.copyItem(at: template.appendingPathComponent("files"), to: configuration.filesDirectory)
                try copySigningFiles(from: template, to: directory)
            case (.sqlite, .empty):
                break
            case (.postgres, _):
                let name = "egov_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
                var template = ""
                if contents == .demo {
                    let (database, folder) = try await Templates.shared.postgres()
                    template = " TEMPLATE \(database)"
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: folder.appendingPathComponent("files"), to: configuration.filesDirectory)
                    try copySigningFiles(from: folder, to: directory)
                }
                try await PostgresAdmin.execute("CREATE DATABASE \(name)\(template)")
                postgresName = name
                configuration.databaseURL = try PostgresAdmin.url(of: name)
            }
            adjust(&configuration)
            let clock = ManualClock(start)
            let app = try await Application.make(.testing)
            do {
                try await configure(app, configuration: configuration, modules: TestInstallation.modules, options: RuntimeOptions(clock: clock.clock))
                try await body(TestInstallation(app: app, clock: clock, database: database, configuration: configuration))
            } catch {
                try? await app.asyncShutdown()
                await cleanUp(directory, postgresName)
                throw error
            }
            try await app.asyncShutdown()
            await cleanUp(directory, postgresName)
        }
    }

    /// Another server process on the same database and data directory (a second node behind the load balancer).
    func secondNode(_ body: @Sendable (Application) async throws -> Void) async throws {
        let node = try await Application.make(.testing)
        do {
            var configuration = self.configuration
            configuration.autoMigrate = false
            try await configure(node, configuration: configuration, modules: TestInstallation.modules, options: RuntimeOptions(clock: clock.clock))
            try await body(node)
        } catch {
            try? await node.asyncShutdown()
            throw error
        }
        try await node.asyncShutdown()
    }

    /// The demo's signing secrets (each officer's PIN, the CA passphrase, and the installation's secret key, which
    /// seals the time-stamping authority's key) go with the template's database, as a backup keeps them together.
    private static func copySigningFiles(from template: URL, to directory: URL) throws {
        for name in ["demo-users.txt", "demo-ca-passphrase.txt", "secret.key"] {
            try FileManager.default.copyItem(at: template.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
    }

    /// A demo officer's signing PIN (the fifth column of `demo-users.txt`).
    func signingPIN(_ username: String) throws -> String {
        let lines = try String(contentsOf: configuration.dataDirectory.appendingPathComponent("demo-users.txt"), encoding: .utf8)
        let columns = lines.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard let pin = columns.first(where: { $0.first == username && $0.count >= 5 })?[4] else {
            throw TestSetupError("no signing PIN for \(username)")
        }
        return pin
    }

    /// The demo CA passphrase.
    func caPassphrase() throws -> String {
        try String(contentsOf: configuration.dataDirectory.appendingPathComponent("demo-ca-passphrase.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func baseConfiguration(_ directory: URL) -> EGovConfiguration {
        var configuration = EGovConfiguration(dataDirectory: directory, bcryptCost: 4)
        configuration.maxConnectionsPerEventLoop = 2
        // Tests pay in the sandbox, and sign in far more often than a person; the tests of those
        // limits set them back.
        configuration.payment.sandboxEnabled = true
        configuration.authRateLimitPerMinute = 100_000
        return configuration
    }

    private static func cleanUp(_ directory: URL, _ postgresName: String?) async {
        try? FileManager.default.removeItem(at: directory)
        if let postgresName { try? await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(postgresName) WITH (FORCE)") }
    }
}

/// Builds the demo template (a database and its data directory, for the file store) once per
/// process and database kind.
actor Templates {
    static let shared = Templates()
    private var sqliteDirectory: URL?
    private var postgresTemplate: (String, URL)?

    func sqlite() async throws -> URL {
        if let sqliteDirectory { return sqliteDirectory }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("egov-template-\(UUID().uuidString)")
        try await build(TestInstallation.baseConfiguration(directory))
        sqliteDirectory = directory
        return directory
    }

    func postgres() async throws -> (String, URL) {
        if let postgresTemplate { return postgresTemplate }
        let name = "egov_tpl_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await PostgresAdmin.execute("CREATE DATABASE \(name)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("egov-template-\(UUID().uuidString)")
        var configuration = TestInstallation.baseConfiguration(directory)
        configuration.databaseURL = try PostgresAdmin.url(of: name)
        try await build(configuration)
        postgresTemplate = (name, directory)
        return (name, directory)
    }

    private func build(_ base: EGovConfiguration) async throws {
        var configuration = base
        configuration.initialPack = TestInstallation.demoPack
        let app = try await Application.make(.testing)
        do {
            try await configure(app, configuration: configuration, modules: TestInstallation.modules, options: RuntimeOptions(clock: ManualClock(TestInstallation.start).clock))
            _ = try await InstallationSetup(services: app.egov).run(on: app.db, logger: app.logger)
            let hash = try await app.egov.passwords.hash(TestInstallation.password)
            try await UserModel.query(on: app.db).set(\.$passwordHash, to: hash).update()
            // Fold the WAL into the main file so one file copy is the whole database.
            if let sql = app.db as? any SQLDatabase, !configuration.usesPostgres {
                try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                try await sql.raw("PRAGMA journal_mode=DELETE").run()
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// Keeps at most a few installations alive at once: Swift Testing starts every test together.
actor InstallationLimiter {
    static let shared = InstallationLimiter(limit: 4)
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = limit }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}
