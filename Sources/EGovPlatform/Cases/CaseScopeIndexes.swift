import Fluent
import SQLKit

/// The indexes a scope reads on PostgreSQL: `CasePredicates.within` and the statistics select a unit's subtree with
/// `LIKE 'path%'`, which a plain index serves only under the "C" collation (installations run C.UTF-8 or a
/// language's collation), so every list and statistic read the whole case table (issue 15, BENCHMARKS.md). Pattern
/// indexes on the three unit paths serve the prefix whatever the collation; the deciding unit's carries the finish
/// time so a period's figures read the open cases and those finished since the period began, not every year's; the
/// history's (action, time) serves the counts of one action in a period. SQLite's `LIKE` is case-insensitive and
/// would need its own collation: not added there. Each module adds it to its tables with its own migration name.
public struct AddCaseScopeIndexes: AsyncMigration {
    public let name: String
    let table: String
    let history: String

    public init(name: String, table: String, history: String) {
        self.name = name
        self.table = table
        self.history = history
    }

    var indexes: [(name: String, definition: SQLQueryString)] {
        [("\(table)_competent_scope", "ON \(ident: table) (competent_unit_path text_pattern_ops, finished_at)"),
         ("\(table)_receiving_scope", "ON \(ident: table) (receiving_unit_path text_pattern_ops)"),
         ("\(table)_consulted_scope", "ON \(ident: table) (consulted_unit_path text_pattern_ops) WHERE consulted_unit_path IS NOT NULL"),
         ("\(history)_action_at", "ON \(ident: history) (action_id, at)")]
    }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for index in indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: index.name) \(index.definition)").run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for index in indexes { try await sql.raw("DROP INDEX IF EXISTS \(ident: index.name)").run() }
    }
}
