import Foundation

/// The current time, behind a small client so tests can move it (lockout expiry, deadlines).
public struct EGovClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let live = EGovClock(now: { Date() })
}

/// A clock a test can set and advance.
public final class ManualClock: @unchecked Sendable {
    // Guarded by `lock`; tests may read it from request handlers on other threads.
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public var date: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    public var clock: EGovClock { EGovClock(now: { [self] in self.date }) }
}
