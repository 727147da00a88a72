import EGovCore
import Vapor

/// `limit` and `offset` of a list request, checked where they are parsed: limit 1…200 (default 50),
/// offset 0…10,000,000, so that `offset + limit` can never overflow.
public struct Paging: Sendable {
    public static let maxLimit = 200
    public static let maxOffset = 10_000_000
    public let limit: Int
    public let offset: Int

    public init(_ request: Request, defaultLimit: Int = 50) throws {
        let limit = try RequestNumbers.int(request, "limit", in: 1...Self.maxLimit) ?? defaultLimit
        let offset = try RequestNumbers.int(request, "offset", in: 0...Self.maxOffset) ?? 0
        try self.init(limit: limit, offset: offset)
    }

    public init(limit: Int, offset: Int) throws {
        guard (1...Self.maxLimit).contains(limit), (0...Self.maxOffset).contains(offset) else {
            throw EGovError.badRequest(LocalizedText(vi: "Trang không hợp lệ.", en: "Invalid page."))
        }
        self.limit = limit
        self.offset = offset
    }

    /// Page `page` (from 1) of `perPage` rows, for web pages that show page numbers.
    public init(page: Int, perPage: Int) throws {
        guard (1...RequestNumbers.maxPage).contains(page), (1...Self.maxLimit).contains(perPage) else {
            throw EGovError.badRequest(LocalizedText(vi: "Trang không hợp lệ.", en: "Invalid page."))
        }
        // page ≤ 100,000 and perPage ≤ 200: the product is at most 2·10^7, far from overflow.
        try self.init(limit: perPage, offset: min((page - 1) * perPage, Self.maxOffset))
    }

    public var range: Range<Int> { offset..<(offset + limit) }
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
