import FluentPostgresDriver
import Foundation
import Logging
import Testing

/// The databases the suite runs on: `EGOV_TEST_DATABASES=sqlite|postgres|sqlite,postgres`; by default
/// SQLite, plus PostgreSQL when `EGOV_TEST_POSTGRES_URL` is set.
enum TestDatabase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let enabled: [TestDatabase] = {
        let environment = ProcessInfo.processInfo.environment
        if let list = environment["EGOV_TEST_DATABASES"], !list.isEmpty {
            return list.split(separator: ",").compactMap { TestDatabase(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        }
        return environment["EGOV_TEST_POSTGRES_URL"]?.isEmpty == false ? [.sqlite, .postgres] : [.sqlite]
    }()

    /// The server's maintenance database URL; a PostgreSQL run without it fails loudly instead of skipping.
    static var postgresAdminURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["EGOV_TEST_POSTGRES_URL"], !url.isEmpty else {
                throw TestSetupError("EGOV_TEST_DATABASES asks for postgres but EGOV_TEST_POSTGRES_URL is not set")
            }
            return url
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Creates and drops PostgreSQL databases for tests, one per test, so suites can run in parallel.
enum PostgresAdmin {
    static func execute(_ sql: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: try TestDatabase.postgresAdminURL)
        let connection = try await PostgresConnection.connect(configuration: configuration.coreConfiguration, id: 1,
                                                              logger: Logger(label: "test.postgres-admin"))
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test.postgres-admin"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The URL of another database on the same server.
    static func url(of database: String) throws -> String {
        guard var components = URLComponents(string: try TestDatabase.postgresAdminURL) else {
            throw TestSetupError("EGOV_TEST_POSTGRES_URL is not a URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw TestSetupError("cannot build a database URL") }
        return url
    }
}
