import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A browser session row: only signed-in sessions are stored (an anonymous visitor writes nothing),
/// under the SHA-256 of the cookie's id, with its account so that a password change ends them all.
public final class SessionModel: Model, @unchecked Sendable {
    public static let schema = "core_sessions"

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "data") public var data: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}
}

/// Vapor's session driver over `core_sessions`: sessions end after `EGovConfiguration.sessionIdleTimeout`
/// without a request and `sessionMaxAge` after sign-in, checked on every read; a periodic job removes
/// the rows. The key the session stores its account under is `SessionStore.userKey`.
public struct SessionStore: SessionDriver {
    public static let userKey = "uid"

    public init() {}

    public func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let id = SessionID(string: RandomToken.make())
            // Nothing to remember (an anonymous visitor): no row, so strangers cannot fill the table.
            guard !data.snapshot.isEmpty else { return id }
            let now = request.egov.clock.now()
            let row = SessionModel()
            row.id = Self.key(id)
            row.userID = data[Self.userKey].flatMap(UUID.init(uuidString:))
            row.data = try Self.encode(data)
            row.createdAt = now
            row.lastSeenAt = now
            row.expiresAt = now.addingTimeInterval(request.egov.configuration.sessionMaxAge)
            try await row.create(on: request.db)
            return id
        }
    }

    public func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            guard sessionID.string.utf8.count <= 128, let row = try await SessionModel.find(Self.key(sessionID), on: request.db) else { return nil }
            let now = request.egov.clock.now()
            guard row.expiresAt > now, now.timeIntervalSince(row.lastSeenAt) < request.egov.configuration.sessionIdleTimeout else {
                try await row.delete(on: request.db)
                return nil
            }
            return try JSONDecoder().decode([String: String].self, from: Data(row.data.utf8)).reduce(into: SessionData()) { $0[$1.key] = $1.value }
        }
    }

    public func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            guard let sql = request.db as? any SQLDatabase else { return sessionID }
            if data.snapshot.isEmpty {
                try await sql.delete(from: SessionModel.schema).where("id", .equal, Self.key(sessionID)).run()
                return sessionID
            }
            let rows = try await sql.raw("""
                UPDATE \(ident: SessionModel.schema) SET data = \(bind: try Self.encode(data)), last_seen_at = \(bind: request.egov.clock.now()),
                    user_id = \(bind: data[Self.userKey].flatMap(UUID.init(uuidString:)))
                WHERE id = \(bind: Self.key(sessionID)) RETURNING id
                """).all()
            // Ended meanwhile (password changed, expired): never resurrect it.
            return rows.isEmpty ? SessionID(string: RandomToken.make()) : sessionID
        }
    }

    public func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await SessionModel.query(on: request.db).filter(\.$id == Self.key(sessionID)).delete()
        }
    }

    /// Ends every session of an account (password changed or reset, account disabled).
    public static func endAll(userID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$userID == userID).delete()
    }

    /// Removes sessions past their end; run periodically.
    public static func purge(now: Date, idleTimeout: TimeInterval, on db: any Database) async throws {
        try await SessionModel.query(on: db).group(.or) { group in
            group.filter(\.$expiresAt <= now).filter(\.$lastSeenAt <= now.addingTimeInterval(-idleTimeout))
        }.delete()
    }

    static func key(_ id: SessionID) -> String { Digests.sha256Hex(id.string) }

    static func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data.snapshot), as: UTF8.self)
    }
}
