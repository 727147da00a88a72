import EGovCore
import Vapor

/// `limit` and `offset` of a list request, checked: 1…200, default 50.
public struct Paging: Sendable {
    public static let maxLimit = 200
    public let limit: Int
    public let offset: Int

    public init(_ request: Request, defaultLimit: Int = 50) throws {
        let limit = try Self.int(request, "limit") ?? defaultLimit
        let offset = try Self.int(request, "offset") ?? 0
        guard (1...Self.maxLimit).contains(limit) else {
            throw EGovError.validation([ValidationError(field: "limit", vi: "“limit” phải từ 1 đến \(Self.maxLimit).",
                                                        en: "“limit” must be between 1 and \(Self.maxLimit).")])
        }
        guard offset >= 0 else {
            throw EGovError.validation([ValidationError(field: "offset", vi: "“offset” không được âm.", en: "“offset” must not be negative.")])
        }
        self.limit = limit
        self.offset = offset
    }

    private static func int(_ request: Request, _ name: String) throws -> Int? {
        guard let raw = request.query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let value = Int(raw) else {
            throw EGovError.validation([ValidationError(field: name, vi: "“\(name)” phải là số nguyên.", en: "“\(name)” must be an integer.")])
        }
        return value
    }
}

/// A page of a long list: `{"items":[…],"total":N}`.
public struct PageDTO<Item: Content>: Content {
    public let items: [Item]
    public let total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

extension Paging {
    public init(limit: Int, offset: Int) throws {
        guard (1...Self.maxLimit).contains(limit), offset >= 0 else {
            throw EGovError.badRequest(LocalizedText(vi: "Trang không hợp lệ.", en: "Invalid page."))
        }
        self.limit = limit
        self.offset = offset
    }

    public var range: Range<Int> { offset..<(offset + limit) }
}
