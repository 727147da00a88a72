@testable import Documents
@testable import EGovServer
import Foundation
@testable import PublicServices
import SQLKit
import Testing

/// Each module's case table has the queue's index (`AddCaseQueueIndex`, issue 15): over open cases only, so a
/// queue reads the open cases of its units however many finished ones the installation keeps.
@Suite("The queue's index on every case table")
struct CaseQueueIndexTests {
    @Test("dossiers and documents have a partial index on open cases, by holding unit, in the queue's order",
          arguments: TestDatabase.enabled)
    func present(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let sql = try #require(egov.app.db as? any SQLDatabase)
            for table in [DossierModel.schema, DocumentModel.schema] {
                let name = "\(table)_queue"
                let query: SQLQueryString = sql.dialect.name == "postgresql"
                    ? "SELECT indexdef AS definition FROM pg_indexes WHERE tablename = \(bind: table) AND indexname = \(bind: name)"
                    : "SELECT sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND name = \(bind: name)"
                let row = try await sql.raw(query).first()
                let definition = try #require(try row?.decode(column: "definition", as: String.self), "\(name) is missing")
                #expect(definition.contains("holder_unit_path"), "\(definition)")
                #expect(definition.contains("COALESCE(step_due_at, due_at)"), "\(definition)")
                #expect(definition.contains("WHERE") && definition.contains("finished_at IS NULL"), "\(definition)")
                if sql.dialect.name == "postgresql" {
                    #expect(definition.contains("INCLUDE (holder_positions, assignee_id)"), "\(definition)")
                }
            }
        }
    }
}
