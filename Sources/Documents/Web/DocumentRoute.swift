import Foundation
import Vapor

/// Every page of the documents module: registers the routes and builds the links.
enum DocumentRoute: Hashable, Sendable {
    case list(box: String?, q: String?, page: Int)
    case draft
    case scans
    case dashboard
    case register(unit: String?, book: String?, year: Int?, csv: Bool)
    case document(UUID)
    case take(UUID, String)
    case file(UUID, UUID)

    var path: String {
        switch self {
        case .list(let box, let q, let page):
            "/van-ban" + Self.query(["box": box, "q": q, "page": page > 1 ? String(page) : nil])
        case .draft: "/van-ban/soan-thao"
        case .scans: "/van-ban/so-hoa"
        case .dashboard: "/van-ban/dieu-hanh"
        case .register(let unit, let book, let year, let csv):
            "/van-ban/so-van-ban" + (csv ? ".csv" : "") + Self.query(["unit": unit, "book": book, "year": year.map(String.init)])
        case .document(let id): "/van-ban/\(id.uuidString.lowercased())"
        case .take(let id, let action): "/van-ban/\(id.uuidString.lowercased())/thao-tac/\(action)"
        case .file(let id, let file): "/van-ban/\(id.uuidString.lowercased())/tep/\(file.uuidString.lowercased())"
        }
    }

    var pattern: [PathComponent] {
        switch self {
        case .list: ["van-ban"]
        case .draft: ["van-ban", "soan-thao"]
        case .scans: ["van-ban", "so-hoa"]
        case .dashboard: ["van-ban", "dieu-hanh"]
        case .register(_, _, _, let csv): ["van-ban", csv ? "so-van-ban.csv" : "so-van-ban"]
        case .document: ["van-ban", ":id"]
        case .take: ["van-ban", ":id", "thao-tac", ":action"]
        case .file: ["van-ban", ":id", "tep", ":file"]
        }
    }

    static let placeholder = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    private static func query(_ items: [String: String?]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.compactMap { key, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: key, value: $0) }
        }
        return components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : ""
    }
}
