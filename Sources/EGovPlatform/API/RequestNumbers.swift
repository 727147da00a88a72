import EGovCore
import Vapor

/// Every number that comes from a query string or a form is parsed here, inside the range its use
/// allows: Swift traps on overflow, so one unchecked `offset + limit` from a stranger would stop the
/// whole server. Out of range or not a number → 400 with a message naming the parameter.
public enum RequestNumbers {
    /// The highest page number a web list accepts.
    public static let maxPage = 100_000

    /// The query parameter `name` as an integer in `range`, nil when absent or empty.
    public static func int(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = request.query[String.self, at: name] else { return nil }
        return try parse(raw, name: name, in: range)
    }

    /// A raw text as an integer in `range`, nil when empty.
    public static func parse(_ raw: String, name: String, in range: ClosedRange<Int>) throws -> Int? {
        // Digits only (with an optional minus): no spaces, no `+`, no exponent, no hex.
        let text = raw
        guard !text.isEmpty else { return nil }
        // At most 19 digits: `Int(_:)` itself returns nil past Int.max, but a short check first keeps
        // megabyte-long "numbers" from being scanned at all.
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        guard text.utf8.count <= 20, !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text) else {
            throw EGovError.validation([ValidationError(field: name, vi: "“\(name)” phải là số nguyên.", en: "“\(name)” must be an integer.")])
        }
        guard range.contains(value) else {
            throw EGovError.validation([ValidationError(
                field: name, vi: "“\(name)” phải từ \(range.lowerBound) đến \(range.upperBound).",
                en: "“\(name)” must be between \(range.lowerBound) and \(range.upperBound).")])
        }
        return value
    }

    /// The years a date from outside may name: enough for any record, and far from the calendar's limits.
    public static let years = 1900...2199

    /// The query parameter `name` as a date `YYYY-MM-DD` within `years`, nil when absent or empty.
    public static func date(_ request: Request, _ name: String) throws -> CivilDate? {
        guard let raw = request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let date = CivilDate(iso: raw), years.contains(date.year) else {
            throw EGovError.validation([ValidationError(field: name, vi: "“\(name)” phải là ngày dạng YYYY-MM-DD (năm \(years.lowerBound)–\(years.upperBound)).",
                                                        en: "“\(name)” must be a date YYYY-MM-DD (years \(years.lowerBound)–\(years.upperBound)).")])
        }
        return date
    }

    /// The `page` query parameter of a web list: 1…100,000, default 1.
    public static func page(_ request: Request) throws -> Int {
        try int(request, "page", in: 1...maxPage) ?? 1
    }
}
