import NIOPosix
import Vapor

/// bcrypt on the thread pool: hashing takes ~250 ms at cost 12 and must never block an event loop.
public struct PasswordService: Sendable {
    public let cost: Int
    let threadPool: NIOThreadPool

    public init(cost: Int, threadPool: NIOThreadPool) {
        self.cost = cost
        self.threadPool = threadPool
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }
}
