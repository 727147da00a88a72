import EGovPlatform
import Vapor

/// Limits requests per client address, 429 with `Retry-After` beyond the limit, before the body is read or
/// any costly work done: sign-in, token and registration requests (`EGOV_AUTH_RATE_LIMIT` a minute), and
/// the public signature checks (`.verification`, which hash and parse up to 20 MB for anyone).
public struct AuthRateLimit: AsyncMiddleware {
    let limiter: @Sendable (PlatformServices) -> RateLimiter

    public init() { limiter = { $0.authLimiter } }

    private init(_ limiter: @escaping @Sendable (PlatformServices) -> RateLimiter) { self.limiter = limiter }

    /// The public signature checks' own budget, apart from sign-in's.
    public static let verification = AuthRateLimit { $0.verificationLimiter }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let key = request.clientAddress ?? "unknown"
        if let retryAfter = limiter(request.egov).hit(key, now: request.egov.clock.now()) {
            throw EGovError.tooManyRequests(retryAfter: retryAfter)
        }
        return try await next.respond(to: request)
    }
}
