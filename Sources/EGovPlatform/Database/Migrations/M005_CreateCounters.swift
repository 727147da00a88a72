import Fluent

struct M005_CreateCounters: AsyncMigration {
    var name: String { "core.005.create-counters" }

    func prepare(on database: any Database) async throws {
        try await database.schema(CounterModel.schema)
            .field("scope", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CounterModel.schema).delete()
    }
}
