import EGovCore
import Vapor

/// The errors handlers throw on purpose. Each knows its HTTP status and a message a person can read.
public enum EGovError: Error, Sendable {
    case validation([ValidationError])
    case badRequest(LocalizedText)
    case unauthorized
    case forbidden
    /// 403 with a reason more precise than the default message.
    case forbiddenBecause(LocalizedText)
    case notFound(LocalizedText)
    case conflict(ValidationError)
    case locked(until: Date)
    case csrf
    /// 429: too many requests from one address; try again after `retryAfter` seconds.
    case tooManyRequests(retryAfter: Int)
    /// 413: the request body is larger than this route takes.
    case payloadTooLarge(maxBytes: Int)
    /// 503: a service this installation has not configured (e.g. online payment).
    case unavailable(LocalizedText)

    public var status: HTTPResponseStatus {
        switch self {
        case .validation, .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden, .forbiddenBecause, .csrf: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .locked, .tooManyRequests: .tooManyRequests
        case .payloadTooLarge: .payloadTooLarge
        case .unavailable: .serviceUnavailable
        }
    }

    /// Stable name of the problem type, for `type` in problem+json.
    public var slug: String {
        switch self {
        case .validation: "validation"
        case .badRequest: "bad-request"
        case .unauthorized: "unauthorized"
        case .forbidden, .forbiddenBecause: "forbidden"
        case .notFound: "not-found"
        case .conflict: "conflict"
        case .locked: "locked"
        case .csrf: "csrf"
        case .tooManyRequests: "too-many-requests"
        case .payloadTooLarge: "payload-too-large"
        case .unavailable: "unavailable"
        }
    }

    public var title: LocalizedText {
        switch self {
        case .validation: LocalizedText(vi: "Dữ liệu không hợp lệ", en: "Invalid input")
        case .badRequest: LocalizedText(vi: "Yêu cầu không hợp lệ", en: "Bad request")
        case .unauthorized: LocalizedText(vi: "Chưa đăng nhập", en: "Not signed in")
        case .forbidden, .forbiddenBecause: LocalizedText(vi: "Không có quyền", en: "Forbidden")
        case .notFound: LocalizedText(vi: "Không tìm thấy", en: "Not found")
        case .conflict: LocalizedText(vi: "Xung đột dữ liệu", en: "Conflict")
        case .locked: LocalizedText(vi: "Tài khoản tạm khóa", en: "Account temporarily locked")
        case .csrf: LocalizedText(vi: "Phiên biểu mẫu không hợp lệ", en: "Invalid form session")
        case .tooManyRequests: LocalizedText(vi: "Quá nhiều yêu cầu", en: "Too many requests")
        case .payloadTooLarge: LocalizedText(vi: "Dữ liệu gửi lên quá lớn", en: "Payload too large")
        case .unavailable: LocalizedText(vi: "Dịch vụ chưa sẵn sàng", en: "Service unavailable")
        }
    }

    public var detail: LocalizedText {
        switch self {
        case .validation(let errors):
            LocalizedText(vi: errors.map(\.message.vi).joined(separator: " "), en: errors.map(\.message.en).joined(separator: " "))
        case .badRequest(let text), .notFound(let text), .forbiddenBecause(let text), .unavailable(let text): text
        case .tooManyRequests(let seconds):
            LocalizedText(vi: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau \(seconds) giây.",
                          en: "Too many requests. Please try again in \(seconds) seconds.")
        case .payloadTooLarge(let maxBytes):
            maxBytes >= 1_048_576
                ? LocalizedText(vi: "Dữ liệu gửi lên vượt quá \(maxBytes / 1_048_576) MB.", en: "The request is larger than \(maxBytes / 1_048_576) MB.")
                : LocalizedText(vi: "Dữ liệu gửi lên vượt quá \(maxBytes / 1024) KB.", en: "The request is larger than \(maxBytes / 1024) KB.")
        case .unauthorized:
            LocalizedText(vi: "Vui lòng đăng nhập hoặc gửi mã truy cập hợp lệ.", en: "Please sign in or send a valid access token.")
        case .forbidden:
            LocalizedText(vi: "Bạn không có quyền thực hiện thao tác này trên đơn vị này.", en: "You may not do this on this unit.")
        case .conflict(let error): error.message
        case .locked(let until):
            LocalizedText(vi: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(VietnamTime.format(until)).",
                          en: "Too many failed sign-ins. Try again after \(VietnamTime.format(until)).")
        case .csrf:
            LocalizedText(vi: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
                          en: "The form expired or is not valid. Please reload the page and try again.")
        }
    }

    public var fieldErrors: [ValidationError] {
        switch self {
        case .validation(let errors): errors
        case .conflict(let error): [error]
        default: []
        }
    }
}

/// Shows instants in Vietnam time (UTC+7, no daylight saving).
public enum VietnamTime {
    public static func format(_ date: Date, withTime: Bool = true) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = WorkingDayCalendar.vietnamTimeZone
        formatter.dateFormat = withTime ? "HH:mm dd/MM/yyyy" : "dd/MM/yyyy"
        return formatter.string(from: date)
    }
}
