import EGovPlatform
import Vapor

/// What handlers of every module ask of a request: who is signed in, where from, and whether it has sessions.
extension Request {
    /// The signed-in principal; 401 when nobody is.
    public func principal() throws -> Principal {
        guard let principal = auth.get(Principal.self) else { throw EGovError.unauthorized }
        return principal
    }

    /// The audit entry for an action taken by whoever is signed in on this request.
    public func auditEntry(action: String, target: String, summary: String, unitCode: String? = nil) -> AuditEntry {
        let principal = auth.get(Principal.self)
        return AuditEntry(actorID: principal?.id, actorName: principal?.username ?? "anonymous",
                          unitCode: unitCode ?? principal?.primaryUnitCode, action: action, target: target,
                          clientAddress: clientAddress, summary: summary)
    }

    /// The client's address: the peer's, or what a trusted reverse proxy says in `X-Forwarded-For`.
    public var clientAddress: String? {
        egov.trustedProxies.client(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor], forwarded: headers[.forwarded])
    }

    /// Whether Vapor's sessions middleware runs for this request: touching `session` without it
    /// stops the process, so code shared with non-web routes (error pages) asks first.
    public var sessionsEnabled: Bool { storage[SessionsEnabledKey.self] ?? false }

    /// Called by the session authenticator of the web route group.
    public func markSessionsEnabled() { storage[SessionsEnabledKey.self] = true }
}

private struct SessionsEnabledKey: StorageKey { typealias Value = Bool }

/// Refuses requests without a signed-in account (401: problem+json, or a redirect to the login page).
public struct RequirePrincipal: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(Principal.self) else { throw EGovError.unauthorized }
        return try await next.respond(to: request)
    }
}
