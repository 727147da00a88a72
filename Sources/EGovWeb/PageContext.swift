import EGovCore
import EGovPlatform
import Vapor

/// What every page needs to know about the request it renders for.
public struct PageContext {
    public let language: Language
    public let branding: Branding
    public let principal: Principal?
    public let currentPath: String
    /// Menu entries of the enabled modules for this visitor.
    public let menu: [MenuItem]
    /// Nil for pages rendered outside the web routes (error pages of unknown paths), which have no session.
    public let request: Request?

    public init(language: Language, branding: Branding, principal: Principal?, currentPath: String, menu: [MenuItem] = [],
                request: Request?) {
        self.language = language
        self.branding = branding
        self.principal = principal
        self.currentPath = currentPath
        self.menu = menu
        self.request = request
    }

    public static func make(for req: Request) async throws -> PageContext {
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: req.db) ?? .fallback
        let principal = req.auth.get(Principal.self)
        return PageContext(language: req.language, branding: branding, principal: principal, currentPath: req.url.string,
                           menu: req.egov.modules.flatMap { $0.menu(for: principal) }, request: req)
    }

    /// The form token, made (with its session) only when a page actually shows a form, so anonymous
    /// page views and bots do not each leave a session row behind.
    public var csrfToken: String {
        guard let request, request.sessionsEnabled else { return "" }
        return request.csrfToken
    }

    public func t(_ text: LocalizedText) -> String { text.text(language) }
}
