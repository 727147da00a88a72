import Crypto
import EGovPlatform
import Vapor

/// Cross-site request forgery protection for forms: a random token lives in the session and every
/// state-changing browser request must send it back (`_csrf` form field or `X-CSRF-Token` header).
public struct CSRFProtection: AsyncMiddleware {
    public static let sessionKey = "csrf"
    public static let fieldName = "_csrf"

    /// The largest form a browser may post: attachments of an application (a route may allow less).
    public static let maxFormBody = 80 * 1024 * 1024

    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            // The token is in the body, which may still be arriving (a browser sends a form's parts in
            // several packets; routes collect it only after the middleware ran): collect it first.
            if request.body.data == nil {
                _ = try await request.body.collect(max: Self.maxFormBody).get()
            }
            let expected = request.sessionsEnabled && request.hasSession ? request.session.data[Self.sessionKey] : nil
            let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: Self.fieldName))
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else { throw EGovError.csrf }
        }
        return try await next.respond(to: request)
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use (which starts a session).
    public var csrfToken: String {
        if let token = session.data[CSRFProtection.sessionKey] { return token }
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        session.data[CSRFProtection.sessionKey] = token
        return token
    }
}
