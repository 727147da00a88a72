import EGovCore
import Vapor

/// Every page of the platform, used both to register routes and to build links.
public enum SiteRoute: Hashable, Sendable {
    case home
    case login(next: String?)
    case logout
    case register
    case changePassword
    case verifySignature
    case language(Language, back: String?)
    case adminUnits
    case adminUnit(code: String)
    case adminUnitChildren(code: String)
    case adminUsers(unit: String?, page: Int)
    case adminRoles
    case adminAudit
    case asset(String)

    /// The link to this page.
    public var path: String {
        switch self {
        case .home: "/"
        case .login(let next): "/login" + query(["next": next])
        case .logout: "/logout"
        case .register: "/register"
        case .changePassword: "/tai-khoan/mat-khau"
        case .verifySignature: "/kiem-tra-chu-ky"
        case .language(let language, let back): "/lang/\(language.rawValue)" + query(["back": back])
        case .adminUnits: "/admin/units"
        case .adminUnit(let code): "/admin/units/\(code)"
        case .adminUnitChildren(let code): "/admin/units/\(code)/children"
        case .adminUsers(let unit, let page): "/admin/users" + query(["unit": unit, "page": page > 1 ? String(page) : nil])
        case .adminRoles: "/admin/roles"
        case .adminAudit: "/admin/audit"
        case .asset(let name): "/assets/\(name)"
        }
    }

    /// The pattern to register this page's route with.
    public var pattern: [PathComponent] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .logout: ["logout"]
        case .register: ["register"]
        case .changePassword: ["tai-khoan", "mat-khau"]
        case .verifySignature: ["kiem-tra-chu-ky"]
        case .language: ["lang", ":language"]
        case .adminUnits: ["admin", "units"]
        case .adminUnit: ["admin", "units", ":code"]
        case .adminUnitChildren: ["admin", "units", ":code", "children"]
        case .adminUsers: ["admin", "users"]
        case .adminRoles: ["admin", "roles"]
        case .adminAudit: ["admin", "audit"]
        case .asset: ["assets", ":name"]
        }
    }

    private func query(_ items: [String: String?]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        return components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : ""
    }
}
