import Fluent

/// Issue 13 §3b: each audit seal carries the locality TSA's time-stamp token over its hash (RFC 3161, base64 DER),
/// so the seal's time is provable without trusting the server's clock. Seals made before have none.
struct M012_TimeStampAuditSeals: AsyncMigration {
    var name: String { "core.012.time-stamp-audit-seals" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditSealModel.schema).field("time_stamp_token", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditSealModel.schema).deleteField("time_stamp_token").update()
    }
}
