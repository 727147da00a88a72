import Foundation
import NIOConcurrencyHelpers

/// The principals of bearer tokens, kept for a few seconds so that an authenticated request costs no database
/// round trip for its account and positions (issue 15). The bound on staleness:
///
/// - a change made through this server — a password (`CredentialService`), a position granted (`grant`), a
///   pack's users and units (`PackImporter`) — drops the entries at once, after its transaction;
/// - a change made anywhere else — another node on the same database, the `egov` command line, SQL by hand —
///   is seen within `ttl` seconds of the installation's clock (`EGOV_PRINCIPAL_CACHE_SECONDS`, 0 turns it off).
///
/// An entry is for one account at one `auth_epoch`: a token issued before a password change never finds the
/// entry of a token issued after it. Only found, active accounts are kept; a refusal is always read afresh.
public final class PrincipalCache: Sendable {
    public let ttl: TimeInterval
    /// More accounts than this and the whole cache starts over, so a flood of valid tokens cannot fill the memory.
    static let maxEntries = 20_000

    private struct Entry: Sendable {
        let principal: Principal
        let epoch: Int
        let loadedAt: Date
    }

    private struct State: Sendable {
        var entries: [UUID: Entry] = [:]
        /// Moves on every invalidation: a load that began before one does not store what it read.
        var generation: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    public init(ttl: TimeInterval) {
        self.ttl = max(0, ttl)
    }

    /// The principal of `userID` whose token carries `epoch`: from the cache while fresh, else from `load` (which
    /// answers nil for an account that is gone, disabled or at another epoch), then kept.
    public func principal(_ userID: UUID, epoch: Int, now: Date,
                          load: () async throws -> Principal?) async throws -> Principal? {
        guard ttl > 0 else { return try await load() }
        let (cached, generation) = state.withLockedValue { state -> (Principal?, UInt64) in
            guard let entry = state.entries[userID], entry.epoch == epoch,
                  now >= entry.loadedAt, now.timeIntervalSince(entry.loadedAt) < ttl
            else { return (nil, state.generation) }
            return (entry.principal, state.generation)
        }
        if let cached { return cached }
        guard let loaded = try await load() else { return nil }
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.maxEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[userID] = Entry(principal: loaded, epoch: epoch, loadedAt: now)
        }
        return loaded
    }

    /// Forgets one account: its password, positions or status changed here.
    public func invalidate(_ userID: UUID) {
        state.withLockedValue { state in
            state.entries[userID] = nil
            state.generation &+= 1
        }
    }

    /// Forgets every account: units or many accounts changed here (a pack import).
    public func invalidateAll() {
        state.withLockedValue { state in
            state.entries.removeAll()
            state.generation &+= 1
        }
    }
}
