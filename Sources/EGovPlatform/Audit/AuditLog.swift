import Fluent
import Foundation
import SQLKit

/// What one audited action says about itself.
public struct AuditEntry: Sendable {
    public var actorID: UUID?
    public var actorName: String
    public var unitCode: String?
    public var action: String
    public var target: String
    public var clientAddress: String?
    public var summary: String

    public init(actorID: UUID? = nil, actorName: String, unitCode: String? = nil, action: String, target: String,
                clientAddress: String? = nil, summary: String) {
        self.actorID = actorID
        self.actorName = actorName
        self.unitCode = unitCode
        self.action = action
        self.target = target
        self.clientAddress = clientAddress
        self.summary = summary
    }
}

/// The audit log, X-Road style: each event carries the hash of its own fields and is written in the
/// action's transaction (no shared row, so writers never queue behind each other); `seal` closes the
/// events written so far into a seal holding their hashes in order and the previous seal's hash.
public enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    @discardableResult
    public static func record(_ entry: AuditEntry, at date: Date, on db: any Database) async throws -> AuditEventModel {
        let event = AuditEventModel()
        event.id = UUID()
        // Milliseconds only: both databases store that exactly, so the hash survives a round trip.
        event.occurredAt = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        event.actorID = entry.actorID
        event.actorName = entry.actorName
        event.unitCode = entry.unitCode
        event.action = entry.action
        event.target = entry.target
        event.clientAddress = entry.clientAddress
        event.summary = String(entry.summary.prefix(2000))
        event.hash = hash(of: event)
        try await event.create(on: db)
        return event
    }

    /// The hash of an event's own fields, recomputed by `verify`.
    public static func hash(of event: AuditEventModel) -> String {
        let fields: [String] = [
            event.id?.uuidString.lowercased() ?? "",
            String(Int64((event.occurredAt.timeIntervalSince1970 * 1000).rounded())),
            event.actorID?.uuidString.lowercased() ?? "",
            event.actorName, event.unitCode ?? "", event.action, event.target, event.clientAddress ?? "", event.summary,
        ]
        return Digests.sha256Hex(fields.joined(separator: "\u{1F}"))
    }

    static func sealHash(sequence: Int, sealedAt: Date, entries: String, previousHash: String) -> String {
        let millis = String(Int64((sealedAt.timeIntervalSince1970 * 1000).rounded()))
        return Digests.sha256Hex([String(sequence), millis, entries, previousHash].joined(separator: "\u{1F}"))
    }

    /// Seals the events older than `grace` (so transactions still open are not overtaken) in batches.
    /// Returns how many events were sealed. Several nodes may call this at once: on PostgreSQL an
    /// advisory lock lets one through; SQLite has a single writer anyway. With `stamper`, the locality TSA
    /// time-stamps each seal's hash (RFC 3161).
    @discardableResult
    public static func seal(on database: any Database, now: Date, grace: TimeInterval = 1, batchSize: Int = 5000,
                            stamper: TimeStampAuthority.Stamper? = nil) async throws -> Int {
        try await database.transaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(7270010)").run()
            }
            let events = try await AuditEventModel.query(on: db)
                .filter(\.$sealID == nil)
                .filter(\.$occurredAt <= now.addingTimeInterval(-grace))
                .sort(\.$occurredAt).sort(\.$id)
                .limit(batchSize).all()
            guard !events.isEmpty else { return 0 }
            let last = try await AuditSealModel.query(on: db).sort(\.$sequence, .descending).first()
            let seal = AuditSealModel()
            seal.id = UUID()
            seal.sequence = (last?.sequence ?? 0) + 1
            seal.sealedAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            seal.entries = events.map { "\($0.id?.uuidString.lowercased() ?? "") \($0.hash)" }.joined(separator: "\n")
            seal.previousHash = last?.hash ?? genesisHash
            seal.hash = sealHash(sequence: seal.sequence, sealedAt: seal.sealedAt, entries: seal.entries,
                                 previousHash: seal.previousHash)
            if let stamper, let digest = [UInt8](hexDigits: seal.hash.utf8) {
                seal.timeStampToken = Data(try stamper.token(sha256: digest, at: now)).base64EncodedString()
            }
            try await seal.create(on: db)
            try await AuditEventModel.query(on: db)
                .set(\.$sealID, to: seal.id)
                .filter(\.$id ~~ events.compactMap(\.id))
                .update()
            return events.count
        }
    }
}
