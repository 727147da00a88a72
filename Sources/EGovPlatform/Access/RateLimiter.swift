import Foundation
import NIOConcurrencyHelpers

/// Counts requests per key (a client address and what it asks for) in fixed one-minute windows, in
/// this process's memory. Per node: with N nodes a client gets at most N times the limit, which is
/// still a limit; nothing in the database is written for a request that is refused.
public final class RateLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let state = NIOLockedValueBox<[String: (start: Date, count: Int)]>([:])
    /// More keys than this and the stale ones go, so a flood of addresses cannot fill the memory.
    private let maxKeys = 100_000

    public init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request for `key`; nil when allowed, else the seconds until the window ends.
    public func hit(_ key: String, now: Date) -> Int? {
        state.withLockedValue { entries in
            if entries.count >= maxKeys {
                entries = entries.filter { now.timeIntervalSince($0.value.start) < window }
                if entries.count >= maxKeys { entries.removeAll(keepingCapacity: true) }
            }
            var entry = entries[key] ?? (now, 0)
            if now.timeIntervalSince(entry.start) >= window { entry = (now, 0) }
            entry.count += 1
            entries[key] = entry
            guard entry.count > limit else { return nil }
            return max(1, Int((window - now.timeIntervalSince(entry.start)).rounded(.up)))
        }
    }
}
