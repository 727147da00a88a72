import Fluent
import SQLKit

/// The index a queue (`CasePredicates.queue`) reads: a module's open cases by holding unit, in the queue's order
/// (`CasePredicates.urgency`), partial on `finished_at IS NULL`. A queue then reads only the open cases held at
/// the principal's units, however long the history: without it PostgreSQL intersected the holder index with
/// every open case of the installation (`finished_at IS NULL`, which grows with the data set; issue 15,
/// BENCHMARKS.md). On PostgreSQL it also carries the other columns the queue filters on. Each module adds it to
/// its case table with its own migration name.
public struct AddCaseQueueIndex: AsyncMigration {
    public let name: String
    let table: String

    public init(name: String, table: String) {
        self.name = name
        self.table = table
    }

    var index: SQLIdentifier { SQLIdentifier("\(table)_queue") }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE INDEX IF NOT EXISTS \(index) ON \(ident: table)
                (holder_unit_path, (COALESCE(step_due_at, due_at) IS NULL), (COALESCE(step_due_at, due_at)))
                INCLUDE (holder_positions, assignee_id) WHERE finished_at IS NULL
                """).run()
        } else {
            try await sql.raw("""
                CREATE INDEX IF NOT EXISTS \(index) ON \(ident: table)
                (holder_unit_path, COALESCE(step_due_at, due_at) IS NULL, COALESCE(step_due_at, due_at)) WHERE finished_at IS NULL
                """).run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS \(index)").run()
    }
}
