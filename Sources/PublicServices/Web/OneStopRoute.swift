import Foundation
import Vapor

/// Every page of the public-service portal and the one-stop back office: registers the routes and builds the links.
enum OneStopRoute: Hashable, Sendable {
    case procedures(q: String?, field: String?, unit: String?, level: String? = nil, page: Int)
    case procedure(code: String)
    case submit(procedure: String)
    case editProcedure(code: String)
    case newProcedure(code: String?)
    case tracking(code: String?)
    case myDossiers(page: Int)
    case dossier(code: String)
    case dossierAction(code: String, action: String)
    case dossierFile(code: String, file: String)
    case dossierPayment(code: String)
    case dossierRating(code: String)
    case form(code: String, number: String)
    case queue(deadline: String?, page: Int)
    case unitDossiers(unit: String?, deadline: String?, page: Int)
    case dossierLog(unit: String?, from: String?, to: String?)
    case statistics(unit: String?, from: String?, to: String?)
    case statisticsCSV(unit: String?, from: String?, to: String?)
    case paymentReturn

    var path: String {
        switch self {
        case .procedures(let q, let field, let unit, let level, let page):
            "/thu-tuc" + Self.query(["q": q, "field": field, "unit": unit, "level": level, "page": page > 1 ? String(page) : nil])
        case .procedure(let code): "/thu-tuc/\(code)"
        case .submit(let procedure): "/thu-tuc/\(procedure)/nop-ho-so"
        case .editProcedure(let code): "/thu-tuc/\(code)/sua"
        case .newProcedure(let code): "/quan-tri/thu-tuc-moi" + Self.query(["code": code])
        case .tracking(let code): "/tra-cuu" + Self.query(["code": code])
        case .myDossiers(let page): "/ho-so" + Self.query(["page": page > 1 ? String(page) : nil])
        case .dossier(let code): "/ho-so/\(code)"
        case .dossierAction(let code, let action): "/ho-so/\(code)/thao-tac/\(action)"
        case .dossierFile(let code, let file): "/ho-so/\(code)/tep/\(file)"
        case .dossierPayment(let code): "/ho-so/\(code)/thanh-toan"
        case .dossierRating(let code): "/ho-so/\(code)/danh-gia"
        case .form(let code, let number): "/ho-so/\(code)/mau/\(number)"
        case .queue(let deadline, let page): "/xu-ly" + Self.query(["deadline": deadline, "page": page > 1 ? String(page) : nil])
        case .unitDossiers(let unit, let deadline, let page):
            "/don-vi/ho-so" + Self.query(["unit": unit, "deadline": deadline, "page": page > 1 ? String(page) : nil])
        case .dossierLog(let unit, let from, let to): "/so-theo-doi" + Self.query(["unit": unit, "from": from, "to": to])
        case .statistics(let unit, let from, let to): "/thong-ke" + Self.query(["unit": unit, "from": from, "to": to])
        case .statisticsCSV(let unit, let from, let to): "/thong-ke.csv" + Self.query(["unit": unit, "from": from, "to": to])
        case .paymentReturn: PaymentService.returnPath
        }
    }

    var pattern: [PathComponent] {
        switch self {
        case .procedures: ["thu-tuc"]
        case .procedure: ["thu-tuc", ":code"]
        case .submit: ["thu-tuc", ":code", "nop-ho-so"]
        case .editProcedure: ["thu-tuc", ":code", "sua"]
        case .newProcedure: ["quan-tri", "thu-tuc-moi"]
        case .tracking: ["tra-cuu"]
        case .myDossiers: ["ho-so"]
        case .dossier: ["ho-so", ":code"]
        case .dossierAction: ["ho-so", ":code", "thao-tac", ":action"]
        case .dossierFile: ["ho-so", ":code", "tep", ":file"]
        case .dossierPayment: ["ho-so", ":code", "thanh-toan"]
        case .dossierRating: ["ho-so", ":code", "danh-gia"]
        case .form: ["ho-so", ":code", "mau", ":number"]
        case .queue: ["xu-ly"]
        case .unitDossiers: ["don-vi", "ho-so"]
        case .dossierLog: ["so-theo-doi"]
        case .statistics: ["thong-ke"]
        case .statisticsCSV: ["thong-ke.csv"]
        case .paymentReturn: PaymentService.returnPath.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
        }
    }

    private static func query(_ items: [String: String?]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.compactMap { key, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: key, value: $0) }
        }
        return components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : ""
    }
}
