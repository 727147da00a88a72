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
        var batch = WriteBatch()
        let event = try record(entry, at: date, in: &batch)
        try await batch.run(on: db)
        return event
    }

    /// `record`, as one statement of `batch`.
    @discardableResult
    public static func record(_ entry: AuditEntry, at date: Date, in batch: inout WriteBatch) throws -> AuditEventModel {
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
        try ModelWrite.create(event, in: &batch)
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
    /// advisory lock lets one through; SQLite has a single writer anyway. `timeStampSeals` then stamps them.
    @discardableResult
    public static func seal(on database: any Database, now: Date, grace: TimeInterval = 1, batchSize: Int = 5000) async throws -> Int {
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
            try await seal.create(on: db)
            try await AuditEventModel.query(on: db)
                .set(\.$sealID, to: seal.id)
                .filter(\.$id ~~ events.compactMap(\.id))
                .update()
            return events.count
        }
    }

    /// Time-stamps (RFC 3161) the hashes of the newest `recent` seals that have no token yet, newest first, with
    /// `timeStamp` (the TSA's token over a SHA-256, or nil when there is no TSA). It runs after the seal's own
    /// transaction, so neither the database nor other writers wait on the TSA, and a seal the TSA missed (it
    /// was down, or the network) gets its token at a later run. Returns how many seals were stamped.
    @discardableResult
    public static func timeStampSeals(on database: any Database, recent: Int = 20,
                                      _ timeStamp: @Sendable ([UInt8]) async throws -> [UInt8]?) async throws -> Int {
        let seals = try await AuditSealModel.query(on: database).sort(\.$sequence, .descending).limit(recent).all()
        var stamped = 0
        for seal in seals where seal.timeStampToken == nil {
            guard let digest = [UInt8](hexDigits: seal.hash.utf8), let token = try await timeStamp(digest) else { continue }
            // Another node may have stamped it meanwhile; either token holds, the first one stays.
            let id = try seal.requireID()
            try await AuditSealModel.query(on: database)
                .set(\.$timeStampToken, to: Data(token).base64EncodedString())
                .filter(\.$id == id).filter(\.$timeStampToken == nil)
                .update()
            stamped += 1
        }
        return stamped
    }
}
