import Foundation
import NIOCore
import NIOPosix

/// Where Swift Concurrency runs its jobs in `egov`.
public enum ConcurrencyExecutor {
    /// Runs Swift Concurrency's jobs on NIO's event loops (the singleton group the server listens and talks to the
    /// database on) instead of Swift's own thread pool: a request's `await` on a database statement then resumes on the
    /// thread that read the answer, with no hop between two pools for every statement (issue 15). `EGOV_NIO_EXECUTOR=0`
    /// keeps Swift's pool. Call it once, first thing in `main`, before any task starts.
    @discardableResult
    public static func install(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment["EGOV_NIO_EXECUTOR"] != "0" else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
