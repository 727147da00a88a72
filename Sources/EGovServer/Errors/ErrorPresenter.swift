import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import FluentSQLiteDriver
import JWT
import Vapor

/// Turns every error into RFC 9457 problem+json for API clients and an error page for people.
/// 5xx are logged loudly; nothing internal (`"\(error)"`, stacks) ever reaches the client.
struct ErrorPresenter: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = Problem(error, request: request)
            if problem.status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.url.path)"])
            }
            if request.wantsJSON {
                return try problem.jsonResponse(language: request.language)
            }
            if problem.status == .unauthorized {
                return request.redirect(to: SiteRoute.login(next: request.url.string).path)
            }
            return try await ErrorPage(problem: problem).response(for: request)
        }
    }
}

/// A problem as RFC 9457 describes it.
struct Problem {
    var status: HTTPResponseStatus
    var slug: String
    var title: LocalizedText
    var detail: LocalizedText
    var fieldErrors: [ValidationError] = []
    var headers: HTTPHeaders = [:]

    init(_ error: any Error, request: Request) {
        switch error {
        case let error as EGovError:
            self.init(status: error.status, slug: error.slug,
                      title: error.title, detail: error.detail, fieldErrors: error.fieldErrors)
            if case .locked(let until) = error {
                let seconds = max(1, Int(until.timeIntervalSince(request.egov.clock.now()).rounded(.up)))
                headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            }
            if case .tooManyRequests(let seconds) = error {
                headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            }
        case let error as LoginError:
            switch error {
            case .invalidCredentials:
                self.init(status: .unauthorized, slug: "invalid-credentials",
                          title: LocalizedText(vi: "Đăng nhập không thành công", en: "Sign-in failed"),
                          detail: LocalizedText(vi: "Tên đăng nhập hoặc mật khẩu không đúng.", en: "Wrong username or password."))
            case .locked(let until):
                self.init(EGovError.locked(until: until), request: request)
            }
        case let error as AccountService.AccountError:
            if case .taken(let taken) = error {
                self.init(EGovError.conflict(taken), request: request)
            } else {
                self.init(EGovError.validation(error.fieldErrors), request: request)
            }
        case let error as UnitService.UnitError:
            switch error {
            case .invalid(let errors): self.init(EGovError.validation(errors), request: request)
            case .taken(let error): self.init(EGovError.conflict(error), request: request)
            }
        case is TokenService.RefreshError, is JWTError:
            self.init(EGovError.unauthorized, request: request)
        // Two requests that both passed the checks and then raced to insert the same unique value:
        // the loser is told the value is taken, never a 500.
        case let error as any DatabaseError where error.isConstraintFailure:
            self.init(EGovError.conflict(ValidationError(field: "",
                                                         vi: "Dữ liệu này vừa được ghi bởi một yêu cầu khác (trùng). Vui lòng tải lại và thử lại.",
                                                         en: "This was just written by another request (duplicate). Please reload and try again.")),
                      request: request)
        // SQLite refuses a write that would break a reader's snapshot at once, whatever busy_timeout
        // says: the request changed nothing, and can simply be sent again.
        case let error as SQLiteError where error.reason == .busy || error.reason == .locked:
            self.init(status: .serviceUnavailable, slug: "busy", title: Self.title(for: .serviceUnavailable),
                      detail: LocalizedText(vi: "Hệ thống đang bận ghi dữ liệu khác. Chưa có gì thay đổi; vui lòng thử lại sau giây lát.",
                                            en: "The system is busy writing other data. Nothing was changed; please try again in a moment."))
            headers.replaceOrAdd(name: .retryAfter, value: "1")
        case let error as PackError:
            self.init(status: .badRequest, slug: "pack", title: LocalizedText(vi: "Gói địa phương không hợp lệ", en: "Invalid locality pack"),
                      detail: LocalizedText(vi: "\(error.location): \(error.message.vi)", en: "\(error.location): \(error.message.en)"))
        // Before AbortError: Vapor makes DecodingError an AbortError with an English-only reason.
        case let error as DecodingError:
            self.init(status: .badRequest, slug: "http-400", title: Self.title(for: .badRequest),
                      detail: Self.decodingDetail(error))
        case let error as any AbortError:
            self.init(status: error.status, slug: "http-\(error.status.code)", title: Self.title(for: error.status),
                      detail: Self.detail(for: error))
            headers = error.headers
        default:
            self.init(status: .internalServerError, slug: "internal", title: Self.title(for: .internalServerError),
                      detail: LocalizedText(vi: "Hệ thống gặp sự cố. Dữ liệu của bạn chưa bị thay đổi; vui lòng thử lại sau.",
                                            en: "Something went wrong on our side. Nothing was changed; please try again later."))
        }
    }

    init(status: HTTPResponseStatus, slug: String, title: LocalizedText, detail: LocalizedText, fieldErrors: [ValidationError] = []) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    static func title(for status: HTTPResponseStatus) -> LocalizedText {
        switch status.code {
        case 400: LocalizedText(vi: "Yêu cầu không hợp lệ", en: "Bad request")
        case 401: LocalizedText(vi: "Chưa đăng nhập", en: "Not signed in")
        case 403: LocalizedText(vi: "Không có quyền", en: "Forbidden")
        case 404: LocalizedText(vi: "Không tìm thấy", en: "Not found")
        case 405: LocalizedText(vi: "Phương thức không được hỗ trợ", en: "Method not allowed")
        case 413: LocalizedText(vi: "Dữ liệu quá lớn", en: "Payload too large")
        case 415: LocalizedText(vi: "Kiểu dữ liệu không được hỗ trợ", en: "Unsupported media type")
        case 429: LocalizedText(vi: "Quá nhiều yêu cầu", en: "Too many requests")
        case 503: LocalizedText(vi: "Hệ thống tạm thời bận", en: "Temporarily unavailable")
        case 500...: LocalizedText(vi: "Lỗi hệ thống", en: "Server error")
        default: LocalizedText(vi: "Lỗi", en: "Error")
        }
    }

    static func detail(for error: any AbortError) -> LocalizedText {
        switch error.status.code {
        case 404: LocalizedText(vi: "Không tìm thấy trang hoặc tài nguyên yêu cầu.", en: "The page or resource was not found.")
        case 413: LocalizedText(vi: "Tệp hoặc dữ liệu gửi lên vượt quá dung lượng cho phép.", en: "The upload is larger than allowed.")
        case 415: LocalizedText(vi: "Vui lòng gửi dữ liệu dạng JSON (Content-Type: application/json).",
                                en: "Please send JSON (Content-Type: application/json).")
        case 400: LocalizedText(vi: "Dữ liệu gửi lên không đúng định dạng: \(error.reason)", en: "Malformed request: \(error.reason)")
        default: LocalizedText(vi: error.reason, en: error.reason)
        }
    }

    static func decodingDetail(_ error: DecodingError) -> LocalizedText {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            return LocalizedText(vi: "Thiếu trường “\(field)”.", en: "Field “\(field)” is missing.")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return LocalizedText(vi: "Trường “\(path(context))” có kiểu dữ liệu không đúng.", en: "Field “\(path(context))” has the wrong type.")
        case .dataCorrupted(let context):
            return LocalizedText(vi: "Dữ liệu không đọc được ở “\(path(context))”.", en: "Unreadable data at “\(path(context))”.")
        @unknown default:
            return LocalizedText(vi: "Dữ liệu gửi lên không đúng định dạng.", en: "Malformed request.")
        }
    }

    struct Body: Encodable {
        struct FieldError: Encodable { let field: String; let message: String }
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldError]?
    }

    func jsonResponse(language: Language) throws -> Response {
        let body = Body(type: "urn:open-egov:problem:\(slug)", title: title.text(language), status: Int(status.code),
                        detail: detail.text(language),
                        errors: fieldErrors.isEmpty ? nil : fieldErrors.map { .init(field: $0.field, message: $0.message.text(language)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(body)))
    }
}

extension Request {
    /// API paths and clients asking for JSON get problem+json; browsers get pages.
    var wantsJSON: Bool {
        let path = url.path
        if path.hasPrefix("/api/") || path == "/openapi.json" || path == "/metrics" { return true }
        return headers.accept.contains { $0.mediaType == .json } && !headers.accept.contains { $0.mediaType == .html }
    }
}
