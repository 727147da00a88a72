import Crypto
import EGovCore
import EGovPlatform
import Vapor

/// Cross-site request forgery protection for forms (double-submit): a random token lives in its own
/// cookie (`egov_csrf`, HttpOnly, SameSite=Lax) and every state-changing browser request must send it
/// back (`_csrf` form field or `X-CSRF-Token` header). The token needs no session, so an anonymous
/// visitor's sign-in page writes nothing to the database.
///
/// The cheap checks come first: a request without the cookie is refused before a byte of its body is
/// read; a visitor who is not signed in may send at most `maxAnonymousBody` (sign-in and registration
/// forms are small), so nobody uploads 80 MB before their session has been checked.
public struct CSRFProtection: AsyncMiddleware {
    public static let cookieName = "egov_csrf"
    public static let fieldName = "_csrf"

    /// The largest form a signed-in person may post: attachments of an application (a route may allow less).
    public static let maxFormBody = 80 * 1024 * 1024
    /// The largest form anyone else may post.
    public static let maxAnonymousBody = 64 * 1024

    let secureCookie: Bool

    public init(secureCookie: Bool) { self.secureCookie = secureCookie }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            guard let expected = request.cookies[Self.cookieName]?.string, Self.isWellFormed(expected) else { throw EGovError.csrf }
            var sent = request.headers.first(name: "X-CSRF-Token")
            if sent == nil, request.route?.isStreamedForm == true {
                // Uploads are for signed-in people only; the handler streams the body to disk and checks
                // the `_csrf` field before the first file part.
                guard request.auth.has(Principal.self) else { throw EGovError.unauthorized }
                request.storage[ExpectedTokenKey.self] = expected
                return try await finish(request, next)
            }
            if sent == nil {
                let max = request.auth.has(Principal.self) ? Self.maxFormBody : (request.route?.anonymousFormLimit ?? Self.maxAnonymousBody)
                if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > max {
                    throw EGovError.payloadTooLarge(maxBytes: max)
                }
                if let body = request.body.data, body.readableBytes > max { throw EGovError.payloadTooLarge(maxBytes: max) }
                // The token is in the body, which may still be arriving (a browser sends a form's parts
                // in several packets; routes collect it only after the middleware ran): collect it first.
                if request.body.data == nil {
                    do { _ = try await request.body.collect(max: max).get() } catch { throw EGovError.payloadTooLarge(maxBytes: max) }
                }
                sent = try? request.content.get(String.self, at: Self.fieldName)
            }
            guard let sent, ConstantTime.equal(expected, sent) else { throw EGovError.csrf }
        }
        return try await finish(request, next)
    }

    private func finish(_ request: Request, _ next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if let fresh = request.storage[FreshTokenKey.self] {
            response.cookies[Self.cookieName] = HTTPCookies.Value(string: fresh, maxAge: nil, path: "/", isSecure: secureCookie,
                                                                  isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

}

private struct FreshTokenKey: StorageKey { typealias Value = String }

extension Request {
    /// This visitor's CSRF token: the one in their cookie, or a new one that the response will set.
    public var csrfToken: String {
        if let fresh = storage[FreshTokenKey.self] { return fresh }
        if let existing = cookies[CSRFProtection.cookieName]?.string, CSRFProtection.isWellFormed(existing) { return existing }
        let token = RandomToken.make()
        storage[FreshTokenKey.self] = token
        return token
    }
}

/// Routes whose multipart body is streamed to disk (`body: .stream`) instead of collected: the CSRF
/// middleware then checks only the cookie and the session, and `Request.receiveForm` checks the `_csrf`
/// field as it arrives, before any file part.
public enum StreamedForm {
    static let userInfoKey = "egov.streamed-form"
}

extension Route {
    /// Marks this route's body as a streamed multipart form (see `StreamedForm`).
    @discardableResult
    public func streamsForm() -> Route {
        userInfo[StreamedForm.userInfoKey] = true
        return self
    }

    var isStreamedForm: Bool { userInfo[StreamedForm.userInfoKey] as? Bool == true }

    /// Lets visitors who are not signed in send a form of up to `maxBytes` here (a public upload such as the
    /// signature check), instead of the small limit on anonymous forms.
    @discardableResult
    public func acceptsAnonymousForm(upTo maxBytes: Int) -> Route {
        userInfo["egov.anonymous-form-limit"] = maxBytes
        return self
    }

    var anonymousFormLimit: Int? { userInfo["egov.anonymous-form-limit"] as? Int }
}

private struct ExpectedTokenKey: StorageKey { typealias Value = String }

extension Request {
    /// The multipart form of a `streamsForm()` route, its files spooled to disk; the CSRF token checked
    /// before any file is written. The caller `discard()`s the form when done.
    public func receiveForm(maxTotalBytes: Int = CSRFProtection.maxFormBody) async throws -> SpooledForm {
        let expected = storage[ExpectedTokenKey.self]
        var tokenSeen = expected == nil
        do {
            let form = try await UploadSpool.receive(self, filesRoot: egov.files.root, maxTotalBytes: maxTotalBytes,
                                                     requiredFirst: expected == nil ? nil : CSRFProtection.fieldName) { name, value in
                if name == CSRFProtection.fieldName, let expected {
                    guard ConstantTime.equal(expected, value) else { throw EGovError.csrf }
                    tokenSeen = true
                }
            }
            guard tokenSeen else {
                form.discard()
                throw EGovError.csrf
            }
            return form
        } catch UploadSpool.SpoolError.tooLarge(let max) {
            throw EGovError.payloadTooLarge(maxBytes: max)
        } catch UploadSpool.SpoolError.malformed {
            throw EGovError.badRequest(LocalizedText(vi: "Biểu mẫu gửi lên không đúng định dạng.", en: "The form is malformed."))
        }
    }
}
