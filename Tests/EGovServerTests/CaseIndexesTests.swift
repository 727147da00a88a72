@testable import Documents
import EGovPlatform
@testable import EGovServer
import Foundation
@testable import PublicServices
import SQLKit
import Testing

/// Each module's case table has the queue's index (`AddCaseQueueIndex`, issue 15): over open cases only, so a
/// queue reads the open cases of its units however many finished ones the installation keeps.
@Suite("The case tables' indexes: queue, scopes, history")
struct CaseIndexesTests {
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
                if table == DossierModel.schema {
                    // The one-stop queue's holders lead, and its order follows (`AddCaseQueueIndex(then:)`).
                    #expect(definition.contains("holder_unit_path, holder_positions, ")
                            && definition.contains("COALESCE(assignee_id, '00000000-0000-0000-0000-000000000000'"), "\(definition)")
                    #expect(definition.contains("submitted_at") && definition.contains("code"), "\(definition)")
                } else if sql.dialect.name == "postgresql" {
                    #expect(definition.contains("INCLUDE (holder_positions, assignee_id)"), "\(definition)")
                }
            }
        }
    }

    @Test("on PostgreSQL a unit's subtree and a period's history are read through their indexes, whatever the collation",
          .enabled(if: TestDatabase.enabled.contains(.postgres)))
    func scopes() async throws {
        try await TestInstallation.with(.postgres) { egov in
            let root = "/00000000-0000-0000-0000-000000000000/"
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            var checks: [(query: SQLQueryString, index: String)] = []
            for table in [DossierModel.schema, DocumentModel.schema] {
                // What a statistic and a scoped list ask (`DossierStatistics`, `CasePredicates.within`).
                checks.append(("SELECT count(*) FROM \(ident: table) WHERE competent_unit_path LIKE \(bind: root + "%") AND (finished_at IS NULL OR finished_at >= \(bind: start))",
                               "\(table)_competent_scope"))
                checks.append(("SELECT count(*) FROM \(ident: table) WHERE \(CasePredicates.within([root]))", "\(table)_receiving_scope"))
            }
            for history in [DossierEventModel.schema, DocumentModel.historySchema] {
                checks.append(("SELECT count(*) FROM \(ident: history) WHERE action_id = 'request-supplement' AND at >= \(bind: start)",
                               "\(history)_action_at"))
            }
            let all = checks
            // Sequential scans are priced out, so a plan shows whether an index can serve the condition at all. The
            // transaction holds one connection for `SET LOCAL`; the plans are checked outside it (its closure runs in
            // another task).
            let (plans, plainServes) = try await egov.app.db.transaction { tx -> ([String], Bool) in
                guard let sql = tx as? any SQLDatabase else { return ([], false) }
                // Under the "C" collation a plain index serves `LIKE 'prefix%'` too; under any other only ours does.
                let collation = try await sql.raw("SELECT datcollate AS c FROM pg_database WHERE datname = current_database()").first()?
                    .decode(column: "c", as: String.self) ?? ""
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                var plans: [String] = []
                for check in all {
                    let explain: SQLQueryString = "EXPLAIN \(check.query)"
                    plans.append(try await sql.raw(explain).all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n"))
                }
                return (plans, ["C", "POSIX"].contains(collation))
            }
            #expect(plans.count == all.count)
            for (check, plan) in zip(all, plans) {
                #expect(plan.contains(check.index) || (plainServes && !plan.contains("Seq Scan")), "\(check.index): \(plan)")
            }
        }
    }
}
