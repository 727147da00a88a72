import EGovPlatform
import EGovWeb
@testable import EGovServer
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

extension TestInstallation {
    /// Sends one request through the application in memory.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil,
              headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    /// An access token for a demo account.
    func token(_ username: String, password: String = TestInstallation.password) async throws -> String {
        let response = try await send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        guard response.status == .ok else {
            throw TestSetupError("token for \(username): \(response.status) \(response.body.string)")
        }
        return try response.content.decode(TokenPair.self).access_token
    }

    /// Gives an account an extra position (as an administrator would), for scoping tests.
    func grant(_ username: String, _ position: Position, at unitCode: String) async throws {
        let user = try await UserModel.query(on: app.db).filter(\.$username == username).first()
        let unit = try await UnitModel.query(on: app.db).filter(\.$code == unitCode).first()
        let userID = try #require(user).requireID()
        try await UserPositionModel(userID: userID, unitID: try #require(unit).requireID(), position: position)
            .create(on: app.db)
        app.egov.principals.invalidate(userID)
    }

    func browser() -> Browser { Browser(installation: self) }
}

import EGovCore
import Fluent

/// A person with a web browser: keeps the session cookie and the last page's CSRF token.
final class Browser: @unchecked Sendable {
    // Used by one test at a time, sequentially.
    let installation: TestInstallation
    var cookies: [String: String] = [:]
    var lastPage = ""

    init(installation: TestInstallation) { self.installation = installation }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await installation.app.testing().sendRequest(.GET, path, headers: cookieHeaders())
        remember(response)
        return response
    }

    /// Posts a form; the page's CSRF token is added unless `csrf` is false.
    @discardableResult
    func post(_ path: String, form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf, let token = csrfToken { fields[CSRFProtection.fieldName] = token }
        var headers = cookieHeaders()
        headers.contentType = .urlEncodedForm
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        let response = try await installation.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Posts a multipart form with one file; the page's CSRF token is added unless `csrf` is false.
    @discardableResult
    func post(_ path: String, form: [String: String] = [:], file: (field: String, name: String, type: String, bytes: [UInt8]),
              csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf, let token = csrfToken { fields[CSRFProtection.fieldName] = token }
        let boundary = "egov-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
        body += file.bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        var headers = cookieHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await installation.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(bytes: body))
        remember(response)
        return response
    }

    /// Signs in through the login form.
    func signIn(_ username: String, password: String = TestInstallation.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", form: ["username": username, "password": password])
    }

    var csrfToken: String? {
        guard let range = lastPage.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = lastPage[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]).replacingOccurrences(of: "&#x2B;", with: "+")
            .replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&#x3D;", with: "=")
            .replacingOccurrences(of: "&amp;", with: "&") }
    }

    private func cookieHeaders() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        return headers
    }

    private func remember(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { cookies[parts[0]] = parts[1] }
        }
        if response.headers.contentType?.subType == "html" { lastPage = response.body.string }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
