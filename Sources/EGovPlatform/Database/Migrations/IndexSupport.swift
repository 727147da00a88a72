import Fluent
import SQLKit

extension Database {
    /// Creates a plain index; Fluent's schema builder has none, SQLKit does on both drivers.
    public func index(on table: String, _ columns: String...) async throws {
        guard let sql = self as? any SQLDatabase, !columns.isEmpty else { return }
        var builder = sql.create(index: "\(table)_\(columns.joined(separator: "_"))_idx").on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
