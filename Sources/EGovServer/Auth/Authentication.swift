import EGovCore
import EGovPlatform
import EGovWeb
import JWT
import Vapor

/// Bearer tokens for machine clients: a valid access token logs its account in for this request, its account and
/// positions read through `PrincipalCache` (seconds old at most).
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            let payload = try await request.jwt.verify(bearer.token, as: AccessTokenPayload.self)
            let now = request.egov.clock.now()
            guard !payload.isExpired(at: now), let id = UUID(uuidString: payload.sub.value) else { throw EGovError.unauthorized }
            let epoch = payload.ep ?? 0
            guard let principal = try await request.egov.principals.principal(id, epoch: epoch, now: now, load: {
                try await PrincipalLoader.load(id, epoch: epoch, catalog: request.egov.permissions, on: request.db)
            }) else { throw EGovError.unauthorized }
            request.auth.login(principal)
        }
        return try await next.respond(to: request)
    }
}

/// Browser sessions (stored in the database): the signed-in account's id lives in the session.
/// Runs right after Vapor's sessions middleware, and marks the request as one that has sessions.
struct SessionAuthenticator: AsyncMiddleware {
    static let userKey = SessionStore.userKey

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.markSessionsEnabled()
        if request.hasSession, let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw) {
            if let principal = try await PrincipalLoader.load(id, catalog: request.egov.permissions, on: request.db) {
                request.auth.login(principal)
            } else {
                request.session.data[Self.userKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}
