import EGovPlatform
import Vapor

/// Limits sign-in, token and registration requests per client address (`EGOV_AUTH_RATE_LIMIT` a
/// minute, 429 with `Retry-After` beyond it), before the body is read or a password hashed.
public struct AuthRateLimit: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let key = request.clientAddress ?? "unknown"
        if let retryAfter = request.egov.authLimiter.hit(key, now: request.egov.clock.now()) {
            throw EGovError.tooManyRequests(retryAfter: retryAfter)
        }
        return try await next.respond(to: request)
    }
}
