import Fluent
import SQLKit

extension Database {
    /// Creates a plain index; Fluent's schema builder has none, SQLKit does on both drivers.
    func index(on table: String, _ column: String) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
    }
}
