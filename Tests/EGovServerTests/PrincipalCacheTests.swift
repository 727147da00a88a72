import EGovCore
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A bearer token's account and positions are kept a few seconds (issue 15): what this server changes counts at
/// once; what is changed elsewhere (another node, SQL, the command line) counts within the stated bound.
@Suite("Bearer tokens' principals, cached for seconds")
struct PrincipalCacheTests {
    /// Runs SQL on the installation's database as another node or an operator would, bypassing this server.
    private static func elsewhere(_ egov: TestInstallation, _ statement: SQLQueryString) async throws {
        let sql = try #require(egov.app.db as? any SQLDatabase)
        try await sql.raw(statement).run()
    }

    @Test("a withdrawn position and a disabled account, changed elsewhere, stop working within the cache's seconds",
          arguments: TestDatabase.enabled)
    func changedElsewhere(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let bound = egov.app.egov.principals.ttl
            #expect(bound == 5)
            let token = try await egov.token("lanhdao.snv")
            let before = try await egov.send(.GET, "/api/v1/me", token: token)
            #expect(before.body.string.contains(#""position":"leader""#))
            let user = try #require(try await UserModel.query(on: egov.app.db).filter(\.$username == "lanhdao.snv").first())
            let userID = try user.requireID()

            // MUT: the leader's position is withdrawn by SQL, as on another node.
            try await Self.elsewhere(egov, "DELETE FROM core_user_positions WHERE user_id = \(bind: userID) AND position = 'leader'")
            // validate: the entry is at most `bound` seconds old; then the position is gone.
            egov.clock.advance(by: bound - 1)
            #expect(try await egov.send(.GET, "/api/v1/me", token: token).body.string.contains(#""position":"leader""#))
            egov.clock.advance(by: 1)
            let after = try await egov.send(.GET, "/api/v1/me", token: token)
            #expect(after.status == .ok)
            #expect(!after.body.string.contains(#""position":"leader""#))

            // MUT: the account is disabled by SQL.
            try await Self.elsewhere(egov, "UPDATE core_users SET is_active = \(bind: false) WHERE id = \(bind: userID)")
            egov.clock.advance(by: bound - 1)
            #expect(try await egov.send(.GET, "/api/v1/me", token: token).status == .ok)
            egov.clock.advance(by: 1)
            // validate
            #expect(try await egov.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("a position granted on this server counts at once for a token already in use", arguments: TestDatabase.enabled)
    func grantedHere(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token("chuyenvien.snv")
            #expect(!(try await egov.send(.GET, "/api/v1/me", token: token).body.string.contains(#""unitCode":"000.00.03.H99""#)))
            let admin = egov.browser()
            _ = try await admin.signIn("quantri.tinh")
            // MUT: the administrator's form.
            let granted = try await admin.post("/admin/roles", form: ["username": "chuyenvien.snv", "unitCode": "000.00.03.H99",
                                                                     "position": "specialist"])
            // validate: no second passes.
            #expect(granted.status == .ok)
            let me = try await egov.send(.GET, "/api/v1/me", token: token)
            #expect(me.body.string.contains(#""unitCode":"000.00.03.H99""#))
        }
    }

    @Test("a load that began before an invalidation does not keep what it read")
    func loadRacingAnInvalidation() async throws {
        let cache = PrincipalCache(ttl: 5)
        let id = UUID()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let principal = Principal(id: id, username: "a", fullName: "A", kind: .officer, grants: [], permissionsByPosition: [:])
        let loads = Counter()
        // MUT: the first load sees an invalidation happen while it reads.
        _ = try await cache.principal(id, epoch: 0, now: now) {
            loads.add()
            cache.invalidate(id)
            return principal
        }
        _ = try await cache.principal(id, epoch: 0, now: now) { loads.add(); return principal }
        _ = try await cache.principal(id, epoch: 0, now: now) { loads.add(); return principal }
        // validate: the second read loaded again, the third was served from the cache.
        #expect(loads.value == 2)
        // Another epoch (a token from before a password change) never finds the entry.
        _ = try await cache.principal(id, epoch: 1, now: now) { loads.add(); return nil }
        #expect(loads.value == 3)
        // A clock set back does not make an entry fresh for longer.
        _ = try await cache.principal(id, epoch: 0, now: now.addingTimeInterval(-1)) { loads.add(); return principal }
        #expect(loads.value == 4)
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
