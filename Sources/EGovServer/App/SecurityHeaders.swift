import EGovPlatform
import EGovWeb
import Vapor

/// The outermost middleware: every response — pages, API, assets, errors — leaves with the browser
/// protections below, and no response leaves with a header that could split the HTTP stream.
struct SecurityHeaders: AsyncMiddleware {
    /// No inline script or style anywhere (the page script and the locality's colours are files),
    /// no framing, no plugins, no `<base>` rewriting.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    let strictTransportSecurity: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard HeaderValidation.isValid(response.headers) else {
            // A header built from input carried CR, LF or NUL (Vapor's HTTP/1 encoder writes header
            // bytes as given): answer a plain 400 instead of letting it plant headers or cookies.
            request.logger.warning("response header with control characters refused", metadata: ["path": "\(request.url.path)"])
            return finish(Response(status: .badRequest, headers: ["Content-Type": "text/plain; charset=utf-8"],
                                   body: .init(string: "400 Bad Request\n")))
        }
        return finish(response)
    }

    private func finish(_ response: Response) -> Response {
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if strictTransportSecurity {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}

/// The rule NIO's `NIOHTTPResponseHeadersValidator` applies (RFC 9110 §5.1, §5.5): a header name is a
/// token, a value has no CR, LF or NUL. Vapor builds its HTTP/1 pipeline itself and offers no place
/// to add NIO's handler, so the same check runs here, on every response.
enum HeaderValidation {
    static func isValid(_ headers: HTTPHeaders) -> Bool {
        headers.allSatisfy { name, value in isToken(name) && isFieldValue(value) }
    }

    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    static func isFieldValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
